import { expect, test, type Locator } from '@playwright/test';
import type { DealInputs } from '../../src/shared/deal/deal-inputs.js';
import { dealMetrics } from '../../src/shared/deal/metrics.js';
import { projectDeal } from '../../src/shared/deal/projection.js';
import type { MarketTrendValue } from '../../src/shared/underwriting/comparables.js';
import { recommend, recommendationRulesOf } from '../../src/shared/underwriting/underwrite.js';
import { processedAssessorConsole, type AssessorConsole } from './assessor-console.js';
import { SHOTS, SIZES, callApi, type ServedConsole } from './console.js';

/**
 * Deal scenarios on the property page (issue #23), at the two sizes the issue names: bull and
 * bear saved from the deal model's fields, kept over a reload, compared side by side with figures
 * that are the deal module's own for the inputs saved; the buy/watch/pass call and the what-if's
 * reasons use the thresholds in Settings (a buy cap rate of 4.5%, not the default 6.5%).
 */
let seeded: AssessorConsole;
let served: ServedConsole;
interface Detail { id: string; processed: { underwriting: { inputs: { market_trend: MarketTrendValue } } }; analyst: { scenarios?: { name: string; inputs: DealInputs }[] } | null }

const THRESHOLDS = { BUY_CAP_RATE_PERCENT: '4.5', BUY_DSCR: '1.1', BUY_CASH_ON_CASH_PERCENT: '3', WATCH_CAP_RATE_PERCENT: '3.5', WATCH_DSCR: '0.9' };
const rules = recommendationRulesOf({ buyCapRatePercent: 4.5, buyDscr: 1.1, buyCashOnCashPercent: 3, watchCapRatePercent: 3.5, watchDscr: 0.9 });

test.beforeAll(async () => {
  seeded = await processedAssessorConsole();
  served = seeded.served;
  const update = await callApi<{ saved: boolean; errors: Record<string, string> }>(served, 'settings.update', { values: THRESHOLDS });
  expect(update.errors).toEqual({});
  expect(update.saved).toBe(true);
});

test.afterAll(async () => {
  await seeded?.stop();
});

const usd = (n: number) => `${n < 0 ? '-' : ''}$${Math.round(Math.abs(n)).toLocaleString('en-US')}`;
const pct = (r: number, digits: number) => `${(r * 100).toFixed(digits)}%`;

/** Type `values` (as shown: percent for rates) into the deal model's fields. */
async function fillDeal(model: Locator, values: Record<string, string>) {
  for (const [name, text] of Object.entries(values)) await model.locator(`#deal-${name}`).fill(text);
  await expect(model.getByTestId('deal-refused')).toHaveCount(0);
}

async function saveAs(model: Locator, name: string) {
  await model.getByLabel('Scenario name').fill(name);
  await model.getByRole('button', { name: 'Save these inputs as a scenario' }).click();
  await expect(model.getByTestId(`scenario-${name}`)).toBeVisible();
}

for (const [n, size] of SIZES.entries()) {
  test(`bull and bear scenarios are saved, kept over a reload and compared side by side with the deal module's figures (${size.name})`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(served.url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Properties', exact: true }).click();
    // A property of its own for each size, so each starts with no scenario.
    await page.getByTestId('property-rows').getByRole('row').nth(n).click();
    const model = page.getByRole('dialog').getByTestId('deal-model');
    await expect(model).toBeVisible();
    await expect(model.getByTestId('scenarios-none')).toBeVisible();
    // The what-if's reasons state the threshold in force, not the default 6.5%.
    await expect(page.getByRole('dialog').getByTestId('recommendation-reasons').getByRole('listitem').first()).toContainText(/cap rate [\d.]+% [≥<] 4\.5%/);

    await fillDeal(model, { rentMonthly: '2150', rehabBudget: '5000', appreciationRate: '5', rentGrowthRate: '4.5', holdingYears: '7', sellingCostRate: '6' });
    await saveAs(model, 'bull');
    await fillDeal(model, { rentMonthly: '1650', rehabBudget: '15000', vacancyRate: '10', appreciationRate: '-2', rentGrowthRate: '1', holdingYears: '3', pointsRate: '1', interestRate: '7.5' });
    await saveAs(model, 'bear');

    const id = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1)!);
    await page.reload();
    const table = page.getByRole('dialog').getByTestId('deal-model').getByTestId('scenario-comparison');
    await expect(table).toBeVisible();
    await expect(table.getByRole('columnheader')).toHaveText(['Figure', 'bull', 'bear']);

    // The figures are the deal module's for the inputs as saved (read back through the API).
    const detail = await callApi<Detail>(served, 'properties.get', { id });
    const saved = detail.analyst!.scenarios!;
    expect(saved.map((s) => s.name)).toEqual(['bull', 'bear']);
    expect(saved[0]!.inputs).toMatchObject({ rentMonthly: 2150, rehabBudget: 5000, appreciationRate: 0.05, rentGrowthRate: 0.045, holdingYears: 7, sellingCostRate: 0.06 });
    expect(saved[1]!.inputs).toMatchObject({ rentMonthly: 1650, rehabBudget: 15000, vacancyRate: 0.1, appreciationRate: -0.02, holdingYears: 3, pointsRate: 0.01, interestRate: 0.075 });
    const trend = detail.processed.underwriting.inputs.market_trend;
    const cells = async (row: string) => (await table.getByTestId(`scenario-row-${row}`).getByRole('cell').allTextContents()).map((t) => t.replace(/ est\.$/, ''));
    const m = saved.map((s) => dealMetrics(s.inputs));
    const p = saved.map((s) => projectDeal(s.inputs));
    expect(await cells('cash-flow')).toEqual(m.map((x) => usd(x.cashFlowMonthly)));
    expect(await cells('cap-rate')).toEqual(m.map((x) => pct(x.capRate, 2)));
    expect(await cells('cash-on-cash')).toEqual(m.map((x) => pct(x.cashOnCash!, 2)));
    expect(await cells('dscr')).toEqual(m.map((x) => x.dscr!.toFixed(2)));
    expect(await cells('irr')).toEqual(p.map((x) => pct(x.irr!, 2)));
    expect(await cells('total-return')).toEqual(p.map((x) => { const y = x.years.at(-1)!; return `${usd(y.totalReturn)} (${pct(y.totalReturnRate!, 1)}) over ${x.years.length} years`; }));
    expect(await cells('call')).toEqual(m.map((x) => recommend({ capRate: x.capRate, dscr: x.dscr, cashFlowAnnual: x.cashFlowAnnual, cashOnCash: x.cashOnCash }, trend, rules).recommendation));
    // The projected figures are marked as estimates.
    await expect(table.getByTestId('scenario-row-irr').locator('abbr.est')).toHaveCount(2);

    // Loading bear puts its inputs back in the fields.
    await page.getByRole('dialog').getByTestId('scenario-bear').getByRole('button', { name: 'Load into the fields' }).click();
    await expect(page.getByRole('dialog').locator('#deal-holdingYears')).toHaveValue('3');
    await expect(page.getByRole('dialog').locator('#deal-vacancyRate')).toHaveValue('10');
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/deal-scenarios-${size.name}.png` });
  });
}
