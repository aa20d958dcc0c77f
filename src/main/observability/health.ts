import fs from 'node:fs/promises';
import type { Db } from 'mongodb';
import type { HealthReport } from '../../shared/contract.js';
import type { ScheduledWork } from '../../shared/schemas/schedule.js';
import { phoenixDay } from '../../shared/phoenix-time.js';
import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { SETTING_DEFS, maskUri, type Settings } from '../../shared/settings.js';
import type { Clock } from '../runtime/clock.js';
import type { Repositories } from '../db/repositories/index.js';
import { SecretScrubber } from './secret-scrubber.js';
import { TwoCaptchaClient } from '../collectors/phoenix-mls/twocaptcha.js';
import { missingKeys } from '../collectors/required-keys.js';
import { isLocalBaseUrl } from '../../shared/llm-server.js';

export interface HealthDeps {
  db: Db;
  uri: string;
  dataDir: string;
  settings: Settings;
  repos: Repositories;
  clock: Clock;
  /** The 2captcha balance, read at most once a minute (the Health page asks every 5 s). */
  captchaBalance?: () => Promise<number>;
  /** Below this much free disk in the data folder the check fails. */
  minFreeDiskBytes?: number;
  /** The schedules with their switch, to name those a missing key will fail; unset: none. */
  schedules?: () => Promise<{ id: string; enabled: boolean; work: ScheduledWork }[]>;
}

type Check = HealthReport['checks'][number];
/** What a check finds: `ok` true or false, or a `warn`ing. */
type Finding = { detail: string } & ({ ok: boolean } | { level: 'warn' });

const KEY_SETTINGS = ['maricopaApiToken', 'openaiApiKey', 'webshareApiToken', 'twocaptchaApiKey'] as const;

/**
 * The seed's daily checks. Each check is independent: one failing (say the database) still
 * lets the others report. Secrets appear only as "set" or "not set". A key a switched-on
 * schedule needs is a warning naming that schedule; no 2captcha key is a warning.
 */
export async function runHealthChecks(deps: HealthDeps): Promise<HealthReport> {
  const checks: Check[] = await Promise.all([
    check('mongodb', async () => {
      await deps.db.command({ ping: 1 });
      return { ok: true, detail: `reachable at ${maskUri(deps.uri)}` };
    }),
    check('database_size', async () => {
      const stats = (await deps.db.command({ dbStats: 1 })) as { dataSize?: number; storageSize?: number; objects?: number };
      const size = stats.storageSize ?? stats.dataSize ?? 0;
      return { ok: true, detail: `${formatBytes(size)} in ${stats.objects ?? 0} documents` };
    }),
    check('disk', async () => {
      await fs.mkdir(deps.dataDir, { recursive: true });
      const s = await fs.statfs(deps.dataDir);
      const free = s.bavail * s.bsize;
      const min = deps.minFreeDiskBytes ?? 1024 ** 3;
      return { ok: free >= min, detail: `${formatBytes(free)} free in ${deps.dataDir}${free < min ? ` (below ${formatBytes(min)})` : ''}` };
    }),
    check('keys', async () => {
      const parts = KEY_SETTINGS.map((k) => `${SETTING_DEFS[k].env} ${deps.settings[k] ? 'set' : 'not set'}`);
      const llm = deps.settings.openaiApiKey || isLocalBaseUrl(deps.settings.openaiBaseUrl) ? `LLM: ${deps.settings.openaiModel}` : 'LLM: rules provider (no key)';
      const schedules = (await deps.schedules?.()) ?? [];
      const failing = schedules.flatMap((s) => {
        const missing = s.enabled && s.work.kind === 'sync' ? missingKeys(deps.settings, s.work.source) : [];
        return missing.length > 0 ? [`schedule ${s.id} will fail (${missing.join(', ')} not set)`] : [];
      });
      const detail = `${parts.join(', ')}; ${llm}`;
      return failing.length > 0 ? { level: 'warn', detail: `${failing.join('; ')}. ${detail}` } : { ok: true, detail };
    }),
    check('queue', async () => {
      const counts = await deps.repos.queue.counts();
      return { ok: true, detail: QUEUE_STATUSES.map((s) => `${s} ${counts[s]}`).join(', ') };
    }),
    check('llm_budget', async () => {
      const day = phoenixDay(deps.clock());
      const rows = await deps.repos.dailyStats.range(day, day);
      const spent = rows.reduce((sum, r) => sum + r.cost_usd, 0);
      const budget = deps.settings.llmDailyBudgetUsd;
      return { ok: spent < budget || spent === 0, detail: `$${spent.toFixed(4)} of $${budget.toFixed(2)} spent today (${day})` };
    }),
    check('captcha_balance', async () => {
      if (!deps.settings.twocaptchaApiKey) return { level: 'warn', detail: 'TWOCAPTCHA_API_KEY not set: the MLS collector cannot solve CAPTCHAs' };
      const balance = await (deps.captchaBalance ?? captchaBalanceReader(deps.settings, Date.now))();
      const solves = Math.floor(balance / Math.max(deps.settings.captchaPriceUsd, 1e-9));
      return { ok: balance >= deps.settings.captchaPriceUsd, detail: `$${balance.toFixed(2)} left at 2captcha (about ${solves} solves)${balance < deps.settings.captchaPriceUsd ? ': top up to solve CAPTCHAs' : ''}` };
    }),
    check('proxies', async () => {
      const s = await deps.repos.proxyHealth.summary();
      if (s.total === 0) return { ok: true, detail: 'no MLS run yet (proxies come from WebShare at each run)' };
      const latency = s.meanLatencyMs === null ? '' : `, ${s.meanLatencyMs} ms mean page load`;
      return { ok: s.healthy > 0, detail: `${s.healthy} of ${s.total} in use, ${s.benched} benched${latency} (last MLS run ${s.updatedAt?.toISOString() ?? '?'})` };
    }),
  ]);
  return { ok: checks.every((c) => c.ok), warnings: checks.filter((c) => c.level === 'warn').length, checks };
}

/** 2captcha's balance, asked for again only after `maxAgeMs` (failures are not kept). */
export function captchaBalanceReader(settings: Settings, now: () => number, maxAgeMs = 60_000): () => Promise<number> {
  let last: { at: number; value: Promise<number> } | undefined;
  return () => {
    if (last && now() - last.at < maxAgeMs) return last.value;
    const client = new TwoCaptchaClient({ baseUrl: settings.twocaptchaBaseUrl, apiKey: settings.twocaptchaApiKey, pollMs: settings.twocaptchaPollMs });
    const entry = { at: now(), value: client.balance() };
    entry.value.catch(() => {
      if (last === entry) last = undefined;
    });
    last = entry;
    return entry.value;
  };
}

async function check(name: string, fn: () => Promise<Finding>): Promise<Check> {
  try {
    const found = await fn();
    if ('level' in found) return { name, ok: true, level: found.level, detail: found.detail };
    return { name, ok: found.ok, level: found.ok ? 'ok' : 'fail', detail: found.detail };
  } catch (error) {
    return { name, ok: false, level: 'fail', detail: new SecretScrubber().scrub((error as Error).message) };
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
