import { monthlyPayment } from '../deal/amortization.js';
import { dealInputsOf, UNDERWRITING_PLAN } from '../deal/from-underwriting.js';
import { dealMetrics } from '../deal/metrics.js';
import type { MarketTrendValue } from './comparables.js';
import type { RentEstimate } from './rent.js';
import { cents, ratio4 } from './stats.js';
import type { TaxEstimate } from './property-tax.js';

/**
 * The underwriting of one rental purchase: every figure the pipeline stores and the detail's
 * what-if recomputes, from one pure function (no I/O), so both agree to the cent. The figures
 * are the deal model's first year (`src/shared/deal/`: `dealInputsOf` with no rehab, capex
 * reserve, points or growth, then `dealMetrics`), rounded to cents and ratios to 0.01%.
 *
 * Formulas (annual unless said; standard definitions, e.g. Gallinelli, "What Every Real Estate
 * Investor Needs to Know About Cash Flow", 2nd ed.):
 * - gross scheduled rent = monthly rent × 12; vacancy loss = gross × vacancy rate;
 *   effective gross income (EGI) = gross − vacancy loss;
 * - property tax: `propertyTaxAt` (the price × the effective rate, or the stated/computed tax);
 *   none known → "insufficient data", never a tax of $0;
 * - operating expenses = property tax + insurance + HOA × 12 + land lease × 12
 *   + maintenance (rate × gross rent) + management (rate × EGI);
 * - net operating income (NOI) = EGI − operating expenses; cap rate = NOI ÷ price;
 * - loan = price × (1 − down payment rate); monthly principal and interest
 *   = L·r ÷ (1 − (1 + r)^−n), r = annual rate ÷ 12, n = term in months (L ÷ n at 0%);
 * - annual debt service = monthly P&I × 12; cash flow = NOI − debt service;
 * - cash invested = down payment + closing costs (rate × price);
 *   cash-on-cash return = annual cash flow ÷ cash invested;
 * - debt service coverage ratio (DSCR) = NOI ÷ annual debt service (null without a loan);
 * - gross rent multiplier (GRM) = price ÷ gross scheduled rent;
 * - 1% rule: monthly rent ≥ 1% of the price.
 */
export interface UnderwritingAssumptions {
  /** Fractions. */
  vacancyRate: number;
  maintenanceRate: number;
  managementRate: number;
  /** Dollars a year. */
  insuranceAnnual: number;
  /** Fraction of the price paid in cash. */
  downPaymentRate: number;
  /** Annual interest rate, a fraction (0.07 = 7%). */
  interestRate: number;
  termYears: number;
  /** Closing costs as a fraction of the price. */
  closingCostRate: number;
}

/** The tax and recurring fees of a property as processing estimated them from its records. */
export type CollectedCharges = Pick<UnderwritingInputs, 'tax' | 'hoa_monthly' | 'land_lease_monthly' | 'other_fees_monthly'>;

export interface UnderwritingInputs {
  /**
   * The purchase price in dollars: an active listing's asking price, else the property's value
   * (a parcel not for sale), unless the what-if sets one (`price_basis`).
   */
  price: number | null;
  /** Where the price comes from; absent on underwritings stored before it. */
  price_basis?: 'asking_price' | 'value' | 'what_if' | null;
  /** The automated valuation's value in dollars (never the asking price); absent before it. */
  value?: number | null;
  rent: RentEstimate;
  tax: TaxEstimate;
  /** Dollars a month; null: none known (counted as 0, said so). */
  hoa_monthly: number | null;
  land_lease_monthly: number | null;
  /**
   * Other recurring charges in dollars a month: fees besides the HOA dues (a recreation centre,
   * a second association's PAD fee) and a special assessment still being paid on the day; never
   * one-time fees (capital improvement, transfer). Null or absent: none known (counted as 0).
   */
  other_fees_monthly?: number | null;
  /**
   * The collected tax and fees the analyst's saved terms replaced (`applyOverrides`), kept so the
   * terms can be changed or cleared without reprocessing; absent when no term replaced them.
   */
  replaced?: CollectedCharges;
  market_trend: MarketTrendValue;
  assumptions: UnderwritingAssumptions;
}

export interface OperatingExpenses {
  property_tax: number;
  insurance: number;
  hoa: number;
  land_lease: number;
  /** Other recurring fees (see UnderwritingInputs.other_fees_monthly), dollars a year; absent in results stored before it. */
  other_fees?: number;
  maintenance: number;
  management: number;
  total: number;
}

