import type { Core } from '../../core/create-core.js';
import type { CliOutput } from '../output.js';
import { runInForeground } from '../foreground-run.js';

export type ImportKind = 'armls' | 'assessor';

/**
 * `phoenix-re import armls <file.csv>` / `import assessor <file|dir>`: one import run with a
 * progress bar on a terminal, Ctrl-C cancels (the rows read so far are kept), the bad rows
 * listed with their row number and reason; exit 0 when the run succeeded, else 1.
 */
export async function importCommand(core: Core, kind: string, target: string, output: CliOutput, interactive: boolean): Promise<number> {
  if (kind !== 'armls' && kind !== 'assessor') {
    output.err(`Unknown import "${kind}" (available: armls <file.csv>, assessor <file.json|folder>).`);
    return 1;
  }
  const finished = await runInForeground(
    core,
    output,
    interactive,
    {
      unit: kind === 'armls' ? 'rows' : 'files',
      cancelling: 'Cancelling (rows read so far are kept)...',
      read: (c) => ({
        value: (c.fetched ?? 0) + (c.failed ?? 0),
        stats: `${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged, ${c.failed ?? 0} bad`,
      }),
    },
    (signal) => (kind === 'armls' ? core.collection.startArmlsImport({ file: target }, { trigger: 'cli', signal }) : core.collection.startAssessorImport({ path: target }, { trigger: 'cli', signal })),
  );
  output.out(`Run ${finished._id} ${finished.status}: ${finished.message ?? ''}\n  queued ${finished.counters.enqueued ?? 0}`);
  for (const e of finished.errors.slice(0, 20)) output.err(`  ${e.message}`);
  if (finished.errors_count > 20) output.err(`  ... and ${finished.errors_count - 20} more (phoenix-re runs or the console).`);
  return finished.status === 'succeeded' ? 0 : 1;
}
