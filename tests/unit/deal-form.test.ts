import { describe, expect, it } from 'vitest';
import { DEAL_FIELDS, type DealInputs } from '../../src/shared/deal/deal-inputs.js';
import { dealTextsOf, readDealTexts, shownText, sliderRange } from '../../src/shared/deal/deal-form.js';

const inputs: DealInputs = {
  price: 300_000, rehabBudget: 10_000, closingCosts: 9_000, afterRepairValue: null, loanTermYears: 30, interestRate: 0.07,
  downPaymentRate: 0.25, pointsRate: 0, rentMonthly: 2_000, vacancyRate: 0.05, managementRate: 0.08, maintenanceRate: 0.05,
  capexRate: 0.05, insuranceAnnual: 1_200, hoaMonthly: 0, propertyTaxAnnual: 1_800, otherExpensesMonthly: 0, rentGrowthRate: 0.03,
  expenseGrowthRate: 0.025, appreciationRate: 0.03, holdingYears: 5, sellingCostRate: 0.08,
};

describe('the what-if form in the units shown', () => {
  it('shows rates in percent and reads them back as fractions', () => {
    const texts = dealTextsOf(inputs);
    expect(texts.downPaymentRate).toBe('25');
    expect(texts.interestRate).toBe('7');
    expect(texts.afterRepairValue).toBe('');
    expect(readDealTexts(texts)).toEqual({ inputs, errors: {} });
  });

  it('refuses a 150% down payment with the message in percent and computes nothing', () => {
    const r = readDealTexts({ ...dealTextsOf(inputs), downPaymentRate: '150' });
    expect(r.inputs).toBeNull();
    expect(r.errors).toEqual({ downPaymentRate: 'Down payment must be from 0% to 100% (got 150%)' });
  });

  it('refuses a negative rate, a $0 price and text that is not a number, each at its field', () => {
    const r = readDealTexts({ ...dealTextsOf(inputs), interestRate: '-3', price: '0', rentMonthly: 'abc' });
    expect(r.inputs).toBeNull();
    expect(Object.keys(r.errors).sort()).toEqual(['interestRate', 'price', 'rentMonthly']);
    expect(r.errors.interestRate).toBe('Interest rate must be from 0% to 30% (got -3%)');
    expect(r.errors.rentMonthly).toBe('Rent must be a number');
  });

  it('gives sliders the field range for percents and twice the start for dollars', () => {
    expect(sliderRange(DEAL_FIELDS.downPaymentRate, 0.25)).toMatchObject({ min: 0, max: 100 });
    expect(sliderRange(DEAL_FIELDS.price, 300_000)).toMatchObject({ min: 0, max: 600_000 });
    expect(sliderRange(DEAL_FIELDS.hoaMonthly, 0).max).toBe(1_000);
    expect(shownText(DEAL_FIELDS.interestRate, 0.0725)).toBe('7.25');
  });
});
