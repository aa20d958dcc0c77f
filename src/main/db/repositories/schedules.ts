import type { Collection } from 'mongodb';
import type { Run } from '../../../shared/schemas/run.js';
import type { Clock } from '../../runtime/clock.js';
import type { ScheduleLease, ScheduleState } from '../collections.js';
import { isDuplicateKeyError } from '../duplicate-key.js';

export type LeaseResult = { held: true } | { held: false; holder: ScheduleLease | null };

/**
 * The scheduler's shared memory: each job's state (the analyst's switch, the newest due time
 * dealt with, the last run) and the lease that lets one instance at a time run a job.
 *
 * A lease is a document whose `_id` is the job's id, so inserting it succeeds for exactly one
 * instance on MongoDB and on FerretDB alike (whose updates are not isolated).
 */
export class ScheduleRepository {
  constructor(
    private readonly states: Collection<ScheduleState>,
    private readonly leases: Collection<ScheduleLease>,
    private readonly clock: Clock,
  ) {}

  /**
   * The job's state; created on first sight as owing nothing before the current minute (a job
   * due this very minute still runs).
   */
  async state(id: string): Promise<ScheduleState> {
    const found = await this.states.findOne({ _id: id });
    if (found) return found;
    const now = this.clock();
    const owedFrom = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 1);
    const fresh: ScheduleState = { _id: id, enabled: null, last_due_at: owedFrom, last_run: null, created_at: now, updated_at: now };
    try {
      await this.states.insertOne(fresh);
      return fresh;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return (await this.states.findOne({ _id: id }))!;
    }
  }

  async setEnabled(id: string, enabled: boolean | null): Promise<void> {
    await this.state(id);
    await this.states.updateOne({ _id: id }, { $set: { enabled, updated_at: this.clock() } });
  }

  /** Note `dueAt` as dealt with, unless a newer due time already is. */
  async markDue(id: string, dueAt: Date): Promise<void> {
    await this.state(id);
    await this.states.updateOne({ _id: id, last_due_at: { $lt: dueAt } }, { $set: { last_due_at: dueAt, updated_at: this.clock() } });
  }

  async recordRun(id: string, run: Run, dueAt: Date | null): Promise<void> {
    await this.state(id);
    const last_run = {
      run_id: run._id,
      status: run.status,
      trigger: run.trigger,
      due_at: dueAt,
      started_at: run.started_at,
      finished_at: run.finished_at,
      message: run.message,
    };
    await this.states.updateOne({ _id: id }, { $set: { last_run, updated_at: this.clock() } });
  }

  /** Take the job's lease, or say who holds it. A lease not renewed in time is taken over. */
  async acquire(id: string, owner: string, dueAt: Date | null, leaseMs: number): Promise<LeaseResult> {
    const now = this.clock();
    const lease: ScheduleLease = { _id: id, owner, due_at: dueAt, since: now, lease_until: new Date(now.getTime() + leaseMs) };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await this.leases.insertOne(lease);
        return { held: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const expired = await this.leases.deleteOne({ _id: id, lease_until: { $lt: now } });
      if (expired.deletedCount === 0) break;
    }
    return { held: false, holder: await this.leases.findOne({ _id: id }) };
  }

  /** Extend a held lease; false when it was lost (taken over after expiring). */
  async renew(id: string, owner: string, leaseMs: number): Promise<boolean> {
    const res = await this.leases.updateOne({ _id: id, owner }, { $set: { lease_until: new Date(this.clock().getTime() + leaseMs) } });
    return res.matchedCount === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.leases.deleteOne({ _id: id, owner });
  }

  async holder(id: string): Promise<ScheduleLease | null> {
    const lease = await this.leases.findOne({ _id: id });
    return lease && lease.lease_until.getTime() >= this.clock().getTime() ? lease : null;
  }
}