export const RECOMMENDATIONS = ['buy candidate', 'watch', 'pass', 'insufficient data'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export interface Underwriting {
  gross_rent_annual: number | null;
  vacancy_loss: number | null;
  effective_gross_income: number | null;
  expenses: OperatingExpenses | null;
  net_operating_income: number | null;
  cap_rate: number | null;
  down_payment: number | null;
  closing_costs: number | null;
  loan_amount: number | null;
  monthly_principal_interest: number | null;
  annual_debt_service: number | null;
  cash_flow_annual: number | null;
  cash_flow_monthly: number | null;
  cash_invested: number | null;
  cash_on_cash: number | null;
  dscr: number | null;
  gross_rent_multiplier: number | null;
  one_percent_rule: boolean | null;
  recommendation: Recommendation;
  /** Each rule checked, in words, with its outcome. */
  reasons: string[];
}

/** Monthly principal and interest of a fully amortising loan (`deal/amortization.ts`). */
export { monthlyPayment };

/**
 * The recommendation rules, applied in order:
 * - no price or no rent → "insufficient data";
 * - "buy candidate" when every one holds: cap rate ≥ 6.5%, DSCR ≥ 1.25 (a common lender minimum
 *   for rental loans; no loan passes), monthly cash flow ≥ $0, cash-on-cash ≥ 8%, and the ZIP's
 *   sales are not declining;
 * - "watch" when cap rate ≥ 5% and DSCR ≥ 1.0 (the rent covers the loan);
 * - else "pass".
 * The 1% rule is reported, not required (Phoenix prices rarely meet it).
 */
export const RULES: RecommendationRules = { buyCapRate: 0.065, buyDscr: 1.25, buyCashOnCash: 0.08, watchCapRate: 0.05, watchDscr: 1.0 };

/**
 * The recommendation's thresholds: cap rates and cash-on-cash as fractions (0.065 = 6.5%), DSCRs
 * as ratios. `RULES` are the defaults; the analyst changes them in the settings (in percent:
 * BUY_CAP_RATE_PERCENT, BUY_DSCR, BUY_CASH_ON_CASH_PERCENT, WATCH_CAP_RATE_PERCENT, WATCH_DSCR).
 */
export interface RecommendationRules {
  buyCapRate: number;
  buyDscr: number;
  buyCashOnCash: number;
  watchCapRate: number;
  watchDscr: number;
}

/** The thresholds of the settings, typed in percent (cap rate, cash-on-cash) and ratios (DSCR), as fractions. */
export function recommendationRulesOf(s: { buyCapRatePercent: number; buyDscr: number; buyCashOnCashPercent: number; watchCapRatePercent: number; watchDscr: number }): RecommendationRules {
  return { buyCapRate: s.buyCapRatePercent / 100, buyDscr: s.buyDscr, buyCashOnCash: s.buyCashOnCashPercent / 100, watchCapRate: s.watchCapRatePercent / 100, watchDscr: s.watchDscr };
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const usd = (n: number) => `${n < 0 ? '-' : ''}$${Math.abs(Math.round(n)).toLocaleString('en-US')}`;

/** The figures a recommendation weighs: rates as fractions, the cash flow in dollars a year; a null DSCR: no loan, a null cash-on-cash: no cash invested. */
export interface RecommendationFigures {
  capRate: number;
  dscr: number | null;
  cashFlowAnnual: number;
  cashOnCash: number | null;
}

/**
 * The recommendation of `f` by `rules` (see `RULES` for the order they are applied in) and the
 * ZIP's sales `trend`, with each check in words stating the threshold in force ("✓ cap rate
 * 7.1% ≥ 6.5%"; a trend of too few sales "– … (not counted)"). Pure; the deal model's scenarios
 * use it as the underwriting does.
 */
export function recommend(f: RecommendationFigures, trend: MarketTrendValue, rules: RecommendationRules): { recommendation: Exclude<Recommendation, 'insufficient data'>; reasons: string[] } {
  const { capRate, dscr, cashOnCash: coc } = f;
  const cashFlow = f.cashFlowAnnual;
  const trendOk = trend !== 'declining';
  const checks: [boolean, string][] = [
    [capRate >= rules.buyCapRate, `cap rate ${pct(capRate)} ${capRate >= rules.buyCapRate ? '≥' : '<'} ${pct(rules.buyCapRate)}`],
    [dscr === null || dscr >= rules.buyDscr, dscr === null ? 'no loan: DSCR does not apply' : `DSCR ${dscr.toFixed(2)} ${dscr >= rules.buyDscr ? '≥' : '<'} ${rules.buyDscr.toFixed(2)}`],
    [cashFlow >= 0, `monthly cash flow ${usd(cashFlow / 12)} ${cashFlow >= 0 ? '≥' : '<'} $0`],
    [coc === null || coc >= rules.buyCashOnCash, coc === null ? 'no cash invested: cash-on-cash does not apply' : `cash-on-cash ${pct(coc)} ${coc >= rules.buyCashOnCash ? '≥' : '<'} ${pct(rules.buyCashOnCash)}`],
    [trendOk, `ZIP sales trend ${trend.replace('_', ' ')}${trendOk ? '' : ' (declining)'}`],
  ];
  // Too few sales for a trend is not a passed check: its line says it was not counted (–).
  const trendLine = checks.length - 1;
  const reasons = checks.map(([ok, text], n) => (n === trendLine && trend === 'insufficient_data' ? `– ${text} (not counted)` : `${ok ? '✓' : '✗'} ${text}`));
  if (checks.every(([ok]) => ok)) return { recommendation: 'buy candidate', reasons };
  if (capRate >= rules.watchCapRate && (dscr === null || dscr >= rules.watchDscr)) return { recommendation: 'watch', reasons };
  return { recommendation: 'pass', reasons };
}

/** The underwriting of `i`, recommended by `rules` (the settings' thresholds; default `RULES`). */
export function underwrite(i: UnderwritingInputs, rules: RecommendationRules = RULES): Underwriting {
  const rent = i.rent.monthly;
  const price = i.price;
  const empty: Underwriting = {
    gross_rent_annual: null, vacancy_loss: null, effective_gross_income: null, expenses: null, net_operating_income: null, cap_rate: null,
    down_payment: null, closing_costs: null, loan_amount: null, monthly_principal_interest: null, annual_debt_service: null,
    cash_flow_annual: null, cash_flow_monthly: null, cash_invested: null, cash_on_cash: null, dscr: null, gross_rent_multiplier: null,
    one_percent_rule: null, recommendation: 'insufficient data', reasons: [],
  };
  if (price === null || price <= 0 || rent === null) {
    return { ...empty, reasons: [price === null || price <= 0 ? 'no value to compare the rent with' : `no rent estimate (${i.rent.detail})`] };
  }
  // A tax the model cannot compute is not $0 (that overstated NOI and the cap rate).
  const deal = dealInputsOf(i, UNDERWRITING_PLAN);
  if (deal === null) return { ...empty, reasons: [`no property tax estimate (${i.tax.detail})`] };
  const m = dealMetrics(deal);
  const y = m.year1;
  const expenses: OperatingExpenses = {
    property_tax: cents(y.propertyTax),
    insurance: cents(y.insurance),
    hoa: cents(y.hoa),
    land_lease: cents((i.land_lease_monthly ?? 0) * 12),
    other_fees: cents((i.other_fees_monthly ?? 0) * 12),
    maintenance: cents(y.maintenance),
    management: cents(y.management),
    total: cents(y.operatingExpenses),
  };
  const noi = y.netOperatingIncome;
  const cashFlow = m.cashFlowAnnual;
  const capRate = m.capRate;
  const coc = m.cashOnCash;
  const dscr = m.dscr;
  const onePercent = m.meetsOnePercentRule;

  const { recommendation, reasons } = recommend({ capRate, dscr, cashFlowAnnual: cashFlow, cashOnCash: coc }, i.market_trend, rules);
  reasons.push(`${onePercent ? '✓' : '✗'} 1% rule: rent ${usd(rent)} ${onePercent ? '≥' : '<'} ${usd(price * 0.01)} (reported, not required)`);

  return {
    gross_rent_annual: cents(y.grossRent),
    vacancy_loss: cents(y.vacancyLoss),
    effective_gross_income: cents(y.effectiveGrossIncome),
    expenses,
    net_operating_income: cents(noi),
    cap_rate: ratio4(capRate),
    down_payment: cents(m.purchase.downPayment),
    closing_costs: cents(deal.closingCosts),
    loan_amount: cents(m.purchase.loanAmount),
    monthly_principal_interest: cents(m.monthlyPrincipalInterest),
    annual_debt_service: cents(m.debtServiceAnnual),
    cash_flow_annual: cents(cashFlow),
    cash_flow_monthly: cents(m.cashFlowMonthly),
    cash_invested: cents(m.purchase.cashInvested),
    cash_on_cash: coc === null ? null : ratio4(coc),
    dscr: dscr === null ? null : Math.round(dscr * 100) / 100,
    gross_rent_multiplier: Math.round(m.grossRentMultiplier * 100) / 100,
    one_percent_rule: onePercent,
    recommendation,
    reasons,
  };
}
