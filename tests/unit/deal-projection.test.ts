import { describe, expect, it } from 'vitest';
import { debtServiceInYear, loanBalanceAfter, monthlyPayment } from '../../src/shared/deal/amortization.js';
import { dealInputsOf, UNDERWRITING_PLAN } from '../../src/shared/deal/from-underwriting.js';
import { dealMetrics } from '../../src/shared/deal/metrics.js';
import { projectDeal } from '../../src/shared/deal/projection.js';
import type { UnderwritingInputs } from '../../src/shared/underwriting/underwrite.js';
// The worked example (tests/support/deal-examples.ts), its figures computed by tests/unit/deal-worked-example.py.
import { rentalExample as example } from '../support/deal-examples.js';

describe('amortization', () => {
  it('pays $150,000 at 6.5% over 30 years at $948.10 a month, owing $148,323.41 after a year', () => {
    expect(monthlyPayment(150_000, 0.065, 30)).toBeCloseTo(948.1020352394, 8);
    expect(loanBalanceAfter(150_000, 0.065, 30, 12)).toBeCloseTo(148_323.411797, 5);
    expect(loanBalanceAfter(150_000, 0.065, 30, 60)).toBeCloseTo(140_416.466162, 5);
    expect(loanBalanceAfter(150_000, 0.065, 30, 0)).toBe(150_000);
    expect(loanBalanceAfter(150_000, 0.065, 30, 360)).toBe(0);
  });
  it('at 0% repays the principal in equal parts', () => {
    expect(monthlyPayment(120_000, 0, 10)).toBe(1000);
    expect(loanBalanceAfter(120_000, 0, 10, 12)).toBe(108_000);
    expect(debtServiceInYear(120_000, 0, 10, 10)).toBe(12_000);
    expect(debtServiceInYear(120_000, 0, 10, 11)).toBe(0);
  });
  it('a term ending mid-year pays only its last months', () => {
    // 18 months: 12 payments in year 1, 6 in year 2, none after.
    const p = monthlyPayment(18_000, 0.06, 1.5);
    expect(debtServiceInYear(18_000, 0.06, 1.5, 2)).toBeCloseTo(6 * p, 8);
    expect(loanBalanceAfter(18_000, 0.06, 1.5, 24)).toBe(0);
  });
});

describe('first-year figures of the worked example', () => {
  it('cash flow, cap rate, cash-on-cash, DSCR, GRM, the 1% rule and the break-evens', () => {
    const m = dealMetrics(example);
    expect(m.purchase).toEqual({ downPayment: 50_000, loanAmount: 150_000, points: 1500, cashInvested: 67_500 });
    expect(m.year1).toMatchObject({ grossRent: 24_000, vacancyLoss: 1200, effectiveGrossIncome: 22_800, propertyTax: 1500, insurance: 1200, hoa: 600, maintenance: 1200, capex: 1200, management: 1824 });
    expect(m.year1.operatingExpenses).toBeCloseTo(7524, 8);
    expect(m.year1.netOperatingIncome).toBeCloseTo(15_276, 8);
    expect(m.debtServiceAnnual).toBeCloseTo(11_377.224423, 5);
    expect(m.cashFlowAnnual).toBeCloseTo(3898.775577, 5);
    expect(m.cashFlowMonthly).toBeCloseTo(3898.775577 / 12, 5);
    expect(m.capRate).toBeCloseTo(0.07638, 10);
    expect(m.cashOnCash).toBeCloseTo(0.0577596382, 9);
    expect(m.dscr).toBeCloseTo(1.3426824885, 9);
    expect(m.grossRentMultiplier).toBeCloseTo(200_000 / 24_000, 10);
    // $2,000 < 1% of $210,000 (price plus repairs).
    expect(m.onePercentRatio).toBeCloseTo(2000 / 210_000, 12);
    expect(m.meetsOnePercentRule).toBe(false);
    expect(m.breakEvenRentMonthly).toBeCloseTo(1580.2351876479, 7);
    expect(m.breakEvenOccupancy).toBeCloseTo(0.7734250192, 9);
  });
  it('at the break-even rent the cash flow is $0, and at the break-even occupancy too', () => {
    const m = dealMetrics(example);
    expect(dealMetrics({ ...example, rentMonthly: m.breakEvenRentMonthly! }).cashFlowAnnual).toBeCloseTo(0, 6);
    // Collecting that share of the gross rent: a vacancy of 1 − occupancy.
    expect(dealMetrics({ ...example, vacancyRate: 1 - m.breakEvenOccupancy! }).cashFlowAnnual).toBeCloseTo(0, 6);
  });
  it('no rent breaks even when the rent-based costs take all of it', () => {
    expect(dealMetrics({ ...example, maintenanceRate: 0.5, capexRate: 0.5 }).breakEvenRentMonthly).toBeNull();
  });
  it('all cash (100% down): no loan, no DSCR, cash-on-cash on all the cash', () => {
    const m = dealMetrics({ ...example, downPaymentRate: 1 });
    expect(m.purchase).toEqual({ downPayment: 200_000, loanAmount: 0, points: 0, cashInvested: 216_000 });
    expect(m.debtServiceAnnual).toBe(0);
    expect(m.dscr).toBeNull();
    expect(m.cashOnCash).toBeCloseTo(15_276 / 216_000, 10);
  });
});

