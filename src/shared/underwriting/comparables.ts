import { median, monthsBefore } from './stats.js';
import { isMarketSalePrice } from './market-sale.js';

/**
 * The comparables of values stored before the automated valuation (issue #21; now
 * `src/shared/valuation/avm.ts`): the median $/sq ft of the first three sales found by a widening
 * search, kept so the console can show what such a stored value rested on until it is reprocessed.
 *
 * | step | radius | sold within | living area | year built |
 * |---|---|---|---|---|
 * | 1 | 0.5 mi | 12 months | ±20% | ±15 years |
 * | 2 | 1 mi | 12 months | ±20% | ±15 years |
 * | 3 | 2 mi | 12 months | ±25% | ±20 years |
 * | 4 | 3 mi | 18 months | ±30% | ±25 years |
 */
export interface WideningStep {
  step: number;
  radiusMiles: number;
  months: number;
  /** Living area within ± this fraction of the subject's. */
  areaTolerance: number;
  /** Year built within ± this many years. */
  yearTolerance: number;
}

export const WIDENING_STEPS: readonly WideningStep[] = [
  { step: 1, radiusMiles: 0.5, months: 12, areaTolerance: 0.2, yearTolerance: 15 },
  { step: 2, radiusMiles: 1, months: 12, areaTolerance: 0.2, yearTolerance: 15 },
  { step: 3, radiusMiles: 2, months: 12, areaTolerance: 0.25, yearTolerance: 20 },
  { step: 4, radiusMiles: 3, months: 18, areaTolerance: 0.3, yearTolerance: 25 },
];

/** A stored comparable of a value made before the automated valuation. */
export interface Comparable {
  address: string | null;
  parcel_number: string | null;
  distance_miles: number;
  date: string;
  price: number;
  square_feet: number;
  price_per_sqft: number;
  year_built: number | null;
  source: string;
}

/** A stored comparables search of a value made before the automated valuation. */
export interface ComparablesResult {
  step: number;
  comparables: Comparable[];
  estimate: number | null;
  median_price_per_sqft: number | null;
  date: string | null;
}

/**
 * Market trend of a ZIP from its sales (never asking prices or assessed values): the median
 * price per sq ft of the sales of the last `TREND_WINDOW_MONTHS` months against the window
 * before. A change of ±3% or more is appreciating or declining, else stable; fewer than
 * `TREND_MIN_SAMPLES` sales in either window is insufficient data. Sample sizes are returned.
 */
export const TREND_WINDOW_MONTHS = 6;
export const TREND_THRESHOLD = 0.03;
export const TREND_MIN_SAMPLES = 5;
export const MARKET_TREND_VALUES = ['appreciating', 'stable', 'declining', 'insufficient_data'] as const;
export type MarketTrendValue = (typeof MARKET_TREND_VALUES)[number];

export interface ZipTrend {
  trend: MarketTrendValue;
  recent_sales: number;
  previous_sales: number;
  recent_median_ppsf: number | null;
  previous_median_ppsf: number | null;
  /** Change of the median, a fraction (0.05 = +5%), null without both medians. */
  change: number | null;
}

/** The trend of a ZIP's sales (`date` `YYYY-MM-DD`, `price` dollars, `square_feet`) as of `today`. */
export function zipTrend(sales: readonly { date: string; price: number; square_feet: number }[], today: string): ZipTrend {
  const recentFrom = monthsBefore(today, TREND_WINDOW_MONTHS);
  const previousFrom = monthsBefore(today, 2 * TREND_WINDOW_MONTHS);
  const recent: number[] = [];
  const previous: number[] = [];
  for (const s of sales) {
    if (s.square_feet <= 0 || !isMarketSalePrice(s.price) || s.date > today || s.date < previousFrom) continue;
    (s.date >= recentFrom ? recent : previous).push(s.price / s.square_feet);
  }
  const r = median(recent);
  const p = median(previous);
  const change = r !== null && p !== null ? Math.round((r / p - 1) * 10_000) / 10_000 : null;
  const enough = recent.length >= TREND_MIN_SAMPLES && previous.length >= TREND_MIN_SAMPLES;
  const trend: MarketTrendValue = !enough || change === null ? 'insufficient_data' : change >= TREND_THRESHOLD ? 'appreciating' : change <= -TREND_THRESHOLD ? 'declining' : 'stable';
  const round = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);
  return { trend, recent_sales: recent.length, previous_sales: previous.length, recent_median_ppsf: round(r), previous_median_ppsf: round(p), change };
}
