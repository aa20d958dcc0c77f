import { z } from 'zod';
import { DEAL_STATUSES, dealStatusSchema, tagSchema, type DealStatus } from './analyst-layer.js';
import { dateSchema, sourceSchema } from './common.js';
import { valueBasisSchema } from './underwriting.js';

/** The words for each deal status, as the Pipeline's columns and the property page write them. */
export const DEAL_STATUS_LABELS: Record<DealStatus, string> = { new: 'New', watching: 'Watching', offer: 'Offer', under_contract: 'Under contract', passed: 'Passed' };

/** Cards a Pipeline column shows at most unless asked for more (its count is always the whole column's). */
export const PIPELINE_CARDS_PER_COLUMN = 50;

/** `properties.pipeline`'s input: only the deals carrying `tag` (the analyst's list by tag), and how many cards each column brings. */
export const dealPipelineInputSchema = z
  .strictObject({
    tag: tagSchema.optional(),
    perColumn: z.number().int().min(1).max(200).default(PIPELINE_CARDS_PER_COLUMN),
  })
  .optional()
  .default({ perColumn: PIPELINE_CARDS_PER_COLUMN });
export type DealPipelineInput = z.infer<typeof dealPipelineInputSchema>;

/**
 * One deal on the Pipeline (one property's list row, `summary` of `raw_properties`): its
 * address, the asking price (dollars; null when not listed), the value (dollars, the automated
 * valuation's estimate with its basis, day `YYYY-MM-DD` and 80% range, never the asking price),
 * the cap rate (a fraction, 0.065 = 6.5%, an estimate from the estimated rent `rent_detail`), its
 * tags, and since when it is in its status (`status_since`, the analyst's move) with the whole
 * days since then as of the answer's `as_of` (null for a row written before it was kept).
 */
export const pipelineCardSchema = z.object({
  id: z.string(),
  source: sourceSchema,
  source_id: z.string(),
  address: z.string().nullable(),
  zip: z.string().nullable(),
  sample: z.literal(true).optional(),
  price: z.number().nullable(),
  value: z.number().nullable(),
  value_basis: valueBasisSchema.nullable(),
  value_date: z.string().nullable(),
  value_low: z.number().nullable(),
  value_high: z.number().nullable(),
  cap_rate: z.number().nullable(),
  rent_detail: z.string().nullable(),
  tags: z.array(z.string()),
  status: dealStatusSchema,
  status_since: dateSchema.nullable(),
  days_in_status: z.number().int().nonnegative().nullable(),
});
export type PipelineCard = z.infer<typeof pipelineCardSchema>;

/** One column: a status, how many deals are in it (all of them), and its cards, the latest moved first (at most `perColumn`). */
export const pipelineColumnSchema = z.object({
  status: dealStatusSchema,
  count: z.number().int().nonnegative(),
  cards: z.array(pipelineCardSchema),
});
export type PipelineColumn = z.infer<typeof pipelineColumnSchema>;

/** The Pipeline: a column per deal status in `DEAL_STATUSES` order, as of `as_of`, for `tag` (null: every deal). */
export const dealPipelineSchema = z.object({
  as_of: dateSchema,
  tag: z.string().nullable(),
  columns: z.array(pipelineColumnSchema).length(DEAL_STATUSES.length),
});
export type DealPipeline = z.infer<typeof dealPipelineSchema>;

const DAY_MS = 86_400_000;

/** Whole days (24 h) from `since` to `now`, never below 0 (a clock a little behind another's). Pure. */
export function daysInStatus(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}