/** Year by year from the script: rent, expenses, NOI, debt service, cash flow, balance, value, equity, cumulative cash flow, total return. */
const years = [
  [1, 24000, 7524, 15276, 11377.224423, 3898.775577, 148323.411797, 206000, 57676.588203, 3898.775577, -20344.636219],
  [2, 24720, 7716.72, 15767.28, 11377.224423, 4390.055577, 146534.539376, 212180, 65645.460624, 8288.831154, -8418.308222],
  [3, 25461.6, 7914.5616, 16273.9584, 11377.224423, 4896.733977, 144625.862857, 218545.4, 73919.537143, 13185.565131, 4306.924275],
  [4, 26225.448, 8117.665248, 16796.510352, 11377.224423, 5419.285929, 142589.358736, 225101.762, 82512.403264, 18604.851061, 17860.130985],
  [5, 27012.21144, 8326.175341, 17335.425527, 11377.224423, 5958.201104, 140416.466162, 231854.81486, 91438.348698, 24563.052164, 32271.563822],
] as const;

describe('projection of the worked example', () => {
  const p = projectDeal(example);
  it.each(years)('year %i', (year, rent, expenses, noi, debt, cashFlow, balance, value, equity, cumulative, total) => {
    const row = p.years[year - 1]!;
    expect(row.year).toBe(year);
    const got = [row.grossRent, row.operatingExpenses, row.netOperatingIncome, row.debtService, row.cashFlow, row.loanBalance, row.propertyValue, row.equity, row.cumulativeCashFlow, row.totalReturn];
    [rent, expenses, noi, debt, cashFlow, balance, value, equity, cumulative, total].forEach((want, k) => expect(got[k]).toBeCloseTo(want, 5));
    expect(row.totalReturnRate).toBeCloseTo(total / 67_500, 9);
  });
  it('sells at the end of year 5, net of 7% selling costs and the loan payoff', () => {
    expect(p.sale.year).toBe(5);
    expect(p.sale.price).toBeCloseTo(231_854.81486, 5);
    expect(p.sale.sellingCosts).toBeCloseTo(231_854.81486 * 0.07, 5);
    expect(p.sale.loanPayoff).toBeCloseTo(140_416.466162, 5);
    expect(p.sale.netProceeds).toBeCloseTo(75_208.511657, 5);
  });
  it("the IRR of its cash flows is the spreadsheet IRR of the same flows to 1e-6 (9.0525%)", () => {
    [-67_500, 3898.775577, 4390.055577, 4896.733977, 5419.285929, 81_166.712761].forEach((want, k) => expect(p.cashFlows[k]).toBeCloseTo(want, 5));
    expect(Math.abs(p.irr! - 0.0905250962)).toBeLessThan(1e-6);
    expect(p.irrUndefined).toBeNull();
  });
  it('0% interest and 100% down: an all-cash hold, IRR 7.4774%', () => {
    const cash = projectDeal({ ...example, interestRate: 0, downPaymentRate: 1 });
    expect(cash.years.every((y) => y.debtService === 0 && y.loanBalance === 0)).toBe(true);
    expect(Math.abs(cash.irr! - 0.074774159)).toBeLessThan(1e-6);
  });
  it('negative cash flow every year and a sale at a loss: a negative IRR (−25.5398%), a number', () => {
    const loss = projectDeal({ ...example, price: 400_000, rentMonthly: 1800, appreciationRate: -0.02, rentGrowthRate: 0, expenseGrowthRate: 0 });
    expect(loss.years[0]!.cashFlow).toBeCloseTo(-9336.048846, 5);
    expect(loss.cashFlows.at(-1)).toBeCloseTo(46_089.555239, 5);
    expect(Math.abs(loss.irr! - -0.2553975915)).toBeLessThan(1e-6);
  });
  it('flows that never turn positive: the IRR is undefined (null) and says why, never NaN', () => {
    const ruin = projectDeal({ ...example, price: 400_000, rentMonthly: 800, appreciationRate: -0.3, rentGrowthRate: 0, expenseGrowthRate: 0 });
    expect(ruin.cashFlows.every((c) => c < 0)).toBe(true);
    expect(ruin.irr).toBeNull();
    expect(ruin.irrUndefined).toMatch(/no money comes back/);
  });
});

