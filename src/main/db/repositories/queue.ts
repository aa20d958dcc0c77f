import type { Collection, Filter } from 'mongodb';
import { backoffDelayMs, type BackoffPolicy } from '../../../shared/backoff.js';
import { QUEUE_STATUSES, type QueueCounts, type QueueItem, type QueueStatus } from '../../../shared/schemas/queue.js';
import type { PipelineSummary } from '../../../shared/schemas/raw-property.js';
import type { Clock } from '../../runtime/clock.js';
import { findByIds, updateByIds } from '../by-ids.js';
import type { DiskReserve } from '../disk-reserve.js';
import { duplicateKeyIndexes, isDuplicateKeyError } from '../duplicate-key.js';

/** Candidates read at once; reads tried per claim; how old a read may be before it is redone. */
const CLAIM_CANDIDATES = 64;
const CLAIM_REFILLS = 3;
const CANDIDATE_MAX_AGE_MS = 2_000;

/**
 * What a worker holds once it has claimed an item: the item, its worker and the claim's
 * generation (`claim_seq`, one more at every claim). Every transition after the claim is guarded
 * by all three, so a worker whose lease lapsed, even if it claimed the item again since, cannot
 * settle the item for a claim it no longer holds.
 */
export type QueueClaim = Pick<QueueItem, '_id' | 'worker_id' | 'claim_seq'>;

/** The filter that matches the item only while `claim` still holds it. */
function heldBy(claim: QueueClaim): Filter<QueueItem> {
  return { _id: claim._id, status: 'processing', worker_id: claim.worker_id, claim_seq: claim.claim_seq };
}

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
 * A claim sets a lease and a new generation; an expired lease is claimable again, so a crashed
 * worker loses nothing and any number of workers can share one database.
 * Every transition after the claim is guarded by the claim (worker and generation, see
 * `QueueClaim`), so a worker whose lease was taken over cannot overwrite the new owner's work.
 */
export class QueueRepository {
  private candidates: Pick<QueueItem, '_id'>[] = [];
  private candidatesReadAt = 0;
  private refilling: Promise<void> | undefined;

