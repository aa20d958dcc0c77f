import { contract } from '../../../shared/contract.js';
import type { Core } from '../../core/create-core.js';
import type { CliOutput } from '../output.js';
import { runInForeground } from '../foreground-run.js';
import { paceText, recordsDone, runPace } from '../../../shared/sync-progress.js';
import type { Run } from '../../../shared/schemas/run.js';
import type { BoundingBox } from '../../collectors/county-layer/client.js';

export interface SyncCliOptions {
  source: string;
  zip: string[];
  apn: string[];
  query: string[];
  city?: string[];
  bbox?: BoundingBox;
  limit?: number;
  refresh?: boolean;
  resume?: string;
}

const SOURCES: Record<string, 'maricopa_api' | 'phoenix_mls' | 'county_layer'> = {
  maricopa: 'maricopa_api',
  maricopa_api: 'maricopa_api',
  mls: 'phoenix_mls',
  phoenix_mls: 'phoenix_mls',
  county: 'county_layer',
  county_layer: 'county_layer',
};

const unknownSource = (name: string) => `Unknown source "${name}" (available: maricopa, phoenix_mls, county).`;

/** The options as they are called on the command line, by the contract's field names. */
const OPTION_NAMES: Record<string, string> = { zips: '--zip', cities: '--city', apns: '--apn', queries: '--query', limit: '--limit' };

/**
 * `--bbox west,south,east,north` in WGS 84 degrees (`-112.2,33.45,-112.1,33.52`): throws a
 * message naming what is wrong (commander shows it with the option).
 */
export function parseBoundingBox(value: string): BoundingBox {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw new Error('expected four numbers: west,south,east,north (degrees)');
  const [west, south, east, north] = parts as [number, number, number, number];
  if (west >= east || south >= north) throw new Error('expected west < east and south < north (degrees, west,south,east,north)');
  if (Math.abs(west) > 180 || Math.abs(east) > 180 || Math.abs(south) > 90 || Math.abs(north) > 90) throw new Error('expected longitudes within ±180 and latitudes within ±90');
  return { west, south, east, north };
}

/**
 * The sync's options checked by the rules the console's Sync now obeys (the contract's
 * `collect.sync` input): one line per refused value, naming the option (empty: all valid).
 */
