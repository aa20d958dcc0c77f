import { expect, test, type Page } from '@playwright/test';
import { ARMLS_FIXTURE } from '../support/armls.js';
import { callApi, serveConsole, type ServedConsole } from './console.js';

/**
 * What the Collection page says when an import or a sync cannot do its work (issue #23, "Also
 * seen"), at the two sizes the issue names: the messages are the core's, as the CLI prints them.
 * And the Settings page, grouped by topic, with rates in percent.
 */
const SIZES = [
  { name: '1024x700', width: 1024, height: 700 },
  { name: '1440x900', width: 1440, height: 900 },
] as const;

let served: ServedConsole;

test.beforeAll(async () => {
  // No assessor token and no MLS proxies: a sync fails for a missing setting.
  served = await serveConsole({});
});

test.afterAll(async () => {
  await served?.stop();
});

async function openCollection(page: Page): Promise<void> {
  await page.goto(served.url);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Collection', exact: true }).click();
}

for (const size of SIZES) {
  test.describe(size.name, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('an ARMLS export imported as assessor parcels says to import it as ARMLS', async ({ page }) => {
      await openCollection(page);
      const form = page.getByRole('form', { name: 'Import a file' });
      await form.getByLabel('Kind').selectOption('assessor');
      await form.getByLabel('Path on this computer').fill(ARMLS_FIXTURE);
      await form.getByRole('button', { name: 'Import' }).click();
      const last = page.getByLabel('Last import', { exact: true });
      await expect(last).toContainText('failed): closed-condo-173-35-524.csv: this looks like an ARMLS export');
      await expect(last).toContainText('import it as ARMLS (phoenix-re import armls <file.csv>, or Kind "ARMLS export (.csv)" on the Collection page)');
      await expect(last).not.toContainText('unreadable');
    });

    test('a sync that fails for a missing key shows the failure and where to set the key, and offers no Resume', async ({ page }) => {
      await openCollection(page);
      const card = page.getByRole('region', { name: 'Maricopa County Assessor' });
      await card.getByLabel('ZIP codes').fill('85031');
      await card.getByRole('button', { name: 'Sync now' }).click();
      const alert = card.getByRole('alert');
      await expect(alert).toContainText(/^Run \w{8} failed: MARICOPA_API_TOKEN is not set: the assessor sync needs it\. No request was made\./);
      await expect(alert).toContainText('In the desktop app, enter it in Settings; for phoenix-re serve or the CLI, set the environment variable MARICOPA_API_TOKEN or add MARICOPA_API_TOKEN=<value> to .env');
      await expect(card.getByText(/started\.$/)).toHaveCount(0);
      await expect(card.getByRole('button', { name: /^Resume run/ })).toHaveCount(0);
      // Nor in the history: resuming would fail the same way.
      const row = page.getByRole('table', { name: 'Run history' }).getByRole('row').filter({ hasText: 'MARICOPA_API_TOKEN is not set' }).first();
      await expect(row).toBeVisible();
      await expect(row.getByRole('button', { name: /^Resume run/ })).toHaveCount(0);

      // The MLS sync without its WebShare key says the same.
      const mls = page.getByRole('region', { name: 'Phoenix MLS' });
      await mls.getByLabel('ZIP codes').fill('85031');
      await mls.getByRole('button', { name: 'Sync now' }).click();
      await expect(mls.getByRole('alert')).toContainText('WEBSHARE_API_TOKEN is not set: the MLS sync needs it. No request was made. In the desktop app, enter it in Settings');
      await page.screenshot({ path: `tests/e2e/screenshots/collection-sync-failed-${size.name}.png`, fullPage: true });
    });

    test('Settings are grouped by topic, and rates are shown, typed and checked in percent', async ({ page }) => {
      await page.goto(served.url);
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings', exact: true }).click();
      const form = page.getByRole('form', { name: 'Settings' });
      await expect(form.getByRole('group')).toHaveText([/^Collectors/, /^Proxies and CAPTCHAs/, /^LLM/, /^Valuation and rent/, /^Underwriting/, /^Buy \/ watch \/ pass/, /^Processing queue/, /^Schedule/, /^Budgets and costs/, /^Database, backups and console/]);
      const underwriting = form.getByRole('group', { name: 'Underwriting' });
      await expect(underwriting.locator('#setting-VACANCY_RATE')).toHaveValue('7');
      await expect(underwriting.locator('#setting-INTEREST_RATE')).toHaveValue('7');
      await expect(underwriting.locator('#setting-PROPERTY_TAX_EFFECTIVE_RATE')).toHaveValue('0.6');
      // Out of range, in the units shown: nothing saved, the field focused.
      await underwriting.locator('#setting-DOWN_PAYMENT_RATE').fill('150');
      await form.getByRole('button', { name: 'Save' }).click();
      await expect(form.getByText('Nothing saved: 1 setting needs fixing.')).toBeVisible();
      await expect(page.locator('#setting-DOWN_PAYMENT_RATE-error')).toHaveText('must be at most 100%');
      await expect(page.locator('#setting-DOWN_PAYMENT_RATE')).toBeFocused();
      await page.screenshot({ path: `tests/e2e/screenshots/settings-topics-${size.name}.png`, fullPage: true });
      // In range: stored as the fraction the settings keep.
      await underwriting.locator('#setting-DOWN_PAYMENT_RATE').fill('25');
      await underwriting.locator('#setting-INTEREST_RATE').fill('6.5');
      await form.getByRole('button', { name: 'Save' }).click();
      await expect(form.getByText('Saved and applied: the next run uses it.')).toBeVisible();
      const stored = await callApi<{ settings: { env: string; input: string | null }[] }>(served, 'settings.get');
      expect(stored.settings.find((x) => x.env === 'INTEREST_RATE')?.input).toBe('0.065');
      expect(stored.settings.find((x) => x.env === 'DOWN_PAYMENT_RATE')?.input).toBe('0.25');
      await page.reload();
      await expect(page.locator('#setting-INTEREST_RATE')).toHaveValue('6.5');
      // Back to the default for the next size.
      await callApi(served, 'settings.update', { values: { INTEREST_RATE: null } });
    });
  });
}
