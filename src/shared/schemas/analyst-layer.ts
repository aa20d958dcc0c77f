import { z } from 'zod';
import { underwritingOverridesSchema } from '../underwriting/overrides.js';
import { dateSchema } from './common.js';
import { dealScenarioSchema } from './deal-scenario.js';

/**
 * Fields the analyst may correct (when approving a held item, or on the property page): the
 * description (text), bedrooms, bathrooms, living area (sq ft), year built and the asking price
 * (dollars). A corrected field wins over every source until the analyst clears it.
 */
export const analystCorrectionsSchema = z.strictObject({
  description: z.string().min(1).max(1500).optional(),
  bedrooms: z.number().int().min(0).max(50).optional(),
  bathrooms: z.number().min(0).max(50).optional(),
  square_feet: z.number().int().min(1).max(100_000).optional(),
  year_built: z.number().int().min(1800).max(2100).optional(),
  list_price: z.number().min(0).max(1_000_000_000).optional(),
});
export type AnalystCorrections = z.infer<typeof analystCorrectionsSchema>;
export type CorrectableField = keyof AnalystCorrections;
export const CORRECTABLE_FIELDS = Object.keys(analystCorrectionsSchema.shape) as CorrectableField[];

/** Where a deal stands for the analyst, from first look to passed on. */
export const DEAL_STATUSES = ['new', 'watching', 'offer', 'under_contract', 'passed'] as const;
export const dealStatusSchema = z.enum(DEAL_STATUSES, { error: `expected a deal status: ${DEAL_STATUSES.join(', ')}` });
export type DealStatus = z.infer<typeof dealStatusSchema>;

/** A tag: 1–40 characters of letters, digits, spaces, `-`, `_`, `/`, `&`, `#`, trimmed. */
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'a tag is 1–40 characters')
  .max(40, 'a tag is 1–40 characters')
  .regex(/^[\p{L}\p{N} _\-/&#]+$/u, 'a tag holds letters, digits, spaces and - _ / & # only');

/** Who made an entry of the layer: always the analyst (the console has one user). */
const by = z.literal('analyst');

/** One corrected field: its value (a number, or text for the description) and when it was set. */
export const correctionEntrySchema = z.object({ value: z.union([z.number(), z.string()]), set_at: dateSchema, by });

/**
 * A comparable sale the analyst excluded from the property's value (issue #23): the sale's
 * stable id (`<parcel or property id>|<date>|<price>`, `MarketSale.sale_id`, the same across
 * re-imports), what it was when excluded (address, sale day, price in dollars: shown even when
 * the sale is no longer among the comparables), and when.
 */
export const excludedComparableSchema = z.object({
  sale_id: z.string().min(1).max(300),
  address: z.string().nullable(),
  date: z.string(),
  price: z.number(),
  set_at: dateSchema,
  by,
});
export type ExcludedComparable = z.infer<typeof excludedComparableSchema>;

/**
 * The analyst's own work on one property, as stored (`analyst_layer`) and as `properties.get`
 * shows it: kept apart from the collected data and applied over it by processing, so no
 * re-collection, merge or reprocess loses it.
 *
 * `_id` is the property's identity when the layer was first written (`apn:<parcel number>`,
 * else `addr:<street|zip>`, else the raw id); `keys` is every identity it is known by (parcel
 * numbers, address keys, raw ids of its records), grown as records merge, so the layer follows
 * a listing into its parcel's property. `approval`: the last approval from the review list, with
 * the reasons the item was held for (processing keeps the item out of review while it is held
 * for no other kind of reason). `scenarios`: the deal model's named input sets (`deal-scenario.ts`).
 */
export const analystLayerSchema = z.object({
  _id: z.string(),
  keys: z.array(z.string()),
  corrections: z.record(z.string(), correctionEntrySchema),
  terms: z.object({ value: underwritingOverridesSchema, set_at: dateSchema, by }).nullable(),
  notes: z.object({ text: z.string(), set_at: dateSchema, by }).nullable(),
  tags: z.array(z.string()),
  status: z.object({ value: dealStatusSchema, set_at: dateSchema, by }).nullable(),
  /**
   * Every change of the deal status, oldest first: the status moved to, when, and who moved it
   * (`by`, absent on entries written before it was kept: the analyst, the console's one user).
   */
  status_history: z.array(z.object({ status: dealStatusSchema, at: dateSchema, by: by.optional() })),
  approval: z.object({ at: dateSchema, reasons: z.array(z.string()), by }).nullable(),
  /** The comparables the analyst left out of the value; absent on layers written before (none). */
  excluded_comparables: z.array(excludedComparableSchema).optional(),
  /** The deal model's scenarios saved for the property (base, bull, bear, ...), in the order saved; absent on layers written before (none). */
  scenarios: z.array(dealScenarioSchema).optional(),
  created_at: dateSchema,
  updated_at: dateSchema,
});
export type AnalystLayer = z.infer<typeof analystLayerSchema>;
