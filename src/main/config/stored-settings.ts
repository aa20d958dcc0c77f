import { SETTING_DEFS, isSecretSetting, type Settings, type SettingsLayer } from '../../shared/settings.js';
import { DOCUMENT_ORIGIN, isSettingKey, resolveSettings, tryResolveSettings, type SettingsSources } from './resolve-settings.js';

/** A value of the settings document that start-up left out, and why. */
export interface SkippedSetting {
  /** The setting's environment name, or the document's key when it names no setting. */
  env: string;
  reason: string;
}

/**
 * The settings with the database's settings document applied, skipping every stored value that
 * is invalid, unknown or not allowed there (a bootstrap key, a secret) instead of refusing to
 * start: the document is shared by every instance, and one bad edit must not stop them all.
 * The other layers (file, `.env`, environment) were validated before and still throw.
 */
export function applyStoredSettings(sources: SettingsSources, document: SettingsLayer): { settings: Settings; skipped: SkippedSetting[] } {
  const skipped: SkippedSetting[] = [];
  const kept: SettingsLayer = {};
  for (const [key, value] of Object.entries(document)) {
    if (!isSettingKey(key)) skipped.push({ env: key, reason: 'not a setting' });
    else if (SETTING_DEFS[key].bootstrap || isSecretSetting(key)) skipped.push({ env: SETTING_DEFS[key].env, reason: 'cannot be stored in the database' });
    else kept[key] = value;
  }
  for (;;) {
    const resolved = tryResolveSettings({ ...sources, document: kept });
    if (resolved.ok) return { settings: resolved.settings, skipped };
    const stored = resolved.issues.filter((i) => i.key !== null && Object.hasOwn(kept, i.key) && resolved.origins.get(i.key) === DOCUMENT_ORIGIN);
    if (stored.length === 0) return { settings: resolveSettings({ ...sources, document: kept }), skipped };
    for (const issue of stored) {
      delete kept[issue.key!];
      skipped.push({ env: issue.env!, reason: issue.message });
    }
  }
}
