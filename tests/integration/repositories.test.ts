import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionsOf } from '../../src/main/db/collections.js';
import { ensureSchema, INDEXES } from '../../src/main/db/indexes.js';
import { ApiCacheRepository } from '../../src/main/db/repositories/api-cache.js';
import { DailyStatsRepository } from '../../src/main/db/repositories/daily-stats.js';
import { LlmUsageRepository } from '../../src/main/db/repositories/llm-usage.js';
import { ProcessedPropertyRepository } from '../../src/main/db/repositories/processed-properties.js';
import { RUN_ERROR_LIMIT, RunRepository } from '../../src/main/db/repositories/runs.js';
import { SettingsRepository } from '../../src/main/db/repositories/settings.js';
import type { ProcessedProperty } from '../../src/shared/schemas/processed-property.js';
import { manualClock } from '../support/clock.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await openTestDatabase();
});
afterAll(async () => tdb.close());

describe('ensureSchema', () => {
  it('creates every collection and index, and running it again changes nothing', async () => {
    await ensureSchema(tdb.db);
    await ensureSchema(tdb.db);
    const names = (await tdb.db.listCollections().toArray()).map((c) => c.name);
    for (const name of Object.keys(INDEXES)) expect(names).toContain(name);
    const rawIndexes = await tdb.db.collection('raw_properties').indexes();
    expect(rawIndexes.find((i) => i.name === 'source_source_id')).toMatchObject({ unique: true });
  });
});

function processed(rawId: string, description: string): Omit<ProcessedProperty, '_id'> {
  return {
    raw_id: rawId,
    processed_at: new Date('2026-06-01T20:00:00Z'),
    normalized: {
      address: { street: '1 Main St', city: 'Phoenix', state: 'AZ', zip: '85031' },
      details: { bedrooms: 3, bathrooms: 2, square_feet: 1500, lot_sqft: 6000, year_built: 1978, property_type: 'single_family' },
      pricing: { list_price: 300_000, price_per_sqft: 200, value: 300_000, value_basis: 'active_listing', value_date: '2026-11-20' },
    },
    llm_enrichment: {
      description,
      key_features: ['Pool'],
      investment_analysis: { rental_estimate: 1800, cap_rate: 0.052, market_trend: 'stable', recommendation: 'hold' },
    },
    quality_score: 0.9,
    quality_reasons: [],
    processing_metadata: { llm_model: 'rules-v1', tokens_used: 0, processing_time_ms: 3 },
  };
}

describe('ProcessedPropertyRepository', () => {
  it('upserts by raw id: reprocessing replaces, never duplicates', async () => {
    const repo = new ProcessedPropertyRepository(collectionsOf(tdb.db).processed);
    expect(await repo.upsert(processed('maricopa_api:1', 'first'))).toBe('inserted');
    expect(await repo.upsert(processed('maricopa_api:1', 'second'))).toBe('replaced');
    expect(await repo.count()).toBe(1);
    expect((await repo.getByRawId('maricopa_api:1'))?.llm_enrichment.description).toBe('second');
  });
});

