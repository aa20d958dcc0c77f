import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SettingsError } from '../config/settings-error.js';
import { loadSettings } from '../config/load-settings.js';
import { ensureDataFolder } from '../config/data-folder.js';
import { startCore } from '../core/start-core.js';
import { startLocalServer } from '../db/local-server.js';
import { DEFAULT_DATABASE_NAME } from '../db/connection.js';
import { configShow } from './commands/config-show.js';
import { backupCommand, restoreCommand } from './commands/backup.js';
import { accuracyCommand, accuracyOptionProblems, type AccuracyCliOptions } from './commands/accuracy.js';
import { processCommand, reprocessCommand, workerCommand } from './commands/process.js';
import type { Core } from '../core/create-core.js';
import { printHealth } from './commands/health.js';
import { daemon, scheduleList, scheduleRun, scheduleSwitch } from './commands/schedule.js';
import { rentsImport } from './commands/rents.js';
import { selectorsTest } from './commands/selectors.js';
import { sampleLoad, sampleRemove } from './commands/sample.js';
import { serve } from './commands/serve.js';
import { importCommand } from './commands/import.js';
import { parseBoundingBox, syncCommand, syncOptionProblems, type SyncCliOptions } from './commands/sync.js';
import type { BoundingBox } from '../collectors/county-layer/client.js';
import { processOutput, type CliOutput } from './output.js';
import { scrubbingOutput } from './scrubbing-output.js';
import { SecretScrubber } from '../observability/secret-scrubber.js';
import type { StartedCore } from '../core/start-core.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

