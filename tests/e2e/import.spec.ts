import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ARMLS_FIXTURE, armlsCsv, armlsFixture, armlsRows } from '../support/armls.js';
import { serveConsole, type ServedConsole } from './console.js';

let served: ServedConsole;

test.beforeAll(async () => {
  served = await serveConsole({});
});

test.afterAll(async () => {
  await served?.stop();
});

test('the analyst imports an ARMLS export from the Collection page and sees its bad rows', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A second export beside the real one: two good rows and one with a bad ZIP code.
  const { header, row } = armlsFixture();
  const rows = armlsRows(3, header, row);
  rows[1]![header.indexOf('Zip Code')] = '8525';
  const file = path.join(served.dataDir, 'export.csv');
  fs.writeFileSync(file, armlsCsv(header, rows));

  await page.goto(served.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Collection', exact: true }).click();
  const form = page.getByRole('form', { name: 'Import a file' });
  await form.getByLabel('Kind').selectOption('armls');
  await form.getByLabel('Path on this computer').fill(ARMLS_FIXTURE);
  await form.getByRole('button', { name: 'Import' }).click();
  const last = page.getByLabel('Last import', { exact: true });
  await expect(last).toContainText('succeeded): 1 row stored (1 new, 0 changed, 0 unchanged), 0 bad rows');

  await form.getByLabel('Path on this computer').fill(file);
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(last).toContainText('2 rows stored (2 new, 0 changed, 0 unchanged), 1 bad row');
  await expect(page.getByRole('list', { name: 'Bad rows of the last import' }).getByRole('listitem')).toHaveText(['row 2 (line 3): Zip Code: "8525" is not a 5-digit ZIP code']);
  await page.screenshot({ path: 'tests/e2e/screenshots/collection-import.png', fullPage: true });

  // A path that is not there: the run fails and says so.
  await form.getByLabel('Path on this computer').fill(path.join(served.dataDir, 'missing.csv'));
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(last).toContainText('missing.csv: no such file');

  // The rows are properties like any other.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Properties', exact: true }).click();
  await expect(page.getByText('3 properties · page 1 of 1')).toBeVisible();
  expect(errors).toEqual([]);
});
