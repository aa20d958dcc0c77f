import { z } from 'zod';
import { zipCodeSchema } from './zip-code.js';
import { dateSchema, daySchema, sourceSchema } from './schemas/common.js';
import { PROPERTY_TYPES, processedPropertySchema } from './schemas/processed-property.js';
import { queueCountsSchema, queueItemSchema, queueStatusSchema, queueErrorSchema } from './schemas/queue.js';
import { priceHistoryEntrySchema, propertySummarySchema } from './schemas/raw-property.js';
import { runKindSchema, runSchema } from './schemas/run.js';
import { scheduleViewSchema } from './schemas/schedule.js';
import { llmBatchSchema } from './schemas/llm-batch.js';
import { underwritingSchema, valueBasisSchema } from './schemas/underwriting.js';
import { accuracyReportSchema } from './schemas/accuracy-report.js';
import { underwritingOverridesSchema } from './underwriting/overrides.js';
import { saveScenarioInputSchema, scenarioNameSchema } from './schemas/deal-scenario.js';
import { CORRECTABLE_FIELDS, analystCorrectionsSchema, analystLayerSchema, dealStatusSchema, tagSchema } from './schemas/analyst-layer.js';
import { RECOMMENDATIONS } from './underwriting/underwrite.js';
import { dealPipelineInputSchema, dealPipelineSchema } from './schemas/deal-pipeline.js';
import { CONNECTION_TARGETS, connectionTestSchema, settingViewSchema, settingsUpdateResultSchema } from './schemas/setting-view.js';

/**
 * Every call the console can make and every event the main side pushes.
 *
 * The Electron shell (IPC), the HTTP shell (`POST /api/<method>`, server-sent events) and tests
 * (direct calls) all serve exactly this map; none adds a private channel. Inputs are validated
 * with these schemas at each shell's edge, outputs before they leave.
 */

const noInput = z.strictObject({}).optional().default({});

/**
 * A health check at one of three levels: `ok`; `warn`, something that will fail or is missing
 * but nothing is broken yet (a key not set while its schedule is on); `fail`, broken now. `ok`
 * is false only at `fail`.
 */
export const HEALTH_LEVELS = ['ok', 'warn', 'fail'] as const;
export const healthCheckSchema = z.object({ name: z.string(), ok: z.boolean(), level: z.enum(HEALTH_LEVELS), detail: z.string() });
/** `ok`: no check fails (warnings allowed); `warnings`: how many checks warn. */
export const healthReportSchema = z.object({ ok: z.boolean(), warnings: z.number().int().nonnegative(), checks: z.array(healthCheckSchema) });
export type HealthReport = z.infer<typeof healthReportSchema>;

const bySourceSchema = z.record(z.string(), z.number());

export const dailyPointSchema = z.object({
  day: daySchema,
  source: z.string(),
  collected: z.number(),
  processed: z.number(),
  failed: z.number(),
  tokens: z.number(),
  cost_usd: z.number(),
  quality_mean: z.number().nullable(),
  api_requests: z.number(),
  api_errors: z.number(),
});
export type DailyPoint = z.infer<typeof dailyPointSchema>;

export const overviewSchema = z.object({
  day: daySchema,
  collected: z.object({ today: bySourceSchema, last7Days: bySourceSchema }),
  queue: queueCountsSchema,
  llm: z.object({ spentTodayUsd: z.number(), dailyBudgetUsd: z.number(), tokensToday: z.number() }),
  quality: z.object({ meanToday: z.number().nullable(), countToday: z.number() }),
  daily: z.array(dailyPointSchema),
  lastRuns: z.array(runSchema),
  /** The MLS collector's proxies as its last run left them. */
  proxies: z.object({ total: z.number(), healthy: z.number(), benched: z.number(), meanLatencyMs: z.number().nullable() }),
});
export type Overview = z.infer<typeof overviewSchema>;

/** A queue item with the property it is about, as the review and failure lists show it. */
export const queueEntrySchema = z.object({
  id: z.string(),
  status: queueStatusSchema,
  attempts: z.number().int(),
  updated_at: dateSchema,
  review_reasons: z.array(z.string()),
  errors: z.array(queueErrorSchema),
  last_error: z.string().nullable(),
  property: propertySummarySchema.nullable(),
});

