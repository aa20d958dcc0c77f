import { describe, expect, it } from 'vitest';
import { estimatePropertyTax } from '../../src/shared/underwriting/property-tax.js';
import { estimateRent } from '../../src/shared/underwriting/rent.js';
import { monthsBefore, monthsBetween } from '../../src/shared/underwriting/stats.js';
import { otherFeesMonthly } from '../../src/main/processing/valuation-facts.js';
import { monthlyPayment, underwrite, type UnderwritingAssumptions, type UnderwritingInputs } from '../../src/shared/underwriting/underwrite.js';

const assumptions: UnderwritingAssumptions = {
  vacancyRate: 0.05,
  maintenanceRate: 0.05,
  managementRate: 0.08,
  insuranceAnnual: 1200,
  downPaymentRate: 0.25,
  interestRate: 0.06,
  termYears: 30,
  closingCostRate: 0.03,
};

function inputs(price: number | null, rent: number | null, taxAnnual: number, extra: Partial<UnderwritingInputs> = {}): UnderwritingInputs {
  return {
    price,
    rent: { monthly: rent, basis: rent === null ? null : 'rent_per_sqft', detail: 'test' },
    tax: { annual: taxAnnual, basis: 'listing_taxes', detail: 'test' },
    hoa_monthly: null,
    land_lease_monthly: null,
    market_trend: 'stable',
    assumptions,
    ...extra,
  };
}

describe('monthly payment', () => {
  it('matches the standard amortisation schedule of $200,000 at 6% over 30 years', () => {
    const payment = monthlyPayment(200_000, 0.06, 30);
    expect(payment).toBeCloseTo(1199.1, 2);
    // The schedule's first row: $1,000.00 interest, $199.10 principal; after twelve payments
    // $197,543.98 is owed (the published 30-year table's year-1 balance).
    let balance = 200_000;
    const interest1 = balance * 0.005;
    expect(interest1).toBeCloseTo(1000, 2);
    expect(payment - interest1).toBeCloseTo(199.1, 2);
    for (let m = 0; m < 12; m += 1) balance = balance * 1.005 - payment;
    expect(balance).toBeCloseTo(197_543.98, 1);
  });

  it.each([
    [100_000, 0.05, 30, 536.82],
    [150_000, 0.06, 30, 899.33],
    [300_000, 0.07, 30, 1995.91],
    [250_000, 0.065, 15, 2177.77],
    [120_000, 0, 10, 1000],
  ])('$%i at %f over %i years is $%f a month', (principal, rate, years, expected) => {
    expect(monthlyPayment(principal, rate, years)).toBeCloseTo(expected, 2);
  });
});

