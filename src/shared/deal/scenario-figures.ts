import type { MarketTrendValue } from '../underwriting/comparables.js';
import { recommend, type Recommendation, type RecommendationRules } from '../underwriting/underwrite.js';
import type { DealInputs } from './deal-inputs.js';
import { dealMetrics } from './metrics.js';
import { projectDeal } from './projection.js';

/**
 * The key figures of one deal scenario, side by side with the others (issue #23), dollars unless
 * said, rates as fractions: the first year's monthly cash flow, cap rate, cash-on-cash and DSCR
 * (`dealMetrics`, each formula and its source in `metrics.ts`); over the holding period, the IRR
 * and the total return of selling at its end (`projectDeal`: cumulative cash flow + net sale
 * proceeds − cash invested, and that ÷ cash invested); and the call (`recommend`) by the
 * thresholds in force and the ZIP's sales trend. A null cash-on-cash: no cash invested; a null
 * DSCR: no loan; a null IRR: `irrUndefined` says why.
 */
export interface ScenarioFigures {
  cashFlowMonthly: number;
  capRate: number;
  cashOnCash: number | null;
  dscr: number | null;
  holdingYears: number;
  irr: number | null;
  irrUndefined: string | null;
  totalReturn: number;
  totalReturnRate: number | null;
  recommendation: Exclude<Recommendation, 'insufficient data'>;
  reasons: string[];
}

/** `ScenarioFigures` of `inputs`, called by `rules` with the ZIP's sales `trend`. Pure. */
export function scenarioFigures(inputs: DealInputs, rules: RecommendationRules, trend: MarketTrendValue): ScenarioFigures {
  const m = dealMetrics(inputs);
  const p = projectDeal(inputs);
  const last = p.years.at(-1)!;
  const { recommendation, reasons } = recommend({ capRate: m.capRate, dscr: m.dscr, cashFlowAnnual: m.cashFlowAnnual, cashOnCash: m.cashOnCash }, trend, rules);
  return {
    cashFlowMonthly: m.cashFlowMonthly,
    capRate: m.capRate,
    cashOnCash: m.cashOnCash,
    dscr: m.dscr,
    holdingYears: p.years.length,
    irr: p.irr,
    irrUndefined: p.irrUndefined,
    totalReturn: last.totalReturn,
    totalReturnRate: last.totalReturnRate,
    recommendation,
    reasons,
  };
}
