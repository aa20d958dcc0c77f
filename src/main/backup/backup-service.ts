import fs from 'node:fs';
import path from 'node:path';
import type { Db, Document } from 'mongodb';
import type { Run, RunTrigger } from '../../shared/schemas/run.js';
import type { Settings } from '../../shared/settings.js';
import type { RunRepository } from '../db/repositories/runs.js';
import { dumpDatabase, type DumpProgress } from '../db/dump/dump-database.js';
import { MANIFEST_FILE } from '../db/dump/dump-files.js';
import { locateDump } from '../db/dump/check-dump.js';
import { restoreDatabase } from '../db/dump/restore-database.js';
import { FREE_TEXT_COLLECTIONS } from '../db/collections.js';
import type { Logger } from '../observability/logger.js';
import { startTracked, type ActiveRuns } from '../runs/active-runs.js';
import { RunRecorder } from '../runs/run-recorder.js';
import type { Clock } from '../runtime/clock.js';
import type { EventBus } from '../runtime/event-bus.js';

export interface BackupDeps {
  db: Db;
  runs: RunRepository;
  events: EventBus;
  logger: Logger;
  settings: Pick<Settings, 'backupDir' | 'backupKeep'>;
  clock: Clock;
  dataDir: string;
  /**
   * Returns a copy of a document without secrets (the core's scrubber): a restore passes the
   * documents of the free-text collections through it, as the console's own writes to them are
   * (`FREE_TEXT_COLLECTIONS`), so a backup made by an older version brings no secret back (#24).
   */
  scrub?: (value: unknown) => unknown;
}

export interface StartBackup {
  trigger: RunTrigger;
  /** The dump root to write (it gets `<database>/`); unset: a new dated folder in the backup folder, and old ones pruned. */
  out?: string;
  signal?: AbortSignal;
  /** Called as documents go by, e.g. for a progress bar. */
  onProgress?: (progress: DumpProgress) => void;
}

export interface StartRestore {
  trigger: RunTrigger;
  dir: string;
  /** The database to restore into; unset: the console's own. */
  database?: string;
  /** Replace collections that hold documents (else the restore refuses them). */
  drop?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: DumpProgress) => void;
}

/** Backup folders this service names and prunes: `phoenix-re-<UTC time>`. */
const BACKUP_NAME = /^phoenix-re-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/;

/**
 * The seed's full backup and its restore, as runs (kind `maintenance`, `params.task` `backup` or
 * `restore`) that any shell can watch and cancel. A backup is written to `<folder>.partial` and
 * renamed when complete, with its manifest (document counts and checksums), so a cancelled or
 * failed one never counts as a backup; backups in the backup folder beyond `BACKUP_KEEP` are
 * deleted, oldest first. A restore is all or nothing (see `restoreDatabase`): a damaged backup,
 * a failure or a cancel leaves the database as it was.
 */
export class BackupService {
  constructor(
    private readonly deps: BackupDeps,
    private readonly active: ActiveRuns,
  ) {}

  /** Where backups go without `--out`: `BACKUP_DIR`, else `backups` in the data folder. */
  get folder(): string {
    return this.deps.settings.backupDir ?? path.join(this.deps.dataDir, 'backups');
  }

  /** The completed backups in the backup folder, newest first. */
  list(): string[] {
    if (!fs.existsSync(this.folder)) return [];
    return fs
      .readdirSync(this.folder)
      .filter((name) => BACKUP_NAME.test(name) && fs.existsSync(path.join(this.folder, name, MANIFEST_FILE)))
      .sort()
      .reverse()
      .map((name) => path.join(this.folder, name));
  }

