import { SETTING_DEFS, SETTING_KEYS, maskSettings, type Settings } from '../../../shared/settings.js';
import { loadSettings, type LoadOptions } from '../../config/load-settings.js';
import { tryResolveSettings } from '../../config/resolve-settings.js';
import { SettingsError } from '../../config/settings-error.js';
import { startCore } from '../../core/start-core.js';
import type { CliOutput } from '../output.js';

/** The settings as the next `process` or `serve` would use them, with where each value comes from. */
interface EffectiveSettings {
  settings: Settings;
  /** By environment name: `default`, a file path, `the console (saved in the database)`, `.env`'s path, `the environment`, ... */
  origins: Record<string, string>;
  dataDir: string;
  /** Why the values saved in the console could not be read, when they could not. */
  note: string | null;
}

/**
 * Read the effective settings: every layer, the database's settings document (the analyst's
 * edits in the console) and the secrets saved by the app included, exactly as a shell starting
 * now would. When the database does not answer, the other layers, with a note saying so.
 */
async function readEffectiveSettings(options: LoadOptions): Promise<EffectiveSettings> {
  try {
    const started = await startCore({ ...options, terminalLevel: 'error' });
    try {
      const { settings: views } = await started.core.api['settings.get']({});
      return { settings: started.core.settings, origins: Object.fromEntries(views.map((v) => [v.env, v.origin])), dataDir: started.core.dataDir, note: null };
    } finally {
      await started.close();
    }
  } catch (error) {
    if (error instanceof SettingsError) throw error;
    const loaded = loadSettings(options);
    const origins = tryResolveSettings(loaded.sources).origins;
    return {
      settings: loaded.settings,
      origins: Object.fromEntries(SETTING_KEYS.map((k) => [SETTING_DEFS[k].env, origins.get(k) ?? 'default'])),
      dataDir: loaded.dataDir,
      note: `The database did not answer (${(error as Error).message}): values saved in the console are not included.`,
    };
  }
}

/** A value as typed in `.env`: lists comma-separated, JSON settings as JSON. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return '(not set)';
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * `phoenix-re config show`: every setting's effective value (secrets masked, JSON as JSON) and
 * its source. `--json`: `{ dataDir, note, settings: { ENV_NAME: { value, origin } } }`.
 */
export async function configShow(options: { json?: boolean } & LoadOptions, output: CliOutput): Promise<number> {
  const effective = await readEffectiveSettings(options);
  const masked = maskSettings(effective.settings);
  if (effective.note) output.err(effective.note);
  if (options.json) {
    const settings = Object.fromEntries(SETTING_KEYS.map((k) => [SETTING_DEFS[k].env, { value: masked[k] ?? null, origin: effective.origins[SETTING_DEFS[k].env] ?? 'default' }]));
    output.out(JSON.stringify({ dataDir: effective.dataDir, note: effective.note, settings }, null, 2));
    return 0;
  }
  output.out(`${'PHOENIX_DATA_DIR (in use)'.padEnd(32)} ${effective.dataDir}`);
  for (const key of SETTING_KEYS) {
    const env = SETTING_DEFS[key].env;
    output.out(`${env.padEnd(32)} ${shown(masked[key])}  [${effective.origins[env] ?? 'default'}]`);
  }
  return 0;
}
