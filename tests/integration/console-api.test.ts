import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecretStore, type SecretCipher } from '../../src/main/config/secret-store.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { manualClock } from '../support/clock.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { seedFixtureParcels } from '../support/seed.js';
import { applyOverrides, dealStartOf, type UnderwritingOverrides } from '../../src/shared/underwriting/overrides.js';
import { dealInputsOf } from '../../src/shared/deal/from-underwriting.js';
import { STARTING_PLAN } from '../../src/shared/deal/starting-plan.js';
import { underwrite } from '../../src/shared/underwriting/underwrite.js';

let llm: OpenAiSimulator;
let sim: MaricopaSimulator;
beforeAll(async () => {
  llm = await new OpenAiSimulator().start();
  sim = await new MaricopaSimulator().start();
});
afterAll(async () => {
  await llm.stop();
  await sim.stop();
});

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A reversible stand-in for the OS keychain (Electron's safeStorage is not here): XOR with a key. */
const xorCipher: SecretCipher = {
  isAvailable: () => true,
  encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: (data) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
};

describe('the Settings page API', () => {
  it('lists every setting with where it comes from; secrets say only whether they are set', async () => {
    t = await openTestCore({ env: { OPENAI_API_KEY: 'sk-test-console-0001', PROCESSING_CONCURRENCY: '6' } });
    const { settings } = await t.core.api['settings.get']({});
    const byEnv = new Map(settings.map((s) => [s.env, s]));
    expect(byEnv.get('OPENAI_API_KEY')).toMatchObject({ secret: true, set: true, input: null, editable: false });
    expect(byEnv.get('OPENAI_API_KEY')!.locked_reason).toContain('set it in the environment or .env');
    expect(byEnv.get('TARGET_ZIP_CODES')).toMatchObject({ input: '85031, 85033, 85035', origin: 'default', editable: true });
    expect(byEnv.get('MONGODB_URI')).toMatchObject({ editable: false });
    expect(JSON.stringify(settings)).not.toContain('sk-test-console-0001');
  });

  it('refuses an invalid value inline, naming the setting, and saves nothing', async () => {
    t = await openTestCore();
    const res = await t.core.api['settings.update']({ values: { PROCESSING_CONCURRENCY: '0', TARGET_ZIP_CODES: '85031, 850' } });
    expect(res.saved).toBe(false);
    expect(res.errors.PROCESSING_CONCURRENCY).toBe('must be more than 0');
    expect(res.errors.TARGET_ZIP_CODES).toBe('[1]: "850" is not a 5-digit ZIP code.');
    expect(await t.core.repos.settings.get()).toEqual({});
    const cron = await t.core.api['settings.update']({ values: { SCHEDULES: '[{"id":"a","cron":"0 25 * * *","work":{"kind":"process"}}]' } });
    expect(cron.errors.SCHEDULES).toContain('hour: 25 is a invalid expression for hour');
    expect((await t.core.api['settings.update']({ values: { NOT_A_SETTING: '1' } })).errors.NOT_A_SETTING).toBe('unknown setting');
  });

  it('saves a valid edit to the settings document', async () => {
    t = await openTestCore({ env: { LLM_DAILY_BUDGET_USD: '3' } });
    const res = await t.core.api['settings.update']({ values: { TARGET_ZIP_CODES: '85031,85040', LLM_DAILY_BUDGET_USD: '4' } });
    // Saved, but the environment sets the budget and wins: the page says so.
    expect(res).toMatchObject({ saved: true, errors: {}, restart_required: false, restart_for: [], overridden: ['LLM_DAILY_BUDGET_USD'] });
    expect(await t.core.repos.settings.get()).toEqual({ targetZipCodes: ['85031', '85040'], llmDailyBudgetUsd: 4 });
    const { settings } = await t.core.api['settings.get']({});
    expect(settings.find((s) => s.env === 'TARGET_ZIP_CODES')).toMatchObject({ input: '85031, 85040', origin: 'the console (saved in the database)' });
    // Back to the default.
    await t.core.api['settings.update']({ values: { TARGET_ZIP_CODES: null } });
    expect(await t.core.repos.settings.get()).toEqual({ llmDailyBudgetUsd: 4 });
  });

  it('keeps an entered secret only encrypted, and never shows it back', async () => {
    t = await openTestCore();
    const store = SecretStore.inDataDir(t.dataDir, xorCipher);
    const { SettingsEditor } = await import('../../src/main/config/settings-editor.js');
    const editor = new SettingsEditor({ sources: { env: {} }, repo: t.core.repos.settings, secrets: store });
    const res = await editor.update({ OPENAI_API_KEY: 'typed-in-console-77' });
    expect(res.saved).toBe(true);
    const file = fs.readFileSync(path.join(t.dataDir, 'secrets.json'), 'utf8');
    expect(file).not.toContain('typed-in-console-77');
    expect((fs.statSync(path.join(t.dataDir, 'secrets.json')).mode & 0o777).toString(8)).toBe('600');
    expect(store.read().values).toEqual({ openaiApiKey: 'typed-in-console-77' });
    const described = await editor.describe();
    expect(described.find((s) => s.env === 'OPENAI_API_KEY')).toMatchObject({ set: true, input: null, origin: 'the app (encrypted)', editable: true });
    expect(JSON.stringify(described)).not.toContain('typed-in-console-77');
    expect(await t.core.repos.settings.get()).toEqual({});
  });

  it('tests connections with the settings in force, failures as answers without secrets', async () => {
    t = await openTestCore({ env: { OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseUrl, MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token } });
    expect(await t.core.api['settings.test']({ target: 'mongodb' })).toMatchObject({ ok: true });
    const maricopa = await t.core.api['settings.test']({ target: 'maricopa' });
    expect(maricopa).toMatchObject({ ok: true });
    expect(maricopa.detail).toMatch(/search answered with \d+ parcels/);
    expect(await t.core.api['settings.test']({ target: 'llm' })).toMatchObject({
      ok: true,
      detail: expect.stringMatching(new RegExp(`^${llm.baseUrl}: gpt-4o-mini accepted the request \\(temperature 0\\.3, strict schema\\) and answered to the schema; \\d+ in, \\d+ out$`)),
    });
    await t.close();

    t = await openTestCore({ env: { OPENAI_API_KEY: 'sk-wrong-key-000111222', OPENAI_BASE_URL: llm.baseUrl, MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: 'wrong-token-999' } });
    const wrongLlm = await t.core.api['settings.test']({ target: 'llm' });
    expect(wrongLlm.ok).toBe(false);
    expect(wrongLlm.detail).toContain('401');
    expect(wrongLlm.detail).not.toContain('sk-wrong-key-000111222');
    const wrongMaricopa = await t.core.api['settings.test']({ target: 'maricopa' });
    expect(wrongMaricopa).toMatchObject({ ok: false });
    expect(wrongMaricopa.detail).toContain('rejected the token');
    expect(wrongMaricopa.detail).not.toContain('wrong-token-999');
  });
});

describe('the review list', () => {
  it('lists held items with their reasons; approve with a correction, or send back', async () => {
    // A threshold no record meets: every item is held for review. A rent table without these ZIP
    // codes keeps the rent per sq ft, so the bedrooms corrected below leave the rent (and the
    // figures the first prose quotes) as they were: a correction does not rewrite the prose.
    t = await openTestCore({ env: { QUALITY_REVIEW_THRESHOLD: '0.99', RENT_BY_ZIP_BEDROOMS: '{"10001": {"4": 4690}}' } });
    await seedFixtureParcels(t.core);
    await t.core.processing.run({ trigger: 'manual' });
    const { items, total } = await t.core.api['queue.items']({ status: 'review', limit: 5, offset: 0 });
    expect(total).toBe(12);
    expect(items).toHaveLength(5);
    expect(items[0]!.review_reasons.length).toBeGreaterThan(0);
    expect(items[0]!.property?.address).toBeTruthy();

    const [first, second] = items;
    const before = (await t.core.repos.processed.getByRawId(first!.id))!;
    expect(await t.core.api['review.resolve']({ id: first!.id, action: 'approve', edits: { bedrooms: 4, bathrooms: 3, description: 'Checked by the analyst.' } })).toEqual({ status: 'completed' });
    const doc = await t.core.repos.processed.getByRawId(first!.id);
    // The correction recomputes the score: bathrooms are now measured, not estimated (+0.05).
    expect(doc!.quality_reasons).not.toContain('bathrooms estimated (fixtures ÷ 3)');
    expect(doc!.quality_score).toBeCloseTo(before.quality_score + 0.05, 3);
    const listed = await t.core.api['properties.list']({ page: 1, pageSize: 50, sort: { field: 'quality_score', direction: 'desc' }, filters: { minQuality: doc!.quality_score } });
    expect(listed.items.find((r) => r.id === first!.id)?.quality_score).toBe(doc!.quality_score);
    expect(doc?.normalized.details.bedrooms).toBe(4);
    expect(doc?.llm_enrichment.description).toBe('Checked by the analyst.');
    expect(doc?.field_sources?.details?.bedrooms).toBe('analyst');
    expect(doc?.analyst_review?.edited).toEqual(['bedrooms', 'bathrooms', 'description']);
    expect((await t.core.repos.raw.get(first!.id))?.summary.status).toBe('completed');

    expect(await t.core.api['review.resolve']({ id: second!.id, action: 'reprocess' })).toEqual({ status: 'pending' });
    expect((await t.core.repos.queue.get(second!.id))?.status).toBe('pending');
    await expect(t.core.api['review.resolve']({ id: first!.id, action: 'approve' })).rejects.toThrow('is completed, not held for review');
    expect((await t.core.api['queue.items']({ status: 'review', limit: 100, offset: 0 })).total).toBe(10);
  });
});

describe('the Costs page', () => {
  it('sums LLM spend by day and model with CAPTCHA and fixed costs against the budgets', async () => {
    const clock = manualClock('2026-11-28T19:00:00Z');
    t = await openTestCore({ clock: clock.clock, env: { PROXY_MONTHLY_USD: '2.99', DATABASE_MONTHLY_USD: '0', MONTHLY_BUDGET_USD: '25', LLM_DAILY_BUDGET_USD: '1' } });
    const rec = (day: string, model: string, cost: number) =>
      t!.core.repos.llmUsage.record({ at: new Date(`${day}T18:00:00Z`), day, model, prompt_tokens: 100, completion_tokens: 50, cached_tokens: 0, cost_usd: cost, raw_id: 'x', purpose: 'enrich' }, 'maricopa_api');
    await rec('2026-11-28', 'gpt-4o-mini', 0.25);
    await rec('2026-11-28', 'gpt-4.1-mini', 0.5);
    await rec('2026-11-27', 'gpt-4o-mini', 1);
    await rec('2026-10-30', 'gpt-4o-mini', 7); // last month: in the days, not in the month
    await t.core.repos.dailyStats.increment('2026-11-27', 'phoenix_mls', { captcha_usd: 0.006 });
    const costs = await t.core.api['costs.summary']({ days: 30 });
    expect(costs.days).toHaveLength(30);
    expect(costs.days.at(-1)).toEqual({ day: '2026-11-28', llm_usd: 0.75, captcha_usd: 0, by_model: { 'gpt-4o-mini': 0.25, 'gpt-4.1-mini': 0.5 } });
    expect(costs.days.find((d) => d.day === '2026-10-30')?.llm_usd).toBe(7);
    expect(costs.month).toEqual({ month: '2026-11', llm_usd: 1.75, captcha_usd: 0.006, fixed_usd: 2.99, total_usd: 1.75 + 0.006 + 2.99, budget_usd: 25 });
    expect(costs.today).toEqual({ llm_usd: 0.75, daily_budget_usd: 1 });
    expect(costs.models).toEqual([
      { model: 'gpt-4.1-mini', cost_usd: 0.5, calls: 1, reasoning_tokens: 0 },
      { model: 'gpt-4o-mini', cost_usd: 1.25, calls: 2, reasoning_tokens: 0 },
    ]);
  });
});

describe("the analyst's terms for one property", () => {
  it('recompute the underwriting and the list row at once, and survive reprocessing', async () => {
    t = await openTestCore();
    await seedFixtureParcels(t.core);
    await t.core.processing.run({ trigger: 'manual' });
    const id = 'maricopa_api:509-11-455';
    const before = (await t.core.repos.processed.getByRawId(id))!;
    expect(before.underwriting?.inputs.price).toBe(345_000);

    const { underwriting } = await t.core.api['properties.setTerms']({ id, terms: { price: 250_000, interest_rate: 0.05, rent_monthly: 2100 } });
    const expected = underwrite(applyOverrides(before.underwriting!.inputs, { price: 250_000, interest_rate: 0.05, rent_monthly: 2100 }));
    expect(underwriting.result).toEqual(expected);
    expect(underwriting.inputs.rent).toMatchObject({ monthly: 2100, basis: 'what_if' });
    const row = (await t.core.api['properties.list']({ page: 1, pageSize: 50, sort: { field: 'cap_rate', direction: 'desc' }, filters: {} })).items[0]!;
    expect(row).toMatchObject({ id, cap_rate: expected.cap_rate, rent: 2100, value: 345_000, value_basis: 'assessor_full_cash_value' });

    await t.core.api['processing.reprocess']({ ids: [id] });
    await t.core.processing.run({ trigger: 'manual' });
    const after = (await t.core.repos.processed.getByRawId(id))!;
    expect(after.underwriting_overrides).toEqual({ price: 250_000, interest_rate: 0.05, rent_monthly: 2100 });
    expect(after.underwriting?.result.cap_rate).toBe(expected.cap_rate);
    expect(after.llm_enrichment.investment_summary).toContain('$2,100 a month');

    await t.core.api['properties.setTerms']({ id, terms: null });
    expect((await t.core.repos.processed.getByRawId(id))!.underwriting?.result.cap_rate).toBe(before.underwriting?.result.cap_rate);
    await expect(t.core.api['properties.setTerms']({ id: 'maricopa_api:000-00-000', terms: null })).rejects.toThrow('has no underwriting yet');
  });

  it("keep every input of the deal model and its strategy through a reprocess, the underwriting computed with the ones it has; changed or cleared, they apply to what was collected", async () => {
    t = await openTestCore();
    await seedFixtureParcels(t.core);
    await t.core.processing.run({ trigger: 'manual' });
    const id = 'maricopa_api:509-11-455';
    const before = (await t.core.repos.processed.getByRawId(id))!;
    const terms: UnderwritingOverrides = {
      price: 300_000, rehab_budget: 25_000, closing_costs: 7_500, after_repair_value: 360_000, down_payment_rate: 0.25, interest_rate: 0.0675, term_years: 30, points_rate: 0.01,
      rent_monthly: 2_300, vacancy_rate: 0.08, management_rate: 0.1, maintenance_rate: 0.06, capex_rate: 0.07, insurance_annual: 1_500, hoa_monthly: 40, property_tax_annual: 2_100,
      other_expenses_monthly: 15, rent_growth_rate: 0.025, expense_growth_rate: 0.035, appreciation_rate: 0.04, holding_years: 7, selling_cost_rate: 0.07,
      refinance_ltv: 0.7, refinance_rate: 0.07, refinance_term_years: 25, refinance_closing_costs: 4_000, refinance_holding_costs: 3_000, flip_holding_months: 5, flip_holding_costs_monthly: 900, mode: 'brrrr',
    };
    await t.core.api['properties.setTerms']({ id, terms });
    await t.core.api['processing.reprocess']({ ids: [id] });
    await t.core.processing.run({ trigger: 'manual' });
    const detail = await t.core.api['properties.get']({ id });
    expect(detail.processed!.underwriting_overrides).toEqual(terms);
    expect(detail.analyst!.terms!.value).toEqual(terms);
    const inputs = detail.processed!.underwriting!.inputs;
    expect(inputs).toMatchObject({ price: 300_000, hoa_monthly: 40, tax: { annual: 2_100, basis: 'what_if' }, rent: { monthly: 2_300, basis: 'what_if' } });
    expect(inputs.assumptions).toMatchObject({ vacancyRate: 0.08, managementRate: 0.1, maintenanceRate: 0.06, insuranceAnnual: 1_500, downPaymentRate: 0.25, interestRate: 0.0675, termYears: 30, closingCostRate: 7_500 / 300_000 });
    expect(detail.processed!.underwriting!.result.expenses).toMatchObject({ property_tax: 2_100, insurance: 1_500, hoa: 480 });
    // The deal model starts from every saved input, the ones the underwriting has not as well.
    expect(dealStartOf(dealInputsOf(inputs, STARTING_PLAN)!, terms)).toMatchObject({ rehabBudget: 25_000, afterRepairValue: 360_000, pointsRate: 0.01, capexRate: 0.07, holdingYears: 7, closingCosts: 7_500, otherExpensesMonthly: 15, rentGrowthRate: 0.025 });

    // Changed or cleared, the terms apply to the collected tax and fees, never to the earlier what-if.
    const collected = before.underwriting!.inputs;
    const changed = (await t.core.api['properties.setTerms']({ id, terms: { vacancy_rate: 0.1 } })).underwriting.inputs;
    expect(changed).toMatchObject({ tax: collected.tax, hoa_monthly: collected.hoa_monthly, land_lease_monthly: collected.land_lease_monthly, price: collected.price });
    expect(changed.replaced).toBeUndefined();
    expect(changed.assumptions.vacancyRate).toBe(0.1);
    const cleared = (await t.core.api['properties.setTerms']({ id, terms: null })).underwriting;
    expect(cleared.inputs).toMatchObject({ tax: collected.tax, hoa_monthly: collected.hoa_monthly, price: collected.price, assumptions: collected.assumptions });
    expect(cleared.result.cap_rate).toBe(before.underwriting!.result.cap_rate);
  });
});