function boundingBox(value: string): BoundingBox {
  try {
    return parseBoundingBox(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0-65535');
  return n;
}

/** A MongoDB database name: letters, digits, `_` and `-`, at most 63 characters. */
function databaseName(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(value)) throw new InvalidArgumentError('expected a database name: letters, digits, _ and - (at most 63)');
  return value;
}

/** Resolve when the process is asked to stop (Ctrl-C, SIGTERM). */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

/** Start the core with the CLI's output scrubber, so it learns every secret the core learns. */
async function startCliCore(scrubber: SecretScrubber): Promise<StartedCore> {
  return startCore({ terminalLevel: 'warn', scrubber });
}

/** Start the core, run `fn`, set the exit code from its result, always close. */
async function withStartedCore(scrubber: SecretScrubber, fn: (core: Core) => Promise<number>): Promise<void> {
  const started = await startCliCore(scrubber);
  try {
    process.exitCode = await fn(started.core);
  } finally {
    await started.close();
  }
}

export function buildProgram(rawOutput: CliOutput = processOutput, scrubber = new SecretScrubber()): Command {
  const output = scrubbingOutput(rawOutput, scrubber);
  const withCore = (fn: (core: Core) => Promise<number>) => withStartedCore(scrubber, fn);
  const program = new Command('phoenix-re')
    .description('Phoenix RE Console: collect, store, process and watch Phoenix property data.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });

  program
    .command('serve')
    .description('Run the console headless: the web console and API on 127.0.0.1, plus /metrics.')
    .option('-p, --port <n>', 'port (0 = any free port)', port, 5178)
    .option('--no-schedule', 'do not run the scheduled jobs from this process')
    .option('--new-token', 'replace the access token kept in the data folder (open tabs must use the new URL)')
    .action(async (opts: { port: number; schedule: boolean; newToken?: boolean }) => {
      const started = await startCliCore(scrubber);
      const shell = await serve(started, opts, output).catch(async (error: unknown) => {
        await started.close();
        throw error;
      });
      // The Properties page answers from memory once this read ends (in the background).
      void started.core.propertyIndex.warm();
      if (opts.schedule) {
        await started.core.scheduler.start();
        started.core.processing.batches.start();
      }
      await untilStopped();
      await shell.close();
      await started.close();
    });

  program
    .command('daemon')
    .description('Run the scheduled jobs headless until stopped (for a server, instead of crontab).')
    .action(async () => {
      await withCore((core) => daemon(core, output));
    });

  const schedule = program.command('schedule').description('Scheduled jobs (SCHEDULES), on America/Phoenix time.');
  schedule
    .command('list')
    .description('Each job with its switch, next due time and last run.')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withCore((core) => scheduleList(core, opts, output));
    });
  schedule
    .command('run <job>')
    .description("Run a job's work now, in the foreground (skipped while a run of it is going).")
    .action(async (job: string) => {
      await withCore((core) => scheduleRun(core, job, output));
    });
  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    schedule
      .command(`${name} <job>`)
      .description(`Switch a job ${enabled ? 'on' : 'off'} for every instance sharing the database.`)
      .action(async (job: string) => {
        await withCore((core) => scheduleSwitch(core, job, enabled, output));
      });
  }

  program
    .command('sync')
    .description('Collect properties into the database and queue new or changed ones for processing.')
    .option('-s, --source <name>', "maricopa (the assessor API), phoenix_mls (the MLS site, through a browser) or county (the county's public parcel layer)", 'maricopa')
    .option('-z, --zip <zip>', 'a ZIP code to sync (repeatable)', collect, [])
    .option('-c, --city <name>', 'a situs city of the county parcel layer, e.g. PHOENIX (repeatable; --source county)', collect, [])
    .option('--bbox <west,south,east,north>', 'every parcel in this box, WGS 84 degrees (--source county)', boundingBox)
    .option('-a, --apn <apn>', 'a parcel number (repeatable)', collect, [])
    .option('-q, --query <text>', 'a free search query (repeatable)', collect, [])
    .option('-l, --limit <n>', 'at most this many parcels', positiveInt)
    .option('--refresh', 'fetch again even what is cached')
    .option('--resume <run-id>', 'resume a cancelled, failed or interrupted run without refetching what it stored')
    .action(async (opts: SyncCliOptions) => {
      const problems = syncOptionProblems(opts);
      if (problems.length > 0) {
        for (const problem of problems) output.err(problem);
        process.exitCode = 1;
        return;
      }
      await withCore((core) => syncCommand(core, opts, output, Boolean(process.stderr.isTTY)));
    });

  program
    .command('import <kind> <path>')
    .description(
      'Import files: "armls <file.csv>" (an ARMLS CSV export), "assessor <file.json|folder>" (saved /parcel answers, APN from the file name) or "parcels <file.geojson|file.csv>" (the county\'s parcel file as downloaded, in WGS 84).',
    )
    .action(async (kind: string, target: string) => {
      await withCore((core) => importCommand(core, kind, target, output, Boolean(process.stderr.isTTY)));
    });

  program
    .command('process')
    .description('Process a batch of the queue: normalise, compute figures, enrich, validate, score.')
    .option('-b, --batch-size <n>', 'items to process (default PROCESSING_BATCH_SIZE)', positiveInt)
    .option('-c, --concurrency <n>', 'items at once (default PROCESSING_CONCURRENCY)', positiveInt)
    .action(async (opts: { batchSize?: number; concurrency?: number }) => {
      await withCore(async (core) => processCommand(core, opts, output));
    });

  program
    .command('reprocess')
    .description('Queue items for processing again (unchanged data reuses its cached enrichment).')
    .option('--status <status>', 'failed, review, completed or all')
    .option('--id <raw-id>', 'a raw property id, e.g. maricopa_api:509-11-455 (repeatable)', collect, [])
    .action(async (opts: { status?: string; id: string[] }) => {
      await withCore(async (core) => reprocessCommand(core, opts, output));
    });

  program
    .command('worker')
    .description('Process the queue until stopped (any number of workers, on any machines, can share one database).')
    .option('-c, --concurrency <n>', 'items at once (default PROCESSING_CONCURRENCY)', positiveInt)
    .action(async (opts: { concurrency?: number }) => {
      await withCore(async (core) => workerCommand(core, opts, output));
    });

  program
    .command('health')
    .description('Run the health checks (levels ok, warn, fail); exit code 0 with warnings, 1 when one fails.')
    .option('--json', 'print {"ok", "warnings", "checks": [{"name", "ok", "level", "detail"}]}')
    .action(async (opts: { json?: boolean }) => {
      await withCore(async (core) => printHealth(await core.health(), opts.json ?? false, output));
    });

  const sample = program.command('sample').description('Sample data: 12 real assessor parcels and 4 sample listings (assets/sample), marked as sample.');
  sample
    .command('load')
    .description('Store and process the sample data through the real pipeline (rules provider: no network, no cost).')
    .action(async () => {
      await withCore((core) => sampleLoad(core, output));
    });
  sample
    .command('remove')
    .description('Delete exactly what the sample data made (records, processed records, queue items, runs).')
    .action(async () => {
      await withCore((core) => sampleRemove(core, output));
    });

  program
    .command('accuracy')
    .description("The valuation's accuracy report: each market sale valued as of the day before it closed from the other sales (IAAO ratio study: median ratio, COD, PRD, PRB, within ±10/±20%, coverage, 80% range held; by ZIP, type, price quartile, basis).")
    .option('-z, --zip <zip>', 'only the sales of this ZIP code')
    .option('-t, --type <type>', 'only the sales of this property type (condo, single_family, townhouse, ...)')
    .option('--json', "print the report as the contract's JSON (accuracy.report)")
    .action(async (opts: AccuracyCliOptions) => {
      const problems = accuracyOptionProblems(opts);
      if (problems.length > 0) {
        for (const problem of problems) output.err(problem);
        process.exitCode = 1;
        return;
      }
      await withCore((core) => accuracyCommand(core, opts, output, Boolean(process.stderr.isTTY)));
    });

  program
    .command('backup')
    .description("Back up the whole database in mongodump's --gzip layout (mongorestore --gzip reads it); Ctrl-C cancels.")
    .option('-o, --out <dir>', 'the folder to write (it gets <database>/); default: a new dated folder in BACKUP_DIR, keeping the last BACKUP_KEEP')
    .action(async (opts: { out?: string }) => {
      await withCore((core) => backupCommand(core, opts, output, Boolean(process.stderr.isTTY)));
    });

  program
    .command('restore <dir>')
    .description('Restore a backup (or a mongodump --gzip folder) into the database; refuses collections that hold documents unless --drop.')
    .option('--db <name>', "the database to restore into (default: the console's own)", databaseName)
    .option('--drop', 'replace collections that already hold documents')
    .action(async (dir: string, opts: { db?: string; drop?: boolean }) => {
      await withCore((core) => restoreCommand(core, dir, opts, output, Boolean(process.stderr.isTTY)));
    });

  const config = program.command('config').description('Settings.');
  config
    .command('show')
    .description('Print the effective settings (what the next process or serve uses, edits saved in the console included), secrets masked, each with its source.')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      process.exitCode = await configShow(opts, output);
    });

  program
    .command('selectors')
    .description('The MLS selector set (assets/phoenix-mls-selectors.json, MLS_SELECTORS).')
    .command('test')
    .description('Run the selector set against the stored pages of recent MLS syncs, field by field.')
    .option('-l, --limit <n>', 'pages to test, newest first', positiveInt, 50)
    .option('--json', 'the report as JSON')
    .action((opts: { limit: number; json?: boolean }) => {
      process.exitCode = selectorsTest(opts, output);
    });

  program
    .command('rents')
    .description('Market rents by ZIP code and bedrooms (RENT_BY_ZIP_BEDROOMS).')
    .command('import <file>')
    .description("Import HUD's Small Area Fair Market Rents CSV (columns ZIP Code, SAFMR 0BR … SAFMR 4BR) into the settings.")
    .option('--zip-prefix <prefixes>', 'keep ZIP codes starting with these, comma-separated', '85,86')
    .option('--dry-run', 'read and count only, save nothing')
    .action(async (file: string, opts: { zipPrefix: string; dryRun?: boolean }) => {
      await withCore((core) => rentsImport(core, file, opts, output));
    });

  const db = program.command('db').description('The local database server.');
  db.command('start')
    .description('Run the local MongoDB-compatible server (mongod or FerretDB) in the foreground.')
    .option('-p, --port <n>', 'port', port, 27017)
    .action(async (opts: { port: number }) => {
      const { dataDir } = loadSettings();
      ensureDataFolder(dataDir);
      const server = await startLocalServer({ dataDir: path.join(dataDir, 'db'), dbName: DEFAULT_DATABASE_NAME, port: opts.port, onStatus: output.err });
      output.out(`${server.kind} listening: ${server.uri} (data in ${server.dataDir}); Ctrl-C stops it.`);
      await untilStopped();
      await server.stop();
    });

  return program;
}

/** Run the CLI; errors print their message (never a stack for expected ones) and exit 1. */
export async function runCli(argv: string[], rawOutput: CliOutput = processOutput): Promise<void> {
  const scrubber = new SecretScrubber();
  const output = scrubbingOutput(rawOutput, scrubber);
  try {
    await buildProgram(rawOutput, scrubber).parseAsync(argv);
  } catch (error) {
    if (error instanceof SettingsError) output.err(error.message);
    else output.err(`Error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
