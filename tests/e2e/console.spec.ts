import os from 'node:os';
import { expect, test, type Page } from '@playwright/test';
import { MongoClient } from 'mongodb';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { serveConsole, simulatorEnv, type ServedConsole } from './console.js';

const SHOTS = 'tests/e2e/screenshots';

let assessor: MaricopaSimulator;
let llm: OpenAiSimulator;
let served: ServedConsole;

test.beforeAll(async () => {
  // Slow enough answers that a sync's progress can be watched.
  assessor = await new MaricopaSimulator({ latencyMs: 120 }).start();
  llm = await new OpenAiSimulator({ latencyMs: 50 }).start();
  served = await serveConsole(simulatorEnv(assessor, llm));
});

test.afterAll(async () => {
  await served?.stop();
  await assessor?.stop();
  await llm?.stop();
});

async function go(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('the analyst collects, processes, reviews and corrects from the console', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(served.url);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  // The token left the address bar for this tab's storage.
  expect(page.url()).not.toContain('token=');
  await expect(page.getByText('No runs yet: start one from Collection or Processing.')).toBeVisible();

  // Sync now on the assessor: progress moves, then the run is in the history.
  await go(page, 'Collection');
  const assessorForm = page.getByRole('form', { name: 'Sync Maricopa County Assessor' });
  await expect(assessorForm.getByLabel('ZIP codes')).toHaveValue('85035');
  await assessorForm.getByLabel('Limit').fill('10');
  await assessorForm.getByRole('button', { name: 'Sync now' }).click();
  const progress = page.getByRole('progressbar', { name: /^Progress of run/ });
  await expect(progress).toBeVisible();
  const firstValue = Number(await progress.getAttribute('value'));
  await expect.poll(async () => Number((await progress.getAttribute('value').catch(() => null)) ?? 1000)).toBeGreaterThan(firstValue);
  await expect(page.getByRole('table', { name: 'Run history' }).getByRole('cell', { name: 'succeeded' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/collection.png`, fullPage: true });

  // The properties are listed, from the server, ten of them.
  await go(page, 'Properties');
  await expect(page.getByText('10 properties · page 1 of 1')).toBeVisible();
  await expect(page.getByTestId('property-rows').getByRole('row')).toHaveCount(10);

  // Process now: every item ends completed or held for review.
  await go(page, 'Processing');
  await page.getByRole('button', { name: 'Process now' }).click();
  await expect.poll(async () => {
    const done = Number(await page.getByTestId('processing-queue-completed').locator('.card-value').textContent());
    const review = Number(await page.getByTestId('processing-queue-review').locator('.card-value').textContent());
    return done + review;
  }).toBe(10);
  await expect(page.getByRole('table', { name: 'Cost per model this month' }).getByRole('cell', { name: 'gpt-4o-mini' })).toBeVisible();
  await expect(page.getByText('No Batch API jobs (LLM_BATCH_API sends the scheduled processing runs as one).')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/processing.png`, fullPage: true });

  // The enrichment and the quality of one property.
  await go(page, 'Properties');
  await page.getByTestId('property-rows').getByRole('row').first().click();
  const detail = page.getByRole('dialog');
  await expect(detail.getByRole('heading', { name: /^Quality \d\.\d\d$/ })).toBeVisible();
  await expect(detail.getByTestId('description')).not.toBeEmpty();
  await expect(detail.getByTestId('quality-reasons').getByRole('listitem').first()).toBeVisible();
  await expect(detail.getByText('gpt-4o-mini')).toBeVisible();

  // The value, an estimate with its 80% range, basis and date, in the list and the detail; the what-if recomputes at once.
  await expect(page.getByTestId('property-rows').getByRole('row').first()).toContainText(/\$[\d,]+ est\.( \$[\d.]+[kM]?–\$[\d.]+[kM]? \(80%\))? (comps|model|FCV × ratio|area|FCV) \d{4}-\d{2}-\d{2}( \d+ mo old)?/);
  await expect(detail.getByTestId('value')).toContainText(/comparable-sales estimate|market-model estimate|sale-to-FCV ratio|area sales estimate|unadjusted assessor full cash value/);
  await expect(detail.getByTestId('value')).toContainText('(an estimate)');
  // The asking price apart from the value: these parcels are not listed.
  await expect(detail.getByTestId('asking-price')).toHaveText('Not listed: no asking price.');
  await expect(detail.getByTestId('value-evidence').getByRole('listitem').first()).toBeVisible();
  await expect(detail.getByTestId('recommendation-reasons').getByRole('listitem').first()).toContainText(/cap rate/);
  const cap = await detail.getByTestId('whatif-cap').textContent();
  const model = detail.getByTestId('deal-model');
  const cashFlow = await model.getByTestId('deal-cash-flow').textContent();
  await model.locator('#deal-interestRate').fill('3');
  await expect(model.getByTestId('deal-cash-flow')).not.toHaveText(cashFlow!);
  await model.locator('#deal-price').fill('100000');
  // Saved for this property: the stored underwriting and the list row's cap rate follow.
  await model.getByRole('button', { name: 'Save for this property' }).click();
  await expect(detail.getByTestId('saved-terms')).toContainText('price $100,000, 3% interest');
  await expect(detail.getByTestId('whatif-cap')).not.toHaveText(cap!);
  const newCap = Number.parseFloat((await detail.getByTestId('whatif-cap').textContent())!);
  const capCell = page.getByTestId('property-rows').getByRole('row', { selected: true }).locator('[data-col="cap_rate"]');
  await expect.poll(async () => Math.abs(Number.parseFloat((await capCell.textContent()) ?? '') - newCap)).toBeLessThanOrEqual(0.051);
  await page.screenshot({ path: `${SHOTS}/properties.png`, fullPage: true });

  // Reprocess that one property.
  await detail.getByRole('button', { name: 'Reprocess' }).click();
  await expect(detail.getByText('Queued for processing.')).toBeVisible();
  await expect(detail.getByTestId('detail-status')).toHaveText('pending');

  // The drawer closes (Escape) off the list, which sorts on any figure.
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
  await page.getByRole('columnheader', { name: 'Cap' }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: /Cap/ })).toHaveAttribute('aria-sort', 'descending');

  // The charts are drawn.
  await go(page, 'Dashboard');
  await expect(page.locator('.recharts-wrapper > svg.recharts-surface')).toHaveCount(5);
  await expect(page.locator('figure[aria-label="Properties collected a day, by source"] .recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByTestId('collected-maricopa_api').locator('.card-value')).toHaveText('10');
  await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

  await go(page, 'Costs');
  await expect(page.getByTestId('month-total')).toContainText('spent in');
  await expect(page.locator('.recharts-wrapper > svg.recharts-surface')).toHaveCount(1);
  await page.screenshot({ path: `${SHOTS}/costs.png`, fullPage: true });

  // An invalid setting is refused inline, and nothing is saved.
  await go(page, 'Settings');
  const concurrency = page.locator('#setting-PROCESSING_CONCURRENCY');
  await concurrency.fill('0');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(concurrency).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#setting-PROCESSING_CONCURRENCY-error')).toHaveText('must be more than 0');
  await expect(page.getByText('Nothing saved: 1 setting needs fixing.')).toBeVisible();
  await expect(page.locator('#setting-OPENAI_API_KEY')).toHaveAttribute('type', 'password');
  await expect(page.locator('#setting-OPENAI_API_KEY')).toHaveValue('');
  await page.getByRole('button', { name: 'Test LLM' }).click();
  await expect(page.getByTestId('test-llm')).toContainText('accepted the request');
  // A preset fills the server's fields in the form (saved only with Save).
  await page.getByRole('button', { name: 'Ollama' }).click();
  await expect(page.locator('#setting-OPENAI_BASE_URL')).toHaveValue('http://localhost:11434/v1');
  await expect(page.locator('#setting-OPENAI_MODEL')).toHaveValue('llama3.1:8b');
  await expect(page.locator('#setting-LLM_SERVER')).toHaveValue('ollama');
  await expect(page.getByText(/^Ollama: Free;/)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });

  await go(page, 'Health');
  await expect(page.getByTestId('check-mongodb')).toContainText('ok');
  await page.screenshot({ path: `${SHOTS}/health.png`, fullPage: true });

  // Keyboard: the pages are links in order, reachable with Tab.
  await page.keyboard.press('Tab');
  expect(errors).toEqual([]);
  expect(served.output()).not.toContain(llm.apiKey);
});

