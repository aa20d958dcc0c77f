import type { NormalizedProperty } from '../../shared/schemas/processed-property.js';

/**
 * Investment figures, computed by code from the data and these documented assumptions; the
 * LLM only explains them.
 *
 * - Rent: square feet × monthly rent per square foot (the ZIP's rate, else the Phoenix default),
 *   kept within [minRent, maxRent].
 * - Net operating income: rent × 12 × (1 − vacancy) × (1 − expense ratio).
 * - Cap rate: NOI ÷ price (listing, last sale or assessed value, whichever the record has).
 * - Market trend: median price per square foot in the ZIP over the last 90 days against the 90
 *   before; ±3% or more is appreciating or declining, else stable; fewer than 5 prices in either
 *   period is insufficient data.
 * - Recommendation, by the first rule that holds: no price or rent → "insufficient data"; cap rate
 *   ≥ 6.5% and not declining → "buy candidate"; cap rate ≥ 5% → "watch"; else "pass".
 */
export interface FinancialAssumptions {
  rentPerSqftDefault: number;
  rentPerSqftByZip: Record<string, number>;
  vacancyRate: number;
  expenseRatio: number;
  minRent: number;
  maxRent: number;
}

export const TREND_THRESHOLD = 0.03;
export const TREND_MIN_SAMPLES = 5;

export type MarketTrend = 'appreciating' | 'stable' | 'declining' | 'insufficient_data';

export interface Financials {
  rental_estimate: number | null;
  net_operating_income: number | null;
  cap_rate: number | null;
  market_trend: MarketTrend;
  recommendation: 'buy candidate' | 'watch' | 'pass' | 'insufficient data';
  recommendation_reason: string;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Trend from the ZIP's prices per square foot in the last 90 days and the 90 before. */
export function marketTrend(recent: readonly number[], previous: readonly number[]): MarketTrend {
  if (recent.length < TREND_MIN_SAMPLES || previous.length < TREND_MIN_SAMPLES) return 'insufficient_data';
  const change = median(recent)! / median(previous)! - 1;
  if (change >= TREND_THRESHOLD) return 'appreciating';
  if (change <= -TREND_THRESHOLD) return 'declining';
  return 'stable';
}

const round = (n: number, step: number) => Math.round(n / step) * step;

export function computeFinancials(n: NormalizedProperty, trend: MarketTrend, a: FinancialAssumptions): Financials {
  const sqft = n.details.square_feet;
  const zip = n.address.zip;
  const rate = (zip && a.rentPerSqftByZip[zip]) || a.rentPerSqftDefault;
  const rent = sqft ? round(Math.min(a.maxRent, Math.max(a.minRent, sqft * rate)), 5) : null;
  const noi = rent === null ? null : Math.round(rent * 12 * (1 - a.vacancyRate) * (1 - a.expenseRatio));
  const price = n.pricing.list_price;
  const cap = noi !== null && price ? Math.round((noi / price) * 10_000) / 10_000 : null;

  let recommendation: Financials['recommendation'];
  let reason: string;
  if (cap === null) {
    recommendation = 'insufficient data';
    reason = price === null ? 'no price to compare the rent with' : 'no square footage to estimate the rent';
  } else if (cap >= 0.065 && trend !== 'declining') {
    recommendation = 'buy candidate';
    reason = `cap rate ${(cap * 100).toFixed(1)}% is at least 6.5% and the ZIP's prices are not declining`;
  } else if (cap >= 0.05) {
    recommendation = 'watch';
    reason = cap >= 0.065 ? `cap rate ${(cap * 100).toFixed(1)}% but the ZIP's prices are declining` : `cap rate ${(cap * 100).toFixed(1)}% is between 5% and 6.5%`;
  } else {
    recommendation = 'pass';
    reason = `cap rate ${(cap * 100).toFixed(1)}% is below 5%`;
  }
  return { rental_estimate: rent, net_operating_income: noi, cap_rate: cap, market_trend: trend, recommendation, recommendation_reason: reason };
}
