import { z } from 'zod';
import { dealStatusSchema } from './analyst-layer.js';
import { dateSchema, sourceSchema } from './common.js';
import { valueBasisSchema } from './underwriting.js';
import { RECOMMENDATIONS } from '../underwriting/underwrite.js';
import { underwritingOverridesSchema } from '../underwriting/overrides.js';

/**
 * The seed's raw property data, as a collector maps it.
 *
 * Fields a source does not publish are `null`, never guessed (the assessor has no bedrooms).
 * Collectors may add their own fields; unknown keys are kept.
 */
export const rawPropertyDataSchema = z.looseObject({
  parcel_number: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  list_price: z.number().nullable().optional(),
  sale_price: z.number().nullable().optional(),
  sale_date: z.string().nullable().optional(),
  bedrooms: z.number().nullable().optional(),
  bathrooms: z.number().nullable().optional(),
  square_feet: z.number().nullable().optional(),
  lot_size: z.number().nullable().optional(),
  year_built: z.number().int().nullable().optional(),
  /** Set on the records the sample data made; a real sync of the same property drops it. */
  sample: z.literal(true).optional(),
});
export type RawPropertyData = z.infer<typeof rawPropertyDataSchema>;

/** One price seen for a property, kept when a re-collected record's price changed. */
export const priceHistoryEntrySchema = z.object({
  at: dateSchema,
  price: z.number().nullable(),
  field: z.string(),
});
export type PriceHistoryEntry = z.infer<typeof priceHistoryEntrySchema>;

/**
 * Fields copied from the raw data and the pipeline so the property list can filter, sort and
 * page over one collection (there is no `$lookup` in FerretDB).
 */
export const propertySummarySchema = z.object({
  address: z.string().nullable(),
  /**
   * The address's canonical key (`4600 N 68TH ST #371|85251`, shared/address.ts `addressKey`),
   * which the list's search matches a typed address against; absent on records stored before it.
   */
  address_key: z.string().nullable().optional(),
  zip: z.string().nullable(),
  /** A listing's asking price only (dollars); a parcel that is not listed has none. */
  price: z.number().nullable(),
  bedrooms: z.number().nullable(),
  bathrooms: z.number().nullable(),
  square_feet: z.number().nullable(),
  year_built: z.number().nullable(),
  status: z.string().nullable(),
  quality_score: z.number().nullable(),
  /** Made by the sample data (`phoenix-re sample load`), not collected: shown with a badge. */
  sample: z.literal(true).optional(),
  /** Summary fields whose value is an estimate, not a published fact (`bathrooms` from fixtures ÷ 3). */
  estimated: z.array(z.string()).optional(),
  /**
   * From the analyst's layer, carried when the record is collected again (`summarize`): the
   * summary fields the analyst corrected (their values are the analyst's), the tags and the deal
   * status, which the list filters on.
   */
  analyst_fields: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  deal_status: dealStatusSchema.nullable().optional(),
  /** When the deal entered `deal_status` (the layer's `status.set_at`): the Pipeline's days in status. */
  deal_status_at: dateSchema.nullable().optional(),
  /** Coordinates (WGS 84 degrees) when the source gives them: the map draws these. */
  lat: z.number().optional(),
  lon: z.number().optional(),
  /** Dollars: the latest price seen minus the one before it (negative: a price drop). */
  price_change: z.number().optional(),
  /**
   * From processing (absent before): the value in dollars (the automated valuation's estimate,
   * never the asking price), its basis and the day it is as of (`YYYY-MM-DD`).
   */
  value: z.number().nullable().optional(),
  value_basis: valueBasisSchema.nullable().optional(),
  value_date: z.string().nullable().optional(),
  /** The value's 80% range, dollars (absent on records processed before the automated valuation). */
  value_low: z.number().nullable().optional(),
  value_high: z.number().nullable().optional(),
  /** How sure the value is (`Appraisal.confidence`: `high` within ±10%, `medium` ±20%, else `low`). */
  value_confidence: z.enum(['high', 'medium', 'low']).nullable().optional(),
  /** The asking price ÷ the value, a fraction (0.92 = listed 8% under value); null when not listed or no value. */
  list_to_value: z.number().nullable().optional(),
  /** Estimated market rent, dollars a month, and how it was estimated (`702 sq ft × $1.1/sq ft (default rate)`). */
  rent: z.number().nullable().optional(),
  rent_detail: z.string().nullable().optional(),
  /** Fractions (0.065 = 6.5%). */
  cap_rate: z.number().nullable().optional(),
  cash_on_cash: z.number().nullable().optional(),
  /** The underwriting's cash flow after the loan, dollars a month (negative: the property costs money each month). */
  cash_flow_monthly: z.number().nullable().optional(),
  recommendation: z.enum(RECOMMENDATIONS).nullable().optional(),
  /**
   * From processing: the analyst's saved what-if terms the underwriting above was computed with
   * (price and rent in dollars, rates as fractions; `properties.setTerms`), null when it used the
   * settings' terms and the property's own price and rent. The list marks such a row "your terms"
   * (issue #23: a cap rate from saved terms of $290,000 and 30% down sat beside the asking price).
   */
  own_terms: underwritingOverridesSchema.nullable().optional(),
  /**
   * From processing: the record this one's property is listed under, when the property has
   * records from several sources (the processed property's `raw_id`). The list shows that
   * record's row only: one row per property.
   */
  merged_into: z.string().nullable().optional(),
  /** From processing, on the row a merged property is listed under: the raw ids of all its records (`armls_export:6181273`, …). */
  records: z.array(z.string()).optional(),
});

