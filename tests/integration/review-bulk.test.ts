import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PropertyListInput } from '../../src/shared/contract.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { seedFixtureParcels } from '../support/seed.js';
import { until } from '../support/until.js';

let sim: MaricopaSimulator;
beforeAll(async () => {
  sim = await new MaricopaSimulator({ latencyMs: 20 }).start();
});
afterAll(async () => {
  await sim.stop();
});

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const listInput = (filters: PropertyListInput['filters']): PropertyListInput => ({ page: 1, pageSize: 100, sort: { field: 'collected_at', direction: 'desc' }, filters });

/** Every record held: a threshold none meets. No LLM key: the rules provider writes the prose. */
async function heldCore(): Promise<TestCore> {
  const core = await openTestCore({ env: { QUALITY_REVIEW_THRESHOLD: '0.99' } });
  await seedFixtureParcels(core.core);
  await core.core.processing.run({ trigger: 'manual' });
  return core;
}

describe('review corrections', () => {
  it('reach the processed record, the list, its filters and the score at once', async () => {
    t = await heldCore();
    const { api } = t.core;
    // Both paths of the list: the database's (before the index is loaded) and the in-memory one.
    await t.core.propertyIndex.warm();
    const { items } = await api['queue.items']({ status: 'review', limit: 100, offset: 0 });
    const id = items[0]!.id;
    const before = await t.core.repos.processed.getByRawId(id);
    // The assessor publishes no bedrooms, and only an estimate of the bathrooms: the score lost for it.
    expect(before!.normalized.details.bedrooms).toBeNull();
    expect(before!.quality_reasons).toContain('bathrooms estimated (fixtures ÷ 3)');
    expect((await api['properties.list'](listInput({ minBeds: 3 }))).items.map((r) => r.id)).not.toContain(id);

    // The analyst adds the bedrooms and confirms the bathroom count (now a fact, no longer an estimate).
    await api['review.resolve']({ id, action: 'approve', edits: { bedrooms: 3, bathrooms: before!.normalized.details.bathrooms! } });

    const after = await t.core.repos.processed.getByRawId(id);
    expect(after!.normalized.details.bedrooms).toBe(3);
    expect(after!.quality_score).toBeGreaterThan(before!.quality_score);
    expect(after!.quality_reasons).not.toContain('bathrooms estimated (fixtures ÷ 3)');
    const row = (await api['properties.list'](listInput({ minBeds: 3 }))).items.find((r) => r.id === id);
    expect(row).toMatchObject({ bedrooms: 3, quality_score: after!.quality_score, status: 'completed' });
    expect(row?.estimated ?? []).not.toContain('bathrooms');
    // The database's own answer agrees (a second process, or a list before the index loads).
    expect((await t.core.repos.raw.list(listInput({ minBeds: 3 }))).items.map((d) => d._id)).toEqual([id]);
  });

  it('approves the ones named with the same corrections, then every item held; a bathroom count set is no longer an estimate', async () => {
    t = await heldCore();
    const { api } = t.core;
    await t.core.propertyIndex.warm();
    const { items, total } = await api['queue.items']({ status: 'review', limit: 3, offset: 0 });
    expect(total).toBe(12);
    const estimated = (await api['properties.list'](listInput({}))).items.filter((r) => r.estimated?.includes('bathrooms'));
    expect(estimated.length).toBeGreaterThan(0);

    const named = [items[0]!.id, items[1]!.id];
    expect(await api['review.approveMany']({ ids: [...named, 'maricopa_api:000-00-000'], edits: { bathrooms: 2 } })).toEqual({
      approved: 2,
      skipped: [{ id: 'maricopa_api:000-00-000', reason: 'No queue item "maricopa_api:000-00-000".' }],
    });
    for (const id of named) {
      const row = (await api['properties.list'](listInput({ status: 'completed' }))).items.find((r) => r.id === id);
      expect(row?.bathrooms).toBe(2);
      expect(row?.estimated ?? []).not.toContain('bathrooms');
      expect((await t.core.repos.processed.getByRawId(id))?.field_sources?.details?.bathrooms).toBe('analyst');
    }

    const rest = await api['review.approveMany']({ all: true });
    expect(rest).toEqual({ approved: 10, skipped: [] });
    expect((await api['queue.items']({ status: 'review', limit: 100, offset: 0 })).total).toBe(0);
    expect((await api['properties.list'](listInput({ status: 'completed' }))).total).toBe(12);
  });
});

describe('run details', () => {
  it('shows one run and resumes a cancelled assessor sync to the end', async () => {
    t = await openTestCore({ env: { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' } });
    const { api } = t.core;
    await expect(api['runs.get']({ runId: 'nope' })).rejects.toThrow('No run with id "nope".');
    const { runId } = await api['collect.sync']({ source: 'maricopa_api', zips: ['85033'], apns: [], queries: [], refresh: false });
    await until(async () => ((await api['runs.get']({ runId })).counters.inserted ?? 0) >= 5, 30_000, 'five parcels stored');
    await expect(api['runs.resume']({ runId })).rejects.toThrow(`Run ${runId} (sync maricopa_api, running) cannot be resumed`);
    expect(await api['runs.cancel']({ runId })).toEqual({ cancelled: true });
    await until(async () => (await api['runs.get']({ runId })).status === 'cancelled', 30_000, 'the cancel');
    const cancelled = await api['runs.get']({ runId });
    expect(cancelled.params).toMatchObject({ zips: ['85033'] });

    const resumed = await api['runs.resume']({ runId });
    expect(resumed.runId).not.toBe(runId);
    await until(async () => (await api['runs.get']({ runId: resumed.runId })).status !== 'running', 60_000, 'the resumed run');
    const second = await api['runs.get']({ runId: resumed.runId });
    expect(second.status).toBe('succeeded');
    expect(second.params.resumed_from).toBe(runId);
    expect(await t.core.repos.raw.count()).toBe(sim.apnsOfZip('85033').length);
  });
});
