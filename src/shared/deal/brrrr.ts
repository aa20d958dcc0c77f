import type { z } from 'zod';
import { countField, DEAL_FIELDS, dealFieldSchema, dealInputsSchema, dollarsField, percentField, type DealField, type DealInputs } from './deal-inputs.js';
import { rentalMetrics, type RentalMetrics } from './metrics.js';
import { projectHold, type Projection } from './projection.js';
import { purchaseOf, type Purchase } from './purchase.js';

/**
 * BRRRR (buy, rehab, rent, refinance, repeat: David Greene, "Buy, Rehab, Rent, Refinance,
 * Repeat", BiggerPockets 2019): buy on the deal's purchase terms (`DealInputs`: 100% down is a cash
 * purchase), repair, rent, then refinance at the after-repair value (ARV) to take the cash back
 * out. Dollars unless said; rates are fractions.
 */
export interface BrrrrInputs extends DealInputs {
  /** Required here: the appraisal the refinance lends on, dollars. */
  afterRepairValue: number;
  /** Loan-to-value of the refinance, a fraction of the ARV (Fannie Mae's cash-out refinance of a one-unit investment property allows up to 0.75). */
  refinanceLtv: number;
  /** Annual rate of the new loan, a fraction. */
  refinanceRate: number;
  refinanceTermYears: number;
  /** The refinance's closing costs, dollars. */
  refinanceClosingCosts: number;
  /** Costs carried until the refinance (interest, utilities, tax, insurance during the rehab), dollars in all. */
  holdingCosts: number;
}

/** The BRRRR fields besides `DEAL_FIELDS`, ranges in the shown units. */
export const BRRRR_FIELDS = {
  refinanceLtv: percentField('Refinance loan-to-value', 0, 100),
  refinanceRate: percentField('Refinance interest rate', 0, 30),
  refinanceTermYears: countField('Refinance term', 'years', 1, 40),
  refinanceClosingCosts: dollarsField('Refinance closing costs'),
  holdingCosts: dollarsField('Holding costs'),
} as const satisfies Record<Exclude<keyof BrrrrInputs, keyof DealInputs>, DealField>;

/** `BrrrrInputs` checked: the deal's fields, an ARV (required) and the refinance's. */
export const brrrrInputsSchema = dealInputsSchema.extend({
  afterRepairValue: dealFieldSchema(DEAL_FIELDS.afterRepairValue),
  refinanceLtv: dealFieldSchema(BRRRR_FIELDS.refinanceLtv),
  refinanceRate: dealFieldSchema(BRRRR_FIELDS.refinanceRate),
  refinanceTermYears: dealFieldSchema(BRRRR_FIELDS.refinanceTermYears),
  refinanceClosingCosts: dealFieldSchema(BRRRR_FIELDS.refinanceClosingCosts),
  holdingCosts: dealFieldSchema(BRRRR_FIELDS.holdingCosts),
}) satisfies z.ZodType<BrrrrInputs>;

/**
 * The BRRRR figures, dollars:
 * - cash in before the refinance = the purchase's cash invested (down payment, closing costs,
 *   points, rehab: `purchaseOf`) + holding costs;
 * - refinance loan = ARV × LTV; the purchase loan is paid off at its amount (its interest until
 *   then is in the holding costs);
 * - cash out = refinance loan − refinance closing costs − purchase loan payoff (negative: the
 *   refinance needs more cash);
 * - cash left in the deal = cash in − cash out (≤ 0: all of it came back);
 * - after the refinance: the rent on the new loan (`rentalMetrics`): cash flow, DSCR, and
 *   cash-on-cash = annual cash flow ÷ cash left in the deal (null when none is left: the return
 *   has no bound, `cashOnCashUnbounded`);
 * - the hold after the refinance (`projectHold` on the new loan, from the ARV, with the cash left
 *   in the deal as the investment; its IRR is undefined when no cash is left).
 */
export interface Brrrr {
  purchase: Purchase;
  cashInBeforeRefinance: number;
  refinanceLoan: number;
  purchaseLoanPayoff: number;
  cashOut: number;
  cashLeftInDeal: number;
  cashOnCashUnbounded: boolean;
  afterRefinance: RentalMetrics;
  projection: Projection;
}

export function brrrr(i: BrrrrInputs): Brrrr {
  const purchase = purchaseOf(i);
  const cashInBeforeRefinance = purchase.cashInvested + i.holdingCosts;
  const refinanceLoan = i.afterRepairValue * i.refinanceLtv;
  const cashOut = refinanceLoan - i.refinanceClosingCosts - purchase.loanAmount;
  const cashLeftInDeal = cashInBeforeRefinance - cashOut;
  const loan = { amount: refinanceLoan, interestRate: i.refinanceRate, termYears: i.refinanceTermYears };
  const afterRefinance = rentalMetrics(i, loan, cashLeftInDeal);
  return {
    purchase,
    cashInBeforeRefinance,
    refinanceLoan,
    purchaseLoanPayoff: purchase.loanAmount,
    cashOut,
    cashLeftInDeal,
    cashOnCashUnbounded: cashLeftInDeal <= 0 && afterRefinance.cashFlowAnnual > 0,
    afterRefinance,
    projection: projectHold(i, loan, cashLeftInDeal),
  };
}
