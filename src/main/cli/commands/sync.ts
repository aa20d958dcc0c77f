import { contract } from '../../../shared/contract.js';
import type { Core } from '../../core/create-core.js';
import type { CliOutput } from '../output.js';
import { runInForeground } from '../foreground-run.js';

export interface SyncCliOptions {
  source: string;
  zip: string[];
  apn: string[];
  query: string[];
  limit?: number;
  refresh?: boolean;
  resume?: string;
}

const SOURCES: Record<string, 'maricopa_api' | 'phoenix_mls'> = { maricopa: 'maricopa_api', maricopa_api: 'maricopa_api', mls: 'phoenix_mls', phoenix_mls: 'phoenix_mls' };

const unknownSource = (name: string) => `Unknown source "${name}" (available: maricopa, phoenix_mls).`;

/** The options as they are called on the command line, by the contract's field names. */
const OPTION_NAMES: Record<string, string> = { zips: '--zip', apns: '--apn', queries: '--query', limit: '--limit' };

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
  const source = SOURCES[opts.source];
  if (!source) {
    output.err(unknownSource(opts.source));
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
            { trigger: 'cli', signal, ...(opts.resume && { resumeRunId: opts.resume }) },
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