  constructor(
    private readonly collection: Collection<QueueItem>,
    private readonly clock: Clock,
    private readonly policy: QueuePolicy = DEFAULT_QUEUE_POLICY,
    private readonly onStatus: StatusListener = async () => undefined,
    private readonly random: () => number = Math.random,
    /** The space claims are handed back in when the disk is full (DiskReserve.roomFor). */
    private readonly reserve?: DiskReserve,
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
    const requeued = await this.collection.updateOne({ _id: id, status: { $in: ['completed', 'failed', 'review'] } }, { $set: pendingState(now), $inc: { round: 1 } });
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
  /**
   * Put these pending items at the head of the queue (due since 1970): the next claims of any
   * worker take them before everything else. Used to process the sample data at once.
   */
  async putFirst(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.collection.updateMany({ _id: { $in: [...ids] }, status: 'pending' }, { $set: { available_at: new Date(0) } });
    this.candidatesReadAt = 0;
  }

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
   * One `findOneAndUpdate` guarded by the item still being due does it: MongoDB applies it
   * atomically, and so does our FerretDB build (tools/ferretdb/atomic-updates.patch; upstream
   * FerretDB 1.24 does not, and 8 workers made 1,473 claims of 300 items). Candidates are read
   * in batches shared by this process's workers, oldest due first, so that each claim is a
   * look-up by `_id` rather than a scan of the queue.
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
      const item = await this.claimIfDue(candidate._id, workerId, leaseMs, now);
      if (item) {
        await this.onStatus(item._id, 'processing');
        return item;
      }
    }
    return null;
  }

  /** Take the item for `workerId` with a lease and the next generation, if it is due; else null. */
  private claimIfDue(id: string, workerId: string, leaseMs: number, now: Date): Promise<QueueItem | null> {
    return this.collection.findOneAndUpdate(
      { _id: id, ...dueFilter(now) },
      {
        $set: { status: 'processing', worker_id: workerId, lease_until: new Date(now.getTime() + leaseMs), updated_at: now },
        $inc: { attempts: 1, claim_seq: 1 },
      },
      { returnDocument: 'after' },
    );
  }

  /** Read the next due items; one read at a time, shared by every worker of this process. */
  private refillCandidates(now: Date): Promise<void> {
    this.refilling ??= (async () => {
      try {
        this.candidates = await this.collection
          .find(dueFilter(now), { projection: { _id: 1 } })
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

  /**
   * Extend the claim's lease by `leaseMs` from now; false when the claim no longer holds the
   * item (its lease lapsed and the item was claimed again, or it was settled). A worker calls it
   * during long work and, as a fence, right before a model call and before writing its results.
   */
  async renewLease(claim: QueueClaim, leaseMs: number): Promise<boolean> {
    const now = this.clock();
    const res = await this.collection.updateOne(heldBy(claim), { $set: { lease_until: new Date(now.getTime() + leaseMs), updated_at: now } });
    return res.matchedCount === 1;
  }

  /**
   * Mark done; an item re-enqueued while it was processed goes back to pending instead.
   * `settled` goes with the status to the property list's copy, in the same write; `fact` (the
   * day's fact of this processing, counted pending) becomes the item's `last_fact` in it too.
   */
  async complete(claim: QueueClaim, settled?: SettledState, fact?: string): Promise<'completed' | 'pending' | 'lost_lease'> {
    const id = claim._id;
    const now = this.clock();
    const done = await this.collection.updateOne(
      { ...heldBy(claim), rerun: false },
      { $set: { status: 'completed', lease_until: null, worker_id: null, last_error: null, updated_at: now, completed_at: now, ...(fact && { last_fact: fact }) } },
    );
    if (done.matchedCount === 1) {
      await this.onStatus(id, 'completed', settled);
      return 'completed';
    }
    const rerun = await this.collection.updateOne(
      { ...heldBy(claim), rerun: true },
      { $set: { status: 'pending', rerun: false, attempts: 0, available_at: now, lease_until: null, worker_id: null, updated_at: now, ...(fact && { last_fact: fact }) }, $inc: { round: 1 } },
    );
    if (rerun.matchedCount !== 1) return 'lost_lease';
    await this.onStatus(id, 'pending', settled);
    return 'pending';
  }

  /**
   * Record a failure: retried after an exponential, jittered delay until the attempts run out,
   * then `failed` with the error kept. `retryable: false` fails at once. `beforeFailing` runs
   * once the item is known to fail for good and before that is written (the day's count of it,
   * idempotent: a crash between the two leaves the item claimed, and its re-run counts the same fact);
   * `fact`, the key of that count, becomes the failed item's `last_fact` in the same write.
   */
  async fail(claim: QueueClaim, message: string, options: { retryable?: boolean; beforeFailing?: () => Promise<unknown>; fact?: string } = {}): Promise<FailOutcome> {
    const id = claim._id;
    const current = await this.collection.findOne(heldBy(claim));
    if (!current) return { status: 'lost_lease' };
    const now = this.clock();
    const errors = [...current.errors, { at: now, attempt: current.attempts, message }].slice(-this.policy.errorHistoryLimit);
    const exhausted = options.retryable === false || current.attempts >= this.policy.maxAttempts;
    const retryAt = new Date(now.getTime() + backoffDelayMs(current.attempts, this.policy.backoff, this.random));
    if (exhausted) await options.beforeFailing?.();
    const res = await this.collection.updateOne(
      heldBy(claim),
      {
        $set: {
          status: exhausted ? 'failed' : 'pending',
          available_at: exhausted ? current.available_at : retryAt,
          lease_until: null,
          worker_id: null,
          errors,
          last_error: message,
          updated_at: now,
          ...(exhausted && options.fact && { last_fact: options.fact }),
        },
      },
    );
    if (res.matchedCount !== 1) return { status: 'lost_lease' };
    await this.onStatus(id, exhausted ? 'failed' : 'pending');
    return exhausted ? { status: 'failed' } : { status: 'pending', retryAt };
  }

  /** Hold the item for the analyst, with the validator's reasons; `fact` as for `complete`. */
  async moveToReview(claim: QueueClaim, reasons: string[], settled?: SettledState, fact?: string): Promise<boolean> {
    const id = claim._id;
    const now = this.clock();
    const res = await this.collection.updateOne(
      heldBy(claim),
      { $set: { status: 'review', review_reasons: reasons, lease_until: null, worker_id: null, updated_at: now, completed_at: now, ...(fact && { last_fact: fact }) } },
    );
    if (res.matchedCount === 1) await this.onStatus(id, 'review', settled);
    return res.matchedCount === 1;
  }

  /**
   * Hand back everything `workerId` holds, as a graceful stop does: the items are pending again
   * and the interrupted attempt does not count.
   */
  async releaseAll(workerId: string): Promise<number> {
    const held = await this.collection.find({ status: 'processing', worker_id: workerId }, { projection: { _id: 1, worker_id: 1, claim_seq: 1 } }).toArray();
    let released = 0;
    for (const claim of held) if (await this.release(claim)) released += 1;
    return released;
  }

  /**
   * Hand back one item unprocessed (pending at once, or from `availableAt`: an item waiting in a
   * Batch API job; the attempt does not count).
   */
  async release(claim: QueueClaim, availableAt?: Date): Promise<boolean> {
    const id = claim._id;
    const now = this.clock();
    const write = async () => {
      const res = await this.collection.updateOne(
        heldBy(claim),
        { $set: { status: 'pending', lease_until: null, worker_id: null, available_at: availableAt ?? now, updated_at: now }, $inc: { attempts: -1 } },
      );
      if (res.matchedCount !== 1) return false;
      await this.onStatus(id, 'pending');
      return true;
    };
    // On a full disk the claim is still handed back, in the reserve's room: a held claim waits out its lease.
    return this.reserve ? this.reserve.roomFor(write) : write();
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
    const claimed = await this.claimIfDue(id, workerId, leaseMs, now);
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

  private statusManyListener: ((ids: string[], status: QueueStatus, summaryHasStatus: ReadonlySet<string>) => Promise<void>) | undefined;

  /**
   * Told once of many items that became pending together (enqueueMany), instead of once each;
   * `summaryHasStatus` names the records whose stored summary already says so (written with
   * that status when they were inserted), which need no second write.
   */
  onStatusMany(listener: (ids: string[], status: QueueStatus, summaryHasStatus: ReadonlySet<string>) => Promise<void>): void {
    this.statusManyListener = listener;
  }

  /**
   * `enqueue` for a batch (an import's rows): new items inserted in one bulk, finished ones put
   * back to pending, ones being processed flagged to run again. Returns the ids now pending
   * because of this call (inserted or requeued).
   */
  async enqueueMany(ids: readonly string[], options: { summaryHasPending?: ReadonlySet<string> } = {}): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const now = this.clock();
    const existing = await this.insertNew(unique, now);
    const taken = new Set(existing);
    let requeued: string[] = [];
    if (existing.length > 0) {
      const states = await findByIds(this.collection, existing, { status: 1 });
      requeued = states.filter((d) => ['completed', 'failed', 'review'].includes(d.status)).map((d) => d._id);
      const processing = states.filter((d) => d.status === 'processing').map((d) => d._id);
      await updateByIds(this.collection, requeued, { status: { $in: ['completed', 'failed', 'review'] } }, { $set: pendingState(now), $inc: { round: 1 } });
      await updateByIds(this.collection, processing, { status: 'processing' }, { $set: { rerun: true, updated_at: now } });
    }
    const pending = [...unique.filter((id) => !taken.has(id)), ...requeued];
    await this.notifyPending(pending, options.summaryHasPending);
    return pending;
  }

  /**
   * `ensureQueued` for a batch: only items never queued are inserted; returns those. The queued
   * ones are read first (one `_id: {$in}` read), so a re-import of known records sends no insert
   * to fail on a duplicate key (FerretDB retries a failed insert bulk one document at a time).
   */
  async ensureQueuedMany(ids: readonly string[]): Promise<string[]> {
    const all = [...new Set(ids)];
    const queued = new Set((await findByIds(this.collection, all, { _id: 1 })).map((d) => d._id));
    return this.insertMissing(all.filter((id) => !queued.has(id)));
  }

  /** Insert a pending item for each of `ids` read as never queued (one that was queued meanwhile is left); returns those inserted. */
  private async insertMissing(ids: readonly string[]): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const taken = new Set(await this.insertNew(unique, this.clock()));
    const inserted = unique.filter((id) => !taken.has(id));
    await this.notifyPending(inserted);
    return inserted;
  }

  /**
   * For records whose change was stored for the queue but may not have reached it
   * (UpsertResult.awaitsQueue: a crash or a full disk cut the import or sync off between the two
   * writes): an item never queued is inserted, a finished one (completed, failed, review) goes
   * back to pending; a pending or processing one is left alone. Returns how many were queued.
   */
  async requeueAwaiting(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    // One read of their states: an item pending now is processed with the stored change, so only
    // the others (finished, or processing and about to be) are sent the requeue, guarded by status.
    const states = await findByIds(this.collection, ids, { status: 1 });
    const queued = new Set(states.map((d) => d._id));
    const inserted = new Set(await this.insertMissing(ids.filter((id) => !queued.has(id))));
    const settling = states.filter((d) => d.status !== 'pending').map((d) => d._id);
    const requeued = await updateByIds(this.collection, settling, { status: { $in: ['completed', 'failed', 'review'] } }, { $set: pendingState(this.clock()), $inc: { round: 1 } });
    if (requeued > 0) this.candidatesReadAt = 0;
    return inserted.size + requeued;
  }

  /** Insert a pending item for each id in one unordered bulk; returns the ids already queued. */
  private async insertNew(ids: string[], now: Date): Promise<string[]> {
    try {
      await this.collection.insertMany(
        ids.map((id) => newQueueItem(id, now)),
        { ordered: false },
      );
      return [];
    } catch (error) {
      const duplicates = duplicateKeyIndexes(error);
      if (!duplicates) throw error;
      return duplicates.map((i) => ids[i]!);
    }
  }

  private async notifyPending(ids: string[], summaryHasPending: ReadonlySet<string> = new Set()): Promise<void> {
    if (ids.length === 0) return;
    if (this.statusManyListener) await this.statusManyListener(ids, 'pending', summaryHasPending);
    else for (const id of ids) await this.onStatus(id, 'pending');
  }
}
