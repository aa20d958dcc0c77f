import { z } from 'zod';
import { zipCodeSchema } from './zip-code.js';
import { DEFAULT_SCHEDULES, schedulesSchema } from './schemas/schedule.js';
import { LLM_SERVERS } from './llm-server.js';

/**
 * Every setting of the console: its environment name, schema, default and whether it is secret.
 *
 * One table drives the settings schema, the environment mapping, `config show`, the README's table
 * and (later) the Settings page, so they cannot drift apart. Values arrive as strings from the
 * environment and `.env`, as JSON from the settings file and document: each kind parses them.
 */
type Kind = 'string' | 'url' | 'int' | 'number' | 'boolean' | 'list' | 'enum' | 'json';

interface SettingDef<S extends z.ZodType = z.ZodType> {
  env: string;
  kind: Kind;
  schema: S;
  description: string;
  /** Never logged, printed, stored in the database or sent to the renderer. */
  secret?: 'value' | 'uri-password';
  /** Needed before the database is reachable: the settings document cannot override it. */
  bootstrap?: boolean;
}

function def<S extends z.ZodType>(d: SettingDef<S>): SettingDef<S> {
  return d;
}

/** Public list prices per million tokens (input, cached input, output), November 2026. */
export const DEFAULT_LLM_PRICES = {
  'gpt-4o-mini': { input: 0.15, cached_input: 0.075, output: 0.6 },
  'gpt-4.1-mini': { input: 0.4, cached_input: 0.1, output: 1.6 },
  'gpt-5-mini': { input: 0.25, cached_input: 0.025, output: 2.0 },
  /** Fine-tuned gpt-4o-mini (`ft:gpt-4o-mini-2024-07-18:<org>::<id>`), OpenAI's fine-tuning price list. */
  'ft:gpt-4o-mini': { input: 0.3, cached_input: 0.15, output: 1.2 },
};
const priceSchema = z.strictObject({ input: z.number().nonnegative(), cached_input: z.number().nonnegative(), output: z.number().nonnegative() });

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const optionalSecret = z.string().min(1).optional();
const positiveInt = z.number().int().positive();

