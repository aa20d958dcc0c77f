import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canResume, type Run } from '../../src/shared/schemas/run.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';

let sim: MaricopaSimulator;
beforeAll(async () => {
  sim = await new MaricopaSimulator({ seed: 7 }).start();
});
afterAll(async () => sim.stop());

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  sim.requests.length = 0;
});

async function core(env: Record<string, string> = {}) {
  t = await openTestCore({
    env: { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000', ...env },
  });
  return t;
}

async function sync(tc: TestCore, params: { zips?: string[]; apns?: string[]; limit?: number; refresh?: boolean }, signal?: AbortSignal): Promise<Run> {
  const { done } = await tc.core.collection.startMaricopa(
    { zips: params.zips ?? [], apns: params.apns ?? [], queries: [], limit: params.limit, refresh: params.refresh ?? false },
    { trigger: 'manual', ...(signal && { signal }) },
  );
  return done;
}

describe('Maricopa sync against the simulator and the real database', () => {
  it('spends its calls on watched parcels first, then recently sold, then the oldest data; says so before it starts; spreads the refresh over the cache lifetime', async () => {
    const tc = await core();
    const apns = sim.apnsOfZip('85031').slice(0, 6);
    // A listing for sale now of the fifth parcel (an MLS page), a sale last month of the fourth.
    const day = tc.core.clock().toISOString().slice(0, 10);
    await tc.core.repos.raw.upsert({ source: 'phoenix_mls', source_id: 'L-1', data: { parcel_number: apns[4]!, address: '1 W Test St, Phoenix, AZ 85031', listing_status: 'active', list_price: 300000 }, original: {} });
    await tc.core.repos.raw.upsert({ source: 'armls_export', source_id: 'S-1', data: { parcel_number: apns[3]!, address: '2 W Test St, Phoenix, AZ 85031', listing_status: 'closed', sale_price: 280000, sale_date: day }, original: {} });
    const plans: string[] = [];
    const { done } = await tc.core.collection.startMaricopa({ zips: [], apns, queries: [], refresh: false }, { trigger: 'manual', onPlan: (p) => plans.push(p) });
    const run = await done;
    expect(run.status).toBe('succeeded');
    expect(plans).toEqual(['6 parcels: 0 cached, 6 detail calls, ~1 s at 6000/min (watched 1, recently sold 1, oldest data 4)']);
    // The listed and the recently sold parcels are in the first wave of requests (4 at a time;
    // their arrival order within the wave is the network's).
    const firstWave = sim.parcelRequests().slice(0, 4);
    expect(firstWave).toContain(`/parcel/${apns[4]!.replace(/-/g, '')}`);
    expect(firstWave).toContain(`/parcel/${apns[3]!.replace(/-/g, '')}`);
    // A second sync finds them all cached, and says so.
    const again = await tc.core.collection.startMaricopa({ zips: [], apns, queries: [], refresh: false }, { trigger: 'manual', onPlan: (p) => plans.push(p) });
    await again.done;
    expect(plans[1]).toMatch(/^6 parcels: 6 cached, 0 detail calls/);
    // Each parcel's answer falls due on its own day between half and all of the 7-day lifetime.
    const entries = await tc.tdb.db.collection('api_cache').find({ _id: { $regex: '^maricopa:parcel:' } } as never).toArray();
    const days = entries.map((e) => (new Date(e.expires_at).getTime() - new Date(e.created_at).getTime()) / 86_400_000);
    expect(days).toHaveLength(6);
    for (const d of days) {
      expect(d).toBeGreaterThanOrEqual(3.5);
      expect(d).toBeLessThanOrEqual(7);
    }
    expect(new Set(days.map((d) => d.toFixed(3))).size).toBe(6);
  });

  it('collects every parcel of a ZIP, stores them and queues them', async () => {
    const tc = await core();
    const expected = sim.apnsOfZip('85379');
    const run = await sync(tc, { zips: ['85379'] });
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ pages: Math.ceil((expected.length + 1) / 25), fetched: expected.length, inserted: expected.length, enqueued: expected.length });
    expect(run.total).toBe(expected.length);
    expect(await tc.core.repos.raw.count()).toBe(expected.length);
    expect((await tc.core.repos.queue.counts()).pending).toBe(expected.length);
    const real = await tc.core.repos.raw.get('maricopa_api:509-11-455');
    expect(real?.data).toMatchObject({ address: '15947 W WINCHCOMB DR SURPRISE 85379', sale_price: 153000, bedrooms: null, owner_name: 'STEVENS TODD' });
    expect(real?.original).not.toHaveProperty('Sketches');
    expect(real?.summary).toMatchObject({ zip: '85379', status: 'pending' });
    const log = tc.log.text();
    expect(log).not.toContain('STEVENS TODD');
    expect(log).not.toContain(sim.token);
    const metrics = await tc.core.metrics.registry.getSingleMetricAsString('phoenix_re_api_requests_total');
    expect(metrics).toContain('phoenix_re_api_requests_total{source="maricopa_api",status="200"}');
    for (const r of sim.requests) expect(r.authorized).toBe(true);
  });

  it('adds and queues nothing on a second sync with nothing changed, cached or refreshed', async () => {
    const tc = await core();
    await sync(tc, { zips: ['85031'], limit: 30 });
    const before = await tc.core.repos.queue.counts();
    const cached = await sync(tc, { zips: ['85031'], limit: 30 });
    expect(cached.counters).toMatchObject({ cached: 30, unchanged: 30 });
    expect(cached.counters.fetched ?? 0).toBe(0);
    expect(cached.counters.enqueued ?? 0).toBe(0);
    const refreshed = await sync(tc, { zips: ['85031'], limit: 30, refresh: true });
    expect(refreshed.counters).toMatchObject({ fetched: 30, unchanged: 30 });
    expect(refreshed.counters.enqueued ?? 0).toBe(0);
    expect(await tc.core.repos.queue.counts()).toEqual(before);
    expect(await tc.core.repos.raw.count()).toBe(30);
  });

  it('updates a changed parcel and queues it again', async () => {
    const tc = await core();
    await sync(tc, { apns: ['509-11-455', '509-11-600'] });
    const item = await tc.core.repos.queue.claimNext('w', 60_000);
    await tc.core.repos.queue.complete(item!);
    sim.mutateParcel('509-11-455', (p) => {
      (p.Owner as Record<string, unknown>).SalePrice = '410000';
      (p.Owner as Record<string, unknown>).SaleDate = '10/01/2026';
    });
    const run = await sync(tc, { apns: ['50911455', '509-11-600'], refresh: true });
    expect(run.counters).toMatchObject({ updated: 1, unchanged: 1, enqueued: 1 });
    const doc = await tc.core.repos.raw.get('maricopa_api:509-11-455');
    expect(doc?.data.sale_price).toBe(410000);
    expect(doc?.price_history.map((h) => h.price)).toEqual([153000, 410000]);
    expect((await tc.core.repos.queue.get('maricopa_api:509-11-455'))?.status).toBe('pending');
  });

  it('retries 429 (honouring Retry-After), 503 and a firewall 403, then succeeds', async () => {
    const tc = await core();
    sim.inject({ kind: '429', retryAfterSec: 1 }, 1, /\/parcel\/50911455/);
    sim.inject({ kind: '503' }, 1, /\/parcel\/50911600/);
    sim.inject({ kind: 'cloudflare403' }, 1, /\/parcel\/50179632/);
    const started = performance.now();
    const run = await sync(tc, { apns: ['509-11-455', '509-11-600', '501-79-632'] });
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ inserted: 3 });
    expect(run.counters.failed ?? 0).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(sim.parcelRequests().filter((p) => p === '/parcel/50911455')).toHaveLength(2);
    expect(await tc.core.metrics.registry.getSingleMetricAsString('phoenix_re_api_requests_total')).toContain('status="429"} 1');
  });

  it('records a malformed answer and a missing parcel, and goes on', async () => {
    const tc = await core();
    sim.inject({ kind: 'malformed' }, 1, /\/parcel\/50911455/);
    const run = await sync(tc, { apns: ['509-11-455', '509-11-600', '999-99-999'] });
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ inserted: 1, failed: 1, skipped: 1 });
    expect(run.errors[0]?.message).toMatch(/^509-11-455: Maricopa API \/parcel\/50911455: body is not JSON; received: "\{\\"PropertyAddress/);
    expect(await tc.core.repos.raw.get('maricopa_api:509-11-455')).toBeNull();
  });

  it('records an answer that is no /parcel answer by its parcel, stores nothing for it, and goes on', async () => {
    const tc = await core();
    sim.inject({ kind: 'other-json', body: { foo: 1 } }, 1, /\/parcel\/50911455/);
    const run = await sync(tc, { apns: ['509-11-455', '509-11-600'] });
    expect(run.counters).toMatchObject({ inserted: 1, failed: 1 });
    expect(run.errors.map((e) => e.message)).toEqual(['509-11-455: Maricopa API /parcel/50911455: not a /parcel answer: missing PropertyAddress, Owner, Valuations; received: "{\\"foo\\":1}"']);
    expect(await tc.core.repos.raw.get('maricopa_api:509-11-455')).toBeNull();
  });

  it('stops the run with a clear message when the token is refused', async () => {
    const tc = await core({ MARICOPA_API_TOKEN: 'wrong-token-123' });
    const run = await sync(tc, { zips: ['85031'] });
    expect(run.status).toBe('failed');
    expect(run.message).toBe("Maricopa API rejected the token (HTTP 500 'Unauthorized access'). Check MARICOPA_API_TOKEN.");
    expect(canResume(run)).toBe(false);
    expect(sim.requests).toHaveLength(1);
    expect(tc.log.text()).not.toContain('wrong-token-123');
  });

  it('says the token is not set, before any request, in the run record', async () => {
    const tc = await core({ MARICOPA_API_TOKEN: '' });
    const before = sim.requests.length;
    const run = await sync(tc, { zips: ['85031'] });
    expect(run.status).toBe('failed');
    // Where to set it, for the desktop app and for serve or the CLI, which cannot store secrets (#23).
    expect(run.message).toBe(
      'MARICOPA_API_TOKEN is not set: the assessor sync needs it. No request was made. In the desktop app, enter it in Settings; for phoenix-re serve or the CLI, set the environment variable MARICOPA_API_TOKEN or add MARICOPA_API_TOKEN=<value> to .env in the folder the command starts in, then start a new sync.',
    );
    expect(run.message).not.toContain('500');
    expect(sim.requests).toHaveLength(before);
    expect((await tc.core.repos.runs.get(run._id))?.message).toBe(run.message);
    // A run that failed for a setting is not resumable: a resume would fail the same way (#23).
    expect(run.settings_at_fault).toEqual(['MARICOPA_API_TOKEN']);
    expect(canResume(run)).toBe(false);
    await expect(tc.core.api['runs.resume']({ runId: run._id })).rejects.toThrow(`Run ${run._id} failed for MARICOPA_API_TOKEN (not set, or refused): a resume would fail the same way.`);
  });

  it('cancels, then resumes to the end with no duplicate and no refetch', async () => {
    const tc = await core();
    const all = sim.apnsOfZip('85033');
    const controller = new AbortController();
    const off = tc.core.events.on('run.progress', (run) => {
      if ((run.counters.inserted ?? 0) >= 10) controller.abort();
    });
    const first = await sync(tc, { zips: ['85033'] }, controller.signal);
    off();
    expect(first.status).toBe('cancelled');
    expect(first.message).toContain(`phoenix-re sync --resume ${first._id}`);
    const storedAfterCancel = await tc.core.repos.raw.count();
    expect(storedAfterCancel).toBeGreaterThanOrEqual(10);
    expect(storedAfterCancel).toBeLessThan(all.length);
    expect((await tc.core.repos.queue.counts()).pending).toBe(storedAfterCancel);
    const stored = (await tc.core.db.collection('raw_properties').find({}, { projection: { source_id: 1 } }).toArray()).map(
      (d) => `/parcel/${String(d.source_id).replace(/-/g, '')}`,
    );
    const requestsBeforeResume = sim.parcelRequests().length;

    const { done } = await tc.core.collection.startMaricopa({ zips: [], apns: [], queries: [], refresh: false }, { trigger: 'manual', resumeRunId: first._id });
    const second = await done;
    expect(second.status).toBe('succeeded');
    expect(second.params.resumed_from).toBe(first._id);
    expect(await tc.core.repos.raw.count()).toBe(all.length);
    expect((await tc.core.repos.queue.counts()).pending).toBe(all.length);
    // Nothing stored before the cancel is fetched again (a request cut off in flight may be).
    const fetchedOnResume = sim.parcelRequests().slice(requestsBeforeResume);
    expect(fetchedOnResume.filter((path) => stored.includes(path))).toEqual([]);
    expect(new Set(sim.parcelRequests()).size).toBe(all.length);
    const searches = sim.requests.filter((r) => r.path.startsWith('/search/'));
    expect(searches.length).toBe(Math.ceil((all.length + 1) / 25));
  });

  it('is started and cancelled through the contract', async () => {
    const tc = await core();
    sim.latencyMs = 60;
    try {
      const { runId } = await tc.core.api['collect.sync']({ source: 'maricopa_api', zips: ['85035'], apns: [], queries: [], refresh: false });
      await new Promise((r) => setTimeout(r, 300));
      expect(await tc.core.api['runs.cancel']({ runId })).toEqual({ cancelled: true });
      await tc.core.activeRuns.drain(10_000);
      expect((await tc.core.repos.runs.get(runId))?.status).toBe('cancelled');
      expect(await tc.core.api['runs.cancel']({ runId })).toEqual({ cancelled: false });
    } finally {
      sim.latencyMs = 0;
    }
  });
});

describe('two syncs of the same ZIP codes at once', () => {
  it('both succeed: no false failures from the shared cache entries (duplicate key)', async () => {
    const first = await core();
    const second = await openTestCore({
      tdb: first.tdb,
      env: { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' },
    });
    try {
      const [a, b] = await Promise.all([sync(first, { zips: ['85009'], refresh: true }), sync(second, { zips: ['85009'], refresh: true })]);
      for (const run of [a, b]) {
        expect(run.errors.map((e) => e.message)).toEqual([]);
        expect(run.status).toBe('succeeded');
        expect(run.counters.failed ?? 0).toBe(0);
      }
    } finally {
      await second.close();
    }
  });
});
