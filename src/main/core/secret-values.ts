import { SETTING_KEYS, isSecretSetting, type Settings } from '../../shared/settings.js';

/** The values that must never appear in a log or a message: every configured secret. */
export function secretValues(settings: Settings): string[] {
  return SETTING_KEYS.filter(isSecretSetting)
    .filter((k) => k !== 'mongodbUri')
    .map((k) => settings[k])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
}
