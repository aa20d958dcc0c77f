import type { Source } from '../../shared/schemas/common.js';
import { SETTING_DEFS, type Settings } from '../../shared/settings.js';

/** Settings holding a key or token, by what they are called in the settings. */
type KeySetting = 'maricopaApiToken' | 'webshareApiToken';

/**
 * The keys each collector cannot run without: the assessor API refuses every request without its
 * token (SERVICES.md), and the MLS site blocks direct requests, so its collector needs WebShare's
 * proxy list. (A missing 2captcha key only fails the pages that show a CAPTCHA: a warning.) An ARMLS
 * export is the analyst's own file and needs none.
 */
export const REQUIRED_KEYS: Record<Source, readonly KeySetting[]> = {
  maricopa_api: ['maricopaApiToken'],
  phoenix_mls: ['webshareApiToken'],
  // The analyst's own files: no key.
  armls_export: [],
  // A public layer: no key.
  county_layer: [],
};

/** What a collector of `source` is called in messages. */
export const COLLECTOR_NAMES: Record<Source, string> = {
  maricopa_api: 'the assessor sync',
  phoenix_mls: 'the MLS sync',
  armls_export: 'the ARMLS import',
  county_layer: 'the county parcel layer sync',
};

/** The environment names of the keys `source` needs that are not set (empty: none missing). */
export function missingKeys(settings: Settings, source: Source): string[] {
  return REQUIRED_KEYS[source].filter((key) => !settings[key]).map((key) => SETTING_DEFS[key].env);
}

/**
 * Where the analyst sets the keys `keys` (environment names), for each way the console runs: the
 * desktop app's Settings (kept encrypted by the OS keychain), or, for `phoenix-re serve` and the
 * CLI (which cannot store secrets: README, Settings), the environment or `.env` in the folder the
 * command starts in. Issue #23: the message sent a headless user to Settings.
 */
export function whereToSetKeys(keys: string[]): string {
  const assignments = keys.map((k) => `${k}=<value>`).join(' and ');
  return `In the desktop app, enter ${keys.length > 1 ? 'them' : 'it'} in Settings; for phoenix-re serve or the CLI, set the environment variable ${keys.join(' and ')} or add ${assignments} to .env in the folder the command starts in`;
}

/** A collector was started without a key it needs; thrown before any request is made. */
export class MissingKeyError extends Error {
  constructor(
    readonly source: Source,
    readonly keys: string[],
  ) {
    super(`${keys.join(' and ')} ${keys.length > 1 ? 'are' : 'is'} not set: ${COLLECTOR_NAMES[source]} needs ${keys.length > 1 ? 'them' : 'it'}. No request was made. ${whereToSetKeys(keys)}, then start a new sync.`);
    this.name = 'MissingKeyError';
  }
}

/** Throw `MissingKeyError` when `source` lacks a key it needs. */
export function assertKeysSet(settings: Settings, source: Source): void {
  const keys = missingKeys(settings, source);
  if (keys.length > 0) throw new MissingKeyError(source, keys);
}
