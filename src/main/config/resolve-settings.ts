import {
  SETTING_DEFS,
  SETTING_KEYS,
  isSecretSetting,
  parseEnvValue,
  settingsSchema,
  type SettingKey,
  type Settings,
  type SettingsLayer,
} from '../../shared/settings.js';
import { cronProblem } from '../scheduler/cron.js';
import { llmSettingsProblems } from '../processing/llm-settings.js';
import { leaseProblem } from './lease-rule.js';
import { SettingsError } from './settings-error.js';
import { plainIssue } from './plain-issue.js';

/** Where a value from the database's settings document is said to come from. */
export const DOCUMENT_ORIGIN = 'the console (saved in the database)';

/** The layers of settings, lowest precedence first after the schema's defaults. */
export interface SettingsSources {
  /** `settings.json` in the data folder (or a path given by the caller). */
  file?: { path: string; values: SettingsLayer };
  /** The `settings` document in the database: the analyst's edits; no secrets, no bootstrap keys. */
  document?: SettingsLayer;
  /** Secrets saved from the app, encrypted on disk (Electron's safeStorage). */
  secrets?: { label: string; values: SettingsLayer };
  /** Values from a `.env` file. */
  dotenv?: { path: string; values: Record<string, string> };
  /** The process environment: wins over everything. */
  env: Record<string, string | undefined>;
}

const ENV_TO_KEY = new Map<string, SettingKey>(SETTING_KEYS.map((k) => [SETTING_DEFS[k].env, k]));

/** A setting that failed validation: which, the line shown to people, and the bare reason. */
export interface SettingIssue {
  key: SettingKey | null;
  env: string | null;
  /** `SCHEDULES[1].cron from the environment: ... (got ...)`. */
  line: string;
  message: string;
}

export type ResolvedSettings =
  | { ok: true; settings: Settings; origins: Map<SettingKey, string> }
  | { ok: false; issues: SettingIssue[]; origins: Map<SettingKey, string> };

/**
 * Merge defaults, file, document, secrets, `.env` and environment, then validate the whole.
 *
 * An invalid value throws a SettingsError naming the setting's environment name, where the value
 * came from and the reason; a secret's value is never repeated in the message.
 */
export function resolveSettings(sources: SettingsSources): Settings {
  const resolved = tryResolveSettings(sources);
  if (!resolved.ok) throw new SettingsError(`Invalid settings:\n  ${resolved.issues.map((i) => i.line).join('\n  ')}`);
  return resolved.settings;
}

/** Like `resolveSettings`, returning the issues instead of throwing, and where each value came from. */
export function tryResolveSettings(sources: SettingsSources): ResolvedSettings {
  const merged: SettingsLayer = {};
  const origin = new Map<SettingKey, string>();

  if (sources.file) {
    for (const [name, value] of Object.entries(sources.file.values)) {
      // The file takes the names the README, the console and `config show` use (`TARGET_ZIP_CODES`,
      // its text read as the environment's would be) as well as the settings' own keys.
      const byEnv = ENV_TO_KEY.get(name);
      const key = byEnv ?? name;
      if (!isSettingKey(key)) {
        throw new SettingsError(`Unknown setting "${name}" in ${sources.file.path}. Known: ${SETTING_KEYS.map((k) => SETTING_DEFS[k].env).join(', ')}.`);
      }
      merged[key] = byEnv && typeof value === 'string' ? parseEnvValue(key, value) : value;
      origin.set(key, sources.file.path);
    }
  }
  if (sources.document) {
    for (const [key, value] of Object.entries(sources.document)) {
      if (!isSettingKey(key)) throw new SettingsError(`Unknown setting "${key}" in the settings document.`);
      if (SETTING_DEFS[key].bootstrap || isSecretSetting(key)) {
        throw new SettingsError(`Setting ${SETTING_DEFS[key].env} cannot be stored in the database settings document.`);
      }
      merged[key] = value;
      origin.set(key, DOCUMENT_ORIGIN);
    }
  }
  if (sources.secrets) {
    for (const [key, value] of Object.entries(sources.secrets.values)) {
      if (!isSettingKey(key) || !isSecretSetting(key)) continue;
      merged[key] = value;
      origin.set(key, sources.secrets.label);
    }
  }
  for (const [layer, name] of [
    [sources.dotenv?.values ?? {}, sources.dotenv?.path ?? '.env'],
    [sources.env, 'the environment'],
  ] as const) {
    for (const [envName, raw] of Object.entries(layer)) {
      const key = ENV_TO_KEY.get(envName);
      if (!key || raw === undefined || raw === '') continue;
      merged[key] = parseEnvValue(key, raw);
      origin.set(key, name);
    }
  }

  const result = mainSettingsSchema.safeParse(merged);
  if (result.success) return { ok: true, settings: result.data, origins: origin };
  const issues = result.error.issues.map((raw): SettingIssue => {
    const issue = { ...raw, message: plainIssue(raw) };
    const [key, ...inside] = issue.path;
    if (typeof key === 'string' && isSettingKey(key)) {
      const where = origin.get(key) ?? 'the defaults';
      const value = inside.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), merged[key]);
      const shown = isSecretSetting(key) || value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
      const at = inside.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
      const message = `${at ? `${at.replace(/^\./, '')}: ` : ''}${issue.message}`;
      return { key, env: SETTING_DEFS[key].env, line: `${SETTING_DEFS[key].env}${at} from ${where}: ${issue.message}${shown}`, message };
    }
    const line = `${issue.path.join('.') || '(settings)'}: ${issue.message}`;
    return { key: null, env: null, line, message: line };
  });
  return { ok: false, issues, origins: origin };
}

/**
 * The shared schema plus what only the main process can check: each schedule's cron fields, and
 * a queue lease long enough for one LLM request (`leaseProblem`).
 */
const mainSettingsSchema = settingsSchema.superRefine((settings, ctx) => {
  const lease = leaseProblem(settings);
  // On both settings: where either comes from the shared settings document, start-up skips that
  // stored value (applyStoredSettings) instead of refusing to start.
  if (lease) for (const key of ['queueLeaseMs', 'openaiTimeoutMs']) ctx.addIssue({ code: 'custom', path: [key], message: lease });
  settings.schedules.forEach((def, i) => {
    if (typeof def?.cron !== 'string' || def.cron.trim().split(/\s+/).length !== 5) return; // the shared schema says so
    const problem = cronProblem(def.cron);
    if (problem) ctx.addIssue({ code: 'custom', path: ['schedules', i, 'cron'], message: `"${def.cron}" is not a usable schedule: ${problem}` });
  });
  for (const { key, message } of llmSettingsProblems(settings)) ctx.addIssue({ code: 'custom', path: [key], message });
});

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_DEFS, key);
}