describe('underwriting worked examples (computed by hand)', () => {
  it('$200,000 at $2,000 a month: a buy candidate', () => {
    // gross 24,000; vacancy 1,200; EGI 22,800; expenses tax 2,000 + insurance 1,200 +
    // maintenance 1,200 + management 1,824 = 6,224; NOI 16,576; cap 8.29%.
    // Loan 150,000 → P&I 899.33 (10,791.92 a year); cash flow 5,784.08; invested 50,000 + 6,000.
    const u = underwrite(inputs(200_000, 2000, 2000));
    expect(u).toMatchObject({
      gross_rent_annual: 24_000,
      vacancy_loss: 1200,
      effective_gross_income: 22_800,
      expenses: { property_tax: 2000, insurance: 1200, hoa: 0, land_lease: 0, maintenance: 1200, management: 1824, total: 6224 },
      net_operating_income: 16_576,
      cap_rate: 0.0829,
      down_payment: 50_000,
      closing_costs: 6000,
      loan_amount: 150_000,
      monthly_principal_interest: 899.33,
      cash_invested: 56_000,
      cash_on_cash: 0.1033,
      dscr: 1.54,
      gross_rent_multiplier: 8.33,
      one_percent_rule: true,
      recommendation: 'buy candidate',
    });
    expect(u.annual_debt_service).toBeCloseTo(10_791.92, 1);
    expect(u.cash_flow_annual).toBeCloseTo(5784.08, 1);
    expect(u.cash_flow_monthly).toBeCloseTo(482.01, 1);
    expect(u.reasons).toHaveLength(6);
  });

  it('$400,000 at $2,200 a month: negative cash flow, a pass', () => {
    // gross 26,400; EGI 25,080; expenses 2,400 + 1,200 + 1,320 + 2,006.40 = 6,926.40;
    // NOI 18,153.60; cap 4.54%; P&I on 300,000 = 1,798.65; cash flow −3,430.22; CoC −3.06%; DSCR 0.84.
    const u = underwrite(inputs(400_000, 2200, 2400));
    expect(u).toMatchObject({ net_operating_income: 18_153.6, cap_rate: 0.0454, monthly_principal_interest: 1798.65, cash_on_cash: -0.0306, dscr: 0.84, gross_rent_multiplier: 15.15, one_percent_rule: false, recommendation: 'pass' });
    expect(u.cash_flow_annual).toBeCloseTo(-3430.22, 1);
    expect(u.reasons.join('\n')).toMatch(/✗ cap rate 4\.5% < 6\.5%/);
  });

  it('HOA and land lease count as expenses; a declining ZIP turns a buy into a watch', () => {
    const base = underwrite(inputs(200_000, 2000, 2000));
    const fees = underwrite(inputs(200_000, 2000, 2000, { hoa_monthly: 100, land_lease_monthly: 50, market_trend: 'declining' }));
    expect(fees.expenses).toMatchObject({ hoa: 1200, land_lease: 600 });
    expect(fees.net_operating_income).toBe(base.net_operating_income! - 1800);
    expect(fees.recommendation).toBe('watch');
    expect(fees.reasons.some((r) => r.startsWith('✗ ZIP sales trend declining'))).toBe(true);
    // Too few sales for a trend is shown as not counted, never as a passed check.
    const unknown = underwrite(inputs(200_000, 2000, 2000, { market_trend: 'insufficient_data' }));
    expect(unknown.reasons).toContain('– ZIP sales trend insufficient data (not counted)');
    expect(unknown.recommendation).toBe(base.recommendation);
  });

  it('other recurring fees and a running special assessment count as expenses; one-time fees and an ended assessment do not', () => {
    const base = underwrite(inputs(200_000, 2000, 2000));
    // The real ARMLS 6864846: a special assessment of $375 a month to 2033-12-31; 6880244: a
    // recreation centre fee of $110 semi-annually, $18.33 a month.
    const facts = { otherFeesMonthly: 18.33, specialAssessment: { monthly: 375, end: '2033-12-31' } };
    expect(otherFeesMonthly(facts, '2026-11-29')).toBe(393.33);
    expect(otherFeesMonthly(facts, '2034-01-01')).toBe(18.33);
    expect(otherFeesMonthly({ otherFeesMonthly: null, specialAssessment: null }, '2026-11-29')).toBeNull();
    const fees = underwrite(inputs(200_000, 2000, 2000, { other_fees_monthly: 393.33 }));
    expect(fees.expenses).toMatchObject({ other_fees: 4719.96 });
    expect(fees.net_operating_income).toBeCloseTo(base.net_operating_income! - 4719.96, 2);
    expect(fees.expenses!.total).toBeCloseTo(base.expenses!.total + 4719.96, 2);
  });

  it('an effective tax rate follows the price (the what-if changes it)', () => {
    const tax = { annual: 1200, basis: 'effective_rate' as const, detail: 'test', rate_of_value: 0.006 };
    expect(underwrite(inputs(200_000, 2000, 0, { tax })).expenses!.property_tax).toBe(1200);
    expect(underwrite(inputs(300_000, 2000, 0, { tax })).expenses!.property_tax).toBe(1800);
  });

  it('all cash: no DSCR, cash-on-cash on the whole price', () => {
    const u = underwrite(inputs(200_000, 2000, 2000, { assumptions: { ...assumptions, downPaymentRate: 1 } }));
    expect(u.dscr).toBeNull();
    expect(u.monthly_principal_interest).toBe(0);
    expect(u.cash_on_cash).toBeCloseTo(16_576 / 206_000, 4);
  });

  it('without a value or a rent: insufficient data, with the reason', () => {
    expect(underwrite(inputs(null, 2000, 0))).toMatchObject({ recommendation: 'insufficient data', cap_rate: null, reasons: ['no value to compare the rent with'] });
    expect(underwrite(inputs(200_000, null, 0)).reasons[0]).toMatch(/^no rent estimate/);
  });
});

describe('rent', () => {
  const settings = {
    table: { rents: { '85031': { '2': 1500, '3': 1800, '4': 2200 } }, basis: 'zip_bedrooms' as const, source: 'RENT_BY_ZIP_BEDROOMS', date: null },
    rentPerSqftByZip: { '85033': 1.2 },
    rentPerSqftDefault: 1.1,
    rentPerSqftCondo: 1.9,
    minRent: 800,
    maxRent: 8000,
  };
  it.each([
    [{ zip: '85031', bedrooms: 3, square_feet: 1500 }, 1800, 'zip_bedrooms'],
    [{ zip: '85031', bedrooms: 6, square_feet: 3000 }, 2860, 'zip_bedrooms'], // 2,200 × (1 + 0.15 × 2)
    [{ zip: '85031', bedrooms: null, square_feet: 1500 }, 1650, 'rent_per_sqft'],
    [{ zip: '85033', bedrooms: 3, square_feet: 1500 }, 1800, 'rent_per_sqft'],
    [{ zip: '85379', bedrooms: null, square_feet: 500 }, 800, 'rent_per_sqft'],
    [{ zip: '85379', bedrooms: null, square_feet: null }, null, null],
    [{ zip: '85379', bedrooms: null, square_feet: 1000, property_type: 'condo' }, 1900, 'rent_per_sqft'],
    [{ zip: '85379', bedrooms: null, square_feet: 1000, property_type: 'single_family' }, 1100, 'rent_per_sqft'],
  ] as const)('%o → %s (%s)', (p, monthly, basis) => {
    expect(estimateRent(p, settings)).toMatchObject({ monthly, basis });
  });
});

