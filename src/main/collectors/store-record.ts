import type { RawPropertyInput } from '../../shared/schemas/raw-property.js';
import type { Repositories } from '../db/repositories/index.js';
import type { UpsertResult } from '../db/repositories/raw-properties.js';

/**
 * Store one collected record and queue it, as a sync does each parcel or listing: upserted with
 * its summary marked pending when new or changed (in the same write, so a change whose queueing a
 * crash or a full disk cut off is found again: UpsertResult.awaitsQueue), then queued (new or
 * changed), put back in the queue (awaiting), or queued only if it never was (unchanged). `enqueued`:
 * whether the record is now pending because of a change.
 */
export async function storeRecord(repos: Pick<Repositories, 'raw' | 'queue'>, input: RawPropertyInput): Promise<{ result: UpsertResult; enqueued: boolean }> {
  const result = await repos.raw.upsert(input, { queuedStatus: 'pending' });
  if (result.outcome !== 'unchanged') {
    await repos.queue.enqueue(result.id);
    return { result, enqueued: true };
  }
  if (result.awaitsQueue) await repos.queue.requeueAwaiting([result.id]);
  else await repos.queue.ensureQueued(result.id);
  return { result, enqueued: false };
}