  backup(options: StartBackup): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(this.active, (signal, onStart) => this.runBackup(options, signal, onStart), options.signal);
  }

  restore(options: StartRestore): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(this.active, (signal, onStart) => this.runRestore(options, signal, onStart), options.signal);
  }

  private async runBackup(options: StartBackup, signal: AbortSignal, onStart: (run: Run) => void): Promise<Run> {
    const { deps } = this;
    const managed = options.out === undefined;
    const out = path.resolve(options.out ?? path.join(this.folder, `phoenix-re-${deps.clock().toISOString().slice(0, 19).replace(/:/g, '-')}Z`));
    const recorder = await RunRecorder.start(deps.runs, deps.events, { kind: 'maintenance', trigger: options.trigger, params: { task: 'backup', out, database: deps.db.databaseName } });
    onStart(recorder.run);
    const partial = `${out}.partial`;
    try {
      if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new Error(`${out} already exists and is not empty: give another --out.`);
      fs.rmSync(partial, { recursive: true, force: true });
      fs.mkdirSync(partial, { recursive: true, mode: 0o700 });
      const manifest = await dumpDatabase(deps.db, partial, { signal, onProgress: this.progress(recorder, options.onProgress), skip: { collection: 'runs', id: recorder.id }, at: deps.clock() });
      fs.writeFileSync(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
      fs.rmSync(out, { recursive: true, force: true });
      fs.renameSync(partial, out);
      const documents = manifest.collections.reduce((s, c) => s + c.documents, 0);
      const pruned = managed ? this.prune(out) : [];
      await recorder.count({ collections: manifest.collections.length, pruned: pruned.length });
      const prunedText = pruned.length > 0 ? `; deleted ${pruned.length} older backup${pruned.length === 1 ? '' : 's'} (keeping ${deps.settings.backupKeep})` : '';
      deps.logger.info({ out, documents, pruned }, 'backup written');
      return (await recorder.finish('succeeded', `${documents} documents in ${manifest.collections.length} collections backed up to ${out}${prunedText}`)) ?? recorder.run;
    } catch (error) {
      fs.rmSync(partial, { recursive: true, force: true });
      return this.fail(recorder, 'Backup', error, signal, 'nothing of it was kept');
    }
  }

  private async runRestore(options: StartRestore, signal: AbortSignal, onStart: (run: Run) => void): Promise<Run> {
    const { deps } = this;
    const target = options.database ? deps.db.client.db(options.database) : deps.db;
    const dir = path.resolve(options.dir);
    const recorder = await RunRecorder.start(deps.runs, deps.events, {
      kind: 'maintenance',
      trigger: options.trigger,
      params: { task: 'restore', from: dir, database: target.databaseName, drop: options.drop ?? false },
    });
    onStart(recorder.run);
    try {
      const dump = locateDump(dir);
      const summary = await restoreDatabase(target, dir, {
        drop: options.drop ?? false,
        signal,
        onProgress: this.progress(recorder, options.onProgress),
        // This run's own record lives in the console's `runs`: it stays through a restore into that database.
        ...(target.databaseName === deps.db.databaseName && { keep: { collection: 'runs', id: recorder.id } }),
        ...(deps.scrub && { transform: freeTextScrubbed(deps.scrub) }),
      });
      const documents = summary.collections.reduce((s, c) => s + c.documents, 0);
      await recorder.count({ collections: summary.collections.length });
      const leftOver = summary.leftOver.length > 0 ? `; the replaced data could not be dropped from ${summary.leftOver.join(', ')}` : '';
      if (leftOver) deps.logger.warn({ leftOver: summary.leftOver }, 'restore left replaced collections behind');
      return (await recorder.finish('succeeded', `${documents} documents in ${summary.collections.length} collections restored from ${dump.dbDir} into ${target.databaseName}${leftOver}`)) ?? recorder.run;
    } catch (error) {
      return this.fail(recorder, 'Restore', error, signal, `database ${target.databaseName} is as it was`);
    }
  }

  /**
   * Run counters `documents` (with the total) from a dump or restore's progress; also passed on.
   * A progress report counts the documents of its collection so far, so the count starts again
   * at each new collection (counting across them, a last empty collection left the run at 0).
   */
  private progress(recorder: RunRecorder, onProgress?: (p: DumpProgress) => void): (p: DumpProgress) => void {
    let counted = 0;
    let collection: string | null = null;
    return (p) => {
      onProgress?.(p);
      if (p.collection !== collection) {
        collection = p.collection;
        counted = 0;
      }
      const delta = p.documents - counted;
      counted = p.documents;
      recorder.count({ documents: delta }, p.total).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not save backup progress'));
    };
  }

  private async fail(recorder: RunRecorder, what: string, error: unknown, signal: AbortSignal, cancelNote: string): Promise<Run> {
    const message = (error as Error).message;
    if (signal.aborted) return (await recorder.finish('cancelled', `${what} cancelled (${(signal.reason as Error | undefined)?.message ?? 'stopped'}); ${cancelNote}`)) ?? recorder.run;
    this.deps.logger.error({ err: error }, `${what.toLowerCase()} failed`);
    await recorder.error(message);
    return (await recorder.finish('failed', `${what} failed: ${message}`)) ?? recorder.run;
  }

  /**
   * Delete the completed backups beyond `BACKUP_KEEP`, oldest first, never `current`; and the
   * `.partial` folders of backups whose process died (untouched for a day: a live backup writes
   * to its folder all along).
   */
  private prune(current: string): string[] {
    const old = this.list().filter((p) => p !== current).slice(Math.max(0, this.deps.settings.backupKeep - 1));
    const dayAgo = this.deps.clock().getTime() - 86_400_000;
    const abandoned = fs
      .readdirSync(this.folder)
      .filter((name) => name.endsWith('.partial') && BACKUP_NAME.test(name.slice(0, -'.partial'.length)))
      .map((name) => path.join(this.folder, name))
      .filter((p) => fs.statSync(p).mtimeMs < dayAgo);
    for (const p of [...old, ...abandoned]) fs.rmSync(p, { recursive: true, force: true });
    return old;
  }
}

/** A restore's transform: the documents of the free-text collections through `scrub`, the others as they are. */
function freeTextScrubbed(scrub: (value: unknown) => unknown): (collection: string, document: Document) => Document {
  return (collection, document) => (FREE_TEXT_COLLECTIONS.has(collection) ? (scrub(document) as Document) : document);
}
