import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ARMLS_FIXTURE } from '../support/armls.js';
import { PARCEL_FIXTURES_DIR } from '../support/fixtures.js';
import { callApi, serveConsole, waitFor, type ServedConsole } from './console.js';

/**
 * The Pipeline (issue #23) at the two sizes the issue names, over the twelve real assessor files
 * and the real ARMLS row: a deal moved New → Watching → Offer with the keyboard only, still in
 * Offer after a reload with its moves in the property's status history; every card figure in
 * full; no serious accessibility violation; a screenshot of each size.
 */
const SHOTS = 'tests/e2e/screenshots';
const SIZES = [
  { name: '1024x700', width: 1024, height: 700 },
  { name: '1440x900', width: 1440, height: 900 },
] as const;

let served: ServedConsole;
/** The properties, by list row, the tests put in the pipeline: one moved per size, the others fill columns. */
let rows: { id: string; address: string | null; source_id: string }[];

interface RunView { status: string }

test.beforeAll(async () => {
  served = await serveConsole({});
  for (const [kind, path] of [['assessor', PARCEL_FIXTURES_DIR], ['armls', ARMLS_FIXTURE]] as const) {
    const { runId } = await callApi<{ runId: string }>(served, 'collect.import', { kind, path });
    await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status === 'succeeded', `the ${kind} import`);
  }
  const { runId } = await callApi<{ runId: string }>(served, 'processing.run', {});
  await waitFor(async () => (await callApi<RunView>(served, 'runs.get', { runId })).status !== 'running', 'the processing run', 120_000);
  const list = await callApi<{ items: typeof rows }>(served, 'properties.list', { page: 1, pageSize: 50, sort: { field: 'value', direction: 'desc' }, filters: {} });
  rows = list.items;
  expect(rows.length).toBeGreaterThanOrEqual(6);
  // Other columns hold deals too, one of them tagged, so every column's cards are measured.
  await callApi(served, 'properties.setStatus', { id: rows[2]!.id, status: 'watching' });
  await callApi(served, 'properties.setStatus', { id: rows[3]!.id, status: 'under_contract' });
  await callApi(served, 'properties.setTags', { id: rows[3]!.id, tags: ['north phoenix', 'flip'] });
  await callApi(served, 'properties.setStatus', { id: rows[4]!.id, status: 'passed' });
  await callApi(served, 'properties.setStatus', { id: rows[5]!.id, status: 'offer' });
});

test.afterAll(async () => {
  await served?.stop();
});

