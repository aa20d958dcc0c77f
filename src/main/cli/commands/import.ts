import { fileImportPace, fileImportText } from '../../../shared/file-import-progress.js';
import type { Core } from '../../core/create-core.js';
import type { CliOutput } from '../output.js';
import { runInForeground, type ForegroundRun } from '../foreground-run.js';

export type ImportKind = 'armls' | 'assessor' | 'parcels';

/** What the bar counts for each kind: rows, files, or the parcel file's megabytes (its features are not known before it is read). */
function progressOf(kind: ImportKind): ForegroundRun {
  const stats = (c: Record<string, number>) => `${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged, ${c.failed ?? 0} bad`;
  if (kind === 'parcels') {
    return {
      unit: 'MB',
      cancelling: 'Cancelling (parcels read so far are kept)...',
      total: (run) => (run.counters.bytes_total === undefined ? null : Math.max(1, Math.ceil(run.counters.bytes_total / 1e6))),
      read: (c) => ({ value: Math.round((c.bytes_read ?? 0) / 1e6), stats: stats(c) }),
      pace: (run) => fileImportText(fileImportPace(run), 'parcels'),
    };
  }
  return {
    unit: kind === 'armls' ? 'rows' : 'files',
    cancelling: 'Cancelling (rows read so far are kept)...',
    read: (c) => ({ value: (c.fetched ?? 0) + (c.failed ?? 0), stats: stats(c) }),
  };
}

/**
 * `phoenix-re import armls <file.csv>` / `import assessor <file|dir>` / `import parcels
 * <file.geojson|file.csv>`: one import run with a progress bar on a terminal (for the parcel
 * file: megabytes read, parcels a second and time left), Ctrl-C cancels (what was read so far is
 * kept), the bad rows or features listed with their place and reason; exit 0 when the run
 * succeeded, else 1.
 */
export async function importCommand(core: Core, kind: string, target: string, output: CliOutput, interactive: boolean): Promise<number> {
  if (kind !== 'armls' && kind !== 'assessor' && kind !== 'parcels') {
    output.err(`Unknown import "${kind}" (available: armls <file.csv>, assessor <file.json|folder>, parcels <file.geojson|file.csv>).`);
    return 1;
  }
  const finished = await runInForeground(core, output, interactive, progressOf(kind), (signal) =>
    kind === 'armls'
      ? core.collection.startArmlsImport({ file: target }, { trigger: 'cli', signal })
      : kind === 'parcels'
        ? core.collection.startCountyFileImport({ file: target }, { trigger: 'cli', signal })
        : core.collection.startAssessorImport({ path: target }, { trigger: 'cli', signal }),
  );
  output.out(`Run ${finished._id} ${finished.status}: ${finished.message ?? ''}\n  queued ${finished.counters.enqueued ?? 0}`);
  if (kind === 'parcels') output.out(`  ${fileImportText(fileImportPace(finished), 'parcels')}`);
  for (const e of finished.errors.slice(0, 20)) output.err(`  ${e.message}`);
  if (finished.errors_count > 20) output.err(`  ... and ${finished.errors_count - 20} more (phoenix-re runs or the console).`);
  return finished.status === 'succeeded' ? 0 : 1;
}
