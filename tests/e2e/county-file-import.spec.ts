import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CountyLayerSimulator } from '../support/county-layer-simulator.js';
import { squareAround, writeParcelGeoJson } from '../support/county-parcel-file.js';
import { serveConsole, type ServedConsole } from './console.js';

let served: ServedConsole;

test.beforeAll(async () => {
  served = await serveConsole({});
});

test.afterAll(async () => {
  await served?.stop();
});

test('the analyst imports the county parcel file from the Collection page, sees its bad feature, and the parcels on the map', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The layer simulator's invented parcels as the county's GeoJSON download; feature 3 has no parcel number.
  const parcels = new CountyLayerSimulator({ seed: 9 }).parcelsOf('85031').slice(0, 31);
  const file = path.join(served.dataDir, 'Parcels.geojson');
  await writeParcelGeoJson(file, parcels, { feature: (a, i) => ({ type: 'Feature', properties: i === 2 ? { ...a, APN: null, APN_DASH: null } : a, geometry: squareAround(a) }) });

  await page.goto(served.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Collection', exact: true }).click();
  const form = page.getByRole('form', { name: 'Import a file' });
  await form.getByLabel('Kind').selectOption('parcels');
  await expect(form.getByLabel('Path on this computer')).toHaveAttribute('placeholder', '/home/me/Downloads/Parcels.geojson');
  await form.getByLabel('Path on this computer').fill(file);
  await form.getByRole('button', { name: 'Import' }).click();
  const last = page.getByLabel('Last import', { exact: true });
  await expect(last).toContainText('succeeded): 30 parcels stored (30 new, 0 changed, 0 unchanged), 1 bad feature');
  await expect(page.getByRole('list', { name: 'Bad rows of the last import' }).getByRole('listitem')).toHaveText(['feature 3: APN: the parcel number is empty']);
  await page.screenshot({ path: 'tests/e2e/screenshots/collection-parcel-file.png', fullPage: true });

  // Every parcel imported is placed where the file puts it.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Map', exact: true }).click();
  await expect(page.getByText('30 of 30 matching properties have coordinates')).toBeVisible();
  expect(errors).toEqual([]);
});
