import type { Collection, Filter } from 'mongodb';
import { backoffDelayMs, type BackoffPolicy } from '../../../shared/backoff.js';
import { QUEUE_STATUSES, type QueueCounts, type QueueItem, type QueueStatus } from '../../../shared/schemas/queue.js';
import type { PipelineSummary } from '../../../shared/schemas/raw-property.js';
import type { Clock } from '../../runtime/clock.js';
import type { QueueClaim } from '../collections.js';
import { isDuplicateKeyError } from '../duplicate-key.js';

/** Candidates read at once; reads tried per claim; how old a read may be before it is redone. */
const CLAIM_CANDIDATES = 64;
const CLAIM_REFILLS = 3;
const CANDIDATE_MAX_AGE_MS = 2_000;
/**
 * A claim token this old (or older than a lease, if that is shorter) whose item never moved to
 * its generation is from a claimer that died between its two steps: a live one takes
 * milliseconds, and one slower than a lease would have lost the item anyway.
 */
const STALE_TOKEN_MS = 60_000;

/** An item's state when it (again) waits for its first attempt. */
function pendingState(now: Date) {
  return {
    status: 'pending',
    attempts: 0,
    available_at: now,
    lease_until: null,
    worker_id: null,
    rerun: false,
    review_reasons: [],
    enqueued_at: now,
    updated_at: now,
    completed_at: null,
  } as const satisfies Partial<QueueItem>;
}

/** A queue item never claimed before. */
export function newQueueItem(id: string, now: Date): QueueItem {
  return { _id: id, ...pendingState(now), review_reasons: [], claim_seq: 0, errors: [], last_error: null };
}

function dueFilter(now: Date): Filter<QueueItem> {
  return {
    $or: [
      { status: 'pending', available_at: { $lte: now } },
      { status: 'processing', lease_until: { $lt: now } },
    ],
  };
}

export interface QueuePolicy {
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** Errors kept per item (the newest). */
  errorHistoryLimit: number;
}

export const DEFAULT_QUEUE_POLICY: QueuePolicy = {
  maxAttempts: 5,
  backoff: { baseMs: 30_000, maxMs: 3_600_000, jitter: 'equal' },
  errorHistoryLimit: 10,
};

export type EnqueueOutcome = 'enqueued' | 'requeued' | 'already_pending' | 'rerun_after_current';

export type FailOutcome = { status: 'pending'; retryAt: Date } | { status: 'failed' } | { status: 'lost_lease' };

/** What a worker learnt of the item, stored with its settled status (the property list's copy). */
export type SettledState = Omit<PipelineSummary, 'status'>;

/** Called after every status change, so the property list's copy stays current. */
export type StatusListener = (id: string, status: QueueStatus, settled?: SettledState) => Promise<void>;

/**
 * The processing queue: `pending → processing → completed | failed | review`.
 *
 * A claim sets a lease (see `claimNext` for how it stays exact on every server); an expired
 * lease is claimable again, so a crashed worker loses nothing and any number of workers can share
 * one database.
 * Every transition after the claim is guarded by the worker's id, so a worker whose lease was
 * taken over cannot overwrite the new owner's work.
 */
export class QueueRepository {
  private candidates: Pick<QueueItem, '_id' | 'claim_seq'>[] = [];
  private candidatesReadAt = 0;
  private refilling: Promise<void> | undefined;

