import { expect, test } from '@playwright/test';
import { processedAssessorConsole, type AssessorConsole } from './assessor-console.js';
import { SHOTS, SIZES, callApi, type ServedConsole } from './console.js';

/**
 * The deal model's what-if at the two sizes the issue names: a value out of range is refused as it
 * is typed, in the unit shown, beside its field, and the figures keep their last accepted values;
 * moving a slider recomputes the cash flow at once, in the renderer.
 */
let seeded: AssessorConsole;
let served: ServedConsole;

test.beforeAll(async () => {
  seeded = await processedAssessorConsole();
  served = seeded.served;
});

test.afterAll(async () => {
  await seeded?.stop();
});

for (const size of SIZES) {
  test(`the what-if refuses out-of-range input in the units shown and follows its sliders (${size.name})`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(served.url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Properties', exact: true }).click();
    await page.getByTestId('property-rows').getByRole('row').first().click();
    const model = page.getByRole('dialog').getByTestId('deal-model');
    await expect(model).toBeVisible();
    const cashFlow = model.getByTestId('deal-cash-flow');
    const loan = model.getByTestId('deal-loan');
    await expect(cashFlow).toHaveText(/^-?\$[\d,]+ a month/);
    // The figures rest on the estimated rent: they say so.
    await expect(cashFlow.locator('abbr.est')).toHaveText('est.');
    await expect(model.getByTestId('deal-projection').getByRole('row')).toHaveCount(1 + 5);
    await expect(model.getByTestId('deal-irr')).toContainText('IRR over the hold');

    const before = await cashFlow.textContent();
    const loanBefore = await loan.textContent();
    const down = model.locator('#deal-downPaymentRate');
    await down.fill('150');
    await expect(model.getByTestId('deal-downPaymentRate-error')).toHaveText('Down payment must be from 0% to 100% (got 150%)');
    await expect(down).toHaveAttribute('aria-invalid', 'true');
    // Never a negative loan: the figures stay at the last accepted values.
    await expect(loan).toHaveText(loanBefore!);
    await expect(cashFlow).toHaveText(before!);
    await expect(model.getByTestId('deal-refused')).toBeVisible();

    await down.fill('25');
    await expect(model.getByTestId('deal-downPaymentRate-error')).toHaveCount(0);
    await expect(down).not.toHaveAttribute('aria-invalid', 'true');
    const at25 = await cashFlow.textContent();
    // The rate's slider: cash flow follows as it moves, and the number field shows the slider's value.
    await model.getByTestId('deal-interestRate-slider').fill('3');
    await expect(model.locator('#deal-interestRate')).toHaveValue('3');
    await expect(cashFlow).not.toHaveText(at25!);

    // BRRRR and flip are modes of the same inputs.
    await model.getByRole('radio', { name: 'Flip' }).check();
    await expect(model.getByTestId('deal-profit')).toHaveText(/^-?\$[\d,]+/);
    await model.getByRole('radio', { name: 'BRRRR' }).check();
    await expect(model.getByTestId('deal-cash-left')).toHaveText(/^-?\$[\d,]+/);
    await page.screenshot({ path: `${SHOTS}/what-if-${size.name}.png`, fullPage: true });
  });
}

/** Every input of the deal model as typed (percent for rates), and what each is saved as. */
const TYPED = {
  price: '310000', rehabBudget: '12000', closingCosts: '6500', afterRepairValue: '345000', downPaymentRate: '30', interestRate: '6.25', loanTermYears: '20', pointsRate: '1',
  rentMonthly: '2200', vacancyRate: '9', managementRate: '11', maintenanceRate: '7', capexRate: '6', insuranceAnnual: '1450', hoaMonthly: '35', propertyTaxAnnual: '2050',
  otherExpensesMonthly: '20', rentGrowthRate: '2.5', expenseGrowthRate: '3.5', appreciationRate: '4', holdingYears: '8', sellingCostRate: '7',
};
const SAVED = {
  price: 310_000, rehab_budget: 12_000, closing_costs: 6_500, after_repair_value: 345_000, down_payment_rate: 0.3, interest_rate: 0.0625, term_years: 20, points_rate: 0.01,
  rent_monthly: 2_200, vacancy_rate: 0.09, management_rate: 0.11, maintenance_rate: 0.07, capex_rate: 0.06, insurance_annual: 1_450, hoa_monthly: 35, property_tax_annual: 2_050,
  other_expenses_monthly: 20, rent_growth_rate: 0.025, expense_growth_rate: 0.035, appreciation_rate: 0.04, holding_years: 8, selling_cost_rate: 0.07, flip_holding_months: 5, mode: 'flip',
};

for (const [n, size] of SIZES.entries()) {
  test(`Save for this property keeps every input of the deal model and its strategy over a reload (${size.name})`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(served.url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Properties', exact: true }).click();
    // A property of its own for each size, so each starts with no saved terms.
    await page.getByTestId('property-rows').getByRole('row').nth(2 + n).click();
    const dialog = page.getByRole('dialog');
    const model = dialog.getByTestId('deal-model');
    await expect(model).toBeVisible();
    await expect(dialog.getByTestId('saved-terms')).toHaveCount(0);
    for (const [name, text] of Object.entries(TYPED)) await model.locator(`#deal-${name}`).fill(text);
    await model.getByRole('radio', { name: 'Flip' }).check();
    await model.locator('#deal-holdingMonths').fill('5');
    await expect(model.getByTestId('deal-refused')).toHaveCount(0);
    await model.getByRole('button', { name: 'Save for this property' }).click();
    await expect(dialog.getByTestId('saved-terms')).toContainText('rehab budget $12,000');
    await expect(dialog.getByTestId('saved-terms')).toContainText('as a flip');
    await dialog.getByTestId('save-terms').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/what-if-saved-${size.name}.png` });

    const id = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1)!);
    const detail = await callApi<{ processed: { underwriting_overrides: unknown } }>(served, 'properties.get', { id });
    expect(detail.processed.underwriting_overrides).toEqual(SAVED);

    await page.reload();
    const after = page.getByRole('dialog').getByTestId('deal-model');
    await expect(after).toBeVisible();
    for (const [name, text] of Object.entries(TYPED)) await expect(after.locator(`#deal-${name}`), name).toHaveValue(text);
    await expect(after.getByRole('radio', { name: 'Flip' })).toBeChecked();
    await expect(after.locator('#deal-holdingMonths')).toHaveValue('5');
    // The stored underwriting is computed with the terms it has: the analyst's property tax, basis what-if.
    await expect(page.getByRole('dialog').getByTestId('underwriting')).toContainText('$2,050 (what-if: set by the analyst for this property)');
    await expect(after.getByRole('button', { name: 'Save for this property' })).toBeDisabled();
  });
}
