import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { callApi, serveConsole, simulatorEnv, waitFor, type ServedConsole } from './console.js';

/**
 * Every page of the console at the two sizes of issue #23, seeded with the sample data, the real
 * assessor files, the real ARMLS rows and a sync against the simulator: a screenshot of each into
 * `tests/e2e/screenshots/` (`1024x700-<page>.png`), and no figure cut off on any of them (every
 * cell, card figure and fact holding a digit shows all of its text: `scrollWidth <= clientWidth`).
 */
const SHOTS = 'tests/e2e/screenshots';
const SIZES = [
  { name: '1024x700', width: 1024, height: 700 },
  { name: '1440x900', width: 1440, height: 900 },
] as const;
const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures');
const ASSESSOR_FILES = path.join(FIXTURES, 'maricopa-assessor/parcels');
const ARMLS_FILES = ['armls-export/closed-condo-173-35-524.csv', 'armls-export/closed-sales-85251-2025.csv'].map((f) => path.join(FIXTURES, f));
/** Where figures are written: table and grid cells, card figures, facts. */
const FIGURE_ELEMENTS = '[role="cell"], [role="gridcell"], td, th, .card-value, dd';

let assessor: MaricopaSimulator;
let llm: OpenAiSimulator;
let served: ServedConsole;

interface RunView { status: string }

async function finished(runId: string, what: string) {
  await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status !== 'running', what, 180_000);
}

test.beforeAll(async () => {
  test.setTimeout(400_000);
  assessor = await new MaricopaSimulator({ latencyMs: 0 }).start();
  llm = await new OpenAiSimulator({ latencyMs: 0 }).start();
  // The assessor's parcels (scores about 0.75) are held for review, so the review list has rows.
  served = await serveConsole({ ...simulatorEnv(assessor, llm), PROCESSING_BATCH_SIZE: '1000', QUALITY_REVIEW_THRESHOLD: '0.8' });
  await callApi(served, 'sample.load', {});
  // A saved search made before the Scottsdale sales arrive: they are today's new matches.
  await callApi(served, 'searches.save', { name: 'Scottsdale 85251', filters: { zip: ['85251'] }, alert: true });
  const imports: [string, string][] = [['assessor', ASSESSOR_FILES], ...ARMLS_FILES.map((f) => ['armls', f] as [string, string])];
  for (const [kind, file] of imports) {
    const { runId } = await callApi<{ runId: string }>(served, 'collect.import', { kind, path: file });
    await finished(runId, `the ${kind} import of ${file}`);
  }
  const sync = await callApi<{ runId: string }>(served, 'collect.sync', { source: 'maricopa_api', zips: ['85035'], limit: 12 });
  await finished(sync.runId, 'the sync');
  const processing = await callApi<{ runId: string }>(served, 'processing.run', {});
  await finished(processing.runId, 'the processing run');
  await callApi(served, 'searches.check');
});

test.afterAll(async () => {
  await served?.stop();
  await assessor?.stop();
  await llm?.stop();
});

/**
 * The figure elements in `scope` whose text does not fit: a digit in their text and more content
 * than width (`scrollWidth > clientWidth`), each as `<page>: <column or tag> "<text>" (scroll > client)`.
 */
async function cutOffFigures(scope: Locator, what: string): Promise<string[]> {
  const cut = await scope.locator(FIGURE_ELEMENTS).evaluateAll((els) =>
    els
      .filter((el) => /\d/.test(el.textContent ?? '') && el.scrollWidth > el.clientWidth)
      .map((el) => `${(el as unknown as { dataset: Record<string, string> }).dataset.col ?? el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 60)}" (${el.scrollWidth} > ${el.clientWidth})`),
  );
  return cut.map((c) => `${what}: ${c}`);
}

async function go(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

for (const size of SIZES) {
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('every page: a screenshot, and no figure cut off', async ({ page }) => {
      test.setTimeout(240_000);
      fs.mkdirSync(SHOTS, { recursive: true });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const cut: string[] = [];
      /** A page (the whole of it) or a part of one (`scope`): its screenshot and its cut-off figures. */
      const shoot = async (name: string, scope?: Locator) => {
        const file = `${SHOTS}/${size.name}-${name}.png`;
        await (scope ? scope.screenshot({ path: file }) : page.screenshot({ path: file, fullPage: true }));
        cut.push(...(await cutOffFigures(scope ?? page.locator('main'), name)));
      };
      await page.goto(served.url);
      await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
      await expect(page.getByRole('table', { name: "Today's new matches" })).toBeVisible();
      await shoot('dashboard');
      await shoot('today-matches', page.getByRole('region', { name: "Today's new matches" }));

      await go(page, 'Properties');
      const rows = page.getByTestId('property-rows').getByRole('row');
      await expect(rows.first()).toBeVisible();
      await shoot('properties');
      await page.getByText(/^Saved searches \(\d+\)$/).click();
      await shoot('saved-searches', page.locator('.saved-searches'));

      // The property page: the merged condo (assessor parcel and ARMLS row), the richest one.
      const search = page.getByRole('form', { name: 'Filters' }).getByLabel('Search');
      await search.fill('17335524');
      await search.press('Enter');
      await expect(rows).toHaveCount(1);
      await rows.first().click();
      const drawer = page.getByRole('dialog');
      await expect(drawer.getByTestId('detail-status')).not.toBeEmpty();
      await page.screenshot({ path: `${SHOTS}/${size.name}-property.png` });
      cut.push(...(await cutOffFigures(drawer, 'property')));
      await page.keyboard.press('Escape');
      await search.fill('');
      await search.press('Enter');

      await go(page, 'Map');
      await expect(page.locator('path.map-point').first()).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/${size.name}-map.png` });

      await go(page, 'Collection');
      const history = page.getByRole('table', { name: 'Run history' });
      await expect(history.locator('tbody tr').first()).toBeVisible();
      await shoot('collection');
      await history.locator('tbody tr').first().getByRole('link').click();
      await expect(page.getByRole('heading', { level: 1, name: /^Run \w{8}$/ })).toBeVisible();
      await expect(page.getByTestId('run-counters')).not.toBeEmpty();
      await shoot('run-detail');

      await go(page, 'Processing');
      await expect(page.getByRole('table', { name: 'Review list' })).toBeVisible();
      await shoot('processing');
      await shoot('review', page.locator('form.bulk').locator('..'));
      await shoot('batch-jobs', page.getByRole('heading', { name: 'Batch API jobs' }).locator('xpath=following-sibling::*[1]'));

      await go(page, 'Accuracy');
      await expect(page.getByRole('heading', { name: 'Every measure' }).or(page.getByRole('status'))).toBeVisible();
      await shoot('accuracy');

      await go(page, 'Costs');
      await expect(page.getByRole('table', { name: 'Cost by model' })).toBeVisible();
      await shoot('costs');

      await go(page, 'Settings');
      await expect(page.getByRole('form', { name: 'Settings' })).toBeVisible();
      await shoot('settings');
      await shoot('llm-presets', page.getByRole('region', { name: 'LLM server presets' }));

      await go(page, 'Health');
      await expect(page.getByRole('table', { name: 'Health checks' })).toBeVisible();
      await shoot('health');

      expect(cut).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
}