/** Fields the analyst may correct when approving a held item (kept in the analyst's layer). */
export const reviewEditsSchema = analystCorrectionsSchema;
export type ReviewEdits = z.infer<typeof reviewEditsSchema>;

export const costsSummarySchema = z.object({
  days: z.array(z.object({ day: daySchema, llm_usd: z.number(), captcha_usd: z.number(), by_model: z.record(z.string(), z.number()) })),
  month: z.object({
    month: z.string(),
    llm_usd: z.number(),
    captcha_usd: z.number(),
    fixed_usd: z.number(),
    total_usd: z.number(),
    budget_usd: z.number(),
  }),
  fixed: z.object({ proxies_usd: z.number(), database_usd: z.number() }),
  /** This month by model; `reasoning_tokens`: a reasoning model's hidden output, billed as output. */
  models: z.array(z.object({ model: z.string(), cost_usd: z.number(), calls: z.number(), reasoning_tokens: z.number() })),
  today: z.object({ llm_usd: z.number(), daily_budget_usd: z.number() }),
});
export type CostsSummary = z.infer<typeof costsSummarySchema>;

export const PROPERTY_SORT_FIELDS = [
  'collected_at',
  'updated_at',
  'price',
  'zip',
  'bedrooms',
  'bathrooms',
  'square_feet',
  'year_built',
  'quality_score',
  'address',
  'price_change',
  'value',
  'value_date',
  'list_to_value',
  'rent',
  'cap_rate',
  'cash_on_cash',
  'cash_flow_monthly',
  'recommendation',
] as const;

const nonNegative = z.number().nonnegative();

export const propertyFiltersSchema = z.strictObject({
  zip: z.array(zipCodeSchema).max(50).optional(),
  source: sourceSchema.optional(),
  status: queueStatusSchema.optional(),
  minPrice: nonNegative.optional(),
  maxPrice: nonNegative.optional(),
  minBeds: nonNegative.optional(),
  minQuality: z.number().min(0).max(1).optional(),
  maxQuality: z.number().min(0).max(1).optional(),
  search: z.string().trim().max(200).optional(),
  /** Only properties whose last price change was a drop. */
  priceDropped: z.literal(true).optional(),
  /** The value (dollars) and its basis, from processing. */
  minValue: nonNegative.optional(),
  maxValue: nonNegative.optional(),
  valueBasis: valueBasisSchema.optional(),
  /**
   * The asking price ÷ the value, fractions (0.95 = listed 5% under value): `maxListToValue`
   * 0.95 keeps the listings at least 5% under their value. A row with no ratio (not listed, no
   * value) is kept by neither.
   */
  minListToValue: z.number().min(0).max(10).optional(),
  maxListToValue: z.number().min(0).max(10).optional(),
  /** Fractions (0.05 = 5%). */
  minCapRate: z.number().min(-1).max(1).optional(),
  minCashOnCash: z.number().min(-10).max(10).optional(),
  recommendation: z.enum(RECOMMENDATIONS).optional(),
  /** The analyst's lists: properties carrying this tag, or in this deal status. */
  tag: tagSchema.optional(),
  dealStatus: dealStatusSchema.optional(),
});
export type PropertyFilters = z.infer<typeof propertyFiltersSchema>;

export const propertyListInputSchema = z
  .strictObject({
    page: z.number().int().min(1).default(1),
    pageSize: z.number().int().min(1).max(500).default(50),
    sort: z
      .strictObject({
        field: z.enum(PROPERTY_SORT_FIELDS),
        direction: z.enum(['asc', 'desc']),
      })
      .default({ field: 'collected_at', direction: 'desc' }),
    filters: propertyFiltersSchema.default({}),
  })
  .optional()
  .default({ page: 1, pageSize: 50, sort: { field: 'collected_at', direction: 'desc' }, filters: {} });
export type PropertyListInput = z.infer<typeof propertyListInputSchema>;