test('a sync whose process was killed shows as interrupted, with Resume, and resumes', async ({ page }) => {
  const client = await MongoClient.connect(served.uri);
  const at = new Date(Date.now() - 60_000);
  await client.db().collection('runs').insertOne({
    _id: 'killed-sync-e2e',
    kind: 'sync',
    source: 'maricopa_api',
    trigger: 'cli',
    params: { zips: [], apns: ['509-11-455'], queries: [], refresh: false },
    status: 'running',
    counters: {},
    total: 1,
    errors: [],
    errors_count: 0,
    message: null,
    started_at: at,
    updated_at: at,
    finished_at: null,
    owner: `${os.hostname()}:999999997:e2e00000`,
    heartbeat_at: at,
  } as never);
  await client.close();

  await page.goto(served.url);
  await go(page, 'Collection');
  const row = page.getByRole('table', { name: 'Run history' }).getByRole('row').filter({ hasText: 'resume with: phoenix-re sync --resume killed-sync-e2e' });
  await expect(row.getByRole('cell', { name: 'interrupted', exact: true })).toBeVisible();
  await row.getByRole('button', { name: 'Resume run killed-sync-e2e' }).click();
  await expect(page.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1).getByRole('cell', { name: 'succeeded', exact: true })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/collection-resume.png`, fullPage: true });
});
