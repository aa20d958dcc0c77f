import { randomUUID } from 'node:crypto';
import type { Collection, Filter } from 'mongodb';
import type { Run, RunKind, RunStatus, RunTrigger } from '../../../shared/schemas/run.js';
import type { Clock } from '../../runtime/clock.js';
import type { DiskReserve } from '../disk-reserve.js';

/** Errors kept on one run record; the count goes on beyond it. */
export const RUN_ERROR_LIMIT = 100;

export interface StartRun {
  kind: RunKind;
  source?: string | null;
  trigger: RunTrigger;
  params?: Record<string, unknown>;
  total?: number | null;
  status?: Extract<RunStatus, 'running' | 'skipped' | 'missed'>;
  message?: string | null;
}

/** Run history: every sync or processing run, with its trigger, counters, status and errors. */
export class RunRepository {
  /**
   * `owner`: this process's instance id, kept on each run it starts; `reserve`: the space a run's
   * end is written in when the disk is full (DiskReserve.roomFor).
   */
  constructor(
    private readonly collection: Collection<Run>,
    private readonly clock: Clock,
    readonly owner: string | null = null,
    private readonly reserve?: DiskReserve,
  ) {}

  async start(spec: StartRun): Promise<Run> {
    const now = this.clock();
    const status = spec.status ?? 'running';
    const run: Run = {
      _id: randomUUID(),
      kind: spec.kind,
      source: spec.source ?? null,
      trigger: spec.trigger,
      params: spec.params ?? {},
      status,
      counters: {},
      total: spec.total ?? null,
      errors: [],
      errors_count: 0,
      message: spec.message ?? null,
      started_at: now,
      updated_at: now,
      finished_at: status === 'running' ? null : now,
      owner: this.owner,
      heartbeat_at: status === 'running' ? now : null,
    };
    await this.collection.insertOne(run);
    return run;
  }

  /** Set counters (whole values, not increments: the runner owns them) and optionally the total. */
  async progress(id: string, update: { counters: Record<string, number>; total?: number | null; message?: string | null }): Promise<Run | null> {
    const $set: Record<string, unknown> = { updated_at: this.clock() };
    for (const [k, v] of Object.entries(update.counters)) $set[`counters.${k}`] = v;
    if (update.total !== undefined) $set.total = update.total;
    if (update.message !== undefined) $set.message = update.message;
    return this.collection.findOneAndUpdate({ _id: id }, { $set }, { returnDocument: 'after' });
  }

  /** Keep an error on the run (the first RUN_ERROR_LIMIT of them; all are counted). */
  async addError(id: string, message: string): Promise<void> {
    const now = this.clock();
    const kept = await this.collection.updateOne(
      { _id: id, errors_count: { $lt: RUN_ERROR_LIMIT } },
      { $push: { errors: { at: now, message } }, $inc: { errors_count: 1 }, $set: { updated_at: now } },
    );
    if (kept.matchedCount === 0) await this.collection.updateOne({ _id: id }, { $inc: { errors_count: 1 }, $set: { updated_at: now } });
  }

  /**
   * End the run with `status` and `message`; `progress` (whole counters, the total) goes in the
   * same write. On a full disk the write is made in the reserve's room (DiskReserve.roomFor), so
   * a run never stays "running" for want of a page. `settingsAtFault`: the settings it failed
   * for (Run.settings_at_fault), when any.
   */
  async finish(
    id: string,
    status: Exclude<RunStatus, 'running'>,
    message?: string | null,
    progress?: { counters: Record<string, number>; total?: number | null },
    settingsAtFault?: string[],
  ): Promise<Run | null> {
    const now = this.clock();
    const $set: Record<string, unknown> = { status, finished_at: now, updated_at: now, ...(message !== undefined && { message }), ...(settingsAtFault && settingsAtFault.length > 0 && { settings_at_fault: settingsAtFault }) };
    for (const [k, v] of Object.entries(progress?.counters ?? {})) $set[`counters.${k}`] = v;
    if (progress?.total !== undefined) $set.total = progress.total;
    const write = () => this.collection.findOneAndUpdate({ _id: id }, { $set }, { returnDocument: 'after' });
    return this.reserve ? this.reserve.roomFor(write) : write();
  }

  /** The owner says it is still at work: renew the heartbeat of a run that is still running. */
  async heartbeat(id: string): Promise<void> {
    await this.collection.updateOne({ _id: id, status: 'running' }, { $set: { heartbeat_at: this.clock() } });
  }

  /** Runs still marked running, oldest first. */
  async running(): Promise<Run[]> {
    return this.collection.find({ status: 'running' }).sort({ started_at: 1, _id: 1 }).toArray();
  }

  /**
   * Mark a run `interrupted` if it is still running with the heartbeat it was seen with (so a
   * run whose owner renewed it meanwhile is left alone). Returns the record, or null if it moved.
   */
  async interrupt(run: Pick<Run, '_id' | 'heartbeat_at'>, message: string): Promise<Run | null> {
    const now = this.clock();
    return this.collection.findOneAndUpdate(
      { _id: run._id, status: 'running', heartbeat_at: run.heartbeat_at ?? null },
      { $set: { status: 'interrupted', finished_at: now, updated_at: now, message } },
      { returnDocument: 'after' },
    );
  }

  async get(id: string): Promise<Run | null> {
    return this.collection.findOne({ _id: id });
  }

  async list(query: { limit: number; kind?: RunKind; source?: string; status?: RunStatus }): Promise<Run[]> {
    const filter: Filter<Run> = {};
    if (query.kind) filter.kind = query.kind;
    if (query.source) filter.source = query.source;
    if (query.status) filter.status = query.status;
    return this.collection.find(filter).sort({ started_at: -1, _id: 1 }).limit(query.limit).toArray();
  }
}
