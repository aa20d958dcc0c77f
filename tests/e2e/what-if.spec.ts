import { expect, test } from '@playwright/test';
import { processedAssessorConsole, type AssessorConsole } from './assessor-console.js';
import { SHOTS, SIZES, type ServedConsole } from './console.js';

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