export function syncOptionProblems(opts: SyncCliOptions): string[] {
  const source = SOURCES[opts.source];
  if (!source) return [unknownSource(opts.source)];
  const parsed = contract['collect.sync'].input.safeParse({
    source,
    zips: opts.zip,
    ...(opts.city?.length && { cities: opts.city }),
    apns: opts.apn,
    queries: opts.query,
    ...(opts.limit !== undefined && { limit: opts.limit }),
  });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${OPTION_NAMES[String(issue.path[0])] ?? String(issue.path[0])}: ${issue.message}`);
}

/**
 * `phoenix-re sync`: one run with a progress bar on a terminal, Ctrl-C cancels (resumable), a
 * summary at the end; exit code 0 when the run succeeded, else 1.
 */
export async function syncCommand(core: Core, opts: SyncCliOptions, output: CliOutput, interactive: boolean): Promise<number> {
  const source = opts.resume && (await core.repos.runs.get(opts.resume))?.source === 'county_layer' ? 'county_layer' : SOURCES[opts.source];
  if (!source) {
    output.err(unknownSource(opts.source));
    return 1;
  }
  if (source === 'county_layer') return countySyncCommand(core, opts, output, interactive);
  if ((opts.city?.length ?? 0) > 0 || opts.bbox) {
    output.err('--city and --bbox are for the county parcel layer sync (--source county).');
    return 1;
  }
  if (source === 'phoenix_mls' && (opts.apn.length > 0 || opts.query.length > 0 || opts.resume || opts.refresh)) {
    output.err('The MLS sync takes --zip and --limit only.');
    return 1;
  }
  if (!opts.resume && opts.zip.length + opts.apn.length + opts.query.length === 0) {
    output.err('Nothing to sync: give --zip, --apn or --query (or --resume <run id>).');
    return 1;
  }
  const finished = await runInForeground(
    core,
    output,
    interactive,
    {
      unit: source === 'phoenix_mls' ? 'listings' : 'parcels',
      cancelling: 'Cancelling (the run can be resumed)...',
      read: (c) => ({
        value: (c.inserted ?? 0) + (c.updated ?? 0) + (c.unchanged ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0),
        stats: `${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged, ${c.failed ?? 0} failed`,
      }),
    },
    (signal) =>
      source === 'phoenix_mls'
        ? core.collection.startMls({ zips: opts.zip, limit: opts.limit }, { trigger: 'cli', signal })
        : core.collection.startMaricopa(
            { zips: opts.zip, apns: opts.apn, queries: opts.query, limit: opts.limit, refresh: opts.refresh ?? false },
            { trigger: 'cli', signal, onPlan: (plan) => output.out(`Plan: ${plan}`), ...(opts.resume && { resumeRunId: opts.resume }) },
          ),
  );
  const c = finished.counters;
  output.out(
    `Run ${finished._id} ${finished.status}: ${finished.message ?? ''}\n` +
      `  pages ${c.pages ?? 0}, fetched ${c.fetched ?? 0}, from cache ${c.cached ?? 0}, queued ${c.enqueued ?? 0}`,
  );
  for (const e of finished.errors.slice(0, 10)) output.err(`  ${e.message}`);
  if (finished.errors_count > 10) output.err(`  ... and ${finished.errors_count - 10} more errors (phoenix-re runs or the console).`);
  return finished.status === 'succeeded' ? 0 : 1;
}

/**
 * `phoenix-re sync --source county`: the county parcel layer's parcels of the ZIP codes, cities
 * or box. Its plan (`~N parcels from the layer in ~T`) is printed before the first page, and its
 * progress (parcels done of the total, the rate and the time left at that rate) on the progress
 * bar, or as a line a page without a terminal.
 */
async function countySyncCommand(core: Core, opts: SyncCliOptions, output: CliOutput, interactive: boolean): Promise<number> {
  if (opts.apn.length > 0 || opts.query.length > 0 || opts.refresh) {
    output.err('The county parcel layer sync takes --zip, --city, --bbox and --limit only (it reads every parcel each time; nothing is cached).');
    return 1;
  }
  if (!opts.resume && opts.zip.length + (opts.city?.length ?? 0) === 0 && !opts.bbox) {
    output.err('Nothing to sync: give --zip, --city or --bbox (or --resume <run id>).');
    return 1;
  }
  let runId: string | undefined;
  let pages = 0;
  const off = interactive
    ? () => undefined
    : core.events.on('run.progress', (run: Run) => {
        if (run._id !== runId || run.status !== 'running' || (run.counters.pages ?? 0) === pages) return;
        pages = run.counters.pages ?? 0;
        output.err(`  ${paceText(runPace(run), 'parcels')}`);
      });
  try {
    const finished = await runInForeground(
      core,
      output,
      interactive,
      {
        unit: 'parcels',
        cancelling: 'Cancelling (the run can be resumed)...',
        read: (c) => ({ value: recordsDone(c), stats: `${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged, ${c.failed ?? 0} failed` }),
        pace: (run) => paceText(runPace(run), 'parcels'),
      },
      async (signal) => {
        const started = await core.collection.startCounty(
          { zips: opts.zip, cities: opts.city ?? [], bbox: opts.bbox, limit: opts.limit },
          { trigger: 'cli', signal, onPlan: (plan) => output.out(`Plan: ${plan.text}`), ...(opts.resume && { resumeRunId: opts.resume }) },
        );
        runId = started.run._id;
        return started;
      },
    );
    const c = finished.counters;
    output.out(`Run ${finished._id} ${finished.status}: ${finished.message ?? ''}\n  pages ${c.pages ?? 0}, ${paceText(runPace(finished), 'parcels')}, queued ${c.enqueued ?? 0}`);
    for (const e of finished.errors.slice(0, 10)) output.err(`  ${e.message}`);
    if (finished.errors_count > 10) output.err(`  ... and ${finished.errors_count - 10} more errors (phoenix-re runs or the console).`);
    return finished.status === 'succeeded' ? 0 : 1;
  } finally {
    off();
  }
}
