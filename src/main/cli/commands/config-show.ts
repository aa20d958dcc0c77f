import { SETTING_DEFS, SETTING_KEYS, maskSettings } from '../../../shared/settings.js';
import { loadSettings, type LoadOptions } from '../../config/load-settings.js';
import type { CliOutput } from '../output.js';

/** `phoenix-re config show`: the effective settings, secrets masked. Needs no database. */
export function configShow(options: { json?: boolean } & LoadOptions, output: CliOutput): number {
  const { settings, dataDir } = loadSettings(options);
  const masked = { ...maskSettings(settings), dataDir };
  if (options.json) {
    output.out(JSON.stringify(masked, null, 2));
    return 0;
  }
  for (const key of SETTING_KEYS) {
    const value = masked[key];
    output.out(`${SETTING_DEFS[key].env.padEnd(32)} ${value === undefined ? '(not set)' : Array.isArray(value) ? value.join(',') : String(value)}`);
  }
  return 0;
}
