import { z } from 'zod';
import { dateSchema } from './common.js';

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

/** The seed's `normalized` block, extended with the basis of the price. */
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
    price_basis: z.enum(['listing', 'last_sale', 'assessed_value']).nullable().optional(),
    /** When that price held: the listing's collection day, or the sale date. */
    price_date: z.string().nullable().optional(),
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