describe('the deal model from an underwriting', () => {
  const condo: UnderwritingInputs = {
    // The ARMLS condo 4600 N 68th St #371: no value, asking $215,000, rent $1,400; taxed at the
    // price × the effective rate for want of a value.
    price: 215_000,
    price_basis: 'asking_price',
    value: null,
    rent: { monthly: 1400, basis: 'zip_bedrooms', detail: 'test' },
    tax: { annual: null, basis: 'effective_rate', detail: 'no value known: the price × effective rate 0.60%', rate_of_value: 0.006 },
    hoa_monthly: 250,
    land_lease_monthly: 20,
    other_fees_monthly: 10,
    market_trend: 'stable',
    assumptions: { vacancyRate: 0.05, maintenanceRate: 0.05, managementRate: 0.08, insuranceAnnual: 1200, downPaymentRate: 0.25, interestRate: 0.07, termYears: 30, closingCostRate: 0.03 },
  };
  it('carries its price, rent, the tax at that price, the fees and the loan terms', () => {
    expect(dealInputsOf(condo, { ...UNDERWRITING_PLAN, holdingYears: 10 })).toEqual({
      ...UNDERWRITING_PLAN,
      holdingYears: 10,
      price: 215_000,
      closingCosts: 6450,
      loanTermYears: 30,
      interestRate: 0.07,
      downPaymentRate: 0.25,
      rentMonthly: 1400,
      vacancyRate: 0.05,
      managementRate: 0.08,
      maintenanceRate: 0.05,
      insuranceAnnual: 1200,
      hoaMonthly: 250,
      propertyTaxAnnual: 1290,
      otherExpensesMonthly: 30,
    });
  });
  it('is not run on a made-up 0: no price, rent or tax, no deal inputs', () => {
    expect(dealInputsOf({ ...condo, price: null }, UNDERWRITING_PLAN)).toBeNull();
    expect(dealInputsOf({ ...condo, rent: { monthly: null, basis: null, detail: 'none' } }, UNDERWRITING_PLAN)).toBeNull();
    expect(dealInputsOf({ ...condo, tax: { annual: null, basis: null, detail: 'none' } }, UNDERWRITING_PLAN)).toBeNull();
  });
});
