import type { Run, RunKind, RunTrigger } from '../../shared/schemas/run.js';
import type { ScheduleDef, ScheduleView } from '../../shared/schemas/schedule.js';
import type { Settings } from '../../shared/settings.js';
import type { Clock } from '../runtime/clock.js';
import type { EventBus } from '../runtime/event-bus.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Logger } from '../observability/logger.js';
import { dueTimesBetween, nextDue, previousDue } from './cron.js';
import { nodeCronTimers, type ScheduleTimers } from './timers.js';

/** Start a job's work as a run of the collection or processing service (the same call "Sync now" makes). */
export type WorkRunner = (def: ScheduleDef, options: { trigger: RunTrigger; signal: AbortSignal }) => Promise<{ run: Run; done: Promise<Run> }>;

export interface SchedulerDeps {
  repos: Repositories;
  settings: Settings;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  runWork: WorkRunner;
  /** Who this instance is, in leases: `host:pid:random`. */
  instanceId: string;
  /** The live timers; node-cron unless a test drives them by hand. */
  timers?: ScheduleTimers;
}

/** What came of asking for a job to run. */
export type FireResult =
  | { outcome: 'started'; run: Run; done: Promise<Run> }
  | { outcome: 'skipped'; run: Run }
  /** Another instance has it, or it was dealt with already: nothing to record here. */
  | { outcome: 'elsewhere' };

interface Running {
  controller: AbortController;
  done: Promise<unknown>;
}

export class ScheduleError extends Error {}

/**
 * The daily workflow in the main process: node-cron timers in America/Phoenix fire jobs; a
 * scheduled run, a "Run now" and a catch-up all go through `fire`, which takes the job's lease in
 * the database (one instance runs a job at a time, however many share the database), skips and
 * records a due time that finds the job still running, and starts the same service call a manual
 * sync or processing run makes, recorded with its trigger.
 *
 * On start, a job whose last due time passed while no instance was running it is run once as
 * `catch-up` if that was within `SCHEDULE_CATCH_UP_HOURS`; older misses are recorded as missed.
 */