export const SETTING_DEFS = {
  mongodbUri: def({
    env: 'MONGODB_URI',
    kind: 'string',
    schema: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/.+/, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
    description:
      'MongoDB connection string. Unset: the default local URI, else a local server started in the data folder.',
    secret: 'uri-password',
    bootstrap: true,
  }),
  dataDir: def({
    env: 'PHOENIX_DATA_DIR',
    kind: 'string',
    schema: z.string().min(1).optional(),
    description: "Folder for logs, the local database, sessions and caches. Unset: the platform's app-data folder.",
    bootstrap: true,
  }),
  localDatabase: def({
    env: 'PHOENIX_LOCAL_DATABASE',
    kind: 'enum',
    schema: z.enum(['auto', 'off']).default('auto'),
    description: '`auto` starts a local server (mongod or FerretDB) when no MongoDB answers; `off` never does.',
    bootstrap: true,
  }),
  logLevel: def({
    env: 'LOG_LEVEL',
    kind: 'enum',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    description: 'Log level of the log file in the data folder.',
    bootstrap: true,
  }),
  httpToken: def({
    env: 'PHOENIX_HTTP_TOKEN',
    kind: 'string',
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
    description: 'Fixed bearer token for the HTTP shell (for a Prometheus scraper). Unset: one kept in <data folder>/http-token (mode 0600), replaced by `serve --new-token`.',
    secret: 'value',
    bootstrap: true,
  }),
  maricopaApiBaseUrl: def({
    env: 'MARICOPA_API_BASE_URL',
    kind: 'url',
    schema: url.default('https://mcassessor.maricopa.gov'),
    description: 'Maricopa County Assessor API base URL (no /api suffix).',
  }),
  maricopaApiToken: def({
    env: 'MARICOPA_API_TOKEN',
    kind: 'string',
    schema: optionalSecret,
    description: "Assessor API token, requested from the Assessor's office.",
    secret: 'value',
  }),
  maricopaRateLimitPerMinute: def({
    env: 'MARICOPA_RATE_LIMIT_PER_MINUTE',
    kind: 'int',
    schema: positiveInt.max(6000).default(60),
    description: 'Most assessor requests in any sliding 60-second window.',
  }),
  maricopaTimeoutMs: def({
    env: 'MARICOPA_TIMEOUT_MS',
    kind: 'int',
    schema: positiveInt.default(30_000),
    description: 'Timeout of one assessor request, in milliseconds.',
  }),
  countyLayerUrl: def({
    env: 'COUNTY_LAYER_URL',
    kind: 'url',
    schema: url.default('https://gis.mcassessor.maricopa.gov/arcgis/rest/services/Parcels/MapServer/0'),
    description: "The county assessor's public parcel layer (ArcGIS MapServer layer, no key), without /query.",
  }),
  countyLayerTimeoutMs: def({
    env: 'COUNTY_LAYER_TIMEOUT_MS',
    kind: 'int',
    schema: positiveInt.default(60_000),
    description: 'Timeout of one parcel-layer request (a page of 1,000 parcels), in milliseconds.',
  }),
  countyLayerPageSize: def({
    env: 'COUNTY_LAYER_PAGE_SIZE',
    kind: 'int',
    schema: positiveInt.max(2000).default(1000),
    description: "Parcels asked for a page of the parcel layer; never more than the layer's own maxRecordCount.",
  }),
  apiCacheTtlHours: def({
    env: 'API_CACHE_TTL_HOURS',
    kind: 'number',
    schema: z.number().nonnegative().default(168),
    description: 'How long upstream responses stay cached (default 7 days).',
  }),
  targetZipCodes: def({
    env: 'TARGET_ZIP_CODES',
    kind: 'list',
    schema: z.array(zipCodeSchema).default(['85031', '85033', '85035']),
    description: 'ZIP codes the scheduled syncs collect, comma-separated.',
  }),
  phoenixMlsBaseUrl: def({
    env: 'PHOENIX_MLS_BASE_URL',
    kind: 'url',
    schema: url.default('https://phoenixmlssearch.com'),
    description: 'Phoenix MLS Search site.',
  }),
  webshareApiBaseUrl: def({
    env: 'WEBSHARE_API_BASE_URL',
    kind: 'url',
    schema: url.default('https://proxy.webshare.io'),
    description: 'WebShare proxy API base URL.',
  }),
  webshareApiToken: def({
    env: 'WEBSHARE_API_TOKEN',
    kind: 'string',
    schema: optionalSecret,
    description: 'WebShare API token (proxy list).',
    secret: 'value',
  }),
  twocaptchaBaseUrl: def({
    env: 'TWOCAPTCHA_BASE_URL',
    kind: 'url',
    schema: url.default('https://2captcha.com'),
    description: '2captcha classic API base URL (in.php, res.php).',
  }),
  twocaptchaApiKey: def({
    env: 'TWOCAPTCHA_API_KEY',
    kind: 'string',
    schema: optionalSecret,
    description: '2captcha API key.',
    secret: 'value',
  }),
  twocaptchaPollMs: def({
    env: 'TWOCAPTCHA_POLL_MS',
    kind: 'int',
    schema: positiveInt.default(5000),
    description: 'How often a CAPTCHA being solved is asked for (2captcha asks for 5 s).',
  }),
  captchaPriceUsd: def({
    env: 'CAPTCHA_PRICE_USD',
    kind: 'number',
    schema: z.number().nonnegative().default(0.00299),
    description: 'What one CAPTCHA solve costs (2captcha reCAPTCHA v2 list price), counted in the costs.',
  }),
  webshareMode: def({
    env: 'WEBSHARE_MODE',
    kind: 'enum',
    schema: z.enum(['direct', 'backbone']).default('direct'),
    description: 'WebShare proxy list mode: `direct` (datacenter) or `backbone` (residential).',
  }),
  browserExecutablePath: def({
    env: 'BROWSER_EXECUTABLE_PATH',
    kind: 'string',
    schema: z.string().min(1).optional(),
    description: "Chromium or Chrome for the MLS collector. Unset: Playwright's own Chromium if installed, else /usr/bin/chromium or chrome.",
  }),
  mlsRateLimitPerMinute: def({
    env: 'MLS_RATE_LIMIT_PER_MINUTE',
    kind: 'int',
    schema: positiveInt.max(600).default(20),
    description: 'Most page loads a minute on the MLS site.',
  }),
  mlsMaxConcurrency: def({
    env: 'MLS_MAX_CONCURRENCY',
    kind: 'int',
    schema: positiveInt.max(16).default(2),
    description: 'Browser pages open at once for the MLS collector.',
  }),
  mlsSelectors: def({
    env: 'MLS_SELECTORS',
    kind: 'json',
    schema: z.record(z.string(), z.unknown()).optional(),
    description: 'Overrides of the MLS selector set (assets/phoenix-mls-selectors.json), JSON by key; `phoenix-re selectors test` checks them.',
  }),
  proxyMaxFailures: def({
    env: 'PROXY_MAX_FAILURES',
    kind: 'int',
    schema: positiveInt.default(3),
    description: 'Failures in a row after which a proxy is benched.',
  }),
  proxyCooldownMs: def({
    env: 'PROXY_COOLDOWN_MS',
    kind: 'int',
    schema: positiveInt.default(600_000),
    description: 'How long a benched proxy rests before it is tried again.',
  }),
  openaiApiKey: def({
    env: 'OPENAI_API_KEY',
    kind: 'string',
    schema: optionalSecret,
    description: 'Key of the OpenAI-compatible server. Unset: the rules-based provider (no network), unless OPENAI_BASE_URL is a local server (which takes no key).',
    secret: 'value',
  }),
  openaiBaseUrl: def({
    env: 'OPENAI_BASE_URL',
    kind: 'url',
    schema: url.default('https://api.openai.com/v1'),
    description: 'OpenAI-compatible base URL (OpenAI, Azure, Ollama, LM Studio, vLLM).',
  }),
  openaiModel: def({
    env: 'OPENAI_MODEL',
    kind: 'string',
    schema: z.string().min(1).default('gpt-4o-mini'),
    description: 'Model used for enrichment.',
  }),
  llmDailyBudgetUsd: def({
    env: 'LLM_DAILY_BUDGET_USD',
    kind: 'number',
    schema: z.number().nonnegative().default(1),
    description: 'Most LLM spend per day (America/Phoenix); workers stop claiming before crossing it.',
  }),
  llmPrices: def({
    env: 'LLM_PRICES',
    kind: 'json',
    schema: z.record(z.string().min(1), priceSchema).default(DEFAULT_LLM_PRICES),
    description:
      'Price per million tokens by model, JSON `{"model": {"input", "cached_input", "output"}}` (a listed name also prices the names it begins). A model not listed is free on a local server (loopback or private network) and refused at start-up on any other; Batch API calls cost half.',
  }),
  llmMaxOutputTokens: def({
    env: 'LLM_MAX_OUTPUT_TOKENS',
    kind: 'int',
    schema: positiveInt.max(4000).default(450),
    description: 'Most output tokens of one enrichment call.',
  }),
  openaiTimeoutMs: def({
    env: 'OPENAI_TIMEOUT_MS',
    kind: 'int',
    schema: positiveInt.default(60_000),
    description: 'Timeout of one LLM request, in milliseconds.',
  }),
  openaiMaxRetries: def({
    env: 'OPENAI_MAX_RETRIES',
    kind: 'int',
    schema: z.number().int().min(0).max(10).default(3),
    description: 'Retries of one LLM request on 429, 5xx and timeouts (the SDK honours retry-after).',
  }),
  llmServer: def({
    env: 'LLM_SERVER',
    kind: 'enum',
    schema: z.enum(LLM_SERVERS).default('auto'),
    description:
      'Which server OPENAI_BASE_URL is: `openai`, `azure`, `ollama`, `lmstudio`, `vllm` or `compatible`; `auto` tells by host and port. Decides the output-cap parameter and the Azure URL check.',
  }),
  openaiReasoningEffort: def({
    env: 'OPENAI_REASONING_EFFORT',
    kind: 'enum',
    schema: z.enum(['auto', 'off', 'none', 'minimal', 'low', 'medium', 'high']).default('auto'),
    description:
      '`reasoning_effort` of a reasoning model. `auto`: by model name (gpt-5 minimal, gpt-5.1 and later none, o-series low; other models none sent); `off`: not a reasoning model; a value: sent as is (an Azure deployment or local model that reasons).',
  }),
  llmBatchApi: def({
    env: 'LLM_BATCH_API',
    kind: 'boolean',
    schema: z.boolean().default(false),
    description: 'Scheduled processing runs go through the OpenAI Batch API (half price, answers within 24 hours) instead of one call per item.',
  }),
  llmBatchPollMs: def({
    env: 'LLM_BATCH_POLL_MS',
    kind: 'int',
    schema: positiveInt.min(1000).default(300_000),
    description: 'How often a Batch API job in progress is checked, in milliseconds (also at every start).',
  }),
  processingBatchSize: def({
    env: 'PROCESSING_BATCH_SIZE',
    kind: 'int',
    schema: positiveInt.max(10_000).default(50),
    description: 'Items one `phoenix-re process` run handles.',
  }),
  processingConcurrency: def({
    env: 'PROCESSING_CONCURRENCY',
    kind: 'int',
    schema: positiveInt.max(64).default(8),
    description: 'Items a worker processes at once.',
  }),
  qualityReviewThreshold: def({
    env: 'QUALITY_REVIEW_THRESHOLD',
    kind: 'number',
    schema: z.number().min(0).max(1).default(0.6),
    description: 'Processed items scoring below this go to review.',
  }),
  rentPerSqftDefault: def({
    env: 'RENT_PER_SQFT_DEFAULT',
    kind: 'number',
    schema: z.number().positive().default(1.1),
    description: 'Monthly rent per square foot of a house (any home but a condo or townhouse) where no ZIP rate is set and no ARMLS lease rows give one (Phoenix single-family average).',
  }),
  rentPerSqftCondo: def({
    env: 'RENT_PER_SQFT_CONDO',
    kind: 'number',
    schema: z.number().positive().default(1.9),
    description:
      'Monthly rent per square foot of a condo or townhouse where no ZIP rate is set and no ARMLS lease rows give one. Default: Phoenix apartments, $1,500 a month for 772 sq ft (RentCafe analysis of Yardi Matrix data, June 2023).',
  }),
  rentPerSqftByZip: def({
    env: 'RENT_PER_SQFT_BY_ZIP',
    kind: 'json',
    schema: z.record(z.string().regex(/^\d{5}$/, 'keys are 5-digit ZIP codes'), z.number().positive()).default({}),
    description: 'Monthly rent per square foot by ZIP code, JSON `{"85031": 1.05}`.',
  }),
  vacancyRate: def({
    env: 'VACANCY_RATE',
    kind: 'number',
    schema: z.number().min(0).max(0.5).default(0.07),
    description: 'Share of the year a rental stands empty.',
  }),
  rentByZipBedrooms: def({
    env: 'RENT_BY_ZIP_BEDROOMS',
    kind: 'json',
    schema: z
      .record(z.string().regex(/^\d{5}$/, 'keys are 5-digit ZIP codes'), z.record(z.string().regex(/^[0-9]$/, 'bedroom keys are 0-9'), z.number().positive()))
      .default({}),
    description:
      'Monthly rent by ZIP code and bedrooms, JSON `{"85031": {"2": 1500, "3": 1800}}`; `phoenix-re rents import <HUD SAFMR csv>` fills it. Not set: HUD\'s FY2026 Small Area FMRs of the Phoenix metro (assets/rents), a floor (the 40th-percentile gross rent). Rent comparables from ARMLS lease rows come first; without bedrooms or a ZIP entry: rent per sq ft.',
  }),
  taxRateByArea: def({
    env: 'TAX_RATE_BY_AREA',
    kind: 'json',
    schema: z.record(z.string().regex(/^\d{4,6}$/, 'keys are tax area codes'), z.number().positive().max(100)).default({}),
    description: "Property tax rate by Maricopa tax area code, dollars per $100 of assessed value, JSON `{\"891503\": 11.5}`: tax = limited value × assessment ratio × rate ÷ 100.",
  }),
  propertyTaxEffectiveRate: def({
    env: 'PROPERTY_TAX_EFFECTIVE_RATE',
    kind: 'number',
    schema: z.number().min(0).max(0.1).default(0.006),
    description: "Annual property tax as a fraction of value, used where no tax area rate is set and no listing states its taxes (an assumption: roughly Maricopa County's effective rate).",
  }),
  insuranceAnnualUsd: def({
    env: 'INSURANCE_ANNUAL_USD',
    kind: 'number',
    schema: z.number().nonnegative().default(1800),
    description: 'Landlord insurance, dollars a year (an assumption to set from quotes).',
  }),
  maintenanceRate: def({
    env: 'MAINTENANCE_RATE',
    kind: 'number',
    schema: z.number().min(0).max(0.5).default(0.08),
    description: 'Maintenance and repairs as a fraction of gross rent.',
  }),
  managementRate: def({
    env: 'MANAGEMENT_RATE',
    kind: 'number',
    schema: z.number().min(0).max(0.5).default(0.08),
    description: 'Property management as a fraction of collected rent (after vacancy).',
  }),
  downPaymentRate: def({
    env: 'DOWN_PAYMENT_RATE',
    kind: 'number',
    schema: z.number().min(0).max(1).default(0.25),
    description: 'Down payment as a fraction of the price (investment-property loans usually need 20-25%).',
  }),
  interestRate: def({
    env: 'INTEREST_RATE',
    kind: 'number',
    schema: z.number().min(0).max(0.3).default(0.07),
    description: 'Annual mortgage interest rate, a fraction (0.07 = 7%).',
  }),
  loanTermYears: def({
    env: 'LOAN_TERM_YEARS',
    kind: 'int',
    schema: positiveInt.max(40).default(30),
    description: 'Mortgage term in years.',
  }),
  closingCostRate: def({
    env: 'CLOSING_COST_RATE',
    kind: 'number',
    schema: z.number().min(0).max(0.2).default(0.03),
    description: "Buyer's closing costs as a fraction of the price.",
  }),
  buyCapRatePercent: def({
    env: 'BUY_CAP_RATE_PERCENT',
    kind: 'number',
    schema: z.number().min(0).max(30).default(6.5),
    description: 'Recommendation: the least cap rate of a "buy candidate", in percent (6.5 = 6.5%).',
  }),
  buyDscr: def({
    env: 'BUY_DSCR',
    kind: 'number',
    schema: z.number().min(0).max(5).default(1.25),
    description: 'Recommendation: the least DSCR (NOI ÷ debt service, a ratio) of a "buy candidate"; 1.25 is a common lender minimum for rental loans.',
  }),
  buyCashOnCashPercent: def({
    env: 'BUY_CASH_ON_CASH_PERCENT',
    kind: 'number',
    schema: z.number().min(-100).max(100).default(8),
    description: 'Recommendation: the least cash-on-cash return of a "buy candidate", in percent (8 = 8%).',
  }),
  watchCapRatePercent: def({
    env: 'WATCH_CAP_RATE_PERCENT',
    kind: 'number',
    schema: z.number().min(0).max(30).default(5),
    description: 'Recommendation: the least cap rate of a "watch" (below it: "pass"), in percent (5 = 5%).',
  }),
  watchDscr: def({
    env: 'WATCH_DSCR',
    kind: 'number',
    schema: z.number().min(0).max(5).default(1),
    description: 'Recommendation: the least DSCR of a "watch" (1.0: the rent covers the loan).',
  }),
  queueMaxAttempts: def({
    env: 'QUEUE_MAX_ATTEMPTS',
    kind: 'int',
    schema: positiveInt.max(50).default(5),
    description: 'Processing attempts of one item before it is marked failed.',
  }),
  queueLeaseMs: def({
    env: 'QUEUE_LEASE_MS',
    kind: 'int',
    schema: positiveInt.min(1000).default(120_000),
    description: 'How long a claimed queue item stays leased to its worker without renewal; at least `OPENAI_TIMEOUT_MS` + 5000 (start-up refuses less).',
  }),
  queueBackoffBaseMs: def({
    env: 'QUEUE_BACKOFF_BASE_MS',
    kind: 'int',
    schema: z.number().int().nonnegative().default(30_000),
    description: 'First retry delay of a failed item; doubles with each attempt.',
  }),
  queueBackoffMaxMs: def({
    env: 'QUEUE_BACKOFF_MAX_MS',
    kind: 'int',
    schema: positiveInt.default(3_600_000),
    description: 'Longest retry delay of a failed item.',
  }),
  monthlyBudgetUsd: def({
    env: 'MONTHLY_BUDGET_USD',
    kind: 'number',
    schema: z.number().nonnegative().default(25),
    description: 'Monthly budget for every service together (LLM, CAPTCHA, proxies, database), shown on the Costs page.',
  }),
  proxyMonthlyUsd: def({
    env: 'PROXY_MONTHLY_USD',
    kind: 'number',
    schema: z.number().nonnegative().default(0),
    description: 'Fixed monthly cost of the proxy plan (WebShare), counted on the Costs page.',
  }),
  databaseMonthlyUsd: def({
    env: 'DATABASE_MONTHLY_USD',
    kind: 'number',
    schema: z.number().nonnegative().default(0),
    description: 'Fixed monthly cost of the database (0 for the local server or a free Atlas tier).',
  }),
  schedules: def({
    env: 'SCHEDULES',
    kind: 'json',
    schema: schedulesSchema.default(DEFAULT_SCHEDULES),
    description:
      'Scheduled jobs, JSON `[{"id", "cron", "enabled", "work": {"kind": "sync", "source", "zips"?, "limit"?} | {"kind": "process", "batch_size"?} | {"kind": "backup"}}]`, cron in America/Phoenix. Default: assessor sync 06:00, MLS sync 14:00, processing 20:00, backup 03:00 on the 1st of the month.',
  }),
  scheduleCatchUpHours: def({
    env: 'SCHEDULE_CATCH_UP_HOURS',
    kind: 'number',
    schema: z.number().nonnegative().max(24 * 31).default(12),
    description: 'A job missed while the app was not running is run once on start if it was due within this many hours; older misses are recorded, not run.',
  }),
  scheduleLeaseMs: def({
    env: 'SCHEDULE_LEASE_MS',
    kind: 'int',
    schema: positiveInt.min(1000).default(60_000),
    description: 'How long a running job holds its lease without renewal (so one instance runs it; a crashed one frees it).',
  }),
  scheduleShutdownMs: def({
    env: 'SCHEDULE_SHUTDOWN_MS',
    kind: 'int',
    schema: z.number().int().nonnegative().default(30_000),
    description: 'On shutdown, how long cancelled jobs get to finish before their leases are released anyway.',
  }),
  mapTileUrl: def({
    env: 'MAP_TILE_URL',
    kind: 'string',
    schema: z
      .string()
      .regex(/^(https?:\/\/\S*\{z\}\S*\{x\}\S*\{y\}\S*)?$/, 'must be an http(s) tile URL with {z}, {x} and {y}, or empty for no tiles')
      .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
    description: "Map tiles of the Map page ({z}/{x}/{y} template); empty for none (the points still draw). Default: OpenStreetMap's.",
  }),
  backupDir: def({
    env: 'BACKUP_DIR',
    kind: 'string',
    schema: z.string().min(1).optional(),
    description: 'Folder of the backups (`phoenix-re backup` without `--out`, and the monthly schedule). Unset: `backups` in the data folder.',
  }),
  backupKeep: def({
    env: 'BACKUP_KEEP',
    kind: 'int',
    schema: positiveInt.max(1000).default(12),
    description: 'Backups kept in the backup folder: after each successful backup the oldest beyond this many are deleted.',
  }),
} as const;