describe('property tax', () => {
  const settings = { taxRatePer100ByArea: { '891503': 11.5 }, effectiveTaxRate: 0.006 };
  const base = { limitedPropertyValue: 135_279, assessmentRatio: 0.1, taxAreaCode: '891503', annualTaxes: null, taxesYear: null, value: 345_000 };
  it('LPV × assessment ratio × the tax area rate per $100', () => {
    // 135,279 × 0.10 = 13,527.90 assessed × 11.5 / 100 = 1,555.71
    expect(estimatePropertyTax(base, settings)).toMatchObject({ annual: 1556, basis: 'tax_area_rate' });
  });
  it('else the listing taxes, else the effective rate of the value', () => {
    expect(estimatePropertyTax({ ...base, taxAreaCode: '999999', annualTaxes: 390, taxesYear: 2020 }, settings)).toMatchObject({ annual: 390, basis: 'listing_taxes' });
    expect(estimatePropertyTax({ ...base, taxAreaCode: '999999' }, settings)).toMatchObject({ annual: 2070, basis: 'effective_rate', rate_of_value: 0.006 });
  });
  it('with no value known, taxes the price the underwriting buys at, never $0, and says so', () => {
    // The real ARMLS condo 4600 N 68th St #371: no value, asking $215,000, rent $1,400; no tax
    // area rate and no stated taxes. Its what-if showed a tax of $0 (NOI and a 3.64% cap rate
    // overstated); at the 0.60% effective rate the tax is 215,000 × 0.006 = $1,290 a year.
    const tax = estimatePropertyTax({ ...base, taxAreaCode: null, limitedPropertyValue: null, value: null }, settings);
    expect(tax).toEqual({ annual: null, basis: 'effective_rate', detail: 'no value known: the price × effective rate 0.60%', rate_of_value: 0.006 });
    const u = underwrite(inputs(215_000, 1400, 0, { tax }));
    expect(u.expenses!.property_tax).toBe(1290);
    // A what-if price moves it: $250,000 → $1,500.
    expect(underwrite(inputs(250_000, 1400, 0, { tax })).expenses!.property_tax).toBe(1500);
  });
  it('a tax nobody can compute makes the underwriting insufficient data, never a tax of $0', () => {
    const unknown = { annual: null, basis: null, detail: 'no tax area rate, recent stated taxes or value' };
    expect(underwrite(inputs(215_000, 1400, 0, { tax: unknown }))).toMatchObject({
      recommendation: 'insufficient data',
      expenses: null,
      cap_rate: null,
      reasons: ['no property tax estimate (no tax area rate, recent stated taxes or value)'],
    });
  });
  it('passes over stated taxes more than two tax years old, and says so, as an old sale is for the value', () => {
    // The real ARMLS row states $390 for 2020: in 2026 that is not today's bill.
    const stated = { ...base, taxAreaCode: '999999', annualTaxes: 390, taxesYear: 2020, year: 2026 };
    expect(estimatePropertyTax(stated, settings)).toEqual({
      annual: 2070,
      basis: 'effective_rate',
      detail: "value × effective rate 0.60% (no rate set for tax area 999999); the listing's 2020 taxes ($390) are too old to use",
      rate_of_value: 0.006,
    });
    expect(estimatePropertyTax({ ...stated, taxesYear: 2024 }, settings)).toMatchObject({ annual: 390, basis: 'listing_taxes', detail: 'taxes stated by the listing for 2024' });
    expect(estimatePropertyTax({ ...stated, taxesYear: 2027 }, settings)).toMatchObject({ basis: 'effective_rate', detail: expect.stringMatching(/the listing's 2027 taxes \(\$390\) are for a tax year not yet billed$/) });
    expect(estimatePropertyTax({ ...stated, taxesYear: null }, settings)).toMatchObject({ annual: 390, basis: 'listing_taxes', detail: 'taxes stated by the listing (tax year not stated)' });
  });
});

describe('calendar months', () => {
  it('counts whole months and steps back by months', () => {
    expect(monthsBetween('2009-07-01', '2026-11-29')).toBe(208);
    expect(monthsBetween('2025-11-30', '2026-11-29')).toBe(11);
    expect(monthsBetween('2025-11-29', '2026-11-29')).toBe(12);
    expect(monthsBefore('2026-11-29', 12)).toBe('2025-11-29');
    expect(monthsBefore('2026-03-31', 1)).toBe('2026-02-28');
  });
});
