import { isMarketSalePrice } from './market-sale.js';
import { monthsBetween } from './stats.js';

/**
 * Where a property's value comes from, in the order they are tried:
 *
 * 1. `active_listing`: the asking price of an active listing, dated the day it was collected;
 * 2. `recent_sale`: the latest recorded sale, when it is at most `maxSaleAgeMonths` old
 *    (`VALUE_MAX_SALE_AGE_MONTHS`, default 12), dated the sale;
 * 3. `comparable_sales`: the comparable-sales estimate (median price per sq ft of at least three
 *    comparable sales × the subject's living area, see `comparables.ts`), dated the newest sale used;
 * 4. `assessor_full_cash_value`: the assessor's full cash value of the latest tax year, dated its
 *    valuation date: January 1 of the year before the tax year (Arizona Revised Statutes
 *    § 42-11001, "valuation date"), so tax year 2024 is dated 2023-01-01.
 *
 * Older sales stay in the property's history; they are never its value. Nor is a nominal price
 * (under MIN_MARKET_SALE_PRICE: a transfer, not a market sale; market-sale.ts). A sale dated after
 * `today` is no evidence of value on `today` (a closing date not yet reached, or a typo): it is
 * passed over and the evidence says so, as the comparables (`stepFilter`) and the ZIP trend
 * (`zipTrend`) pass it over. Every basis but the listing is an estimate of what the property
 * would sell for today.
 */
export const VALUE_BASES = ['active_listing', 'recent_sale', 'comparable_sales', 'assessor_full_cash_value'] as const;
export type ValueBasis = (typeof VALUE_BASES)[number];

/** One recorded sale (`data.sales` in raw records): day `YYYY-MM-DD`, price in dollars. */
export interface SaleRecord {
  date: string;
  price: number;
  source?: string;
}

export interface ValueInputs {
  /** The listing's asking price in dollars, when the record is a listing. */
  listPrice: number | null;
  /** Whether that listing is active (`listing_status` Active, Coming Soon or unset on a live page). */
  listingActive: boolean;
  /** The day the listing was collected (`YYYY-MM-DD`). */
  listedOn: string | null;
  sales: readonly SaleRecord[];
  /** The comparable-sales estimate, when at least three comparables were found. */
  comparableEstimate: { value: number; date: string; count: number; step: number } | null;
  fullCashValue: number | null;
  /** The tax year of that full cash value. */
  valuationYear: number | null;
  /** The analyst's day (`YYYY-MM-DD`, America/Phoenix). */
  today: string;
  maxSaleAgeMonths: number;
}

export interface ValueEstimate {
  value: number | null;
  basis: ValueBasis | null;
  /** When the value held (`YYYY-MM-DD`). */
  date: string | null;
  /** True for every basis but an active listing. */
  estimated: boolean;
  /** One line on the basis used, and one on each basis passed over and why. */
  evidence: string[];
}

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** The latest sale of a list (by date), or null. */
export function latestSale(sales: readonly SaleRecord[]): SaleRecord | null {
  let latest: SaleRecord | null = null;
  for (const s of sales) if (!latest || s.date > latest.date) latest = s;
  return latest;
}

/** The value of a property, by the order above, with its basis, date and evidence. */
export function chooseValue(v: ValueInputs): ValueEstimate {
  const evidence: string[] = [];
  if (v.listPrice !== null && v.listPrice > 0) {
    if (v.listingActive) {
      return { value: v.listPrice, basis: 'active_listing', date: v.listedOn, estimated: false, evidence: [`asking price ${usd(v.listPrice)} of an active listing seen ${v.listedOn ?? 'on an unknown day'}`] };
    }
    evidence.push(`listing price ${usd(v.listPrice)} not used: the listing is not active`);
  }
  const priced = v.sales.filter((s) => s.price > 0);
  for (const s of priced) if (!isMarketSalePrice(s.price)) evidence.push(`a sale of ${usd(s.price)} on ${s.date} is not used: a nominal price, not a market sale`);
  const market = priced.filter((s) => isMarketSalePrice(s.price));
  for (const s of market) if (s.date > v.today) evidence.push(`a sale dated ${s.date}, after today, is not used (${usd(s.price)}${s.source ? `, ${s.source}` : ''})`);
  const sale = latestSale(market.filter((s) => s.date <= v.today));
  if (sale) {
    const age = monthsBetween(sale.date, v.today);
    if (age <= v.maxSaleAgeMonths) {
      return { value: sale.price, basis: 'recent_sale', date: sale.date, estimated: true, evidence: [...evidence, `sale of ${usd(sale.price)} on ${sale.date}, ${age} months ago`] };
    }
    evidence.push(`sale of ${usd(sale.price)} on ${sale.date} not used: ${age} months old, more than ${v.maxSaleAgeMonths}`);
  } else if (priced.length === 0) evidence.push('no sale on record');
  if (v.comparableEstimate) {
    const c = v.comparableEstimate;
    return {
      value: c.value,
      basis: 'comparable_sales',
      date: c.date,
      estimated: true,
      evidence: [...evidence, `median price per sq ft of ${c.count} comparable sales (widening step ${c.step}) × living area = ${usd(c.value)}`],
    };
  }
  evidence.push('fewer than 3 comparable sales');
  if (v.fullCashValue !== null && v.fullCashValue > 0) {
    const date = v.valuationYear === null ? null : `${v.valuationYear - 1}-01-01`;
    return {
      value: v.fullCashValue,
      basis: 'assessor_full_cash_value',
      date,
      estimated: true,
      evidence: [...evidence, `assessor full cash value ${usd(v.fullCashValue)} for tax year ${v.valuationYear ?? 'unknown'}${date ? `, valued as of ${date}` : ''}`],
    };
  }
  return { value: null, basis: null, date: null, estimated: false, evidence: [...evidence, 'no assessor full cash value'] };
}
