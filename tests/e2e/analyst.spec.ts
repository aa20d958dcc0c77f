import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { callApi, serveConsole, simulatorEnv, waitFor, type ServedConsole } from './console.js';

/**
 * The analyst's console at the two sizes the issue names: the property page in a drawer, the
 * Sync form against a late settings answer, the review list in bulk, the cost charts, a run's
 * detail page, the map; screenshots of every page and an accessibility check on each.
 */
const SHOTS = 'tests/e2e/screenshots';
const SIZES = [
  { name: '1024x700', width: 1024, height: 700 },
  { name: '1440x900', width: 1440, height: 900 },
] as const;
/** An amount under a cent or a few cents, shown to the digit that matters (never "$0.00"). */
const UNDER_A_DOLLAR = /^\$0\.0\d*[1-9]\d*$/;

let assessor: MaricopaSimulator;
let llm: OpenAiSimulator;
let served: ServedConsole;

interface RunView { _id: string; status: string; counters: Record<string, number>; params: Record<string, unknown> }
interface QueueItems { total: number; items: { id: string }[] }

test.beforeAll(async () => {
  assessor = await new MaricopaSimulator({ latencyMs: 5 }).start();
  llm = await new OpenAiSimulator({ latencyMs: 0 }).start();
  served = await serveConsole({
    ...simulatorEnv(assessor, llm),
    // Every record is held, so the review list is long.
    QUALITY_REVIEW_THRESHOLD: '0.99',
    PROCESSING_BATCH_SIZE: '1000',
    LLM_DAILY_BUDGET_USD: '2',
  });
  // Every parcel of a ZIP code (48 in the simulator): more than a page of the review list (25).
  const { runId } = await callApi<{ runId: string }>(served, 'collect.sync', { source: 'maricopa_api', zips: ['85035'] });
  await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status === 'succeeded', 'the seeding sync');
  const processing = await callApi<{ runId: string }>(served, 'processing.run', {});
  await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId: processing.runId })).status !== 'running', 'the processing run', 120_000);
});

test.afterAll(async () => {
  await served?.stop();
  await assessor?.stop();
  await llm?.stop();
});

