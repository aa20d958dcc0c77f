import path from 'node:path';
import type { Level } from 'pino';
import { SETTING_KEYS, isSecretSetting, type Settings } from '../../shared/settings.js';
import { loadSettings, type LoadOptions } from '../config/load-settings.js';
import { resolveSettings } from '../config/resolve-settings.js';
import { openDatabase, type OpenedDatabase } from '../db/open-database.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { systemClock, type Clock } from './clock.js';
import { collectionsOf } from '../db/collections.js';
import { SettingsRepository } from '../db/repositories/settings.js';
import { createCore, type Core } from './create-core.js';

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
}

/** The values that must never appear in a log: every configured secret. */
export function secretValues(settings: Settings): string[] {
  return SETTING_KEYS.filter(isSecretSetting)
    .filter((k) => k !== 'mongodbUri')
    .map((k) => settings[k])
    .filter((v): v is string => typeof v === 'string');
}

/**
 * What every shell does at start: settings (file, `.env`, environment), the logger, the
 * database (started locally if need be), the settings document, then `createCore`.
 */
export async function startCore(options: StartOptions = {}): Promise<StartedCore> {
  const loaded = loadSettings(options);
  const logger: Logger = createLogger({
    level: loaded.settings.logLevel,
    file: path.join(loaded.dataDir, 'logs', 'phoenix-re.log'),
    ...(options.terminalLevel && { terminalLevel: options.terminalLevel }),
    secrets: secretValues(loaded.settings),
  });
  const database = await openDatabase({ settings: loaded.settings, dataDir: loaded.dataDir, logger, ...(options.env && { env: options.env as NodeJS.ProcessEnv }) });
  try {
    const document = await new SettingsRepository(collectionsOf(database.connection.db).settings, options.clock ?? systemClock).get();
    const settings = Object.keys(document).length > 0 ? resolveSettings({ ...loaded.sources, document }) : loaded.settings;
    const core = createCore({
      settings,
      dataDir: loaded.dataDir,
      logger,
      db: database.connection.db,
      client: database.connection.client,
      uri: database.connection.uri,
      ...(options.clock && { clock: options.clock }),
    });
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
