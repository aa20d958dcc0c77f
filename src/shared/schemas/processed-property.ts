import { z } from 'zod';
import { dateSchema } from './common.js';
import { underwritingOverridesSchema } from '../underwriting/overrides.js';
import { underwritingSchema, valuationSchema, valueBasisSchema } from './underwriting.js';

export const PROPERTY_TYPES = [
  'single_family',
  'condo',
  'townhouse',
  'multi_family',
  'mobile_home',
  'land',
  'commercial',
  'other',
] as const;
export const propertyTypeSchema = z.enum(PROPERTY_TYPES);

export const MARKET_TRENDS = ['appreciating', 'stable', 'declining', 'insufficient_data'] as const;

/**
 * The seed's `normalized` block. `pricing.list_price` is a listing's asking price only (null for
 * a parcel that is not listed); the property's value, its basis and date sit beside it
 * (`src/shared/underwriting/value.ts` says the order), and `price_per_sqft` is value ÷ living area.
 */
export const normalizedPropertySchema = z.object({
  address: z.object({
    street: z.string().nullable(),
    city: z.string().nullable(),
    state: z.string().nullable(),
    zip: z.string().nullable(),
  }),
  details: z.object({
    bedrooms: z.number().nullable(),
    bathrooms: z.number().nullable(),
    /** True when `bathrooms` is an estimate (the assessor's fixtures ÷ 3), to be shown as one. */
    bathrooms_estimated: z.boolean().optional(),
    square_feet: z.number().nullable(),
    lot_sqft: z.number().nullable(),
    year_built: z.number().int().nullable(),
    property_type: propertyTypeSchema.nullable(),
  }),
  pricing: z.object({
    list_price: z.number().nullable(),
    price_per_sqft: z.number().nullable(),
    /** Dollars. Records processed before values had a basis lack these three: reprocess them. */
    value: z.number().nullable().optional(),
    value_basis: valueBasisSchema.nullable().optional(),
    /** When the value held (`YYYY-MM-DD`): the listing's collection day, the sale, the newest comparable, the valuation date. */
    value_date: z.string().nullable().optional(),
  }),
});
export type NormalizedProperty = z.infer<typeof normalizedPropertySchema>;

export const investmentAnalysisSchema = z.object({
  rental_estimate: z.number().nullable(),
  cap_rate: z.number().nullable(),
  market_trend: z.enum(MARKET_TRENDS),
  recommendation: z.string(),
  net_operating_income: z.number().nullable().optional(),
  recommendation_reason: z.string().optional(),
});

export const llmEnrichmentSchema = z.object({
  description: z.string(),
  key_features: z.array(z.string()),
  investment_analysis: investmentAnalysisSchema,
  /** The model's (or rules') prose around the computed figures. */
  investment_summary: z.string().optional(),
});
export type LlmEnrichment = z.infer<typeof llmEnrichmentSchema>;

/** The seed's processed property document, upserted by `raw_id`. */
export const processedPropertySchema = z.object({
  _id: z.string(),
  raw_id: z.string(),
  /**
   * Every raw record merged into this property (an assessor parcel, its listings, its ARMLS
   * rows); `raw_id` is the one that names it. Absent on documents of one record.
   */
  raw_ids: z.array(z.string()).optional(),
  processed_at: dateSchema,
  normalized: normalizedPropertySchema,
  llm_enrichment: llmEnrichmentSchema,
  quality_score: z.number().min(0).max(1),
  quality_reasons: z.array(z.string()).default([]),
  /** How the value was reached (basis, comparables, the ZIP's sales trend). */
  valuation: valuationSchema.optional(),
  /** Rent, expenses, financing and the recommendation, with the inputs for the what-if (the analyst's terms applied). */
  underwriting: underwritingSchema.optional(),
  /** The analyst's price, rent and loan terms for this property (`properties.setTerms`), kept across reprocessing. */
  underwriting_overrides: underwritingOverridesSchema.nullable().optional(),
  /** Quality notes that are not defects (a field no source present publishes). */
  quality_notes: z.array(z.string()).optional(),
  /** What the score read beyond the fields, kept so an analyst's correction can rescore the record. */
  quality_facts: z
    .object({ sources: z.array(z.string()), bathrooms_estimated: z.boolean(), has_coordinates: z.boolean(), sales_on_record: z.number().int(), disagreements: z.array(z.string()).optional() })
    .optional(),
  /** Which source each field came from, nested like `normalized` (`details.bedrooms: phoenix_mls`). */
  field_sources: z.record(z.string(), z.record(z.string(), z.string())).optional(),
  address_key: z.string().nullable().optional(),
  /** Set when the analyst approved the item from the review list, with the fields corrected. */
  analyst_review: z.object({ approved_at: dateSchema, edited: z.array(z.string()) }).optional(),
  processing_metadata: z.object({
    llm_model: z.string(),
    tokens_used: z.number().int().nonnegative(),
    processing_time_ms: z.number().nonnegative(),
    prompt_version: z.string().optional(),
    cost_usd: z.number().nonnegative().optional(),
    /** The enrichment came from the content-hash cache: no model call. */
    enrichment_cached: z.boolean().optional(),
    /** Content hash of the model's input (normalised record, figures, facts, listing text). */
    input_hash: z.string().optional(),
    /** When the model wrote this enrichment (earlier than `processed_at` when reused). */
    enriched_at: z.coerce.date().optional(),
  }),
});
export type ProcessedProperty = z.infer<typeof processedPropertySchema>;
