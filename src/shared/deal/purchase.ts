import type { DealInputs } from './deal-inputs.js';

/**
 * The money of the purchase, dollars: down payment = price × down payment rate; loan = price −
 * down payment; points = loan × points rate; total cash invested = down payment + closing costs +
 * points + rehab budget (BiggerPockets' and DealCheck's "total cash needed", the denominator of
 * cash-on-cash).
 */
export interface Purchase {
  downPayment: number;
  loanAmount: number;
  points: number;
  cashInvested: number;
}

export function purchaseOf(i: Pick<DealInputs, 'price' | 'downPaymentRate' | 'pointsRate' | 'closingCosts' | 'rehabBudget'>): Purchase {
  const downPayment = i.price * i.downPaymentRate;
  const loanAmount = i.price - downPayment;
  const points = loanAmount * i.pointsRate;
  return { downPayment, loanAmount, points, cashInvested: downPayment + i.closingCosts + points + i.rehabBudget };
}
