import { SETTING_KEYS, isSecretSetting, type Settings } from '../../shared/settings.js';

/**
 * The values that must never appear in a log, a stored document or a message: every configured
 * secret, and the password of the MongoDB URI (as written and decoded).
 */
export function secretValues(settings: Settings): string[] {
  const values = SETTING_KEYS.filter(isSecretSetting)
    .filter((k) => k !== 'mongodbUri')
    .map((k) => settings[k])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  return [...values, ...uriPassword(settings.mongodbUri)];
}

/** The password of a MongoDB URI, as written and percent-decoded; none when there is none. */
function uriPassword(uri: string | undefined): string[] {
  const password = uri ? /^mongodb(?:\+srv)?:\/\/[^:@/]+:([^@/]+)@/.exec(uri)?.[1] : undefined;
  if (!password) return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // a password that is not valid %-encoding is kept as written
  }
  return decoded === password ? [password] : [password, decoded];
}
