import {
  SETTING_DEFS,
  SETTING_KEYS,
  isSecretSetting,
  parseEnvValue,
  type SettingKey,
  type Settings,
  type SettingsLayer,
} from '../../shared/settings.js';
import type { SettingView } from '../../shared/schemas/setting-view.js';
import type { SettingsRepository } from '../db/repositories/settings.js';
import { tryResolveSettings, type SettingsSources } from './resolve-settings.js';
import type { SecretStore } from './secret-store.js';

const KEY_BY_ENV = new Map<string, SettingKey>(SETTING_KEYS.map((k) => [SETTING_DEFS[k].env, k]));
const SECRETS_LABEL = 'the app (encrypted)';

/** `sources` without the `.env` and environment values of the settings named in `envNames`. */
function withoutOverrides(sources: Omit<SettingsSources, 'document' | 'secrets'>, envNames: Set<string>): Omit<SettingsSources, 'document' | 'secrets'> {
  const keep = <T>(values: Record<string, T>) => Object.fromEntries(Object.entries(values).filter(([env]) => !envNames.has(env)));
  return { ...sources, env: keep(sources.env), ...(sources.dotenv && { dotenv: { ...sources.dotenv, values: keep(sources.dotenv.values) } }) };
}

/** A value as typed in `.env`: lists comma-separated, JSON as JSON. */
export function asInput(key: SettingKey, value: unknown): string | null {
  if (value === undefined || value === null) return '';
  const { kind } = SETTING_DEFS[key];
  if (kind === 'list' && Array.isArray(value)) return value.join(', ');
  if (kind === 'json') return JSON.stringify(value);
  return String(value);
}

/**
 * The Settings page's reads and writes. Edits are validated as a whole (the same rules as at
 * start) and saved to the settings document in the database, secrets to the encrypted store;
 * then put into force in the running core (`apply`), but for those only a restart can apply.
 */
export class SettingsEditor {
  constructor(
    private readonly deps: {
      /** The layers read at start, less the document and secrets (read fresh here). */
      sources: Omit<SettingsSources, 'document' | 'secrets'>;
      repo: SettingsRepository;
      secrets?: SecretStore;
      /**
       * Put the settings in force after a Save into the running core; gives the environment names
       * of those that apply only after a restart. Unset: every saved value waits for a restart.
       */
      apply?: (settings: Settings) => Promise<string[]>;
    },
  ) {}

  async describe(): Promise<SettingView[]> {
    const { sources, document, secrets } = await this.layers();
    const resolved = tryResolveSettings({ ...sources, document, secrets: { label: SECRETS_LABEL, values: secrets } });
    const settings: Partial<Settings> = resolved.ok ? resolved.settings : {};
    return SETTING_KEYS.map((key) => {
      const def = SETTING_DEFS[key];
      const secret = isSecretSetting(key);
      const locked = this.lockedReason(key);
      const value = settings[key];
      return {
        key,
        env: def.env,
        kind: def.kind,
        description: def.description,
        secret,
        editable: locked === null,
        locked_reason: locked,
        input: secret ? null : asInput(key, value),
        set: value !== undefined && value !== null && value !== '',
        origin: resolved.origins.get(key) ?? 'default',
      };
    });
  }

  /**
   * Apply `changes` (by environment name; a string as typed in `.env`, or null to go back to
   * the default). Nothing is saved unless every setting is then valid.
   */
  async update(changes: Record<string, string | null>): Promise<{ saved: boolean; errors: Record<string, string>; restart_required: boolean; restart_for: string[]; overridden: string[] }> {
    const errors: Record<string, string> = {};
    const { sources, document, secrets } = await this.layers();
    const nextDocument: SettingsLayer = { ...document };
    const nextSecrets: SettingsLayer = { ...secrets };
    for (const [env, raw] of Object.entries(changes)) {
      const key = KEY_BY_ENV.get(env);
      if (!key) {
        errors[env] = 'unknown setting';
        continue;
      }
      const locked = this.lockedReason(key);
      if (locked) {
        errors[env] = locked;
        continue;
      }
      const target = isSecretSetting(key) ? nextSecrets : nextDocument;
      if (raw === null || raw.trim() === '') delete target[key];
      else target[key] = isSecretSetting(key) ? raw.trim() : parseEnvValue(key, raw);
    }
    let next: Settings | undefined;
    if (Object.keys(errors).length === 0) {
      // Validated twice: as this instance will run, and as one without this instance's `.env` and
      // environment values for the keys saved, since every instance sharing the database reads them.
      // The first gives the settings this instance then runs with.
      for (const [i, layers] of [sources, withoutOverrides(sources, new Set(Object.keys(changes)))].entries()) {
        const resolved = tryResolveSettings({ ...layers, document: nextDocument, secrets: { label: SECRETS_LABEL, values: nextSecrets } });
        if (!resolved.ok) for (const issue of resolved.issues) errors[issue.env ?? '(settings)'] ??= issue.message;
        else if (i === 0) next = resolved.settings;
      }
    }
    if (Object.keys(errors).length > 0 || !next) return { saved: false, errors, restart_required: false, restart_for: [], overridden: [] };

    await this.deps.repo.put(nextDocument);
    for (const env of Object.keys(changes)) {
      const key = KEY_BY_ENV.get(env)!;
      if (isSecretSetting(key)) this.deps.secrets!.write(key, (nextSecrets[key] as string | undefined) ?? null);
    }
    const overridden = Object.keys(changes).filter((env) => (sources.env[env] ?? '') !== '' || (sources.dotenv?.values[env] ?? '') !== '');
    if (!this.deps.apply) return { saved: true, errors: {}, restart_required: true, restart_for: Object.keys(changes), overridden };
    const restartFor = await this.deps.apply(next);
    return { saved: true, errors: {}, restart_required: restartFor.length > 0, restart_for: restartFor, overridden };
  }

  private lockedReason(key: SettingKey): string | null {
    if (SETTING_DEFS[key].bootstrap) return 'needed before the database is reached: set it in the environment, .env or settings.json';
    if (isSecretSetting(key) && !this.deps.secrets?.writable) {
      return 'secrets are saved encrypted by the desktop app; here set it in the environment or .env';
    }
    return null;
  }

  private async layers() {
    return { sources: this.deps.sources, document: await this.deps.repo.get(), secrets: this.deps.secrets?.read().values ?? {} };
  }
}