async function open(page: Page, hash = '#/dashboard') {
  await page.goto(served.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  if (hash !== '#/dashboard') await page.goto(`${new URL(served.url).origin}/${hash}`);
}

async function go(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** No serious or critical accessibility violation on the page as it is (axe-core). */
async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

/** Every processed record held for review again (each test of the review list starts full). */
async function holdAllAgain() {
  await callApi(served, 'processing.reprocess', { status: 'all' });
  const { runId } = await callApi<{ runId: string }>(served, 'processing.run', {});
  await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status !== 'running', 'the processing run', 120_000);
}

/** Press Tab (Shift+Tab when `back`) until `target` has focus (keyboard only), at most `max` times. */
async function tabTo(page: Page, target: Locator, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/**
 * The chart's budget line is drawn, inside its plot area (a horizontal SVG line has no height,
 * so it is checked by position: Recharts leaves out a line outside the axis).
 */
async function expectBudgetLineInPlot(page: Page, chart: string) {
  const figure = page.locator(`figure[aria-label="${chart}"]`);
  const line = figure.locator('.recharts-reference-line-line');
  await expect(line).toHaveCount(1);
  const y = Number(await line.getAttribute('y1'));
  const grid = (await figure.locator('.recharts-cartesian-grid').boundingBox())!;
  const svg = (await figure.locator('.recharts-wrapper > svg.recharts-surface').boundingBox())!;
  expect(svg.y + y).toBeGreaterThanOrEqual(grid.y - 1);
  expect(svg.y + y).toBeLessThanOrEqual(grid.y + grid.height + 1);
}

/** The element is wholly inside the viewport. */
/**
 * The first map point a pointer can reach: the map has stopped zooming and no other point, control
 * or tooltip covers the point's centre. A forced click could land mid-animation or on whatever lies
 * on top (CI saw the dialog never open once), so the click is a real one on a reachable point.
 */
async function reachablePoint(page: Page): Promise<Locator> {
  await expect(page.locator('.leaflet-zoom-anim')).toHaveCount(0);
  const handle = page.locator('path.map-point');
  let index = -1;
  await expect
    .poll(async () => {
      index = await handle.evaluateAll((els) =>
        els.findIndex((el) => {
          // In the page: its window and document (the tests' own types have no DOM library).
          const page = globalThis as unknown as { innerWidth: number; innerHeight: number; document: { elementFromPoint(x: number, y: number): unknown } };
          const { innerWidth, innerHeight, document } = page;
          const box = el.getBoundingClientRect();
          const x = box.left + box.width / 2;
          const y = box.top + box.height / 2;
          return x > 0 && y > 0 && x < innerWidth && y < innerHeight && document.elementFromPoint(x, y) === el;
        }),
      );
      return index;
    })
    .toBeGreaterThanOrEqual(0);
  return handle.nth(index);
}

async function expectInView(page: Page, locator: Locator) {
  const box = (await locator.boundingBox())!;
  const view = page.viewportSize()!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(view.width + 1);
  expect(box.y + box.height).toBeLessThanOrEqual(view.height + 1);
}

for (const size of SIZES) {
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('the property page opens in view, has its own URL, closes with Escape and Back, and follows the filters', async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await open(page);
      await go(page, 'Properties');
      // The seeded ZIP code: every record there is processed.
      await page.getByRole('form', { name: 'Filters' }).getByLabel('ZIP').fill('85035');
      await page.getByRole('form', { name: 'Filters' }).getByLabel('ZIP').press('Enter');
      const rows = page.getByTestId('property-rows').getByRole('row');
      await expect(page.getByText(/^\d+ properties · page 1 of 1/)).toBeVisible();
      // Bathrooms from the assessor's fixtures are estimates, and say so.
      await expect(rows.first().locator('[data-col="bathrooms"]')).toContainText('est.');

      // Scrolled to the bottom, a click still shows the property at once, with focus in it.
      const id = (await rows.first().getAttribute('data-open-id'))!;
      // That row, wherever a refresh puts it.
      const first = page.locator(`[data-open-id="${id}"]`);
      await page.mouse.wheel(0, 2000);
      await first.click();
      const drawer = page.getByRole('dialog');
      await expect(drawer).toBeVisible();
      await expectInView(page, drawer);
      await expect(drawer.getByRole('heading', { level: 2 })).toBeFocused();
      expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/properties/${id}`);
      await expect(drawer.getByTestId('facts')).toContainText('est.');
      await expect(drawer.getByRole('heading', { name: /^Quality \d\.\d\d$/ })).toBeVisible();
      await expect(drawer.getByRole('table', { name: 'Sales and assessments' })).toContainText('tax year');
      await page.screenshot({ path: `${SHOTS}/${size.name}-property.png` });
      await expectAccessible(page, 'property page');

      // Escape closes and gives focus back to the row.
      await page.keyboard.press('Escape');
      await expect(drawer).toBeHidden();
      await expect(page.locator(`[data-open-id="${id}"]`)).toBeFocused();
      expect(new URL(page.url()).hash).toBe('#/properties');

      // Back closes too; Forward opens it again; a deep link opens it in a new tab's load.
      await page.keyboard.press('Enter');
      await expect(drawer).toBeVisible();
      await page.goBack();
      await expect(drawer).toBeHidden();
      await page.goForward();
      await expect(drawer).toBeVisible();
      await page.reload();
      await expect(page.getByRole('dialog')).toBeVisible();
      await expect(page.getByRole('dialog').getByTestId('detail-status')).not.toBeEmpty();

      // A filter the open property does not match closes it: never a stale page.
      // (Enter in the search field: the drawer covers the Apply button at 1024 wide.)
      const search = page.getByRole('form', { name: 'Filters' }).getByLabel('Search');
      await search.fill('no such address anywhere');
      await search.press('Enter');
      await expect(page.getByText(/^No properties match\./)).toBeVisible();
      await expect(page.getByRole('dialog')).toBeHidden();
      await search.fill('');
      await search.press('Enter');
      await expect(rows.first()).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/${size.name}-properties.png` });
      await expectAccessible(page, 'properties');
      expect(errors).toEqual([]);
    });

    test('keyboard only: open a property, close it, page through review, approve selected', async ({ page }) => {
      await open(page);
      await go(page, 'Properties');
      const row = page.getByTestId('property-rows').getByRole('row').first();
      await tabTo(page, row);
      await page.keyboard.press('Enter');
      await expect(page.getByRole('dialog')).toBeVisible();
      await expect(page.getByRole('dialog').getByRole('heading', { level: 2 })).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toBeHidden();
      await expect(row).toBeFocused();

      await holdAllAgain();
      await go(page, 'Processing');
      const before = (await callApi<QueueItems>(served, 'queue.items', { status: 'review', limit: 1, offset: 0 })).total;
      expect(before).toBeGreaterThan(25);
      const secondPage = (await callApi<QueueItems>(served, 'queue.items', { status: 'review', limit: 25, offset: 25 })).items.map((i) => i.id);
      const range = page.getByTestId('review-range');
      await expect(range).toHaveText(`1–25 of ${before} held`);
      await tabTo(page, page.getByRole('navigation', { name: 'Pages of the review list' }).getByRole('button', { name: 'Next' }));
      await page.keyboard.press('Enter');
      await expect(range).toHaveText(`26–${Math.min(50, before)} of ${before} held`);
      await tabTo(page, page.getByRole('checkbox', { name: 'Select this page' }), { back: true, max: 120 });
      await page.keyboard.press('Space');
      await expect(range).toContainText(`${secondPage.length} selected`);
      const onPage = secondPage.length;
      await tabTo(page, page.getByRole('button', { name: `Approve selected (${onPage})` }), { back: true });
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('approve-result')).toHaveText(`Approved ${onPage}.`);
      await expect(range).toHaveText(`1–${Math.min(25, before - onPage)} of ${before - onPage} held`);
      const left = (await callApi<QueueItems>(served, 'queue.items', { status: 'review', limit: 500, offset: 0 })).items.map((i) => i.id);
      expect(left.filter((id) => secondPage.includes(id))).toEqual([]);
    });

    test('review in bulk: select all held, correct several at once; the list, its filters and the score follow', async ({ page }) => {
      await holdAllAgain();
      await open(page);
      await go(page, 'Processing');
      const held = await callApi<QueueItems>(served, 'queue.items', { status: 'review', limit: 500, offset: 0 });
      const range = page.getByTestId('review-range');
      await expect(range).toContainText(`of ${held.total} held`);
      await page.screenshot({ path: `${SHOTS}/${size.name}-processing.png`, fullPage: true });
      await expectAccessible(page, 'processing');

      // Correct two at once: bedrooms 3.
      const table = page.getByRole('table', { name: 'Review list' });
      await table.locator('tbody tr').nth(0).getByRole('checkbox').check();
      await table.locator('tbody tr').nth(1).getByRole('checkbox').check();
      const form = page.getByRole('form', { name: 'Approve the selected items' });
      await form.getByLabel('Bedrooms').fill('3');
      await form.getByRole('button', { name: 'Approve selected (2)' }).click();
      await expect(page.getByTestId('approve-result')).toHaveText('Approved 2.');
      await expect(range).toContainText(`of ${held.total - 2} held`);

      // The list, filtered on bedrooms ≥ 3, has them, completed, with their new score.
      await go(page, 'Properties');
      const filters = page.getByRole('form', { name: 'Filters' });
      await filters.getByLabel('Beds ≥').fill('3');
      await filters.getByLabel('Queue status').selectOption('completed');
      await filters.getByRole('button', { name: 'Apply' }).click();
      const rows = page.getByTestId('property-rows').getByRole('row');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
      await expect(rows.first().locator('[data-col="bedrooms"]')).toHaveText('3');

      // Select all that are held, approve.
      await go(page, 'Processing');
      await page.getByRole('button', { name: /^Select all \d+ held$/ }).click();
      await page.getByRole('button', { name: `Approve selected (${held.total - 2})` }).click();
      await expect(page.getByTestId('approve-result')).toHaveText(`Approved ${held.total - 2}.`);
      await expect(page.getByText('Nothing held for review.')).toBeHidden();
      expect((await callApi<QueueItems>(served, 'queue.items', { status: 'review', limit: 1, offset: 0 })).total).toBe(0);
    });

    test('the Sync form keeps what the user typed when the settings answer late; the run has its detail page', async ({ page }) => {
      const zip = size.width === 1024 ? '85033' : '85043';
      await open(page);
      await page.route('**/api/settings.get', async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      const settingsAnswered = page.waitForResponse('**/api/settings.get');
      await go(page, 'Collection');
      const form = page.getByRole('form', { name: 'Sync Maricopa County Assessor' });
      await form.getByLabel('ZIP codes').fill(zip);
      await settingsAnswered;
      await page.waitForTimeout(100);
      await expect(form.getByLabel('ZIP codes')).toHaveValue(zip);
      await form.getByLabel('Limit').fill('3');
      await form.getByRole('button', { name: 'Sync now' }).click();
      await expect(page.getByText(/^Run \w{8} started\.$/)).toBeVisible();
      const history = page.getByRole('table', { name: 'Run history' });
      await expect(history.locator('tbody tr').first().getByRole('cell', { name: 'succeeded' })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/${size.name}-collection.png`, fullPage: true });
      await expectAccessible(page, 'collection');

      await history.locator('tbody tr').first().getByRole('link').click();
      await expect(page.getByRole('heading', { level: 1, name: /^Run \w{8}$/ })).toBeVisible();
      await expect(page.getByTestId('run-params')).toContainText(zip);
      await expect(page.getByTestId('run-counters')).toContainText('inserted');
      await expect(page.getByRole('table', { name: 'Timeline' })).toContainText('succeeded');
      await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Collection' })).toHaveAttribute('aria-current', 'page');
      await page.screenshot({ path: `${SHOTS}/${size.name}-run.png`, fullPage: true });
      await expectAccessible(page, 'run detail');
    });

    test('a running sync is cancelled from its detail page and resumed to the end', async ({ page }) => {
      assessor.latencyMs = 150;
      try {
        const { runId } = await callApi<{ runId: string }>(served, 'collect.sync', { source: 'maricopa_api', zips: [size.width === 1024 ? '85031' : '85037'], limit: 40 });
        await open(page, `#/runs/${runId}`);
        await expect(page.getByTestId('run-status')).toHaveText('running');
        await page.getByRole('button', { name: 'Cancel' }).click();
        await expect(page.getByTestId('run-status')).toHaveText('cancelled');
        assessor.latencyMs = 5;
        await page.getByRole('button', { name: 'Resume' }).click();
        await expect(page).not.toHaveURL(new RegExp(runId));
        await expect(page.getByTestId('run-status')).toHaveText('succeeded');
        await expect(page.getByTestId('run-params')).toContainText(runId);
      } finally {
        assessor.latencyMs = 5;
      }
    });

    test('the cost charts keep the budget line in view and show cents under $1', async ({ page }) => {
      await open(page);
      const overview = await callApi<{ llm: { spentTodayUsd: number } }>(served, 'stats.overview');
      expect(overview.llm.spentTodayUsd).toBeGreaterThan(0);
      expect(overview.llm.spentTodayUsd).toBeLessThan(0.1);
      await expectBudgetLineInPlot(page, 'LLM cost a day, against the daily budget');
      await expect(page.getByText(UNDER_A_DOLLAR).first()).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/${size.name}-dashboard.png`, fullPage: true });
      await expectAccessible(page, 'dashboard');

      await go(page, 'Costs');
      await expectBudgetLineInPlot(page, 'Spend a day by service');
      await expect(page.getByRole('table', { name: 'Cost by model' }).getByRole('cell', { name: UNDER_A_DOLLAR })).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/${size.name}-costs.png`, fullPage: true });
      await expectAccessible(page, 'costs');
    });

    test('the map draws the matching properties without tiles, follows the filters and opens the property page', async ({ page }) => {
      await open(page);
      await go(page, 'Map');
      const points = page.locator('path.map-point');
      await expect(points.first()).toBeVisible();
      const listed = await callApi<{ total: number; items: { lat?: number }[] }>(served, 'properties.list', { page: 1, pageSize: 500 });
      const withCoordinates = listed.items.filter((r) => typeof r.lat === 'number').length;
      expect(withCoordinates).toBeGreaterThan(0);
      await expect.poll(() => points.count()).toBe(withCoordinates);
      await expect(page.getByTestId('map-count')).toContainText(`${withCoordinates} of ${listed.total}`);
      await page.screenshot({ path: `${SHOTS}/${size.name}-map.png` });
      await expectAccessible(page, 'map');

      await page.getByRole('form', { name: 'Filters' }).getByLabel('ZIP').fill('85035');
      await page.getByRole('form', { name: 'Filters' }).getByRole('button', { name: 'Apply' }).click();
      const inZip = await callApi<{ total: number }>(served, 'properties.list', { page: 1, pageSize: 1, filters: { zip: ['85035'] } });
      await expect.poll(() => points.count()).toBe(inZip.total);

      await (await reachablePoint(page)).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      expect(new URL(page.url()).hash).toMatch(/^#\/map\/maricopa_api/);
      await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
      await expect(page.getByRole('dialog')).toBeHidden();
      // A point takes the keyboard too.
      await points.nth(1).focus();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toBeHidden();
      await expect(points.nth(1)).toBeFocused();

      // The Properties list shows the same filters.
      await go(page, 'Properties');
      await expect(page.getByRole('form', { name: 'Filters' }).getByLabel('ZIP')).toHaveValue('85035');
    });

    test('a saved search alerts on new matches: desktop notification, badge, and the Dashboard lists them', async ({ page, context }) => {
      const zip = size.width === 1024 ? '85039' : '85041';
      await context.grantPermissions(['notifications']);
      // Observe the real Notification API (the notification itself is the browser's).
      await page.addInitScript({
        content: `window.notified = [];
          window.Notification = class extends window.Notification {
            constructor(title, options) { super(title, options); window.notified.push(options?.body ?? ''); }
          };`,
      });
      await open(page);
      await go(page, 'Properties');
      const filters = page.getByRole('form', { name: 'Filters' });
      await filters.getByLabel('ZIP').fill(zip);
      await filters.getByLabel('ZIP').press('Enter');
      await expect(page.getByText(/^No properties match\./)).toBeVisible();
      await page.getByText(/^Saved searches \(\d+\)$/).click();
      const save = page.getByRole('form', { name: 'Save this search' });
      await save.getByLabel('Name for these filters').fill(`New in ${zip}`);
      await save.getByRole('button', { name: 'Save search' }).click();
      await expect(page.getByText(`Saved "New in ${zip}": 0 matches now; later ones will alert.`)).toBeVisible();
      await expect(page.getByRole('table', { name: 'Saved searches' })).toContainText(`ZIP ${zip}`);
      // Applying a saved search fills the filters again.
      await filters.getByLabel('ZIP').fill('85035');
      await filters.getByLabel('ZIP').press('Enter');
      await expect(page.getByText(/^\d+ properties · page 1 of 1/)).toBeVisible();
      await page.getByRole('button', { name: `Apply New in ${zip}` }).click();
      await expect(filters.getByLabel('ZIP')).toHaveValue(zip);
      await expect(page.getByText(/^No properties match\./)).toBeVisible();
      await page.screenshot({ path: `${SHOTS}/${size.name}-saved-searches.png`, fullPage: true });
      await expectAccessible(page, 'saved searches');

      // A run brings three properties in that ZIP code.
      const { runId } = await callApi<{ runId: string }>(served, 'collect.sync', { source: 'maricopa_api', zips: [zip], limit: 3 });
      await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status === 'succeeded', 'the sync');
      await expect(page.getByTestId('alert-badge')).toContainText('3');
      await expect.poll(() => page.evaluate<string>("window.notified.join(' | ')")).toContain(`3 new matches for your saved searches: New in ${zip}.`);

      await go(page, 'Dashboard');
      // One line per saved search and kind, with its count; expanded, its alerts (#23).
      const today = page.getByRole('list', { name: "Today's new matches" });
      const line = today.getByRole('listitem').filter({ hasText: `New in ${zip}` });
      await expect(line).toHaveCount(1);
      await expect(line).toContainText(`New in ${zip}: 3 new matches · 3 unseen`);
      await today.getByText(`New in ${zip}`).click();
      const group = page.getByRole('table', { name: `Alerts of New in ${zip}: 3 new matches` });
      await expect(group.getByRole('row').filter({ has: page.getByRole('link') })).toHaveCount(3);
      await page.screenshot({ path: `${SHOTS}/${size.name}-dashboard-alerts.png`, fullPage: true });
      await expectAccessible(page, 'dashboard with alerts');
      await group.getByRole('link').first().click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.keyboard.press('Escape');
      await go(page, 'Dashboard');
      await page.getByRole('button', { name: 'Mark all seen' }).click();
      await expect(page.getByTestId('alert-badge')).toBeHidden();
    });

    test('the other pages pass the accessibility check', async ({ page }) => {
      await open(page);
      for (const name of ['Settings', 'Health']) {
        await go(page, name);
        await page.screenshot({ path: `${SHOTS}/${size.name}-${name.toLowerCase()}.png`, fullPage: true });
        await expectAccessible(page, name);
      }
    });
  });
}
