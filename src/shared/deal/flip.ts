import { z } from 'zod';
import { purchaseOf } from './purchase.js';
import { countField, DEAL_FIELDS, dealFieldSchema, dollarsField, percentField, type DealField } from './deal-inputs.js';

/**
 * A flip: buy, repair, sell at the after-repair value (ARV). Dollars unless said; rates are
 * fractions. The purchase may be financed (a hard-money loan, interest only while held, as such
 * loans usually are); 100% down is a cash purchase.
 */
export interface FlipInputs {
  price: number;
  rehabBudget: number;
  /** The buyer's closing costs at purchase, dollars. */
  closingCosts: number;
  afterRepairValue: number;
  /** Months from purchase to sale. */
  holdingMonths: number;
  /** Tax, insurance, utilities and upkeep while held, dollars a month (the loan's interest is added apart). */
  holdingCostsMonthly: number;
  /** Selling costs, a fraction of the ARV (agents' commissions and the seller's closing costs). */
  sellingCostRate: number;
  downPaymentRate: number;
  /** Annual rate of the interest-only loan, a fraction. */
  interestRate: number;
  /** Loan points, a fraction of the loan amount. */
  pointsRate: number;
}

/** The flip's fields, ranges in the shown units. */
export const FLIP_FIELDS = {
  price: DEAL_FIELDS.price,
  rehabBudget: DEAL_FIELDS.rehabBudget,
  closingCosts: DEAL_FIELDS.closingCosts,
  afterRepairValue: DEAL_FIELDS.afterRepairValue,
  holdingMonths: countField('Holding period', 'months', 1, 120),
  holdingCostsMonthly: dollarsField('Holding costs', 'dollars_per_month'),
  sellingCostRate: DEAL_FIELDS.sellingCostRate,
  downPaymentRate: DEAL_FIELDS.downPaymentRate,
  interestRate: percentField('Interest rate', 0, 30),
  pointsRate: DEAL_FIELDS.pointsRate,
} as const satisfies Record<keyof FlipInputs, DealField>;

/** `FlipInputs` checked against `FLIP_FIELDS` (model units in, messages in the shown units). */
export const flipInputsSchema = z.strictObject(
  Object.fromEntries(Object.entries(FLIP_FIELDS).map(([name, field]) => [name, dealFieldSchema(field)])) as Record<keyof FlipInputs, z.ZodNumber>,
) satisfies z.ZodType<FlipInputs>;

/**
 * The flip's figures, dollars (J Scott, "The Book on Flipping Houses", BiggerPockets 2013;
 * DealCheck's flip analysis):
 * - loan = price × (1 − down payment rate); points = loan × points rate;
 * - loan interest = loan × annual rate ÷ 12 × holding months (interest only);
 * - holding costs = holding costs a month × months + loan interest;
 * - selling costs = ARV × selling cost rate;
 * - profit = ARV − price − rehab − buying costs (closing costs + points) − holding costs −
 *   selling costs;
 * - cash invested = down payment + closing costs + points + rehab + holding costs (the loan is
 *   repaid from the sale);
 * - ROI = profit ÷ cash invested; annualised ROI = (1 + ROI)^(12 ÷ months) − 1 (compounded,
 *   as an annual rate is; null when ROI ≤ −100%).
 */
export interface Flip {
  loanAmount: number;
  downPayment: number;
  points: number;
  loanInterest: number;
  holdingCosts: number;
  buyingCosts: number;
  sellingCosts: number;
  cashInvested: number;
  profit: number;
  /** Fractions; null when no cash is invested. */
  roi: number | null;
  annualizedRoi: number | null;
}

export function flip(i: FlipInputs): Flip {
  const { downPayment, loanAmount, points, cashInvested: cashAtPurchase } = purchaseOf(i);
  const loanInterest = ((loanAmount * i.interestRate) / 12) * i.holdingMonths;
  const holdingCosts = i.holdingCostsMonthly * i.holdingMonths + loanInterest;
  const buyingCosts = i.closingCosts + points;
  const sellingCosts = i.afterRepairValue * i.sellingCostRate;
  const profit = i.afterRepairValue - i.price - i.rehabBudget - buyingCosts - holdingCosts - sellingCosts;
  const cashInvested = cashAtPurchase + holdingCosts;
  const roi = cashInvested > 0 ? profit / cashInvested : null;
  return {
    loanAmount,
    downPayment,
    points,
    loanInterest,
    holdingCosts,
    buyingCosts,
    sellingCosts,
    cashInvested,
    profit,
    roi,
    annualizedRoi: roi !== null && roi > -1 ? (1 + roi) ** (12 / i.holdingMonths) - 1 : null,
  };
}
