import { spawnSync } from 'node:child_process';

/** `promtool check metrics` on a text exposition; null when promtool is not installed. */
export function promtoolCheck(exposition: string): { ok: boolean; output: string } | null {
  const res = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (res.error && (res.error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}` };
}

/** CI installs promtool (Debian package `prometheus`); elsewhere its tests skip with a notice. */
export const promtoolRequired = process.env.CI === 'true' || process.env.PHOENIX_REQUIRE_PROMTOOL === '1';