describe('DailyStatsRepository and LlmUsageRepository', () => {
  it('adds upstream events with $inc, counts each fact once, and keeps the rollups written before facts', async () => {
    const c = collectionsOf(tdb.db);
    const stats = new DailyStatsRepository(c.dailyStats, c.dailyFacts, c.llmUsage);
    await Promise.all(Array.from({ length: 40 }, () => stats.increment('2026-06-01', 'maricopa_api', { api_requests: 1, api_errors: 2 })));
    const fact = (key: string, counts: Record<string, number>, source = 'maricopa_api') => ({ key, day: '2026-06-02', source, item: `${source}:${key}`, counts });
    // Four processes count the same two facts at once, then a re-run counts them again: once each.
    const stored = await Promise.all(Array.from({ length: 4 }, () => stats.countOnce([fact('a', { collected: 1 }), fact('b', { processed: 1, quality_sum: 0.5, quality_count: 1 }, 'phoenix_mls')])));
    expect(stored.flat().sort()).toEqual(['a', 'b']);
    expect(await stats.countOnce([fact('a', { collected: 1 }), fact('c', { collected: 1 })])).toEqual(['c']);
    // A rollup as releases before the facts wrote it: its counts stay; its tokens and cost are in llm_usage.
    await c.dailyStats.insertOne({ _id: '2026-06-02|maricopa_api', day: '2026-06-02', source: 'maricopa_api', collected: 5, tokens: 99, cost_usd: 1 } as never);
    const rows = await stats.range('2026-06-01', '2026-06-02');
    expect(rows.map((r) => [r.day, r.source, r.collected, r.processed, r.quality_sum, r.api_requests, r.api_errors, r.tokens, r.cost_usd])).toEqual([
      ['2026-06-01', 'maricopa_api', 0, 0, 0, 40, 80, 0, 0],
      ['2026-06-02', 'maricopa_api', 7, 0, 0, 0, 0, 0, 0],
      ['2026-06-02', 'phoenix_mls', 0, 1, 0.5, 0, 0, 0, 0],
    ]);
    await stats.forgetItems(['maricopa_api:c']);
    expect((await stats.range('2026-06-02', '2026-06-02'))[0]!.collected).toBe(6);
  });

  it('records each LLM call and rolls its tokens and cost into the day', async () => {
    const c = collectionsOf(tdb.db);
    const stats = new DailyStatsRepository(c.dailyStats, c.dailyFacts, c.llmUsage);
    const usage = new LlmUsageRepository(c.llmUsage);
    const call = { at: new Date('2026-06-03T18:00:00Z'), day: '2026-06-03', cached_tokens: 0, raw_id: 'x', purpose: 'enrich' };
    await usage.record({ ...call, model: 'gpt-4o-mini', prompt_tokens: 400, completion_tokens: 200, cost_usd: 0.00018 }, 'maricopa_api');
    await usage.record({ ...call, model: 'gpt-4o-mini', prompt_tokens: 400, completion_tokens: 100, cost_usd: 0.00012 }, 'maricopa_api');
    await usage.record({ ...call, model: 'gpt-4.1-mini', prompt_tokens: 300, completion_tokens: 100, cost_usd: 0.00028 }, 'phoenix_mls');
    await usage.record({ ...call, model: 'gpt-5-mini', prompt_tokens: 300, completion_tokens: 1200, reasoning_tokens: 1100, cost_usd: 0.002475 }, 'phoenix_mls');
    const byModel = await usage.costByModel('2026-06-03');
    expect(byModel.map((m) => [m.model, m.calls, Number(m.cost_usd.toFixed(5)), m.reasoning_tokens])).toEqual([
      ['gpt-4.1-mini', 1, 0.00028, 0],
      ['gpt-4o-mini', 2, 0.0003, 0],
      ['gpt-5-mini', 1, 0.00248, 1100],
    ]);
    const [mariposa] = await stats.range('2026-06-03', '2026-06-03');
    expect(mariposa).toMatchObject({ source: 'maricopa_api', tokens: 1100 });
    // Calls of models that do not reason are recorded with none.
    expect(await collectionsOf(tdb.db).llmUsage.countDocuments({ reasoning_tokens: 0 })).toBe(3);
  });
});

describe('RunRepository', () => {
  it('records a run from start to finish, keeping the first errors and counting all', async () => {
    const time = manualClock('2026-06-04T13:00:00Z');
    const runs = new RunRepository(collectionsOf(tdb.db).runs, time.clock);
    const run = await runs.start({ kind: 'sync', source: 'maricopa_api', trigger: 'manual', params: { zip: ['85031'] } });
    expect(run).toMatchObject({ status: 'running', counters: {}, finished_at: null });
    time.advance(1000);
    await runs.progress(run._id, { counters: { fetched: 10, inserted: 8 }, total: 25 });
    for (let i = 0; i < RUN_ERROR_LIMIT + 3; i += 1) await runs.addError(run._id, `parcel ${i} failed`);
    time.advance(1000);
    const done = await runs.finish(run._id, 'succeeded', 'done');
    expect(done).toMatchObject({
      status: 'succeeded',
      counters: { fetched: 10, inserted: 8 },
      total: 25,
      errors_count: RUN_ERROR_LIMIT + 3,
      message: 'done',
      finished_at: new Date('2026-06-04T13:00:02Z'),
    });
    expect(done?.errors).toHaveLength(RUN_ERROR_LIMIT);
    const other = await runs.start({ kind: 'process', trigger: 'schedule' });
    expect((await runs.list({ limit: 10 })).map((r) => r._id)).toEqual([other._id, run._id]);
    expect((await runs.list({ limit: 10, kind: 'sync' })).map((r) => r._id)).toEqual([run._id]);
  });
});

describe('ApiCacheRepository', () => {
  it('serves an entry until it expires, then purges it', async () => {
    const time = manualClock('2026-06-05T00:00:00Z');
    const cache = new ApiCacheRepository(collectionsOf(tdb.db).apiCache, time.clock);
    await cache.set('parcel:509-11-455', { APN: '50911455' }, 60_000);
    await cache.set('parcel:other', { APN: '1' }, 120_000);
    expect(await cache.get('parcel:509-11-455')).toEqual({ APN: '50911455' });
    time.advance(60_000);
    expect(await cache.get('parcel:509-11-455')).toBeNull();
    expect(await cache.get('parcel:other')).toEqual({ APN: '1' });
    expect(await cache.purge()).toBe(1);
    expect(await collectionsOf(tdb.db).apiCache.countDocuments({})).toBe(1);
  });
});

describe('SettingsRepository', () => {
  it('stores the analyst edits as one document', async () => {
    const repo = new SettingsRepository(collectionsOf(tdb.db).settings, manualClock().clock);
    expect(await repo.get()).toEqual({});
    await repo.put({ openaiModel: 'gpt-4.1-mini', targetZipCodes: ['85031'] });
    await repo.put({ openaiModel: 'gpt-5-mini' });
    expect(await repo.get()).toEqual({ openaiModel: 'gpt-5-mini' });
  });
});
