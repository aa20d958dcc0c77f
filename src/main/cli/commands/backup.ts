import { Presets, SingleBar } from 'cli-progress';
import type { Run } from '../../../shared/schemas/run.js';
import type { Core } from '../../core/create-core.js';
import type { DumpProgress } from '../../db/dump/dump-database.js';
import type { CliOutput } from '../output.js';
import { stopSignal } from '../stop-signal.js';

/** A progress bar over documents on a terminal (none otherwise), fed by a dump or restore. */
function documentsBar(interactive: boolean): { onProgress(p: DumpProgress): void; stop(): void } {
  if (!interactive) return { onProgress: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: ' {bar} {value}/{total} documents | {collection}', hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    onProgress(p) {
      if (!started) bar.start(p.total, p.documents, { collection: p.collection });
      else bar.update(p.documents, { collection: p.collection });
      bar.setTotal(p.total);
      started = true;
    },
    stop: () => bar.stop(),
  };
}

/** Wait for a backup or restore run with a bar and Ctrl-C; print its outcome; 0 when it succeeded. */
async function follow(start: (signal: AbortSignal, onProgress: (p: DumpProgress) => void) => Promise<{ run: Run; done: Promise<Run> }>, output: CliOutput, interactive: boolean, cancelling: string): Promise<number> {
  const stop = stopSignal(output, cancelling);
  const bar = documentsBar(interactive);
  let finished: Run;
  try {
    const { run, done } = await start(stop.signal, bar.onProgress);
    if (!interactive) output.err(`Run ${run._id} started.`);
    finished = await done;
  } finally {
    bar.stop();
    stop.dispose();
  }
  const line = `Run ${finished._id} ${finished.status}: ${finished.message ?? ''}`;
  if (finished.status === 'succeeded') output.out(line);
  else output.err(line);
  return finished.status === 'succeeded' ? 0 : 1;
}

/** `phoenix-re backup [--out DIR]`: a full backup in mongodump's `--gzip` layout; exit 1 unless it succeeded. */
export function backupCommand(core: Core, opts: { out?: string }, output: CliOutput, interactive: boolean): Promise<number> {
  return follow((signal, onProgress) => core.backup.backup({ trigger: 'cli', signal, onProgress, ...(opts.out && { out: opts.out }) }), output, interactive, 'Cancelling the backup (nothing of it is kept)...');
}

/** `phoenix-re restore DIR [--db NAME] [--drop]`; exit 1 unless it succeeded. */
export function restoreCommand(core: Core, dir: string, opts: { db?: string; drop?: boolean }, output: CliOutput, interactive: boolean): Promise<number> {
  return follow(
    (signal, onProgress) => core.backup.restore({ trigger: 'cli', dir, signal, onProgress, drop: opts.drop ?? false, ...(opts.db && { database: opts.db }) }),
    output,
    interactive,
    'Cancelling the restore...',
  );
}