export const propertyRowSchema = z.object({
  id: z.string(),
  source: sourceSchema,
  source_id: z.string(),
  collected_at: dateSchema,
  updated_at: dateSchema,
  ...propertySummarySchema.shape,
});
export type PropertyRow = z.infer<typeof propertyRowSchema>;

/** Photos a record brings to the property page at most (the page shows six). */
export const RECORD_PHOTO_LIMIT = 24;

/**
 * One record of a property (a property merged from several sources has one per source), as the
 * property page shows it: its photos, its sales (`date` `YYYY-MM-DD`, `price` dollars, the
 * `source` that recorded it), its sale price and day on record, its listing (page URL, status,
 * asking price in dollars) and its price history. Never the original payload: the page names
 * each record and links to it; the record's own page shows the rest.
 */
export const propertyRecordSchema = z.object({
  id: z.string(),
  source: sourceSchema,
  source_id: z.string(),
  collected_at: dateSchema,
  /** At most `RECORD_PHOTO_LIMIT` photo URLs, in the record's order. */
  photo_urls: z.array(z.string()).max(RECORD_PHOTO_LIMIT),
  sales: z.array(z.object({ date: daySchema, price: z.number().positive(), source: z.string() })).max(50),
  sale_price: z.number().nullable(),
  sale_date: z.string().nullable(),
  listing_url: z.string().nullable(),
  listing_status: z.string().nullable(),
  list_price: z.number().nullable(),
  price_history: z.array(priceHistoryEntrySchema),
});
export type PropertyRecord = z.infer<typeof propertyRecordSchema>;

/** A property's raw id (`maricopa_api:509-11-455`), as the list and `properties.get` name it. */
const propertyIdSchema = z.string().min(1).max(200);

export const propertyDetailSchema = z.object({
  id: z.string(),
  source: sourceSchema,
  source_id: z.string(),
  collected_at: dateSchema,
  updated_at: dateSchema,
  data: z.record(z.string(), z.unknown()),
  original: z.unknown(),
  price_history: z.array(priceHistoryEntrySchema),
  processed: processedPropertySchema.nullable(),
  queue: queueItemSchema.nullable(),
  /** Every record of the property, this one first, then the others in the processed property's order. */
  records: z.array(propertyRecordSchema).min(1),
  /** The analyst's own work on the property (corrections, terms, notes, tags, deal status, each with when), null when none. */
  analyst: analystLayerSchema.nullable(),
});
export type PropertyDetail = z.infer<typeof propertyDetailSchema>;

/** A named filter set; with `alert`, each run that brings a new match or a price drop raises an alert. */
export const savedSearchSchema = z.object({
  id: z.string(),
  name: z.string(),
  filters: propertyFiltersSchema,
  alert: z.boolean(),
  created_at: dateSchema,
  /** When its matches were last compared with the ones before (null: not yet). */
  checked_at: dateSchema.nullable(),
  /** Properties matching at that check. */
  matches: z.number().int().nonnegative(),
});
export type SavedSearch = z.infer<typeof savedSearchSchema>;

/** A property that newly matched a saved search, or whose price dropped while it matched. */
export const searchAlertSchema = z.object({
  id: z.string(),
  search_id: z.string(),
  search_name: z.string(),
  property_id: z.string(),
  address: z.string().nullable(),
  kind: z.enum(['new_match', 'price_drop']),
  /** Dollars: the price now, and for a drop the one before. */
  price: z.number().nullable(),
  previous_price: z.number().nullable(),
  at: dateSchema,
  /** America/Phoenix day of `at`, `YYYY-MM-DD`. */
  day: daySchema,
  seen: z.boolean(),
});
export type SearchAlert = z.infer<typeof searchAlertSchema>;