  constructor(
    private readonly collection: Collection<QueueItem>,
    private readonly claims: Collection<QueueClaim>,
    private readonly clock: Clock,
    private readonly policy: QueuePolicy = DEFAULT_QUEUE_POLICY,
    private readonly onStatus: StatusListener = async () => undefined,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * Queue a raw property for processing; safe to call any number of times.
   *
   * A new item is inserted; a finished one (completed, failed, review) goes back to pending; a
   * pending one is left alone; one being processed is flagged to run again when it completes.
   */
  async enqueue(id: string): Promise<EnqueueOutcome> {
    if (await this.ensureQueued(id)) return 'enqueued';
    const now = this.clock();
    const requeued = await this.collection.updateOne({ _id: id, status: { $in: ['completed', 'failed', 'review'] } }, { $set: pendingState(now) });
    if (requeued.modifiedCount === 1) {
      await this.onStatus(id, 'pending');
      return 'requeued';
    }
    const flagged = await this.collection.updateOne({ _id: id, status: 'processing' }, { $set: { rerun: true, updated_at: now } });
    return flagged.matchedCount === 1 ? 'rerun_after_current' : 'already_pending';
  }

  /**
   * Queue the item only if it has never been queued: what a collector calls for an unchanged
   * record, so a record stored just before a crash still reaches the queue, while a record
   * already processed is not processed again.
   */
  async ensureQueued(id: string): Promise<boolean> {
    const now = this.clock();
    try {
      await this.collection.insertOne(newQueueItem(id, now));
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
    await this.onStatus(id, 'pending');
    return true;
  }

  /**
   * Claim the next due item for `workerId`: a pending item whose time has come, or one whose
   * previous worker's lease expired. No item is ever claimed twice at once, on any server.
   *
   * `findOneAndUpdate` alone would do on MongoDB, but FerretDB 1.24 does not isolate it (we saw
   * 1,473 claims of 300 items by 8 workers). So a claim first inserts the token
   * `<id>#<claim_seq + 1>` into `queue_claims`, whose unique `_id` lets exactly one claimer of
   * that generation win on every server; the winner then takes the lease with a
   * `findOneAndUpdate` guarded by the generation it read and by the item still being due.
   * Candidates are read in batches shared by this process's workers, oldest due first.
   */
  async claimNext(workerId: string, leaseMs: number): Promise<QueueItem | null> {
    for (let refills = 0; refills < CLAIM_REFILLS; ) {
      const now = this.clock();
      if (this.candidates.length === 0 || now.getTime() - this.candidatesReadAt > CANDIDATE_MAX_AGE_MS) {
        refills += 1;
        await this.refillCandidates(now);
      }
      const candidate = this.candidates.shift();
      if (!candidate) return null;
      const item = await this.tryClaim(candidate._id, (candidate.claim_seq ?? 0) + 1, workerId, leaseMs, now);
      if (item) {
        await this.onStatus(item._id, 'processing');
        return item;
      }
    }
    return null;
  }

  /** Read the next due items; one read at a time, shared by every worker of this process. */
  private refillCandidates(now: Date): Promise<void> {
    this.refilling ??= (async () => {
      try {
        this.candidates = await this.collection
          .find(dueFilter(now), { projection: { _id: 1, claim_seq: 1 } })
          .sort({ available_at: 1, _id: 1 })
          .limit(CLAIM_CANDIDATES)
          .toArray();
        this.candidatesReadAt = now.getTime();
      } finally {
        this.refilling = undefined;
      }
    })();
    return this.refilling;
  }

  private async tryClaim(id: string, seq: number, workerId: string, leaseMs: number, now: Date): Promise<QueueItem | null> {
    const token = `${id}#${seq}`;
    try {
      await this.claims.insertOne({ _id: token, item_id: id, worker_id: workerId, at: now });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // A claimer that died between its token and its lease leaves the generation blocked:
      // after a while its token is cleared and the next claimer may take the item.
      const staleBefore = new Date(now.getTime() - Math.min(STALE_TOKEN_MS, leaseMs));
      const stale = await this.claims.deleteOne({ _id: token, at: { $lt: staleBefore } });
      if (stale.deletedCount === 1) this.candidatesReadAt = 0;
      return null;
    }
    const item = await this.collection.findOneAndUpdate(
      { _id: id, claim_seq: seq - 1, ...dueFilter(now) },
      {
        $set: { status: 'processing', worker_id: workerId, lease_until: new Date(now.getTime() + leaseMs), claim_seq: seq, updated_at: now },
        $inc: { attempts: 1 },
      },
      { returnDocument: 'after' },
    );
    if (!item) await this.claims.deleteOne({ _id: token, worker_id: workerId });
    return item;
  }

  /** Forget claim tokens older than `maxAgeMs` (a claimer's read is never that stale). */
  async purgeClaims(maxAgeMs = 86_400_000): Promise<number> {
    const res = await this.claims.deleteMany({ at: { $lt: new Date(this.clock().getTime() - maxAgeMs) } });
    return res.deletedCount;
  }

  /** Extend a lease during long work; false when the lease was lost to another worker. */
  async renewLease(id: string, workerId: string, leaseMs: number): Promise<boolean> {
    const now = this.clock();
    const res = await this.collection.updateOne(
      { _id: id, status: 'processing', worker_id: workerId },
      { $set: { lease_until: new Date(now.getTime() + leaseMs), updated_at: now } },
    );
    return res.matchedCount === 1;
  }

  /**
   * Mark done; an item re-enqueued while it was processed goes back to pending instead.
   * `settled` goes with the status to the property list's copy, in the same write.
   */
  async complete(id: string, workerId: string, settled?: SettledState): Promise<'completed' | 'pending' | 'lost_lease'> {
    const now = this.clock();
    const done = await this.collection.updateOne(
      { _id: id, status: 'processing', worker_id: workerId, rerun: false },
      { $set: { status: 'completed', lease_until: null, worker_id: null, last_error: null, updated_at: now, completed_at: now } },
    );
    if (done.matchedCount === 1) {
      await this.onStatus(id, 'completed', settled);
      return 'completed';
    }
    const rerun = await this.collection.updateOne(
      { _id: id, status: 'processing', worker_id: workerId, rerun: true },
      { $set: { status: 'pending', rerun: false, attempts: 0, available_at: now, lease_until: null, worker_id: null, updated_at: now } },
    );
    if (rerun.matchedCount !== 1) return 'lost_lease';
    await this.onStatus(id, 'pending', settled);
    return 'pending';
  }

  /**
   * Record a failure: retried after an exponential, jittered delay until the attempts run out,
   * then `failed` with the error kept. `retryable: false` fails at once.
   */
  async fail(id: string, workerId: string, message: string, options: { retryable?: boolean } = {}): Promise<FailOutcome> {
    const current = await this.collection.findOne({ _id: id, status: 'processing', worker_id: workerId });
    if (!current) return { status: 'lost_lease' };
    const now = this.clock();
    const errors = [...current.errors, { at: now, attempt: current.attempts, message }].slice(-this.policy.errorHistoryLimit);
    const exhausted = options.retryable === false || current.attempts >= this.policy.maxAttempts;
    const retryAt = new Date(now.getTime() + backoffDelayMs(current.attempts, this.policy.backoff, this.random));
    const res = await this.collection.updateOne(
      { _id: id, status: 'processing', worker_id: workerId },
      {
        $set: {
          status: exhausted ? 'failed' : 'pending',
          available_at: exhausted ? current.available_at : retryAt,
          lease_until: null,
          worker_id: null,
          errors,
          last_error: message,
          updated_at: now,
        },
      },
    );
    if (res.matchedCount !== 1) return { status: 'lost_lease' };
    await this.onStatus(id, exhausted ? 'failed' : 'pending');
    return exhausted ? { status: 'failed' } : { status: 'pending', retryAt };
  }

  /** Hold the item for the analyst, with the validator's reasons. */
  async moveToReview(id: string, workerId: string, reasons: string[], settled?: SettledState): Promise<boolean> {
    const now = this.clock();
    const res = await this.collection.updateOne(
      { _id: id, status: 'processing', worker_id: workerId },
      { $set: { status: 'review', review_reasons: reasons, lease_until: null, worker_id: null, updated_at: now, completed_at: now } },
    );
    if (res.matchedCount === 1) await this.onStatus(id, 'review', settled);
    return res.matchedCount === 1;
  }

  /**
   * Hand back everything `workerId` holds, as a graceful stop does: the items are pending again
   * and the interrupted attempt does not count.
   */
  async releaseAll(workerId: string): Promise<number> {
    const held = await this.collection.find({ status: 'processing', worker_id: workerId }, { projection: { _id: 1 } }).toArray();
    let released = 0;
    for (const { _id } of held) if (await this.release(_id, workerId)) released += 1;
    return released;
  }

  /**
   * Hand back one item unprocessed (pending at once, or from `availableAt`: an item waiting in a
   * Batch API job; the attempt does not count).
   */
  async release(id: string, workerId: string, availableAt?: Date): Promise<boolean> {
    const now = this.clock();
    const res = await this.collection.updateOne(
      { _id: id, status: 'processing', worker_id: workerId },
      { $set: { status: 'pending', lease_until: null, worker_id: null, available_at: availableAt ?? now, updated_at: now }, $inc: { attempts: -1 } },
    );
    if (res.matchedCount !== 1) return false;
    await this.onStatus(id, 'pending');
    return true;
  }

  /** The pending items due at exactly `at`: those a Batch API submission just handed back. */
  async heldUntil(at: Date): Promise<string[]> {
    const held = await this.collection.find({ status: 'pending', available_at: at }, { projection: { _id: 1 } }).toArray();
    return held.map((i) => i._id);
  }

  /** Make pending items due at `until` (later: held for a Batch API job; now: requeued). */
  async hold(ids: string[], until: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const res = await this.collection.updateMany({ _id: { $in: ids }, status: 'pending' }, { $set: { available_at: until, updated_at: this.clock() } });
    return res.modifiedCount;
  }

  /**
   * Claim one given item that is pending, due or held (a Batch API job's item whose answer has
   * come), as `claimNext` claims; null when it is no longer pending (processed meanwhile).
   */
  async claimHeld(id: string, workerId: string, leaseMs: number): Promise<QueueItem | null> {
    const now = this.clock();
    const item = await this.collection.findOneAndUpdate({ _id: id, status: 'pending' }, { $set: { available_at: now } }, { returnDocument: 'after' });
    if (!item) return null;
    const claimed = await this.tryClaim(id, (item.claim_seq ?? 0) + 1, workerId, leaseMs, now);
    if (claimed) await this.onStatus(id, 'processing');
    return claimed;
  }

  /** One page of the items in `status`, most recently changed first, and how many there are. */
  async list(status: QueueStatus, limit: number, offset: number): Promise<{ items: QueueItem[]; total: number }> {
    const [items, total] = await Promise.all([
      this.collection.find({ status }).sort({ updated_at: -1, _id: 1 }).skip(offset).limit(limit).toArray(),
      this.collection.countDocuments({ status }),
    ]);
    return { items, total };
  }

  /** The analyst approved an item held for review: it counts as completed. */
  async approve(id: string): Promise<boolean> {
    const now = this.clock();
    const res = await this.collection.updateOne({ _id: id, status: 'review' }, { $set: { status: 'completed', updated_at: now, completed_at: now } });
    if (res.matchedCount === 1) await this.onStatus(id, 'completed');
    return res.matchedCount === 1;
  }

  async idsByStatus(statuses: QueueStatus[]): Promise<string[]> {
    const docs = await this.collection.find({ status: { $in: statuses } }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  }

  async get(id: string): Promise<QueueItem | null> {
    return this.collection.findOne({ _id: id });
  }

  /** How many items are in each status (every status present, zero when empty). */
  async counts(): Promise<QueueCounts> {
    const rows = await this.collection
      .aggregate<{ _id: QueueStatus; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }])
      .toArray();
    const counts = Object.fromEntries(QUEUE_STATUSES.map((s) => [s, 0])) as QueueCounts;
    for (const row of rows) if (row._id in counts) counts[row._id] = row.n;
    return counts;
  }
}
