import { expect, test, type Page } from '@playwright/test';
import { ARMLS_FIXTURE } from '../support/armls.js';
import { serveConsole, type ServedConsole } from './console.js';

/**
 * What the Collection page says when an import or a sync cannot do its work (issue #23, "Also
 * seen"), at the two sizes the issue names: the messages are the core's, as the CLI prints them.
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
  });
}
