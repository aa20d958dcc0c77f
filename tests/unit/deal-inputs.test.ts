import { describe, expect, it } from 'vitest';
import { DEAL_FIELDS, dealFieldError, dealInputErrors, dealInputsSchema, type DealInputs } from '../../src/shared/deal/deal-inputs.js';
import { describeZodError } from '../../src/shared/contract.js';
import { dealStartOf, termsOf, termValuesOf, underwritingOverridesSchema } from '../../src/shared/underwriting/overrides.js';
import { rentalExample } from '../support/deal-examples.js';

// The ARMLS condo 4600 N 68th St #371 at its asking price and rent, on the worked rental's terms.
const valid: DealInputs = { ...rentalExample, price: 215_000, rehabBudget: 0, closingCosts: 6450, pointsRate: 0, rentMonthly: 1400, hoaMonthly: 250, propertyTaxAnnual: 1290, holdingYears: 10 };

describe('deal inputs, as the user types them (rates in percent)', () => {
  // The what-if: down payment 150%, interest -3%, price 0 recomputed to a loan of −$170,000.
  it.each([
    ['downPaymentRate', '150', 'Down payment must be from 0% to 100% (got 150%)'],
    ['interestRate', '-3', 'Interest rate must be from 0% to 30% (got -3%)'],
    ['price', '0', 'Price must be more than $0, at most $1,000,000,000 (got $0)'],
    ['loanTermYears', '35.5', 'Loan term must be from 1 year to 40 years, whole (got 35.5 years)'],
    ['hoaMonthly', '-20', 'HOA must be from $0 a month to $1,000,000,000 a month (got -$20 a month)'],
    ['sellingCostRate', '25', 'Selling costs must be from 0% to 20% (got 25%)'],
    ['appreciationRate', '-60', 'Appreciation must be from -50% to 50% (got -60%)'],
    ['vacancyRate', 'abc', 'Vacancy must be a number'],
    ['rentMonthly', '', 'Rent must be a number'],
  ] as const)('%s typed %j: %s', (name, typed, message) => {
    expect(dealFieldError(name, typed)).toBe(message);
  });
  it.each([
    ['downPaymentRate', '100'],
    ['downPaymentRate', '0'],
    ['interestRate', '30'],
    ['interestRate', '6.875'],
    ['appreciationRate', '-50'],
    ['price', '215000'],
    ['loanTermYears', 15],
  ] as const)('%s typed %j is accepted', (name, typed) => {
    expect(dealFieldError(name, typed)).toBeNull();
  });
  it('every field has a range', () => {
    for (const field of Object.values(DEAL_FIELDS)) expect(field.min).toBeLessThan(field.max);
  });
});

describe('deal inputs in the model units (fractions)', () => {
  it('accepts an investor’s inputs', () => {
    expect(dealInputsSchema.parse(valid)).toEqual(valid);
    expect(dealInputErrors(valid)).toEqual({});
  });
  it('names each field out of range in percent, and a missing or unknown one', () => {
    expect(dealInputErrors({ ...valid, downPaymentRate: 1.5, interestRate: -0.03, price: 0 })).toEqual({
      downPaymentRate: 'Down payment must be from 0% to 100% (got 150%)',
      interestRate: 'Interest rate must be from 0% to 30% (got -3%)',
      price: 'Price must be more than $0, at most $1,000,000,000 (got $0)',
    });
    const { holdingYears: _, ...missing } = valid;
    expect(dealInputErrors(missing)).toEqual({ holdingYears: 'Holding period must be a number' });
    expect(Object.keys(dealInputErrors({ ...valid, downPayment: 0.25 }))).toEqual(['(inputs)']);
  });
});

describe('the what-if terms saved for a property', () => {
  it('are refused in the units the what-if shows, not as fractions', () => {
    // Save refused "down payment 150%" with "down_payment_rate … <=1" for a field shown in %.
    const r = underwritingOverridesSchema.safeParse({ down_payment_rate: 1.5, interest_rate: -0.03, price: 0, closing_cost_rate: 0.25 });
    expect(describeZodError(r.error!, 'Invalid input for properties.setTerms')).toBe(
      'Invalid input for properties.setTerms: price: Price must be more than $0, at most $1,000,000,000 (got $0); down_payment_rate: Down payment must be from 0% to 100% (got 150%); interest_rate: Interest rate must be from 0% to 30% (got -3%); closing_cost_rate: Closing costs must be from 0% to 20% (got 25%)',
    );
    expect(underwritingOverridesSchema.parse({ price: 290_000, down_payment_rate: 0.3, term_years: 15 })).toEqual({ price: 290_000, down_payment_rate: 0.3, term_years: 15 });
  });
});

describe('every input of the deal model saved for a property', () => {
  it("is refused by the scenarios' own schema, in the what-if's units, and the strategy by name", () => {
    const r = underwritingOverridesSchema.safeParse({ vacancy_rate: 1.5, holding_years: 7.5, rehab_budget: -1, refinance_ltv: 1.2, mode: 'wholesale' });
    expect(describeZodError(r.error!, 'Invalid input for properties.setTerms')).toBe(
      'Invalid input for properties.setTerms: rehab_budget: Rehab budget must be from $0 to $1,000,000,000 (got -$1); vacancy_rate: Vacancy must be from 0% to 100% (got 150%); holding_years: Holding period must be from 1 year to 50 years, whole (got 7.5 years); refinance_ltv: Refinance loan-to-value must be from 0% to 100% (got 120%); mode: the strategy is one of rental, brrrr, flip',
    );
    for (const [term, value] of [['vacancy_rate', 1.5], ['holding_years', 7.5], ['selling_cost_rate', 0.25], ['points_rate', 0.2]] as const) {
      const field = { vacancy_rate: 'vacancyRate', holding_years: 'holdingYears', selling_cost_rate: 'sellingCostRate', points_rate: 'pointsRate' }[term];
      expect(underwritingOverridesSchema.safeParse({ [term]: value }).success).toBe(dealInputsSchema.safeParse({ ...valid, [field]: value }).success);
    }
  });

  it('saves what was moved and what was saved before, at its current value, and the deal model starts from them all', () => {
    const moved = { ...valid, rehabBudget: 20_000, vacancyRate: 0.08, holdingYears: 7 };
    const first = termsOf(termValuesOf(moved), new Set(['rehab_budget', 'vacancy_rate', 'holding_years']), 'flip', null);
    expect(first).toEqual({ rehab_budget: 20_000, vacancy_rate: 0.08, holding_years: 7, mode: 'flip' });
    expect(underwritingOverridesSchema.parse(first)).toEqual(first);
    // Saved again after moving the price only: the earlier terms stay, at their current values; back to a rental hold.
    const again = termsOf(termValuesOf({ ...moved, price: 199_000, vacancyRate: 0.05 }), new Set(['price']), 'rental', { ...first, closing_cost_rate: 0.02 });
    expect(again).toEqual({ price: 199_000, rehab_budget: 20_000, vacancy_rate: 0.05, holding_years: 7, closing_cost_rate: 0.02, mode: 'rental' });
    expect(dealStartOf(valid, again)).toEqual({ ...valid, price: 199_000, rehabBudget: 20_000, vacancyRate: 0.05, holdingYears: 7 });
    // Nothing moved on a rental hold: nothing to save; an empty after-repair value is never saved.
    expect(termsOf(termValuesOf({ ...valid, afterRepairValue: null }), new Set(['after_repair_value']), 'rental', null)).toEqual({});
  });
});