export const contract = {
  'health.get': {
    description: 'The daily health checks: database, disk, keys configured, queue, spend.',
    input: noInput,
    output: healthReportSchema,
  },
  'stats.overview': {
    description: "The dashboard's figures: volume, queue depth, spend, quality, daily series, last runs.",
    input: noInput,
    output: overviewSchema,
  },
  'properties.list': {
    description: 'One page of properties with server-side sort and filters.',
    input: propertyListInputSchema,
    output: z.object({
      items: z.array(propertyRowSchema),
      total: z.number().int().nonnegative(),
      page: z.number().int(),
      pageSize: z.number().int(),
    }),
  },
  'properties.get': {
    description: "One property: raw record, processed record, queue state, price history and the property's records from every source.",
    input: z.strictObject({ id: z.string().min(1).max(200) }),
    output: propertyDetailSchema,
  },
  'properties.report': {
    description:
      "The property's report (PDF: photos, value and range with its comparables, rent, deal figures and projection, the analyst's notes). The desktop app asks where to save it (a save dialog) and answers the path, or that the user canceled; a shell without a dialog (HTTP) answers the file itself, base64, for the client to save (a browser's download).",
    input: z.strictObject({ id: propertyIdSchema }),
    output: z.discriminatedUnion('delivered', [
      z.object({ delivered: z.literal('saved'), filename: z.string(), path: z.string() }),
      z.object({ delivered: z.literal('canceled'), filename: z.string() }),
      z.object({ delivered: z.literal('attached'), filename: z.string(), pdf_base64: z.string().base64() }),
    ]),
  },
  'properties.setTerms': {
    description: "Save the analyst's price, rent and loan terms for one property (null clears them); its underwriting and list row are recomputed at once.",
    input: z.strictObject({ id: z.string().min(1).max(200), terms: underwritingOverridesSchema.nullable() }),
    output: z.object({ underwriting: underwritingSchema }),
  },
  'properties.correct': {
    description: "Correct fields of one property (bedrooms, bathrooms, size, year built, asking price, description): kept in the analyst's layer over every source, across re-collection and reprocessing; its figures and list row are recomputed at once.",
    input: z.strictObject({
      id: propertyIdSchema,
      corrections: analystCorrectionsSchema.refine((c) => Object.keys(c).length > 0, 'give at least one field to correct'),
    }),
    output: z.object({ analyst: analystLayerSchema }),
  },
  'properties.clearCorrections': {
    description: "Clear the analyst's corrections of the fields named: the property is queued for processing, which brings the collected values back.",
    input: z.strictObject({ id: propertyIdSchema, fields: z.array(z.enum(CORRECTABLE_FIELDS, { error: `expected a corrected field: ${CORRECTABLE_FIELDS.join(', ')}` })).min(1) }),
    output: z.object({ analyst: analystLayerSchema, queued: z.boolean() }),
  },
  'properties.setNotes': {
    description: "Write the analyst's notes on one property (null clears them), kept across re-collection and reprocessing.",
    input: z.strictObject({ id: propertyIdSchema, notes: z.string().trim().min(1, 'notes are empty: send null to clear them').max(10_000).nullable() }),
    output: z.object({ analyst: analystLayerSchema }),
  },
  'properties.setTags': {
    description: "Replace the analyst's tags of one property (an empty list clears them).",
    input: z.strictObject({ id: propertyIdSchema, tags: z.array(tagSchema).max(30, 'at most 30 tags') }),
    output: z.object({ analyst: analystLayerSchema }),
  },
  'properties.setStatus': {
    description: "Set the deal status of one property (new, watching, offer, under contract, passed); each change is kept in its history with when and by whom.",
    input: z.strictObject({ id: propertyIdSchema, status: dealStatusSchema }),
    output: z.object({ analyst: analystLayerSchema }),
  },
  'properties.pipeline': {
    description: "The analyst's deals by status (the Pipeline): per status its count and its latest-moved cards (address, asking price, value with basis, cap rate, days in status); only the deals with a tag when given.",
    input: dealPipelineInputSchema,
    output: dealPipelineSchema,
  },
  'properties.saveScenario': {
    description:
      "Save a deal scenario of one property (base, bull, bear or a name of the analyst's): every input of the deal model in its units (dollars, rates as fractions, years), kept in the analyst's layer across re-collection, reprocessing and restore; saved again under its name it replaces the one before; rename_from renames one.",
    input: saveScenarioInputSchema,
    output: z.object({ analyst: analystLayerSchema }),
  },
  'properties.deleteScenario': {
    description: 'Delete a deal scenario of one property, by name.',
    input: z.strictObject({ id: propertyIdSchema, name: scenarioNameSchema }),
    output: z.object({ analyst: analystLayerSchema }),
  },
  'properties.setComparableIncluded': {
    description:
      "Exclude one comparable sale from a property's value (included false) or include it again (true): kept in the analyst's layer across re-collection, reprocessing and restore; the property is revalued by processing at once (runId: that run, null while a worker is processing it already, which revalues it again when done).",
    input: z.strictObject({ id: propertyIdSchema, sale_id: z.string().min(1).max(300), included: z.boolean() }),
    output: z.object({ analyst: analystLayerSchema, runId: z.string().nullable() }),
  },
  'accuracy.report': {
    description:
      "The valuation's accuracy report (IAAO ratio study): every market sale valued leave-one-out as of the day before it closed; median ratio, COD, PRD, PRB with 95% intervals and IAAO targets, shares within ±10/±20%, coverage, how often the 80% range held; by ZIP, type and price quartile; the values shown before each sale. Recorded as a run; answers when done.",
    input: z
      .strictObject({ zip: zipCodeSchema.optional(), type: z.enum(PROPERTY_TYPES, { error: `expected a property type: ${PROPERTY_TYPES.join(', ')}` }).optional() })
      .optional()
      .default({}),
    output: accuracyReportSchema,
  },
  'runs.list': {
    description: 'The latest runs, newest first.',
    input: z
      .strictObject({
        limit: z.number().int().min(1).max(200).default(20),
        kind: runKindSchema.optional(),
        source: z.string().max(50).optional(),
      })
      .optional()
      .default({ limit: 20 }),
    output: z.object({ items: z.array(runSchema) }),
  },
  'collect.sync': {
    description:
      "Start a sync (Sync now): the assessor's API (ZIP codes, APNs, queries), the MLS site (ZIP codes) or the county's parcel layer (ZIP codes, cities); answers with the run id at once, its plan and progress come as run.progress.",
    input: z.strictObject({
      source: z.enum(['maricopa_api', 'phoenix_mls', 'county_layer']),
      zips: z.array(zipCodeSchema).max(50).default([]),
      /** Situs cities of the county parcel layer (`PHOENIX`, `GLENDALE`): the county sync only. */
      cities: z.array(z.string().trim().regex(/^[A-Za-z][A-Za-z .'-]{1,39}$/, 'expected a city name (letters, spaces, . \' -)')).max(20).optional(),
      apns: z.array(z.string().min(8).max(14)).max(1000).default([]),
      queries: z.array(z.string().min(2).max(100)).max(20).default([]),
      limit: z.number().int().positive().max(100_000).optional(),
      refresh: z.boolean().default(false),
    }),
    output: z.object({ runId: z.string() }),
  },
  'collect.import': {
    description:
      "Start an import (Import on the Collection page): an ARMLS CSV export, saved assessor /parcel JSON files (a file or a folder), or the county's parcel file (GeoJSON or CSV, `parcels`), read from this computer; answers with the run id at once, progress comes as run.progress.",
    input: z.strictObject({
      kind: z.enum(['armls', 'assessor', 'parcels']),
      path: z.string().trim().min(1, 'give the path of a file on this computer').max(4096),
    }),
    output: z.object({ runId: z.string() }),
  },
  'processing.run': {
    description: 'Process a batch of the queue (Process now); answers with the run id at once.',
    input: z
      .strictObject({
        batchSize: z.number().int().positive().max(10_000).optional(),
        concurrency: z.number().int().positive().max(64).optional(),
      })
      .optional()
      .default({}),
    output: z.object({ runId: z.string() }),
  },
  'processing.reprocess': {
    description: 'Queue items again: every item in a status, or the ones named.',
    input: z.strictObject({
      status: z.enum(['failed', 'review', 'completed', 'all']).optional(),
      ids: z.array(z.string().min(1).max(200)).max(10_000).optional(),
    }),
    output: z.object({ queued: z.number().int().nonnegative() }),
  },
  'runs.cancel': {
    description: 'Cancel a run going on in this process; false when it is not running here.',
    input: z.strictObject({ runId: z.string().min(1).max(100) }),
    output: z.object({ cancelled: z.boolean() }),
  },
  'runs.resume': {
    description: 'Resume an assessor sync that was cancelled, failed or interrupted, without fetching again what it stored; answers with the new run id.',
    input: z.strictObject({ runId: z.string().min(1).max(100) }),
    output: z.object({ runId: z.string() }),
  },
  'queue.summary': {
    description: 'Queue depth by status.',
    input: noInput,
    output: z.object({ counts: queueCountsSchema, total: z.number().int().nonnegative() }),
  },
  'queue.items': {
    description: 'Items in one status (the review list, failed items) with their reasons or errors, newest first.',
    input: z.strictObject({
      status: z.enum(['failed', 'review', 'pending', 'processing', 'completed']),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    }),
    output: z.object({ items: z.array(queueEntrySchema), total: z.number().int().nonnegative() }),
  },
  'review.resolve': {
    description: 'Settle an item the validator held: approve it (optionally with corrected fields) or send it back for processing.',
    input: z.strictObject({
      id: z.string().min(1).max(200),
      action: z.enum(['approve', 'reprocess']),
      edits: reviewEditsSchema.optional(),
    }),
    output: z.object({ status: queueStatusSchema }),
  },
  'review.approveMany': {
    description: 'Approve several held items at once (the ones named, or every item held), each with the same corrections if given.',
    input: z
      .strictObject({
        ids: z.array(z.string().min(1).max(200)).min(1).max(10_000).optional(),
        all: z.literal(true).optional(),
        edits: reviewEditsSchema.optional(),
      })
      .refine((i) => (i.ids === undefined) !== (i.all === undefined), 'give either ids or all: true'),
    output: z.object({
      approved: z.number().int().nonnegative(),
      /** Items not approved, each with why (changed meanwhile, no record to correct). */
      skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
    }),
  },
  'runs.get': {
    description: 'One run: parameters, counters, errors and times (the run detail page).',
    input: z.strictObject({ runId: z.string().min(1).max(100) }),
    output: runSchema,
  },
  'searches.list': {
    description: 'The saved searches, with how many properties matched at their last check.',
    input: noInput,
    output: z.object({ items: z.array(savedSearchSchema) }),
  },
  'searches.save': {
    description: 'Save a filter set under a name (the same name replaces it); its current matches are the baseline for alerts.',
    input: z.strictObject({ name: z.string().trim().min(1).max(80), filters: propertyFiltersSchema, alert: z.boolean().default(true) }),
    output: z.object({ search: savedSearchSchema }),
  },
  'searches.delete': {
    description: 'Delete a saved search and its alerts.',
    input: z.strictObject({ id: z.string().min(1).max(100) }),
    output: z.object({ deleted: z.boolean() }),
  },
  'searches.alerts': {
    description: "Alerts of one day (today, America/Phoenix, by default), newest first, and how many alerts are unseen.",
    input: z.strictObject({ day: daySchema.optional() }).optional().default({}),
    output: z.object({ items: z.array(searchAlertSchema), unseen: z.number().int().nonnegative() }),
  },
  'searches.markSeen': {
    description: 'Mark every alert seen (the badge clears).',
    input: noInput,
    output: z.object({ marked: z.number().int().nonnegative() }),
  },
  'searches.check': {
    description: 'Compare each alerting saved search with its last matches now (also done after every run).',
    input: noInput,
    output: z.object({ alerts: z.number().int().nonnegative() }),
  },
  'batches.list': {
    description: 'The Batch API jobs of the evening processing run, newest first: state, counts, what ingestion did.',
    input: z.strictObject({ limit: z.number().int().min(1).max(200).default(20) }).optional().default({ limit: 20 }),
    output: z.array(llmBatchSchema),
  },
  'costs.summary': {
    description: 'Spend by service and day (LLM by model, CAPTCHA, fixed monthly costs) against the budgets.',
    input: z.strictObject({ days: z.number().int().min(1).max(366).default(30) }).optional().default({ days: 30 }),
    output: costsSummarySchema,
  },
  'settings.get': {
    description: 'Every setting: value (secrets only whether set), where it comes from, whether it can be edited here.',
    input: noInput,
    output: z.object({ settings: z.array(settingViewSchema) }),
  },
  'settings.update': {
    description: 'Save settings (by environment name, as typed in .env; null restores the default), validated as a whole.',
    input: z.strictObject({ values: z.record(z.string().min(1).max(80), z.string().max(200_000).nullable()) }),
    output: settingsUpdateResultSchema,
  },
  'settings.test': {
    description: 'Test a connection with the settings in force: MongoDB, the assessor API or the LLM.',
    input: z.strictObject({ target: z.enum(CONNECTION_TARGETS) }),
    output: connectionTestSchema,
  },
  'schedule.list': {
    description: 'Scheduled jobs with their switch, next due time, last run and whether one is running.',
    input: noInput,
    output: z.object({ jobs: z.array(scheduleViewSchema) }),
  },
  'schedule.setEnabled': {
    description: "Switch a scheduled job on or off (kept in the database, for every instance).",
    input: z.strictObject({ id: z.string().min(1).max(40), enabled: z.boolean() }),
    output: z.object({ job: scheduleViewSchema }),
  },
  'schedule.runNow': {
    description: 'Run a scheduled job now; skipped (and recorded) while a run of it is still going.',
    input: z.strictObject({ id: z.string().min(1).max(40) }),
    output: z.object({ runId: z.string(), status: z.enum(['started', 'skipped']), message: z.string().nullable() }),
  },
  'sample.status': {
    description:
      'How many sample records the database holds, the properties they make (a sample listing and its parcel are one property, one row of the list), and how many records in all (the console offers the sample on an empty database).',
    input: noInput,
    output: z.object({ records: z.number().int().nonnegative(), properties: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  },
  'sample.load': {
    description: 'Load the sample data through the real mapping, upsert, queue and processing (rules provider); answers when it is processed.',
    input: noInput,
    output: z.object({ run: runSchema, processing: runSchema }),
  },
  'sample.remove': {
    description: 'Delete exactly what the sample data made: its records, processed records, queue items and runs.',
    input: noInput,
    output: z.object({ records: z.number().int(), processed: z.number().int(), queueItems: z.number().int(), runs: z.number().int() }),
  },
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export const events = {
  'run.progress': runSchema,
  'queue.changed': z.object({ counts: queueCountsSchema }),
  /** A check of the saved searches raised alerts (new matches, price drops). */
  'alerts.raised': z.object({ count: z.number().int().positive() }),
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export const EVENT_NAMES = Object.keys(events) as EventName[];
export type EventPayload<E extends EventName> = z.output<Events[E]>;

/** What every shell's API object implements: one async function per contract method. */
export type ContractApi = {
  [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>>;
};

/** The HTTP status of each error a contract call may end with (PAYLOAD_TOO_LARGE: a body over the HTTP shell's MAX_BODY_BYTES). */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export const contractErrorSchema = z.object({
  error: z.object({ code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]), message: z.string() }),
});

/** An error a shell reports as `{error: {code, message}}`; its message is safe to show. */
export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

/** Turn a zod error into one line that says what is wrong and where. */
export function describeZodError(error: z.ZodError, where: string): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    // An issue can list every unknown key (50,000 keys made a 575 KB error): each is cut at 300 characters.
    const message = issue.message.length > 300 ? `${issue.message.slice(0, 300)}…` : issue.message;
    return `${path}: ${message}`;
  });
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return `${where}: ${parts.join('; ')}${more}`;
}

/** Validate a call's input against the contract; a bad one is a BAD_REQUEST naming the field. */
export function parseMethodInput<M extends MethodName>(method: M, input: unknown): MethodParsedInput<M> {
  const result = contract[method].input.safeParse(input);
  if (!result.success) throw new ContractError('BAD_REQUEST', describeZodError(result.error, `Invalid input for ${method}`));
  return result.data as MethodParsedInput<M>;
}
