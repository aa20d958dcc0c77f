import type { Run, RunStatus } from '../../shared/schemas/run.js';
import type { RunRepository, StartRun } from '../db/repositories/runs.js';
import type { EventBus } from '../runtime/event-bus.js';
import { DiskFullError } from '../db/disk-full.js';
import type { Logger } from '../observability/logger.js';
import { RUN_HEARTBEAT_MS } from './orphaned-runs.js';

/**
 * One run's record as work goes on: counters saved and pushed as `run.progress` events, at
 * most every `intervalMs` (and always at the end), errors kept, a heartbeat renewed every
 * `RUN_HEARTBEAT_MS` while it runs (so other instances can tell it from an orphan), a final status.
 */
export class RunRecorder {
  private counters: Record<string, number> = {};
  private total: number | null | undefined;
  private lastFlush = 0;
  private flushing: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    readonly run: Run,
    private readonly runs: RunRepository,
    private readonly events: EventBus,
    private readonly intervalMs: number,
  ) {}

  static async start(runs: RunRepository, events: EventBus, spec: StartRun, intervalMs = 250): Promise<RunRecorder> {
    const run = await runs.start(spec);
    events.emit('run.progress', run);
    const recorder = new RunRecorder(run, runs, events, intervalMs);
    if (run.status === 'running') {
      recorder.heartbeat = setInterval(() => void runs.heartbeat(run._id).catch(() => undefined), RUN_HEARTBEAT_MS);
      recorder.heartbeat.unref();
    }
    return recorder;
  }

  get id(): string {
    return this.run._id;
  }

  /** Add to counters; saved and pushed when the interval has passed. */
  async count(increments: Record<string, number>, total?: number | null): Promise<void> {
    for (const [k, v] of Object.entries(increments)) {
      // A NaN would poison the record (and FerretDB drops the connection on one): a bug to say, not store.
      if (!Number.isFinite(v)) throw new Error(`run counter ${k} given ${v}`);
      this.counters[k] = (this.counters[k] ?? 0) + v;
    }
    if (total !== undefined) this.total = total;
    if (Date.now() - this.lastFlush >= this.intervalMs) await this.flush();
  }

  snapshot(): Readonly<Record<string, number>> {
    return { ...this.counters };
  }

  /** Keep an error on the run; writes go through one chain so none is lost on any server. */
  async error(message: string): Promise<void> {
    this.flushing = this.flushing.catch(() => undefined).then(() => this.runs.addError(this.run._id, message));
    await this.flushing;
  }

  async flush(message?: string | null): Promise<void> {
    this.lastFlush = Date.now();
    // A failed write must not poison the chain: the next one still runs.
    this.flushing = this.flushing.catch(() => undefined).then(async () => {
      const run = await this.runs.progress(this.run._id, { counters: this.counters, total: this.total, message });
      if (run) this.events.emit('run.progress', run);
    });
    await this.flushing;
  }

  /**
   * End the run. The counters go with the final status in one write, which on a full disk is
   * made in the reserve's room (RunRepository.finish): progress writes waiting before it are
   * let go when the disk is full, the end is not. `settingsAtFault`: the settings (environment
   * names) a failed run failed for, which makes it not resumable (Run.settings_at_fault).
   */
  async finish(status: Exclude<RunStatus, 'running'>, message?: string | null, settingsAtFault?: string[]): Promise<Run | null> {
    clearInterval(this.heartbeat);
    await this.flushing.catch(() => undefined);
    const run = await this.runs.finish(this.run._id, status, message, { counters: this.counters, total: this.total }, settingsAtFault);
    if (run) this.events.emit('run.progress', run);
    return run;
  }

  /**
   * End the run `failed` (or `status`) because of `error`, its message kept as the run's message
   * and among its errors; a full disk (DiskFullError) ends it with the message alone, in the
   * one write the reserve has room for. The error as thrown, its cause included, goes to the log.
   */
  async failWith(error: unknown, logger: Pick<Logger, 'error'>, what: string, status: Exclude<RunStatus, 'running' | 'succeeded'> = 'failed'): Promise<Run> {
    const message = (error as Error).message;
    logger.error({ err: error, runId: this.id }, what);
    if (!(error instanceof DiskFullError)) await this.error(message);
    return (await this.finish(status, message))!;
  }
}
