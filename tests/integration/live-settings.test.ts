import { afterEach, describe, expect, it } from 'vitest';
import { applySavedSettings } from '../../src/main/core/live-settings.js';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { seedRaw, mlsListing } from '../support/seed.js';

let tc: TestCore | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});

describe('settings apply at once after Save', () => {
  it('ZIP codes, budget, thresholds, financial assumptions and schedules take effect without a restart', async () => {
    tc = await openTestCore();
    const { core } = tc;
    const schedules = JSON.stringify([{ id: 'nightly', cron: '30 2 * * *', work: { kind: 'process', batch_size: 5 } }]);
    const res = await core.api['settings.update']({
      values: { TARGET_ZIP_CODES: '85040', LLM_DAILY_BUDGET_USD: '7.25', QUALITY_REVIEW_THRESHOLD: '0.9', RENT_BY_ZIP_BEDROOMS: '{"85302": {"3": 3850}}', RENT_PER_SQFT_BY_ZIP: '{}', SCHEDULES: schedules },
    });
    expect(res).toMatchObject({ saved: true, restart_required: false, restart_for: [] });
    expect(core.settings).toMatchObject({ targetZipCodes: ['85040'], qualityReviewThreshold: 0.9 });
    expect(core.processing.budget.limitUsd).toBe(7.25);
    expect(await core.metrics.registry.getSingleMetricAsString('phoenix_re_daily_budget')).toContain(' 7.25');
    expect((await core.api['schedule.list']({})).jobs.map((j) => j.id)).toEqual(['nightly']);
    const health = await core.health();
    expect(health.checks.find((c) => c.name === 'keys')?.level).toBe('ok');

    // The next processing run uses the new rent table (3 bedrooms in the listing's ZIP, 85302), not the shipped SAFMR's $2,070.
    await seedRaw(core, [mlsListing('6937912')]);
    const run = await core.processing.run({ trigger: 'manual' });
    expect(run.status).toBe('succeeded');
    const processed = await core.repos.processed.getByRawId('phoenix_mls:6937912');
    expect(processed?.llm_enrichment.investment_analysis.rental_estimate).toBe(3850);
  });

  it('names the settings only a restart can apply (needed before the database is reached)', async () => {
    tc = await openTestCore();
    const before = tc.core.settings;
    const next = resolveSettings({ env: { LOG_LEVEL: 'debug', TARGET_ZIP_CODES: '85040', MONGODB_URI: before.mongodbUri ?? '', PHOENIX_DATA_DIR: before.dataDir ?? '' } });
    const restart = await applySavedSettings(
      { settings: before, queuePolicy: { maxAttempts: 1, backoff: { baseMs: 1, maxMs: 2, jitter: 'equal' }, errorHistoryLimit: 10 }, metrics: tc.core.metrics, scheduler: tc.core.scheduler },
      next,
    );
    expect(restart).toEqual(['LOG_LEVEL']);
    expect(before.targetZipCodes).toEqual(['85040']);
    expect(before.logLevel).toBe('info');
  });
});
