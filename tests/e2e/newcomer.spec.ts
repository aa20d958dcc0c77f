import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { serveConsole, type ServedConsole } from './console.js';

/**
 * A newcomer's first hour: an empty database and no keys at all. The console says what will
 * fail, loads the sample data through the real pipeline, shows processed properties with their
 * figures, removes the sample; a tab keeps working across a restart, and a stale one says so once.
 */
const SHOTS = 'tests/e2e/screenshots';

let served: ServedConsole | undefined;
test.afterEach(async () => {
  await served?.stop();
  served = undefined;
});

async function go(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('empty database, no keys: warnings, sample data loaded, processed, removed', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  served = await serveConsole({});
  await page.goto(served.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // The truth about an unconfigured console: two warnings, never "All checks pass".
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await expect(nav.getByRole('status')).toHaveText('2 warnings');
  await nav.getByRole('link', { name: '2 warnings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Health' })).toBeVisible();
  await expect(page.getByTestId('check-keys')).toContainText('warning');
  await expect(page.getByTestId('check-keys')).toContainText('schedule assessor-morning will fail (MARICOPA_API_TOKEN not set)');
  await expect(page.getByTestId('check-captcha_balance')).toContainText('TWOCAPTCHA_API_KEY not set');
  await page.screenshot({ path: `${SHOTS}/newcomer-health.png`, fullPage: true });

  // Load the sample from the Dashboard: it goes through mapping, queue and processing.
  await go(page, 'Dashboard');
  const offer = page.getByRole('region', { name: 'Sample data' });
  await expect(offer).toContainText('The database is empty');
  await offer.getByRole('button', { name: 'Load sample data' }).click();
  // Counted as the Properties list shows them, with the records beside (#23: "24 sample records" over 20 rows).
  const sampleStatus = page.locator('.sample-offer[role="status"]');
  await expect(sampleStatus).toContainText('20 sample properties', { timeout: 60_000 });
  await expect(sampleStatus).toContainText('(24 records: a listing and its parcel make one property) are in the database.');
  await expect(page.getByTestId('quality-today').locator('.card-value')).not.toHaveText('—');
  await page.screenshot({ path: `${SHOTS}/newcomer-dashboard.png`, fullPage: true });

  // Processed properties with their figures, each with the sample badge.
  await go(page, 'Properties');
  // One row per property: the four sample listings are listed under their sample parcels; and
  // the eight invented parcels of the county layer.
  await expect(page.getByText('20 properties · page 1 of 1')).toBeVisible();
  const rows = page.getByTestId('property-rows').getByRole('row');
  await expect(rows).toHaveCount(20);
  await expect(rows.locator('.badge', { hasText: 'sample' })).toHaveCount(20);
  await expect(rows.getByTestId('row-sources')).toHaveCount(4);
  await rows.filter({ hasText: /15958 W Banff/i }).click();
  const detail = page.getByRole('dialog');
  await expect(detail.getByRole('heading', { name: /^Quality \d\.\d\d$/ })).toBeVisible();
  await expect(detail.getByText('sample', { exact: true })).toBeVisible();
  await expect(detail.getByTestId('description')).not.toBeEmpty();
  // Its figures: a rent estimate in the row, the underwriting's cap rate in the detail.
  await expect(page.getByRole('columnheader', { name: /Rent\/mo/ })).toBeVisible();
  // The rent is an estimate and says from what, as do the cap rate and cash-on-cash made from it.
  const rent = rows.filter({ hasText: /15958 W Banff/i }).locator('[data-col="rent"]');
  await expect(rent).toHaveText(/^\$[\d,]+ est\.$/);
  await expect(rent.locator('abbr')).toHaveAttribute('title', /^estimated rent: .+/);
  await expect(rows.filter({ hasText: /15958 W Banff/i }).locator('[data-col="cap_rate"]')).toHaveText(/^-?[\d.]+% est\.$/);
  await expect(detail.getByTestId('whatif-cap')).toHaveText(/^-?\d+\.\d{2}%$/);
  await page.screenshot({ path: `${SHOTS}/newcomer-properties.png`, fullPage: true });
  await detail.getByRole('button', { name: 'Close' }).click();

  // Remove it: the database is empty again and the offer is back.
  await page.getByRole('button', { name: 'Remove sample data' }).click();
  await expect(page.getByRole('region', { name: 'Sample data' }).getByRole('button', { name: 'Load sample data' })).toBeVisible();
  await expect(page.getByText('No properties match.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('Settings: a refused Save focuses the field with plain words; a saved one applies at once', async ({ page }) => {
  served = await serveConsole({});
  await page.goto(served.url);
  await go(page, 'Settings');
  const concurrency = page.locator('#setting-PROCESSING_CONCURRENCY');
  await concurrency.fill('0');
  await page.locator('#setting-TARGET_ZIP_CODES').fill('85031, 850');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Nothing saved: 2 settings need fixing.')).toBeVisible();
  // TARGET_ZIP_CODES comes first on the page.
  await expect(page.locator('#setting-TARGET_ZIP_CODES')).toBeFocused();
  await expect(page.locator('#setting-TARGET_ZIP_CODES-error')).toHaveText('[1]: "850" is not a 5-digit ZIP code.');
  await expect(page.locator('#setting-PROCESSING_CONCURRENCY-error')).toHaveText('must be more than 0');

  // Only the processing schedule left: the two schedule warnings go at once, no restart.
  await page.locator('#setting-TARGET_ZIP_CODES').fill('85031');
  await concurrency.fill('4');
  await page.locator('#setting-SCHEDULES').fill('[{"id":"processing-evening","cron":"0 20 * * *","work":{"kind":"process"}}]');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved and applied: the next run uses it.')).toBeVisible();
  await go(page, 'Health');
  await expect(page.getByTestId('check-keys')).toContainText('ok');
  await expect(page.getByTestId('check-keys')).not.toContainText('will fail');
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('status')).toHaveText('1 warning');
});

test('a tab keeps working across a restart; after --new-token it shows one clear message', async ({ page }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-e2e-restart-'));
  const first = await serveConsole({}, { dataDir });
  const kept = { uri: first.uri, dataDir, port: Number(new URL(first.url).port) };
  await page.goto(first.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await first.stop();

  served = await serveConsole({}, kept);
  expect(served.url).toBe(first.url);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('status')).toHaveText('2 warnings');
  await served.stop();

  served = await serveConsole({}, { ...kept, args: ['--new-token'] });
  expect(served.url).not.toBe(first.url);
  await page.reload();
  await expect(page.getByRole('alert')).toHaveText(/^This tab's access token is no longer accepted/);
  await expect(page.getByRole('alert')).toHaveCount(1);
  await expect(page.getByText('Checking…')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/newcomer-stale-token.png`, fullPage: true });
  await served.stop();
  served = undefined;
  fs.rmSync(kept.dataDir, { recursive: true, force: true });
});