export class Scheduler {
  private readonly defs: Map<string, ScheduleDef>;
  private readonly timers = new Map<string, { stop(): void }>();
  private readonly running = new Map<string, Running>();
  private started = false;
  private stopping = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.defs = new Map(deps.settings.schedules.map((d) => [d.id, d]));
  }

  /** Arm the timers of enabled jobs, then catch up on what was missed while no one ran them. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const def of this.defs.values()) if (await this.isEnabled(def)) this.arm(def);
    await Promise.all([...this.defs.values()].map((def) => this.catchUp(def)));
  }

  /**
   * Stop the timers, cancel running jobs and give them `SCHEDULE_SHUTDOWN_MS` to finish their
   * records; leases are released either way.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers.values()) t.stop();
    this.timers.clear();
    for (const r of this.running.values()) r.controller.abort(new Error('shutting down'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running.values()].map((r) => r.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, this.deps.settings.scheduleShutdownMs))),
    ]);
    clearTimeout(timer);
    await Promise.all([...this.running.keys()].map((id) => this.deps.repos.schedules.release(id, this.deps.instanceId).catch(() => undefined)));
    this.running.clear();
  }

  /**
   * Take in the schedules of the settings in force (after a Save): jobs removed lose their timer,
   * new or changed ones are armed as from now (due times before the change are not owed). A run
   * going on is left to finish.
   */
  async applySchedules(): Promise<void> {
    const next = new Map(this.deps.settings.schedules.map((d) => [d.id, d]));
    for (const [id, def] of this.defs) {
      const same = next.get(id);
      if (same && JSON.stringify(same) === JSON.stringify(def)) next.delete(id);
      else {
        this.timers.get(id)?.stop();
        this.timers.delete(id);
        this.defs.delete(id);
      }
    }
    for (const [id, def] of next) {
      this.defs.set(id, def);
      if (this.started && !this.stopping && (await this.isEnabled(def))) {
        await this.deps.repos.schedules.markDue(id, this.deps.clock());
        this.arm(def);
      }
    }
  }

  /** Every job with its switch, next due time, last run and whether a run holds it now. */
  async list(): Promise<ScheduleView[]> {
    const now = this.deps.clock();
    const views: ScheduleView[] = [];
    for (const def of this.defs.values()) {
      const state = await this.deps.repos.schedules.state(def.id);
      const enabled = state.enabled ?? def.enabled;
      const holder = await this.deps.repos.schedules.holder(def.id);
      views.push({
        id: def.id,
        cron: def.cron,
        description: def.description ?? null,
        work: def.work,
        enabled,
        enabled_by: state.enabled === null ? 'settings' : 'switch',
        next_run_at: enabled ? nextDue(def.cron, now) : null,
        last_run: state.last_run,
        running: holder ? { owner: holder.owner, since: holder.since } : null,
      });
    }
    return views;
  }

  /** The analyst's switch, kept in the database for every instance; arms or stops this one's timer. */
  async setEnabled(id: string, enabled: boolean): Promise<ScheduleView> {
    const def = this.def(id);
    await this.deps.repos.schedules.setEnabled(id, enabled);
    if (this.started && !this.stopping) {
      if (enabled && !this.timers.has(id)) {
        // Due times that passed while it was off are not owed.
        await this.deps.repos.schedules.markDue(id, this.deps.clock());
        this.arm(def);
      }
      if (!enabled) {
        this.timers.get(id)?.stop();
        this.timers.delete(id);
      }
    }
    return (await this.list()).find((v) => v.id === id)!;
  }

  /** "Run now": the job's work at once, unless a run of it is still going (then the skip is recorded). */
  async runNow(id: string, trigger: Extract<RunTrigger, 'manual' | 'cli'> = 'manual'): Promise<FireResult> {
    return this.fire(this.def(id), null, trigger);
  }

  /**
   * Run `def` for the due time `dueAt` (null: on demand). Scheduled and catch-up runs are
   * deduplicated by due time across instances; every outcome but `elsewhere` leaves a run record.
   */
  async fire(def: ScheduleDef, dueAt: Date | null, trigger: RunTrigger): Promise<FireResult> {
    const { repos, settings, instanceId } = this.deps;
    const lease = await repos.schedules.acquire(def.id, instanceId, dueAt, settings.scheduleLeaseMs);
    if (!lease.held) {
      const holder = lease.holder;
      // Another instance is running this very due time.
      if (dueAt && holder?.due_at?.getTime() === dueAt.getTime()) return { outcome: 'elsewhere' };
      if (dueAt && (await repos.schedules.state(def.id)).last_due_at.getTime() >= dueAt.getTime()) return { outcome: 'elsewhere' };
      const since = holder ? ` (started ${holder.since.toISOString()} by ${holder.owner})` : '';
      const run = await this.record(def, trigger, dueAt, 'skipped', `skipped: the previous run of ${def.id} is still going${since}`);
      if (dueAt) await repos.schedules.markDue(def.id, dueAt);
      return { outcome: 'skipped', run };
    }
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      this.running.delete(def.id);
      await repos.schedules.release(def.id, instanceId).catch((err: unknown) => this.deps.logger.warn({ err, job: def.id }, 'could not release a schedule lease'));
    };
    const renew = setInterval(() => {
      repos.schedules.renew(def.id, instanceId, settings.scheduleLeaseMs).catch((err: unknown) => this.deps.logger.warn({ err, job: def.id }, 'could not renew a schedule lease'));
    }, Math.max(1000, settings.scheduleLeaseMs / 3));
    renew.unref();
    try {
      if (dueAt) {
        if ((await repos.schedules.state(def.id)).last_due_at.getTime() >= dueAt.getTime()) {
          await release();
          return { outcome: 'elsewhere' };
        }
        await repos.schedules.markDue(def.id, dueAt);
      }
      const controller = new AbortController();
      const started = await this.deps.runWork(def, { trigger, signal: controller.signal });
      const done = started.done
        .then(async (run) => {
          await repos.schedules.recordRun(def.id, run, dueAt);
          return run;
        })
        .finally(release);
      this.running.set(def.id, { controller, done: done.catch(() => undefined) });
      await repos.schedules.recordRun(def.id, started.run, dueAt);
      this.deps.logger.info({ job: def.id, trigger, runId: started.run._id, dueAt }, 'scheduled job started');
      return { outcome: 'started', run: started.run, done };
    } catch (error) {
      await release();
      const run = await this.record(def, trigger, dueAt, 'failed', `${def.id} could not start: ${(error as Error).message}`);
      return { outcome: 'skipped', run };
    }
  }

  /**
   * Judge the due times this job had since the newest one dealt with: the latest is run once as
   * `catch-up` if it is within the window, everything else is recorded as missed.
   */
  async catchUp(def: ScheduleDef): Promise<void> {
    if (!(await this.isEnabled(def))) return;
    const { repos, settings, clock } = this.deps;
    const now = clock();
    const state = await repos.schedules.state(def.id);
    const due = dueTimesBetween(def.cron, state.last_due_at, now);
    if (!due.last || !due.first) return;
    const windowMs = settings.scheduleCatchUpHours * 3_600_000;
    const runLatest = now.getTime() - due.last.getTime() <= windowMs;
    const missedCount = runLatest ? due.count - 1 : due.count;
    if (missedCount > 0) {
      const lastMissed = runLatest ? previousDue(def.cron, due.last) : due.last;
      const count = `${due.capped ? 'more than ' : ''}${missedCount} run${missedCount === 1 ? '' : 's'}`;
      const span = missedCount > 1 ? `from ${due.first.toISOString()} to ${lastMissed.toISOString()}` : `due ${due.first.toISOString()}`;
      const why = runLatest ? '' : `; the latest was more than ${settings.scheduleCatchUpHours} h ago`;
      await this.record(def, 'catch-up', lastMissed, 'missed', `missed ${count} ${span} while no instance was running${why}`);
      if (!runLatest) await repos.schedules.markDue(def.id, due.last);
    }
    if (runLatest) {
      const result = await this.fire(def, due.last, 'catch-up');
      if (result.outcome === 'started') result.done.catch(() => undefined);
    }
  }

  private arm(def: ScheduleDef): void {
    const timer = (this.deps.timers ?? nodeCronTimers)(
      def,
      (dueAt) => {
        this.fire(def, floorToMinute(dueAt), 'schedule')
          .then((r) => (r.outcome === 'started' ? r.done : undefined))
          .catch((err: unknown) => this.deps.logger.error({ err, job: def.id }, 'scheduled job failed'));
      },
      () => {
        this.catchUp(def).catch((err: unknown) => this.deps.logger.error({ err, job: def.id }, 'catch-up failed'));
      },
    );
    this.timers.set(def.id, timer);
  }

  private async isEnabled(def: ScheduleDef): Promise<boolean> {
    return (await this.deps.repos.schedules.state(def.id)).enabled ?? def.enabled;
  }

  private def(id: string): ScheduleDef {
    const def = this.defs.get(id);
    if (!def) throw new ScheduleError(`No schedule "${id}". Schedules: ${[...this.defs.keys()].join(', ') || '(none)'}.`);
    return def;
  }

  /** A run record for a job that did not run (skipped, missed, or failed to start). */
  private async record(def: ScheduleDef, trigger: RunTrigger, dueAt: Date | null, status: 'skipped' | 'missed' | 'failed', message: string): Promise<Run> {
    const { repos, events } = this.deps;
    const kind: RunKind = def.work.kind === 'sync' ? 'sync' : def.work.kind === 'backup' ? 'maintenance' : 'process';
    const source = def.work.kind === 'sync' ? def.work.source : null;
    const params = { schedule: def.id, due_at: dueAt };
    let run: Run;
    if (status === 'failed') {
      const started = await repos.runs.start({ kind, source, trigger, params, message });
      run = (await repos.runs.finish(started._id, 'failed', message)) ?? started;
    } else run = await repos.runs.start({ kind, source, trigger, params, status, message });
    await repos.schedules.recordRun(def.id, run, dueAt);
    events.emit('run.progress', run);
    this.deps.logger.warn({ job: def.id, status, message }, 'scheduled job did not run');
    return run;
  }
}

function floorToMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}
