import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionsOf } from '../../src/main/db/collections.js';
import { QueueRepository, newQueueItem, type QueuePolicy } from '../../src/main/db/repositories/queue.js';
import { manualClock, seededRandom } from '../support/clock.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await openTestDatabase();
});
afterAll(async () => tdb.close());

const policy: QueuePolicy = { maxAttempts: 3, backoff: { baseMs: 1000, maxMs: 60_000, jitter: 'equal' }, errorHistoryLimit: 10 };

async function freshQueue(clock = manualClock()) {
  const { queue: collection } = collectionsOf(tdb.db);
  await collection.deleteMany({});
  return { queue: new QueueRepository(collection, clock.clock, policy, async () => undefined, seededRandom(7)), time: clock };
}

describe('QueueRepository', () => {
  it('enqueues idempotently and requeues finished items', async () => {
    const { queue } = await freshQueue();
    expect(await queue.enqueue('r1')).toBe('enqueued');
    expect(await queue.enqueue('r1')).toBe('already_pending');
    expect(await queue.counts()).toMatchObject({ pending: 1, processing: 0 });

    const item = await queue.claimNext('w1', 60_000);
    expect(item).toMatchObject({ _id: 'r1', status: 'processing', attempts: 1, worker_id: 'w1', claim_seq: 1 });
    expect(await queue.enqueue('r1')).toBe('rerun_after_current');
    expect(await queue.complete(item!)).toBe('pending');

    const again = await queue.claimNext('w1', 60_000);
    expect(again).toMatchObject({ claim_seq: 2 });
    expect(await queue.complete(again!)).toBe('completed');
    expect(await queue.enqueue('r1')).toBe('requeued');
    expect(await queue.get('r1')).toMatchObject({ status: 'pending', attempts: 0, completed_at: null });
  });

  it('guards every transition with the claim generation: an older claim by the same worker settles nothing', async () => {
    const { queue, time } = await freshQueue();
    await queue.enqueue('r1');
    const first = await queue.claimNext('w1', 5_000);
    time.advance(5_001);
    // The lease lapsed; the same worker (another of its loops) claims the item again.
    const second = await queue.claimNext('w1', 5_000);
    expect(second).toMatchObject({ _id: 'r1', worker_id: 'w1', claim_seq: 2, attempts: 2 });
    expect(await queue.renewLease(first!, 5_000)).toBe(false);
    expect(await queue.complete(first!)).toBe('lost_lease');
    expect(await queue.moveToReview(first!, ['stale'])).toBe(false);
    expect(await queue.fail(first!, 'stale')).toEqual({ status: 'lost_lease' });
    expect(await queue.release(first!)).toBe(false);
    expect(await queue.get('r1')).toMatchObject({ status: 'processing', claim_seq: 2, errors: [] });
    expect(await queue.renewLease(second!, 5_000)).toBe(true);
    expect(await queue.complete(second!)).toBe('completed');
  });

  it('lets 8 concurrent workers claim 1,000 items, each exactly once', async () => {
    const { queue } = await freshQueue();
    const collection = collectionsOf(tdb.db).queue;
    const now = new Date('2026-06-01T12:00:00Z');
    await collection.insertMany(Array.from({ length: 1000 }, (_, i) => newQueueItem(`item-${String(i).padStart(4, '0')}`, now)));
    const claimed = new Map<string, string[]>();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        const workerId = `worker-${w}`;
        for (;;) {
          const item = await queue.claimNext(workerId, 600_000);
          if (!item) return;
          claimed.set(item._id, [...(claimed.get(item._id) ?? []), workerId]);
        }
      }),
    );
    expect(claimed.size).toBe(1000);
    expect([...claimed.values()].filter((workers) => workers.length !== 1)).toEqual([]);
    const perWorker = new Map<string, number>();
    for (const [w] of claimed.values()) perWorker.set(w!, (perWorker.get(w!) ?? 0) + 1);
    expect(perWorker.size).toBeGreaterThan(1);
    expect(await queue.counts()).toMatchObject({ pending: 0, processing: 1000 });
  }, 240_000);

  it('re-claims an expired lease and never an unexpired one', async () => {
    const { queue, time } = await freshQueue();
    await queue.enqueue('lease-1');
    const crashed = await queue.claimNext('crashed', 30_000);
    time.advance(29_000);
    expect(await queue.claimNext('other', 30_000)).toBeNull();
    time.advance(2_000);
    const reclaimed = await queue.claimNext('other', 30_000);
    expect(reclaimed).toMatchObject({ _id: 'lease-1', worker_id: 'other', attempts: 2 });
    expect(await queue.complete(crashed!)).toBe('lost_lease');
    expect(await queue.renewLease(crashed!, 30_000)).toBe(false);
    expect(await queue.renewLease(reclaimed!, 30_000)).toBe(true);
    expect(await queue.complete(reclaimed!)).toBe('completed');
  });

  it('backs off exponentially with jitter, then fails with the errors kept', async () => {
    const { queue, time } = await freshQueue();
    await queue.enqueue('flaky');
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const item = await queue.claimNext('w', 60_000);
      expect(item?.attempts).toBe(attempt);
      const res = await queue.fail(item!, `boom ${attempt}`);
      if (res.status !== 'pending') throw new Error(`expected a retry, got ${res.status}`);
      const delay = res.retryAt.getTime() - time.clock().getTime();
      delays.push(delay);
      expect(await queue.claimNext('w', 60_000)).toBeNull();
      time.advance(delay);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(500);
    expect(delays[0]).toBeLessThan(1000);
    expect(delays[1]).toBeGreaterThanOrEqual(1000);
    expect(delays[1]).toBeLessThan(2000);

    const last = await queue.claimNext('w', 60_000);
    expect(await queue.fail(last!, 'boom 3')).toEqual({ status: 'failed' });
    const failed = await queue.get('flaky');
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3', worker_id: null });
    expect(failed?.errors.map((e) => [e.attempt, e.message])).toEqual([
      [1, 'boom 1'],
      [2, 'boom 2'],
      [3, 'boom 3'],
    ]);
  });

  it('fails at once when the error is not retryable, and holds items for review with reasons', async () => {
    const { queue } = await freshQueue();
    await queue.enqueue('bad');
    await queue.enqueue('doubtful');
    const bad = await queue.claimNext('w', 60_000);
    expect(await queue.fail(bad!, 'schema', { retryable: false })).toEqual({ status: 'failed' });
    const doubtful = await queue.claimNext('w', 60_000);
    expect(await queue.moveToReview(doubtful!, ['mentions 4 bedrooms, data has 3'])).toBe(true);
    expect(await queue.get('doubtful')).toMatchObject({ status: 'review', review_reasons: ['mentions 4 bedrooms, data has 3'] });
    expect(await queue.counts()).toEqual({ pending: 0, processing: 0, completed: 0, failed: 1, review: 1 });
  });

  it('releases everything a stopping worker holds without counting the attempt', async () => {
    const { queue } = await freshQueue();
    for (const id of ['a', 'b', 'c']) await queue.enqueue(id);
    await queue.claimNext('stopping', 60_000);
    await queue.claimNext('stopping', 60_000);
    await queue.claimNext('staying', 60_000);
    expect(await queue.releaseAll('stopping')).toBe(2);
    expect(await queue.counts()).toMatchObject({ pending: 2, processing: 1 });
    expect((await queue.get('a'))?.attempts).toBe(0);
  });
});
