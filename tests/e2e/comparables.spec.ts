import { expect, test, type Page } from '@playwright/test';
import { callApi, importArmlsAndProcess, serveConsole, SHOTS, SIZES, type ServedConsole } from './console.js';

/**
 * Comparables the analyst can steer (issue #23), in a real browser over the real ARMLS export of
 * 142 closed sales: the property page's comparables show beds, baths, size, year built, distance,
 * sale date, price, adjustments, similarity and why each was chosen, on a small map around the
 * home; excluding one revalues the home on the page (processing runs at once), and including it
 * again brings the value back.
 */
interface Comparable { sale_id: string; address: string | null; weight: number; included: boolean; lat?: number | null }
interface Detail { processed: { valuation: { appraisal?: { value: number | null; basis: string | null; comparables: Comparable[] } } } | null }

let served: ServedConsole;
/** The home the tests steer, and its leading comparable (the largest weight: leaving it out moves the value). */
let subject: { id: string; lead: Comparable; value: number; placed: number };

const usd = (n: number) => `$${n.toLocaleString('en-US')}`;

test.beforeAll(async () => {
  served = await serveConsole({});
  for (const id of await importArmlsAndProcess(served)) {
    const a = (await callApi<Detail>(served, 'properties.get', { id })).processed?.valuation.appraisal;
    const lead = a?.comparables.slice().sort((x, y) => y.weight - x.weight)[0];
    if (a?.basis === 'comparable_sales' && a.value !== null && a.comparables.length >= 3 && lead && lead.weight >= 0.3 && lead.address) {
      subject = { id, lead, value: a.value, placed: a.comparables.filter((c) => typeof c.lat === 'number').length };
      break;
    }
  }
  expect(subject, 'a home valued from comparables with a leading one').toBeDefined();
});

test.afterAll(async () => {
  await served?.stop();
});

async function openSubject(page: Page) {
  await page.goto(served.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await page.goto(`${new URL(served.url).origin}/#/properties/${encodeURIComponent(subject.id)}`);
  await expect(page.getByRole('dialog').getByTestId('comparables')).toBeVisible();
}

/** The value the page shows (`$1,234,000`). */
const shownValue = (page: Page) => page.getByRole('dialog').getByTestId('value').locator('strong').first();

/** The value processing stored for the subject. */
async function storedValue(): Promise<number | null> {
  return (await callApi<Detail>(served, 'properties.get', { id: subject.id })).processed!.valuation.appraisal!.value;
}

for (const size of SIZES) {
  test.describe(`at ${size.name}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('the comparables show their facts and similarity on a map; excluding one revalues the home, including it again brings the value back', async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await openSubject(page);
      const drawer = page.getByRole('dialog');
      const table = drawer.getByTestId('comparables');
      const headers = await table.locator('thead th').allTextContents();
      for (const h of ['Beds', 'Baths', 'Sq ft', 'Built', 'Distance', 'Sold', 'Price', 'Adjustments', 'Weight', 'Similarity', 'Why chosen']) expect(headers).toContain(h);
      const lead = table.locator(`tr[data-sale-id="${subject.lead.sale_id}"]`);
      await expect(lead).toHaveAttribute('data-included', 'true');
      // Similarity is the model's score, its factors on hover.
      await expect(lead.locator('abbr').first()).toHaveAttribute('title', /^location \d\.\d\d × type \d\.\d\d × size \d\.\d\d × age \d\.\d\d × recency \d\.\d\d × land lease \d\.\d\d × evidence \d\.\d\d$/);
      // The map: the home and each comparable with coordinates.
      await expect(drawer.locator('path.subject-point')).toHaveCount(1);
      await expect(drawer.locator('path.comp-point')).toHaveCount(subject.placed);
      await expect(shownValue(page)).toHaveText(usd(subject.value));
      await lead.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/comparables-${size.name}.png` });

      // Exclude the leading comparable: processing revalues the home without it, and the page follows.
      await lead.getByRole('button', { name: `Exclude ${subject.lead.address!} from the value` }).click();
      await expect(lead).toHaveAttribute('data-included', 'false');
      await expect(lead.getByTestId('comparable-excluded')).toContainText('excluded by you');
      const without = await storedValue();
      expect(without).not.toBe(subject.value);
      await expect(shownValue(page)).toHaveText(usd(without!));
      await expect(drawer.getByTestId('value-evidence')).toContainText('1 comparable excluded by the analyst');
      await expect(drawer.locator('path.comp-excluded')).toHaveCount(1);
      await page.screenshot({ path: `${SHOTS}/comparables-excluded-${size.name}.png` });

      // Include it again: the value is back.
      await lead.getByRole('button', { name: `Include ${subject.lead.address!} again` }).click();
      await expect(lead).toHaveAttribute('data-included', 'true');
      await expect(shownValue(page)).toHaveText(usd(subject.value));
      expect(await storedValue()).toBe(subject.value);
      await expect(drawer.locator('path.comp-excluded')).toHaveCount(0);
      expect(errors).toEqual([]);
    });
  });
}
