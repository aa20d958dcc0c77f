import { z } from 'zod';
import { daySchema } from './common.js';

/** The counters of a day's rollup (DailyStatsRepository says which record each is read from). */
export const DAILY_COUNTERS = [
  'collected',
  'processed',
  'failed',
  'tokens',
  'cost_usd',
  'quality_sum',
  'quality_count',
  'api_requests',
  'api_errors',
  /** CAPTCHA solves paid (the MLS collector). */
  'captcha_usd',
] as const;
export type DailyCounter = (typeof DAILY_COUNTERS)[number];

/** Per day (America/Phoenix) and source: what the charts read instead of scanning properties. */
export const dailyStatsSchema = z.object({
  _id: z.string(),
  day: daySchema,
  source: z.string(),
  ...(Object.fromEntries(DAILY_COUNTERS.map((c) => [c, z.number().default(0)])) as Record<
    DailyCounter,
    z.ZodDefault<z.ZodNumber>
  >),
});
export type DailyStats = z.infer<typeof dailyStatsSchema>;

/** One LLM call, as billed. */
export const llmUsageSchema = z.object({
  at: z.coerce.date(),
  day: daySchema,
  model: z.string(),
  prompt_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  /** Hidden reasoning, part of `completion_tokens` (records from before it was kept: 0). */
  reasoning_tokens: z.number().int().nonnegative().default(0),
  /** Made through the Batch API, billed at half price. */
  batch: z.boolean().optional(),
  cost_usd: z.number().nonnegative(),
  raw_id: z.string().nullable(),
  /** The source of the record the call was for (the day's rollup it counts in); calls billed before it was kept: unset. */
  source: z.string().optional(),
  purpose: z.string(),
});
export type LlmUsage = z.infer<typeof llmUsageSchema>;
