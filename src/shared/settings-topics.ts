import { SETTING_DEFS, type SettingKey } from './settings.js';

/** A topic of the Settings page and the settings (environment names) it holds, in page order. */
export interface SettingTopic {
  id: string;
  title: string;
  envs: readonly string[];
}

/**
 * The Settings page's topics (issue #23: a flat list of 66 names). Every setting is in one; a
 * setting added to `SETTING_DEFS` and to none here lands in "Other" (settingsByTopic).
 */
export const SETTING_TOPICS: readonly SettingTopic[] = [
  { id: 'collectors', title: 'Collectors', envs: ['TARGET_ZIP_CODES', 'MARICOPA_API_BASE_URL', 'MARICOPA_API_TOKEN', 'MARICOPA_RATE_LIMIT_PER_MINUTE', 'MARICOPA_TIMEOUT_MS', 'API_CACHE_TTL_HOURS', 'COUNTY_LAYER_URL', 'COUNTY_LAYER_TIMEOUT_MS', 'COUNTY_LAYER_PAGE_SIZE', 'PHOENIX_MLS_BASE_URL', 'MLS_RATE_LIMIT_PER_MINUTE', 'MLS_MAX_CONCURRENCY', 'MLS_SELECTORS', 'BROWSER_EXECUTABLE_PATH'] },
  { id: 'proxies', title: 'Proxies and CAPTCHAs', envs: ['WEBSHARE_API_BASE_URL', 'WEBSHARE_API_TOKEN', 'WEBSHARE_MODE', 'PROXY_MAX_FAILURES', 'PROXY_COOLDOWN_MS', 'TWOCAPTCHA_BASE_URL', 'TWOCAPTCHA_API_KEY', 'TWOCAPTCHA_POLL_MS', 'CAPTCHA_PRICE_USD'] },
  { id: 'llm', title: 'LLM', envs: ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'LLM_SERVER', 'OPENAI_REASONING_EFFORT', 'LLM_DAILY_BUDGET_USD', 'LLM_PRICES', 'LLM_MAX_OUTPUT_TOKENS', 'OPENAI_TIMEOUT_MS', 'OPENAI_MAX_RETRIES', 'LLM_BATCH_API', 'LLM_BATCH_POLL_MS'] },
  { id: 'valuation', title: 'Valuation and rent', envs: ['QUALITY_REVIEW_THRESHOLD', 'RENT_PER_SQFT_DEFAULT', 'RENT_PER_SQFT_CONDO', 'RENT_PER_SQFT_BY_ZIP', 'RENT_BY_ZIP_BEDROOMS'] },
  { id: 'underwriting', title: 'Underwriting', envs: ['VACANCY_RATE', 'TAX_RATE_BY_AREA', 'PROPERTY_TAX_EFFECTIVE_RATE', 'INSURANCE_ANNUAL_USD', 'MAINTENANCE_RATE', 'MANAGEMENT_RATE', 'DOWN_PAYMENT_RATE', 'INTEREST_RATE', 'LOAN_TERM_YEARS', 'CLOSING_COST_RATE'] },
  { id: 'calls', title: 'Buy / watch / pass', envs: ['BUY_CAP_RATE_PERCENT', 'BUY_DSCR', 'BUY_CASH_ON_CASH_PERCENT', 'WATCH_CAP_RATE_PERCENT', 'WATCH_DSCR'] },
  { id: 'processing', title: 'Processing queue', envs: ['PROCESSING_BATCH_SIZE', 'PROCESSING_CONCURRENCY', 'QUEUE_MAX_ATTEMPTS', 'QUEUE_LEASE_MS', 'QUEUE_BACKOFF_BASE_MS', 'QUEUE_BACKOFF_MAX_MS'] },
  { id: 'schedule', title: 'Schedule', envs: ['SCHEDULES', 'SCHEDULE_CATCH_UP_HOURS', 'SCHEDULE_LEASE_MS', 'SCHEDULE_SHUTDOWN_MS'] },
  { id: 'costs', title: 'Budgets and costs', envs: ['MONTHLY_BUDGET_USD', 'PROXY_MONTHLY_USD', 'DATABASE_MONTHLY_USD'] },
  { id: 'storage', title: 'Database, backups and console', envs: ['MONGODB_URI', 'PHOENIX_DATA_DIR', 'PHOENIX_LOCAL_DATABASE', 'LOG_LEVEL', 'PHOENIX_HTTP_TOKEN', 'BACKUP_DIR', 'BACKUP_KEEP', 'MAP_TILE_URL'] },
];

/** Items grouped by SETTING_TOPICS (in its order, each topic's own order), the rest under "Other". */
export function settingsByTopic<T extends { env: string }>(items: T[]): { topic: SettingTopic; items: T[] }[] {
  const byEnv = new Map(items.map((i) => [i.env, i]));
  const placed = new Set<string>();
  const groups = SETTING_TOPICS.map((topic) => {
    const found = topic.envs.flatMap((env) => (byEnv.has(env) ? [byEnv.get(env)!] : []));
    for (const i of found) placed.add(i.env);
    return { topic, items: found };
  });
  const rest = items.filter((i) => !placed.has(i.env));
  if (rest.length > 0) groups.push({ topic: { id: 'other', title: 'Other', envs: rest.map((i) => i.env) }, items: rest });
  return groups.filter((g) => g.items.length > 0);
}

/**
 * Settings stored as a fraction that the analyst reads and types as a percent, as the what-if
 * does (VACANCY_RATE 0.07 is shown and typed as 7). The stored value stays a fraction.
 */
export const PERCENT_SETTINGS: ReadonlySet<string> = new Set(['VACANCY_RATE', 'PROPERTY_TAX_EFFECTIVE_RATE', 'MAINTENANCE_RATE', 'MANAGEMENT_RATE', 'DOWN_PAYMENT_RATE', 'INTEREST_RATE', 'CLOSING_COST_RATE']);

/** A fraction as typed in `.env` ("0.07") as the percent the page shows ("7"); other text as it is. */
export function fractionInputToPercent(input: string | null): string {
  if (input === null || input.trim() === '' || !Number.isFinite(Number(input))) return input ?? '';
  return String(Number((Number(input) * 100).toPrecision(12)));
}

/** A percent typed on the page ("7", "6.5%") as the fraction the setting stores ("0.07"), or why not, in percent. */
export function percentToFractionInput(key: SettingKey, typed: string): { input: string } | { error: string } {
  const text = typed.trim().replace(/\s*%$/, '');
  const percent = Number(text);
  if (text === '' || !Number.isFinite(percent)) return { error: 'must be a number, in percent (7 for 7%)' };
  const fraction = Number((percent / 100).toPrecision(12));
  // The setting's own zod schema decides; its bounds are said back in percent.
  const parsed = SETTING_DEFS[key].schema.safeParse(fraction);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as { code?: string; minimum?: number | bigint; maximum?: number | bigint } | undefined;
    if (issue?.code === 'too_small') return { error: `must be at least ${Number(issue.minimum) * 100}%` };
    if (issue?.code === 'too_big') return { error: `must be at most ${Number(issue.maximum) * 100}%` };
    return { error: parsed.error.issues[0]?.message ?? 'invalid' };
  }
  return { input: String(fraction) };
}
