import { expect, test } from '@playwright/test';
import { ARMLS_FIXTURE } from '../support/armls.js';
import { writeCondoParcel } from '../support/fixtures.js';
import { callApi, serveConsole, waitFor, type ServedConsole } from './console.js';

/**
 * The condo of C01 from two sources, the assessor's parcel and the real ARMLS export row (joined
 * by APN), as one property: found by the forms the export writes, and its page shows what each
 * record brings (the ARMLS photo and closed sale) and names both records.
 */
let served: ServedConsole;

interface RunView { status: string }

test.beforeAll(async () => {
  served = await serveConsole({});
  for (const [kind, path] of [['assessor', writeCondoParcel(served.dataDir)], ['armls', ARMLS_FIXTURE]] as const) {
    const { runId } = await callApi<{ runId: string }>(served, 'collect.import', { kind, path });
    await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status === 'succeeded', `the ${kind} import`);
  }
  const { runId } = await callApi<{ runId: string }>(served, 'processing.run', {});
  await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status !== 'running', 'the processing run', 120_000);
});

test.afterAll(async () => {
  await served?.stop();
});

test('a property merged from the assessor and ARMLS is one row, found by the listing’s forms, and its page shows every record', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(served.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Properties', exact: true }).click();
  await expect(page.getByText('1 property · page 1 of 1')).toBeVisible();
  const filters = page.getByRole('form', { name: 'Filters' });
  const search = filters.getByLabel('Search');
  for (const text of ['17335524', '4600 N 68TH ST UNIT 371', '4600 N 68TH ST #371']) {
    await search.fill(text);
    await search.press('Enter');
    await expect(page.getByText('1 property · page 1 of 1'), text).toBeVisible();
  }
  await search.fill('4600 N 68TH ST UNIT 372');
  await search.press('Enter');
  await expect(page.getByText('No properties match.', { exact: false })).toBeVisible();
  await search.fill('17335524');
  await search.press('Enter');

  await page.getByTestId('property-rows').getByRole('row').first().click();
  const drawer = page.getByRole('dialog');
  await expect(drawer.getByRole('list', { name: 'Photos' }).getByRole('img')).toHaveAttribute('src', 'http://cdn.photos.sparkplatform.com/az/20210115062540930001000000-o.jpg');
  const records = drawer.getByRole('list', { name: 'Records of this property' }).getByRole('listitem');
  await expect(records).toHaveCount(2);
  await expect(records.first()).toContainText('assessor 173-35-524 (this record)');
  const sales = drawer.getByRole('table', { name: 'Sales and assessments' });
  await expect(sales.getByRole('row').filter({ hasText: '2021-04-06' }).first()).toContainText('sale (ARMLS import)$215,000');
  await expect(sales.getByRole('row').filter({ hasText: '2015-02-01' }).first()).toContainText('sale (assessor)$153,000');
  // The sale price the assessor's record carried when collected is dated by its sale, not the collection.
  await expect(sales.getByRole('row').filter({ hasText: 'sale price on record when first collected' }).first()).toContainText('2015-02-01');
  await expect(sales).not.toContainText('sale_price first seen');

  // The other record's page, from its link.
  await records.nth(1).getByRole('link', { name: 'ARMLS import 6181273' }).click();
  expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/properties/armls_export:6181273');
  await expect(records.first()).toContainText('ARMLS import 6181273 (this record)');
  expect(errors).toEqual([]);
});
