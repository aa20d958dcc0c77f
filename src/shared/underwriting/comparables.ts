import { median, monthsBefore } from './stats.js';
import { isMarketSalePrice } from './market-sale.js';

/**
 * Comparable sales: sales of the same property type near the subject, recent, of similar size
 * and age. The search starts narrow and widens, step by step, while fewer than
 * `MIN_COMPARABLES` are found (the usual appraisal practice of widening radius, then time,
 * then size and age brackets):
 *
 * | step | radius | sold within | living area | year built |
 * |---|---|---|---|---|
 * | 1 | 0.5 mi | 12 months | ±20% | ±15 years |
 * | 2 | 1 mi | 12 months | ±20% | ±15 years |
 * | 3 | 2 mi | 12 months | ±25% | ±20 years |
 * | 4 | 3 mi | 18 months | ±30% | ±25 years |
 *
 * The estimate is the median price per sq ft of the comparables × the subject's living area,
 * dated the newest comparable sale; with fewer than three even at the last step there is no
 * estimate (the comparables found are still listed).
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

export const MIN_COMPARABLES = 3;
/** Most comparables kept (the nearest). */
export const MAX_COMPARABLES = 10;
export const KM_PER_MILE = 1.609344;

/** A sale that may serve as a comparable: the sold property's facts at the sale. */
export interface CompSale {
  /** The raw record the sale belongs to (`<source>:<id>`); a subject never compares with itself. */
  property_id: string;
  /** The parcel number, so the assessor's and a listing's record of one parcel count once. */
  parcel_number: string | null;
  address: string | null;
  zip: string | null;
  /** Degrees; null when the record has no coordinates (it still counts in its ZIP's trend). */
  lat: number | null;
  lon: number | null;
  /** `YYYY-MM-DD`. */
  date: string;
  /** Dollars. */
  price: number;
  /** Living area, sq ft. */
  square_feet: number;
  year_built: number | null;
  property_type: string | null;
  source: string;
}

export interface CompSubject {
  property_id: string;
  parcel_number: string | null;
  lat: number;
  lon: number;
  square_feet: number;
  year_built: number | null;
  property_type: string | null;
}

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

export interface ComparablesResult {
  /** The step whose criteria the comparables meet (the last tried when none suffice). */
  step: number;
  comparables: Comparable[];
  /** Dollars, or null with fewer than `MIN_COMPARABLES`. */
  estimate: number | null;
  median_price_per_sqft: number | null;
  /** The newest comparable sale, the estimate's date. */
  date: string | null;
}

/** Whether a sale meets a step's criteria for the subject (distance aside); bounds computed once. */
export function stepFilter(subject: CompSubject, step: WideningStep, today: string): (sale: CompSale) => boolean {
  const since = monthsBefore(today, step.months);
  const minArea = subject.square_feet * (1 - step.areaTolerance);
  const maxArea = subject.square_feet * (1 + step.areaTolerance);
  const year = subject.year_built;
  return (sale) =>
    sale.property_type === subject.property_type &&
    sale.date >= since &&
    sale.date <= today &&
    sale.square_feet >= minArea &&
    sale.square_feet <= maxArea &&
    (year === null || (sale.year_built !== null && Math.abs(sale.year_built - year) <= step.yearTolerance)) &&
    isMarketSalePrice(sale.price) &&
    sale.property_id !== subject.property_id &&
    (subject.parcel_number === null || sale.parcel_number !== subject.parcel_number);
}

/**
 * Sales within a radius that pass a filter, nearest first, with their distance in miles. The
 * spatial index behind it is the caller's (a k-d tree in the pipeline, a plain list in a test).
 */
export type NearbySales = (lat: number, lon: number, radiusMiles: number, accept: (sale: CompSale) => boolean, limit: number) => { sale: CompSale; distance_miles: number }[];

/** The comparables of a subject, widening step by step while fewer than three are found. */
export function findComparables(subject: CompSubject, nearby: NearbySales, today: string): ComparablesResult {
  let found: { sale: CompSale; distance_miles: number }[] = [];
  let used = WIDENING_STEPS[0]!;
  for (const step of WIDENING_STEPS) {
    used = step;
    found = nearby(subject.lat, subject.lon, step.radiusMiles, stepFilter(subject, step, today), MAX_COMPARABLES);
    if (found.length >= MIN_COMPARABLES) break;
  }
  const comparables: Comparable[] = found.map(({ sale, distance_miles }) => ({
    address: sale.address,
    parcel_number: sale.parcel_number,
    distance_miles: Math.round(distance_miles * 100) / 100,
    date: sale.date,
    price: sale.price,
    square_feet: sale.square_feet,
    price_per_sqft: Math.round((sale.price / sale.square_feet) * 100) / 100,
    year_built: sale.year_built,
    source: sale.source,
  }));
  if (comparables.length < MIN_COMPARABLES) return { step: used.step, comparables, estimate: null, median_price_per_sqft: null, date: null };
  const ppsf = median(comparables.map((c) => c.price / c.square_feet))!;
  return {
    step: used.step,
    comparables,
    estimate: Math.round((ppsf * subject.square_feet) / 100) * 100,
    median_price_per_sqft: Math.round(ppsf * 100) / 100,
    date: comparables.reduce((d, c) => (c.date > d ? c.date : d), comparables[0]!.date),
  };
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

export function zipTrend(sales: readonly Pick<CompSale, 'date' | 'price' | 'square_feet'>[], today: string): ZipTrend {
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
