import { describe, expect, it } from 'vitest';
import { brrrr, brrrrInputsSchema, type BrrrrInputs } from '../../src/shared/deal/brrrr.js';
import { flip, flipInputsSchema, type FlipInputs } from '../../src/shared/deal/flip.js';
import { rentalExample } from '../support/deal-examples.js';

/**
 * Worked examples computed independently by tests/unit/deal-worked-example.py (and checkable by
 * hand: the figures in the comments).
 */
const brrrrExample: BrrrrInputs = {
  // The worked rental's vacancy, management, maintenance, capex, growth, hold and selling costs.
  ...rentalExample,
  // A cash purchase of $150,000 + $3,000 closing + $40,000 rehab + $4,000 holding = $197,000 in.
  price: 150_000,
  rehabBudget: 40_000,
  closingCosts: 3000,
  afterRepairValue: 250_000,
  downPaymentRate: 1,
  pointsRate: 0,
  holdingCosts: 4000,
  rentMonthly: 2100,
  insuranceAnnual: 1300,
  hoaMonthly: 0,
  propertyTaxAnnual: 1600,
  // Refinance 75% of $250,000 = $187,500 at 7% over 30 years, $5,000 closing.
  refinanceLtv: 0.75,
  refinanceRate: 0.07,
  refinanceTermYears: 30,
  refinanceClosingCosts: 5000,
};

describe('BRRRR', () => {
  it('refinances at 75% of the ARV: $182,500 out, $14,500 left in, CoC 11.28% on what is left', () => {
    const b = brrrr(brrrrExample);
    expect(b).toMatchObject({ cashInBeforeRefinance: 197_000, refinanceLoan: 187_500, purchaseLoanPayoff: 0, cashOut: 182_500, cashLeftInDeal: 14_500, cashOnCashUnbounded: false });
    // Gross 25,200; EGI 23,940; expenses 1,600 + 1,300 + 2,520 + 1,915.20 = 7,335.20; NOI 16,604.80.
    expect(b.afterRefinance.year1.netOperatingIncome).toBeCloseTo(16_604.8, 8);
    expect(b.afterRefinance.monthlyPrincipalInterest).toBeCloseTo(1247.442178461, 8);
    expect(b.afterRefinance.cashFlowAnnual).toBeCloseTo(1635.4938584684, 7);
    expect(b.afterRefinance.dscr).toBeCloseTo(1.1092564908, 9);
    expect(b.afterRefinance.cashOnCash).toBeCloseTo(0.1127926799, 9);
    // The hold after it starts from the ARV on the new loan, with the cash left in as the investment.
    expect(b.projection.startValue).toBe(250_000);
    expect(b.projection.cashFlows[0]).toBe(-14_500);
    expect(b.projection.years[0]!.loanBalance).toBeLessThan(187_500);
    expect(b.projection.irr).not.toBeNull();
  });
  it('a financed purchase pays its loan off from the refinance', () => {
    // 20% down: a $120,000 purchase loan; cash in 30,000 + 3,000 + 40,000 + 4,000 = 77,000;
    // cash out 187,500 − 5,000 − 120,000 = 62,500; left 14,500 (the same money, borrowed twice).
    const b = brrrr({ ...brrrrExample, downPaymentRate: 0.2 });
    expect(b).toMatchObject({ cashInBeforeRefinance: 77_000, purchaseLoanPayoff: 120_000, cashOut: 62_500, cashLeftInDeal: 14_500 });
  });
  it('all the cash back out: no cash left, cash-on-cash unbounded (null), IRR undefined and said so', () => {
    // ARV $300,000: 225,000 − 5,000 = 220,000 out of 197,000 in; at $2,600 a month the new loan's
    // $17,963 a year is covered (NOI 21,248.80), so every flow is money got back.
    const b = brrrr({ ...brrrrExample, afterRepairValue: 300_000, rentMonthly: 2600 });
    expect(b.afterRefinance.cashFlowAnnual).toBeGreaterThan(0);
    expect(b.cashLeftInDeal).toBe(-23_000);
    expect(b.afterRefinance.cashOnCash).toBeNull();
    expect(b.cashOnCashUnbounded).toBe(true);
    expect(b.projection.irr).toBeNull();
    expect(b.projection.irrUndefined).toMatch(/no money is put in/);
    expect(b.projection.years[0]!.totalReturnRate).toBeNull();
  });
  it('refuses a refinance above 100% LTV and a missing ARV, in percent and dollars', () => {
    const r = brrrrInputsSchema.safeParse({ ...brrrrExample, refinanceLtv: 1.2, afterRepairValue: null });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain('Refinance loan-to-value must be from 0% to 100% (got 120%)');
    expect(messages).toContain('After-repair value must be a number');
    expect(brrrrInputsSchema.safeParse(brrrrExample).success).toBe(true);
  });
});

const flipExample: FlipInputs = {
  price: 180_000,
  rehabBudget: 35_000,
  closingCosts: 4000,
  afterRepairValue: 290_000,
  holdingMonths: 6,
  holdingCostsMonthly: 600,
  sellingCostRate: 0.08,
  downPaymentRate: 0.1,
  interestRate: 0.12,
  pointsRate: 0.02,
};

describe('flip', () => {
  it('ARV − purchase − rehab − holding − buying and selling costs: $31,240 profit, ROI 42.47%, 102.97% a year', () => {
    // Loan 162,000 (18,000 down); 2 points 3,240; interest 162,000 × 1% × 6 = 9,720; holding
    // 3,600 + 9,720 = 13,320; buying 4,000 + 3,240 = 7,240; selling 8% of 290,000 = 23,200.
    // Profit 290,000 − 180,000 − 35,000 − 7,240 − 13,320 − 23,200 = 31,240 on 73,560 invested.
    const f = flip(flipExample);
    expect(f).toMatchObject({ loanAmount: 162_000, downPayment: 18_000, points: 3240, holdingCosts: 13_320, buyingCosts: 7240, sellingCosts: 23_200, cashInvested: 73_560 });
    expect(f.loanInterest).toBeCloseTo(9720, 8);
    expect(f.profit).toBeCloseTo(31_240, 8);
    expect(f.roi).toBeCloseTo(0.4246873301, 9);
    expect(f.annualizedRoi).toBeCloseTo(1.0297339885, 9);
  });
  it('an all-cash flip held 12 months: the annualised ROI is the ROI', () => {
    const f = flip({ ...flipExample, downPaymentRate: 1, pointsRate: 0, holdingMonths: 12 });
    // 290,000 − 180,000 − 35,000 − 4,000 − 7,200 − 23,200 = 40,600 on 180,000 + 4,000 + 35,000 + 7,200.
    expect(f.loanAmount).toBe(0);
    expect(f.profit).toBeCloseTo(40_600, 8);
    expect(f.roi).toBeCloseTo(40_600 / 226_200, 12);
    expect(f.annualizedRoi).toBeCloseTo(f.roi!, 12);
  });
  it('a flip that loses money has a negative ROI', () => {
    const f = flip({ ...flipExample, afterRepairValue: 220_000 });
    expect(f.profit).toBeLessThan(0);
    expect(f.roi).toBeLessThan(0);
    expect(f.annualizedRoi).toBeLessThan(f.roi!);
  });
  it('refuses a 0-month hold and a price of $0', () => {
    const r = flipInputsSchema.safeParse({ ...flipExample, holdingMonths: 0, price: 0 });
    expect(r.error!.issues.map((i) => i.message).sort()).toEqual(['Holding period must be from 1 month to 120 months, whole (got 0 months)', 'Price must be more than $0, at most $1,000,000,000 (got $0)']);
  });
});