/** Press Tab until `target` has focus (keyboard only), at most `max` times. */
async function tabTo(page: Page, target: Locator, max = 120) {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

const column = (page: Page, status: string) => page.locator(`section.pipeline-column[data-status="${status}"]`);
const cardIn = (page: Page, status: string, name: string) => column(page, status).getByRole('article', { name, exact: true });

/** No element of a card (its address, each figure) is wider than its box: nothing cut off, nothing scrolled. */
async function expectNothingCutOff(page: Page) {
  const cut = await page.locator('.deal-card, .deal-card h3, .deal-card dd, .deal-card dt, .deal-move, .pipeline-column').evaluateAll((els) =>
    els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => `${el.className || el.tagName}: "${el.textContent}" ${el.scrollWidth} > ${el.clientWidth}`),
  );
  expect(cut).toEqual([]);
  // The board fits the window: no sideways scrolling of the page.
  const root = page.locator('html');
  expect(await root.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
}

for (const [i, size] of SIZES.entries()) {
  test(`at ${size.name} a deal moves New → Watching → Offer by keyboard, stays in Offer after a reload, with its moves in its history`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: size.width, height: size.height });
    const deal = rows[i]!;
    const name = deal.address ?? deal.source_id;
    await callApi(served, 'properties.setStatus', { id: deal.id, status: 'new' });

    await page.goto(served.url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pipeline', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pipeline' })).toBeVisible();
    const card = cardIn(page, 'new', name);
    await expect(card).toBeVisible();
    // Counts per column, from the server's count.
    await expect(column(page, 'new').getByTestId('column-count')).toHaveText('1');
    await expect(card.getByTestId('days-in-status')).toHaveText('0 days');

    // New → Watching: Tab to the card's Move select (the next stage is offered first), Tab, Enter.
    const select = card.getByRole('combobox', { name: `Move ${name} to` });
    await tabTo(page, select);
    await expect(select).toHaveValue('watching');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const watching = cardIn(page, 'watching', name);
    await expect(watching).toBeVisible();
    await expect(cardIn(page, 'new', name)).toHaveCount(0);
    await expect(page.getByTestId('pipeline-summary')).toContainText(`Moved ${name} from New to Watching.`);
    // Focus follows the card to its new column; the keyboard goes on from there: Watching → Offer.
    const watchingSelect = watching.getByRole('combobox', { name: `Move ${name} to` });
    await expect(watchingSelect).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(watchingSelect).toHaveValue('new');
    await page.keyboard.press('ArrowDown');
    await expect(watchingSelect).toHaveValue('offer');
    // An arrow key alone moves nothing: the card is still in Watching.
    await expect(cardIn(page, 'watching', name)).toBeVisible();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(cardIn(page, 'offer', name)).toBeVisible();
    await expect(column(page, 'offer').getByTestId('column-count')).toHaveText(String(1 + i + 1));

    await page.reload();
    const offer = cardIn(page, 'offer', name);
    await expect(offer).toBeVisible();
    await expect(cardIn(page, 'watching', name)).toHaveCount(0);
    await expect(offer).toContainText('Asking');
    await expect(offer.getByText('est.').first()).toBeVisible();
    await expectNothingCutOff(page);
    await expectAccessible(page, `pipeline ${size.name}`);
    await page.screenshot({ path: `${SHOTS}/${size.name}-pipeline.png`, fullPage: true });

    // Its page (the drawer, opened by keyboard): the status and its two moves, who and when.
    const open = offer.getByRole('button', { name, exact: true });
    await tabTo(page, open);
    await page.keyboard.press('Enter');
    const drawer = page.getByRole('dialog');
    const history = drawer.getByTestId('status-history').getByRole('listitem');
    await expect(history).toHaveText([/^Watching → Offer · .+ · by analyst$/, /^New → Watching · .+ · by analyst$/, /^Set to New · .+ · by analyst$/]);
    await expect(history.filter({ hasText: '→' })).toHaveCount(2);
    await drawer.getByRole('heading', { name: 'Deal status history' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/${size.name}-pipeline-property.png` });
    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);
    await expect(open).toBeFocused();
    expect(errors).toEqual([]);
  });
}

test('the deals by tag: only the tagged deal, in its column; a tag that cannot be is refused as typed', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(served.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Pipeline', exact: true }).click();
  const form = page.getByRole('form', { name: 'Deals by tag' });
  const input = form.getByLabel('Only deals tagged');
  await input.fill('flip<');
  await expect(form.getByRole('alert')).toHaveText('a tag holds letters, digits, spaces and - _ / & # only');
  await expect(form.getByRole('button', { name: 'Show' })).toBeDisabled();
  await input.fill('flip');
  await input.press('Enter');
  await expect(page.getByTestId('pipeline-summary')).toContainText('1 deal tagged "flip"');
  const tagged = rows[3]!;
  await expect(cardIn(page, 'under_contract', tagged.address ?? tagged.source_id)).toContainText('north phoenix');
  await expect(page.getByTestId('deal-card')).toHaveCount(1);
  await form.getByRole('button', { name: 'Every deal' }).click();
  await expect(page.getByTestId('deal-card')).not.toHaveCount(1);
});

test("the Properties list by tag and by deal status: the server's answer, each row saying its status and tags; a tag that cannot be is refused beside its field", async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(served.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Properties', exact: true }).click();
  const filters = page.getByRole('form', { name: 'Filters' });
  const listRows = page.getByTestId('property-rows').getByRole('row');
  await expect(listRows.first()).toBeVisible();
  const everything = await listRows.count();

  await filters.getByLabel('Tag', { exact: true }).fill('flip');
  await filters.getByRole('button', { name: 'Apply' }).click();
  const tagged = rows[3]!;
  await expect(listRows).toHaveCount(1);
  await expect(listRows.first()).toContainText(tagged.address ?? tagged.source_id);
  await expect(listRows.first().getByTestId('row-work')).toHaveText('Under contract · north phoenix, flip');

  await filters.getByLabel('Tag', { exact: true }).fill('');
  await filters.getByLabel('Deal status', { exact: true }).selectOption({ label: 'Passed' });
  await filters.getByRole('button', { name: 'Apply' }).click();
  const passed = rows[4]!;
  await expect(listRows).toHaveCount(1);
  await expect(listRows.first()).toContainText(passed.address ?? passed.source_id);
  await expect(listRows.first().getByTestId('row-work')).toHaveText('Passed');
  // Both at once: nothing is tagged "flip" and passed.
  await filters.getByLabel('Tag', { exact: true }).fill('flip');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('No properties match.', { exact: false })).toBeVisible();

  // A tag that cannot be: said beside the field, the list as it was.
  await filters.getByLabel('Tag', { exact: true }).fill('flip<');
  await filters.getByLabel('Deal status', { exact: true }).selectOption({ label: 'any' });
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(filters.getByRole('alert')).toHaveText('a tag holds letters, digits, spaces and - _ / & # only');
  await expect(filters.getByLabel('Tag', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('No properties match.', { exact: false })).toBeVisible();
  await filters.getByLabel('Tag', { exact: true }).fill('');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(filters.getByRole('alert')).toHaveCount(0);
  await expect(listRows).toHaveCount(everything);
  await expectAccessible(page, 'Properties, filtered by the analyst');
});

/** No serious or critical accessibility violation on the page as it is (axe-core). */
async function expectAccessible(page: Page, what: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}
