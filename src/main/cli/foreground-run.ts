import { SingleBar, Presets } from 'cli-progress';
import type { Run } from '../../shared/schemas/run.js';
import type { Core } from '../core/create-core.js';
import type { CliOutput } from './output.js';
import { stopSignal } from './stop-signal.js';

export interface ForegroundRun {
  /** What the progress bar counts (`parcels`, `rows`). */
  unit: string;
  /** The bar's value and its stats line, from the run's counters. */
  read: (counters: Run['counters']) => { value: number; stats: string };
  /** Said on Ctrl-C. */
  cancelling: string;
  /** The run's pace for the bar (`1,000/2,350 parcels, 480 parcels a second, ~3 s left`), when the work has one to show. */
  pace?: (run: Run) => string;
  /** The bar's total when it is not the run's `total` (a file import counts bytes: its records are not known before it is read). */
  total?: (run: Run) => number | null;
}

/**
 * Run one piece of work in the foreground of the CLI: a progress bar on a terminal following its
 * `run.progress` events (nothing drawn without one; the run id said instead), Ctrl-C cancels
 * through the signal given to `start`; resolves with the finished run.
 */
export async function runInForeground(
  core: Core,
  output: CliOutput,
  interactive: boolean,
  spec: ForegroundRun,
  start: (signal: AbortSignal) => Promise<{ run: Run; done: Promise<Run> }>,
): Promise<Run> {
  const stop = stopSignal(output, spec.cancelling);
  const bar = interactive ? new SingleBar({ format: ` {bar} {value}/{total} ${spec.unit} | {stats}`, hideCursor: true }, Presets.shades_classic) : undefined;
  let started = false;
  let runId: string | undefined;
  const off = core.events.on('run.progress', (run) => {
    const total = spec.total ? spec.total(run) : run.total;
    if (run._id !== runId || !bar || total === null) return;
    const { value, stats: counted } = spec.read(run.counters);
    const stats = spec.pace ? `${counted} | ${spec.pace(run)}` : counted;
    if (!started) {
      bar.start(total, value, { stats });
      started = true;
    } else bar.update(value, { stats });
  });
  try {
    const { run, done } = await start(stop.signal);
    runId = run._id;
    if (!interactive) output.err(`Run ${run._id} started.`);
    return await done;
  } finally {
    off();
    bar?.stop();
    stop.dispose();
  }
}