export type SettingKey = keyof typeof SETTING_DEFS;
export const SETTING_KEYS = Object.keys(SETTING_DEFS) as SettingKey[];

type Shape = { [K in SettingKey]: (typeof SETTING_DEFS)[K]['schema'] };

/** The settings object, validated, with every default applied. */
export const settingsSchema = z.strictObject(
  Object.fromEntries(SETTING_KEYS.map((k) => [k, SETTING_DEFS[k].schema])) as Shape,
);
export type Settings = z.infer<typeof settingsSchema>;

/** A layer of overrides (file, document, environment): any subset, values not yet validated. */
export type SettingsLayer = Partial<Record<SettingKey, unknown>>;

export function isSecretSetting(key: SettingKey): boolean {
  return SETTING_DEFS[key].secret !== undefined;
}

/** Parse one environment string into the JSON value its setting expects; errors say why. */
export function parseEnvValue(key: SettingKey, raw: string): unknown {
  const { kind } = SETTING_DEFS[key];
  const text = raw.trim();
  switch (kind) {
    case 'string':
    case 'url':
    case 'enum':
      return text;
    case 'int':
    case 'number': {
      if (text === '' || !Number.isFinite(Number(text))) return text; // let the schema say "expected number"
      return Number(text);
    }
    case 'boolean':
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off)$/i.test(text)) return false;
      return text;
    case 'list':
      return text === '' ? [] : text.split(',').map((s) => s.trim()).filter(Boolean);
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text; // the schema then says what it expected
      }
    default:
      return assertNever(kind);
  }
}

/** Replace the password of a MongoDB URI with `***` (the URI itself stays useful in logs). */
export function maskUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)([^:@/]+):([^@/]*)@/, '$1$2:***@');
}

/** The settings with every secret replaced by whether it is set: what `config show` prints. */
export function maskSettings(settings: Settings): Record<SettingKey, unknown> {
  const out = {} as Record<SettingKey, unknown>;
  for (const key of SETTING_KEYS) {
    const value = settings[key];
    const secret = SETTING_DEFS[key].secret;
    if (secret === 'value') out[key] = value === undefined ? undefined : '(set)';
    else if (secret === 'uri-password' && typeof value === 'string') out[key] = maskUri(value);
    else out[key] = value;
  }
  return out;
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