/**
 * The summary fields processing fills (the rest come from the raw data at collection) and
 * carries over when the record is collected again, until it is processed again.
 */
export const PIPELINE_SUMMARY_FIELDS = ['status', 'quality_score', 'value', 'value_basis', 'value_date', 'value_low', 'value_high', 'value_confidence', 'list_to_value', 'rent', 'rent_detail', 'cap_rate', 'cash_on_cash', 'cash_flow_monthly', 'recommendation', 'own_terms', 'merged_into', 'records'] as const;
/**
 * Facts processing writes on a merged property's row, from all its records (the assessor's
 * parcel has no bedrooms or asking price; its listing does; its `/parcel` answer has no
 * coordinates, its parcel-layer record does): replaced by the record's own when it is collected
 * again, until it is processed again.
 */
export const MERGED_DETAIL_FIELDS = ['price', 'bedrooms', 'bathrooms', 'square_feet', 'year_built', 'estimated', 'lat', 'lon'] as const;
export type PipelineSummary = Partial<Pick<PropertySummary, (typeof PIPELINE_SUMMARY_FIELDS)[number] | (typeof MERGED_DETAIL_FIELDS)[number]>>;
export type PropertySummary = z.infer<typeof propertySummarySchema>;

/** The seed's raw property document: data as received, one per (source, source id). */
export const rawPropertySchema = z.object({
  _id: z.string(),
  source: sourceSchema,
  source_id: z.string(),
  collected_at: dateSchema,
  updated_at: dateSchema,
  content_hash: z.string(),
  data: rawPropertyDataSchema,
  original: z.unknown(),
  price_history: z.array(priceHistoryEntrySchema),
  summary: propertySummarySchema,
});
export type RawProperty = z.infer<typeof rawPropertySchema>;

/** What a collector hands to storage: the rest is derived. */
export const rawPropertyInputSchema = z.object({
  source: sourceSchema,
  source_id: z.string().min(1),
  data: rawPropertyDataSchema,
  original: z.unknown(),
});
export type RawPropertyInput = z.infer<typeof rawPropertyInputSchema>;

/** The `_id` of a raw property: stable, readable, unique across sources. */
export function rawPropertyId(source: string, sourceId: string): string {
  return `${source}:${sourceId}`;
}
