import path from 'node:path';
import type { Level } from 'pino';
import { loadSettings, type LoadOptions } from '../config/load-settings.js';
import { resolveSettings } from '../config/resolve-settings.js';
import { SecretStore, type SecretCipher } from '../config/secret-store.js';
import { openDatabase, type OpenedDatabase } from '../db/open-database.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { SecretScrubber } from '../observability/secret-scrubber.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { collectionsOf } from '../db/collections.js';
import { SettingsRepository } from '../db/repositories/settings.js';
import { createCore, type Core } from './create-core.js';
import { secretValues } from './secret-values.js';
import { applyStoredSettings } from '../config/stored-settings.js';
import { ensureDataFolder } from '../config/data-folder.js';
import type { ReportPathChooser } from '../reports/report-delivery.js';

export interface StartedCore {
  core: Core;
  database: OpenedDatabase;
  /** Stop the core, close the database and any local server this process started. */
  close(): Promise<void>;
}

export interface StartOptions extends LoadOptions {
  /** Where terminal logs go from which level (the CLI: `warn`); unset: the log file only. */
  terminalLevel?: Level;
  clock?: Clock;
  /** The OS keychain's encryption (Electron's safeStorage): lets the console keep secrets. */
  secretCipher?: SecretCipher;
  /** The process's scrubber (the CLI's, so its output learns every secret the core learns); unset: a new one. */
  scrubber?: SecretScrubber;
  /** The desktop app's save dialog for property reports (`CoreDeps.chooseReportPath`). */
  chooseReportPath?: ReportPathChooser;
}

/**
 * What every shell does at start: settings (file, `.env`, environment), the logger, the
 * database (started locally if need be), the settings document, then `createCore`.
 */
export async function startCore(options: StartOptions = {}): Promise<StartedCore> {
  const first = loadSettings(options);
  ensureDataFolder(first.dataDir);
  const secretStore = SecretStore.inDataDir(first.dataDir, options.secretCipher);
  const stored = secretStore.read();
  const secrets = { label: 'the app (encrypted)', values: stored.values };
  const loaded = stored.unreadable.length > 0 || Object.keys(stored.values).length > 0 ? { ...first, settings: resolveSettings({ ...first.sources, secrets }) } : first;
  const scrubber = options.scrubber ?? new SecretScrubber();
  scrubber.add(...secretValues(loaded.settings));
  const logger: Logger = createLogger({
    level: loaded.settings.logLevel,
    file: path.join(loaded.dataDir, 'logs', 'phoenix-re.log'),
    ...(options.terminalLevel && { terminalLevel: options.terminalLevel }),
    scrubber,
  });
  const database = await openDatabase({ settings: loaded.settings, dataDir: loaded.dataDir, logger, ...(options.env && { env: options.env as NodeJS.ProcessEnv }) });
  try {
    const document = await new SettingsRepository(collectionsOf(database.connection.db).settings, options.clock ?? systemClock).get();
    const { settings, skipped } = Object.keys(document).length > 0 ? applyStoredSettings({ ...loaded.sources, secrets }, document) : { settings: loaded.settings, skipped: [] };
    if (skipped.length > 0) logger.warn({ skipped }, 'stored settings skipped at start; fix them on the Settings page');
    if (stored.unreadable.length > 0) logger.warn({ settings: stored.unreadable }, 'saved secrets this machine cannot decrypt were ignored; enter them again');
    const core = createCore({
      settings,
      dataDir: loaded.dataDir,
      logger,
      db: database.connection.db,
      client: database.connection.client,
      uri: database.connection.uri,
      ...(options.clock && { clock: options.clock }),
      settingsSources: loaded.sources,
      secretStore,
      skippedSettings: skipped,
      scrubber,
      ...(options.chooseReportPath && { chooseReportPath: options.chooseReportPath }),
    });
    await core.interruptOrphanedRuns().catch((err: unknown) => logger.warn({ err }, 'could not check for interrupted runs'));
    // Room for recording how work ends should the disk fill (DiskReserve); none left means it is full already.
    const reserved = await core.repos.diskReserve.keep(core.clock()).catch((err: unknown) => logger.warn({ err }, 'could not keep the disk reserve'));
    if (reserved === false) logger.warn("the database's disk is full: free space on it, or runs may not be able to record how they end");
    return {
      core,
      database,
      async close() {
        await core.close();
        await database.close();
        logger.flush();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
