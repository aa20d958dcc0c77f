import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { Settings, SettingsLayer } from '../../shared/settings.js';
import { InputTooLargeError, readFileWithinSync } from '../collectors/import/bounded-read.js';
import { SETTINGS_FILE_LIMIT } from '../collectors/import/input-bounds.js';
import { defaultDataDir } from './data-dir.js';
import { resolveSettings, type SettingsSources } from './resolve-settings.js';
import { SettingsError } from './settings-error.js';

export const SETTINGS_FILE_NAME = 'settings.json';

/** What the settings file or `.env` may cost at start-up (input-bounds.ts). */
const SETTINGS_BOUND = { bytes: SETTINGS_FILE_LIMIT, what: 'a settings file may hold (a real one is under 4 KB)' };

/**
 * A start-up file's text, or undefined when it is missing or unreadable; one over
 * SETTINGS_FILE_LIMIT is a SettingsError naming its path, its size and the bound, never read.
 */
function readStartupFile(filePath: string): string | undefined {
  try {
    return readFileWithinSync(filePath, SETTINGS_BOUND).toString('utf8');
  } catch (error) {
    if (error instanceof InputTooLargeError) throw new SettingsError(`${filePath}: ${error.message}`);
    return undefined;
  }
}

export interface LoadedSettings {
  settings: Settings;
  /** The data folder actually used (the setting, or the platform default). */
  dataDir: string;
  sources: SettingsSources;
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Folder whose `.env` is read; default the working directory. */
  cwd?: string;
  /** The settings document from the database, once it is reachable. */
  document?: SettingsLayer;
}

/**
 * Read the settings the way every shell does: defaults, `<data folder>/settings.json`, the
 * database document (when given), `.env`, then the environment.
 */
export function loadSettings(options: LoadOptions = {}): LoadedSettings {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const dotenv = readDotenv(path.join(cwd, '.env'));
  const dataDir = env.PHOENIX_DATA_DIR || dotenv?.values.PHOENIX_DATA_DIR || defaultDataDir();
  const file = readSettingsFile(path.join(dataDir, SETTINGS_FILE_NAME));
  const sources: SettingsSources = { env, ...(dotenv && { dotenv }), ...(file && { file }), ...(options.document && { document: options.document }) };
  const settings = resolveSettings(sources);
  return { settings, dataDir: settings.dataDir ?? dataDir, sources };
}

function readDotenv(filePath: string): SettingsSources['dotenv'] | undefined {
  const text = readStartupFile(filePath);
  return text === undefined ? undefined : { path: filePath, values: parseDotenv(text) };
}

export function readSettingsFile(filePath: string): SettingsSources['file'] | undefined {
  const text = readStartupFile(filePath);
  if (text === undefined) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`${filePath} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new SettingsError(`${filePath} must hold one JSON object of settings.`);
  }
  return { path: filePath, values: values as SettingsLayer };
}
