import { z } from 'zod';
import type { AccuracyReport, AccuracyRow, AccuracySection } from '../valuation/accuracy-study.js';
import type { ConfidenceInterval, RatioBreakdown, RatioMeasure, RatioStudy, RatioTarget } from '../valuation/ratio-study.js';
import { daySchema } from './common.js';

/**
 * The accuracy report as the contract carries it (`accuracy.report`): the zod form of
 * `AccuracyReport` (`valuation/accuracy-study.ts`), typed against it so the two cannot drift.
 * Units as there: ratios, COD in percent, shares as fractions, money in dollars.
 */

const intervalSchema: z.ZodType<ConfidenceInterval> = z.object({
  low: z.number(),
  high: z.number(),
  level: z.number().min(0).max(1),
  method: z.string(),
});

const targetSchema: z.ZodType<RatioTarget> = z.object({
  min: z.number().nullable(),
  max: z.number().nullable(),
  label: z.string(),
  source: z.string(),
});

const measureSchema: z.ZodType<RatioMeasure> = z.object({
  key: z.string(),
  label: z.string(),
  value: z.number().nullable(),
  unit: z.enum(['ratio', 'percent', 'fraction']),
  ci: intervalSchema.nullable(),
  target: targetSchema.nullable(),
  pass: z.boolean().nullable(),
  basis: z.string(),
});

/** One ratio study (`RatioStudy`): its counts and every measure with interval, target and result. */
export const ratioStudySchema: z.ZodType<RatioStudy> = z.object({
  sales: z.number().int().nonnegative(),
  valued: z.number().int().nonnegative(),
  with_range: z.number().int().nonnegative(),
  median_ratio: measureSchema,
  mean_ratio: measureSchema,
  weighted_mean_ratio: measureSchema,
  cod: measureSchema,
  prd: measureSchema,
  prb: measureSchema,
  within_10: measureSchema,
  within_20: measureSchema,
  median_abs_error: measureSchema,
  coverage: measureSchema,
  range_held: measureSchema,
});

const breakdownSchema: z.ZodType<RatioBreakdown> = z.object({ key: z.string(), label: z.string(), study: ratioStudySchema });

const rowSchema: z.ZodType<AccuracyRow> = z.object({
  id: z.string(),
  property_id: z.string(),
  parcel_number: z.string().nullable(),
  address: z.string().nullable(),
  zip: z.string().nullable(),
  property_type: z.string().nullable(),
  date: daySchema,
  as_of: daySchema,
  price: z.number().positive(),
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  basis: z.string().nullable(),
  confidence: z.enum(['high', 'medium', 'low']).nullable(),
  ratio: z.number().nullable(),
  held: z.boolean().nullable(),
});

const sectionSchema: z.ZodType<AccuracySection> = z.object({
  basis: z.string(),
  study: ratioStudySchema,
  by_zip: z.array(breakdownSchema),
  by_type: z.array(breakdownSchema),
  by_price_quartile: z.array(breakdownSchema),
  by_basis: z.array(breakdownSchema),
  rows: z.array(rowSchema),
});

/** The whole report (`AccuracyReport`), as `accuracy.report` answers and `phoenix-re accuracy --json` prints. */
export const accuracyReportSchema: z.ZodType<AccuracyReport> = z.object({
  scope: z.object({ zip: z.string().nullable(), type: z.string().nullable() }),
  first_sale: daySchema.nullable(),
  last_sale: daySchema.nullable(),
  sales: sectionSchema,
  window: sectionSchema.nullable(),
  shown_before_sale: sectionSchema.nullable(),
  rent: sectionSchema.nullable(),
  generated_at: z.string().nullable(),
  estimated: z.literal(true),
});
