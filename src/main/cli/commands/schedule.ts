import { setInterval as every } from 'node:timers/promises';
import type { ScheduleView } from '../../../shared/schemas/schedule.js';
import type { Core } from '../../core/create-core.js';
import { ScheduleError } from '../../scheduler/scheduler.js';
import type { CliOutput } from '../output.js';
import { stopSignal } from '../stop-signal.js';

function when(at: Date | null): string {
  return at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

function line(job: ScheduleView): string {
  const last = job.last_run ? `${job.last_run.status} (${job.last_run.trigger}, ${when(job.last_run.started_at)})` : 'never';
  const state = job.running ? `running since ${when(job.running.since)} on ${job.running.owner}` : job.enabled ? 'on' : 'off';
  return [job.id.padEnd(20), job.cron.padEnd(16), state.padEnd(10), `next ${when(job.next_run_at)}`.padEnd(27), `last ${last}`].join(' ');
}

/** `phoenix-re schedule list`: each job, its switch, next due time and last run. */
export async function scheduleList(core: Core, opts: { json?: boolean }, output: CliOutput): Promise<number> {
  const jobs = await core.scheduler.list();
  if (opts.json) output.out(JSON.stringify({ jobs }, null, 2));
  else {
    output.out(`Times in UTC; schedules run on America/Phoenix time.`);
    for (const job of jobs) output.out(line(job));
  }
  return 0;
}

/** `phoenix-re schedule enable|disable <job>`: the switch every instance reads. */
export async function scheduleSwitch(core: Core, id: string, enabled: boolean, output: CliOutput): Promise<number> {
  return handled(output, async () => {
    output.out(line(await core.scheduler.setEnabled(id, enabled)));
    return 0;
  });
}

/**
 * `phoenix-re schedule run <job>`: the job's work now, in the foreground (Ctrl-C cancels it),
 * leaving the same run record a scheduled run would, with trigger `cli`.
 */
export async function scheduleRun(core: Core, id: string, output: CliOutput): Promise<number> {
  return handled(output, async () => {
    const stop = stopSignal(output, 'Cancelling...');
    try {
      const result = await core.scheduler.runNow(id, 'cli');
      if (result.outcome === 'elsewhere') {
        output.err(`${id} is being run by another instance.`);
        return 1;
      }
      if (result.outcome === 'skipped') {
        output.err(result.run.message ?? `${id} did not run.`);
        return 1;
      }
      output.err(`Run ${result.run._id} started (${id}).`);
      stop.signal.addEventListener('abort', () => core.activeRuns.cancel(result.run._id), { once: true });
      const run = await result.done;
      output.out(`Run ${run._id} ${run.status}: ${run.message ?? ''}`);
      return run.status === 'succeeded' ? 0 : 1;
    } finally {
      stop.dispose();
    }
  });
}

/**
 * `phoenix-re daemon`: the scheduler headless, for a server (instead of crontab), until Ctrl-C or
 * SIGTERM; then running jobs are cancelled and their leases released.
 */
export async function daemon(core: Core, output: CliOutput): Promise<number> {
  const stop = stopSignal(output, 'Stopping the scheduler: cancelling running jobs...');
  try {
    await core.scheduler.start();
    core.processing.batches.start();
    const jobs = await core.scheduler.list();
    output.err(`Scheduler running (${jobs.filter((j) => j.enabled).length} of ${jobs.length} jobs on); Ctrl-C stops it.`);
    for (const job of jobs) output.err(`  ${line(job)}`);
    // The cron timers do not hold the process open; this does, until stopped.
    for await (const _ of every(60_000, undefined, { signal: stop.signal })) void _;
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  } finally {
    stop.dispose();
  }
  await core.scheduler.stop();
  output.err('Scheduler stopped.');
  return 0;
}

async function handled(output: CliOutput, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ScheduleError) {
      output.err(error.message);
      return 1;
    }
    throw error;
  }
}
