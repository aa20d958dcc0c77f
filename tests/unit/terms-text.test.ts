import { describe, expect, it } from 'vitest';
import { ownTermsText } from '../../src/shared/underwriting/terms-text.js';

describe('ownTermsText', () => {
  it.each([
    // The terms: a price of $290,000 and 30% down.
    [{ price: 290_000, down_payment_rate: 0.3 }, 'price $290,000, 30% down'],
    [{ interest_rate: 0.0675, term_years: 25 }, '6.75% interest, 25-year loan'],
    [{ rent_monthly: 2100, closing_cost_rate: 0.03, price: 301_500.4 }, 'price $301,500, rent $2,100/mo, 3% closing costs'],
    [{ down_payment_rate: 0 }, '0% down'],
    [{}, ''],
    [
      { price: 250_000, rehab_budget: 20_000, vacancy_rate: 0.08, hoa_monthly: 35, holding_years: 7, property_tax_annual: 2100, refinance_ltv: 0.75, flip_holding_months: 5, mode: 'brrrr' as const },
      'price $250,000, rehab budget $20,000, vacancy 8%, HOA $35 a month, property tax $2,100 a year, holding period 7 years, BRRRR refinance loan-to-value 75%, flip holding period 5 months, as BRRRR',
    ],
  ])('%o reads "%s"', (terms, text) => {
    expect(ownTermsText(terms)).toBe(text);
  });
});
