import { expect, test } from '@playwright/test';
import { CountyLayerSimulator } from '../support/county-layer-simulator.js';
import { serveConsole, type ServedConsole } from './console.js';

let layer: CountyLayerSimulator;
let served: ServedConsole;

test.beforeAll(async () => {
  // Pages of 100 answered slowly enough that the plan and the pace can be watched.
  layer = await new CountyLayerSimulator({ seed: 4, parcelsPerZip: { '85031': 900 }, maxRecordCount: 100, latencyMs: 250 }).start();
  served = await serveConsole({ COUNTY_LAYER_URL: layer.layerUrl, TARGET_ZIP_CODES: '85031' });
});

test.afterAll(async () => {
  await served?.stop();
  await layer?.stop();
});

test('the analyst syncs a ZIP code from the county parcel layer on the Collection page, sees its plan and pace, and the parcels on the map', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(served.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Collection', exact: true }).click();
  const form = page.getByRole('form', { name: 'Sync County parcel layer' });
  await expect(form.getByLabel('ZIP codes')).toHaveValue('85031');
  await form.getByRole('button', { name: 'Sync now' }).click();

  const pace = page.getByLabel(/^Plan and pace of run/);
  await expect(pace).toContainText('Plan: ~900 parcels from the layer in ~2 s (9 pages of up to 100; assuming 2 s a page of 1,000 until a sync has measured it)');
  await expect(pace).toContainText(/\d+\/900 parcels, [\d,]+ parcels a (second|minute), ~?<?\d+ (s|min) left/);
  await page.screenshot({ path: 'tests/e2e/screenshots/collection-county.png', fullPage: true });
  await expect(page.getByRole('table', { name: 'Run history' }).getByRole('cell', { name: '900 parcels stored (900 new, 0 changed, 0 unchanged), 0 failed' })).toBeVisible({ timeout: 60_000 });
  expect(Math.max(...layer.pageRequests().map((r) => Number(r.params.resultRecordCount)))).toBe(100);

  // Every parcel is placed on the map, where the layer puts it.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Map', exact: true }).click();
  await expect(page.getByText('900 of 900 matching properties have coordinates')).toBeVisible();
  expect(errors).toEqual([]);
});
