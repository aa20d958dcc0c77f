import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/schemas/run.js';
import type { CountySyncParams } from '../../src/main/collectors/county-layer/sync.js';
import type { CountySyncPlan } from '../../src/main/collectors/county-layer/plan.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { CountyLayerSimulator, pageAt } from '../support/county-layer-simulator.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';

const ZIP = '85031';
const PARCELS = 1234;

const sim = new CountyLayerSimulator({ seed: 3, parcelsPerZip: { [ZIP]: PARCELS, '85035': 350 } });
beforeAll(() => sim.start());
afterAll(() => sim.stop());

/** The cores a test opened, closed after it. */
const opened: TestCore[] = [];
afterEach(async () => {
  for (const tc of opened.splice(0)) await tc.close();
  sim.requests.length = 0;
});

async function core(env: Record<string, string> = {}): Promise<TestCore> {
  const tc = await openTestCore({ env: { COUNTY_LAYER_URL: sim.layerUrl, ...env } });
  opened.push(tc);
  return tc;
}

async function countySync(tc: TestCore, params: Partial<CountySyncParams>, resumeRunId?: string): Promise<{ run: Run; plan: CountySyncPlan | undefined }> {
  let plan: CountySyncPlan | undefined;
  const { done } = await tc.core.collection.startCounty(
    { zips: params.zips ?? [], cities: params.cities ?? [], bbox: params.bbox, limit: params.limit },
    { trigger: 'manual', onPlan: (p) => (plan = p), ...(resumeRunId && { resumeRunId }) },
  );
  return { run: await done, plan };
}

async function countyRecords(tc: TestCore) {
  return tc.tdb.db.collection('raw_properties').find({ source: 'county_layer' }).toArray();
}

describe('the county parcel layer sync against the simulator and the real database', () => {
  it('stores every parcel of the ZIP code with its coordinates and last sale, in pages never above maxRecordCount', async () => {
    const tc = await core();
    const { run, plan } = await countySync(tc, { zips: [ZIP] });
    expect(run.status, run.message ?? '').toBe('succeeded');
    expect(plan).toMatchObject({ parcels: PARCELS, pages: 2, pageSize: 1000 });
    expect(plan!.text).toMatch(/^~1,234 parcels from the layer in ~\d+ s \(2 pages of up to 1,000; assuming 2 s a page/);
    expect(run.total).toBe(PARCELS);
    expect(run.counters).toMatchObject({ pages: 2, inserted: PARCELS, enqueued: PARCELS, targets_done: 1, offset: 0 });
    expect(run.message).toBe(`${PARCELS} parcels stored (${PARCELS} new, 0 changed, 0 unchanged), 0 failed`);
    expect(sim.largestPageAsked).toBe(1000);
    expect(sim.pageRequests().map((r) => [r.params.resultOffset, r.params.orderByFields, r.params.returnGeometry])).toEqual([
      ['0', 'APN ASC', 'false'],
      ['1000', 'APN ASC', 'false'],
    ]);

    const layer = new Map(sim.parcelsOf(ZIP).map((a) => [String(a.APN_DASH), a]));
    const stored = await countyRecords(tc);
    expect(stored).toHaveLength(PARCELS);
    for (const doc of stored) {
      const a = layer.get(doc.source_id)!;
      expect(a, doc.source_id).toBeDefined();
      expect(doc.data.latitude).toBe(a.LATITUDE);
      expect(doc.data.longitude).toBe(a.LONGITUDE);
      expect(doc.summary).toMatchObject({ lat: a.LATITUDE, lon: a.LONGITUDE, zip: ZIP, status: 'pending' });
      if (a.SALE_PRICE) {
        const [m, d, y] = String(a.SALE_DATE).split('/');
        expect(doc.data.sales, doc.source_id).toEqual([{ date: `${y}-${m}-${d}`, price: a.SALE_PRICE, source: 'county_layer', date_precision: d === '01' ? 'month' : 'day', flags: [] }]);
      } else expect(doc.data.sales).toEqual([]);
    }
    expect(stored.some((d) => d.data.sales.length > 0 && d.data.sales[0].date_precision === 'month')).toBe(true);
    expect(stored.some((d) => d.data.sales.length > 0 && d.data.sales[0].date_precision === 'day')).toBe(true);
    expect((await tc.core.repos.queue.counts()).pending).toBe(PARCELS);
    const metrics = await tc.core.metrics.registry.getSingleMetricAsString('phoenix_re_api_requests_total');
    expect(metrics).toContain('phoenix_re_api_requests_total{source="county_layer",status="200"} 4');
  });

  it('changes nothing on a second run: no new record version, nothing queued again', async () => {
    const tc = await core();
    await countySync(tc, { zips: ['85035'] });
    const item = await tc.core.repos.queue.claimNext('w', 60_000);
    await tc.core.repos.queue.complete(item!);
    const before = await countyRecords(tc);
    const queueBefore = await tc.core.repos.queue.counts();
    const { run, plan } = await countySync(tc, { zips: ['85035'] });
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ unchanged: 350, inserted: 0, updated: 0, enqueued: 0 });
    // Timed by the first run's measured rate now.
    expect(plan!.basis).toMatch(/^at [\d,]+ parcels a second, measured by the last county sync \(350 parcels in /);
    expect(await tc.core.repos.queue.counts()).toEqual(queueBefore);
    const after = await countyRecords(tc);
    expect(after.map((d) => [d._id, d.content_hash, d.updated_at.getTime(), d.price_history.length])).toEqual(before.map((d) => [d._id, d.content_hash, d.updated_at.getTime(), d.price_history.length]));
  });

  it('stores a changed parcel as a new version and queues it again', async () => {
    const tc = await core();
    await countySync(tc, { zips: ['85037'] });
    const count = sim.parcelsOf('85037').length;
    for (let item = await tc.core.repos.queue.claimNext('w', 60_000); item; item = await tc.core.repos.queue.claimNext('w', 60_000)) await tc.core.repos.queue.complete(item);
    const apn = String(sim.parcelsOf('85037')[7]!.APN_DASH);
    const original = { ...sim.parcelsOf('85037')[7]! };
    sim.mutateParcel(apn, (a) => {
      a.SALE_DATE = '10/01/2026';
      a.SALE_PRICE = 455_000;
    });
    try {
      const { run } = await countySync(tc, { zips: ['85037'] });
      expect(run.counters).toMatchObject({ updated: 1, unchanged: count - 1, enqueued: 1 });
      const doc = await tc.core.repos.raw.get(`county_layer:${apn}`);
      expect(doc?.data).toMatchObject({ sale_price: 455_000, sale_date: '2026-10-01' });
      expect(await tc.core.repos.queue.counts()).toMatchObject({ pending: 1, completed: count - 1 });
    } finally {
      sim.mutateParcel(apn, (a) => Object.assign(a, original));
    }
  });

  it('merges an /parcel record of the same APN into one property, which gets the layer\'s coordinates', async () => {
    const assessor = await new MaricopaSimulator({ seed: 5 }).start();
    try {
      const apn = assessor.apnsOfZip('85033')[0]!;
      // As in the twelve real /parcel answers: no coordinates.
      assessor.mutateParcel(apn, (p) => (p.Geo = { lat: null, long: null, address: p.PropertyAddress }));
      const added = sim.addParcel(apn, '85033');
      const tc = await core({ MARICOPA_API_BASE_URL: assessor.baseUrl, MARICOPA_API_TOKEN: assessor.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' });
      const { done } = await tc.core.collection.startMaricopa({ zips: [], apns: [apn], queries: [], refresh: false }, { trigger: 'manual' });
      expect((await done).status).toBe('succeeded');
      expect((await tc.core.repos.raw.get(`maricopa_api:${apn}`))?.summary.lat).toBeUndefined();
      const { run } = await countySync(tc, { zips: ['85033'] });
      expect(run.status).toBe('succeeded');

      const processing = await tc.core.processing.run({ trigger: 'manual', concurrency: 4 });
      expect(processing.status).toBe('succeeded');
      const doc = await tc.core.repos.processed.getByRawId(`county_layer:${apn}`);
      expect(doc?.raw_id).toBe(`maricopa_api:${apn}`);
      expect(doc?.raw_ids).toEqual([`county_layer:${apn}`, `maricopa_api:${apn}`]);
      expect(doc?.quality_reasons.join('; ')).not.toContain('coordinates');
      // The property is listed once, under the assessor's record, placed where the layer puts it.
      const listed = await tc.core.repos.raw.get(`maricopa_api:${apn}`);
      expect(listed?.summary).toMatchObject({ merged_into: null, records: [`county_layer:${apn}`, `maricopa_api:${apn}`], lat: added.LATITUDE, lon: added.LONGITUDE });
      expect((await tc.core.repos.raw.get(`county_layer:${apn}`))?.summary.merged_into).toBe(`maricopa_api:${apn}`);
    } finally {
      await assessor.stop();
    }
  });

  it('leaves a resumable run after a layer error midway, and the resume completes it with nothing lost', async () => {
    const small = await new CountyLayerSimulator({ seed: 9, parcelsPerZip: { '85009': 350 }, maxRecordCount: 100 }).start();
    try {
      const tc = await core({ COUNTY_LAYER_URL: small.layerUrl });
      small.inject({ kind: 'error-body', code: 400, message: 'Invalid or missing input parameters.' }, 1, pageAt(200));
      const { run: failed } = await countySync(tc, { zips: ['85009'] });
      expect(failed.status).toBe('failed');
      expect(failed.message).toContain(`refused the page at offset 200 of PHYSICAL_ZIP = '85009': error 400 "Invalid or missing input parameters."`);
      expect(failed.message).toContain(`200 parcels stored (200 new, 0 changed, 0 unchanged) before it; resume with: phoenix-re sync --resume ${failed._id}`);
      expect(failed.counters).toMatchObject({ pages: 2, inserted: 200, offset: 200, targets_done: 0 });
      expect(small.largestPageAsked).toBe(100);
      expect(await countyRecords(tc)).toHaveLength(200);

      small.requests.length = 0;
      const { run: resumed, plan } = await countySync(tc, {}, failed._id);
      expect(resumed.status, resumed.message ?? '').toBe('succeeded');
      expect(resumed.params).toMatchObject({ zips: ['85009'], resumed_from: failed._id });
      expect(plan?.parcels).toBe(150);
      expect(small.pageRequests().map((r) => r.params.resultOffset)).toEqual(['200', '300']);
      expect(resumed.counters).toMatchObject({ inserted: 150, pages: 2, targets_done: 1, offset: 0 });
      const stored = new Set((await countyRecords(tc)).map((d) => d.source_id));
      expect([...stored].sort()).toEqual(small.parcelsOf('85009').map((a) => String(a.APN_DASH)).sort());
      expect(await tc.core.repos.runs.get(failed._id)).toMatchObject({ status: 'failed' });
    } finally {
      await small.stop();
    }
  });

  it('retries a page that timed out or that the server failed, then goes on', async () => {
    const tc = await core({ COUNTY_LAYER_TIMEOUT_MS: '300' });
    sim.inject({ kind: 'hang', delayMs: 2000 }, 1, pageAt(0));
    sim.inject({ kind: 'error-body', code: 500, message: 'Error performing query operation' }, 1, pageAt(0));
    const { run } = await countySync(tc, { zips: ['85035'] });
    expect(run.status, run.message ?? '').toBe('succeeded');
    expect(run.counters).toMatchObject({ inserted: 350 });
    expect(sim.pageRequests().filter((r) => r.params.resultOffset === '0')).toHaveLength(3);
    const metrics = await tc.core.metrics.registry.getSingleMetricAsString('phoenix_re_api_requests_total');
    expect(metrics).toContain('phoenix_re_api_requests_total{source="county_layer",status="timeout"} 1');
  });

  it('refuses a layer that changed its fields before reading any page, saying which field', async () => {
    const changed = await new CountyLayerSimulator({ seed: 2 }).start();
    try {
      changed.removeField('LIVING_SPACE');
      const tc = await core({ COUNTY_LAYER_URL: changed.layerUrl });
      const { run } = await countySync(tc, { zips: [ZIP] });
      expect(run.status).toBe('failed');
      expect(run.message).toContain(`The county's parcel layer at ${changed.layerUrl} changed: it has no field LIVING_SPACE`);
      expect(changed.pageRequests()).toHaveLength(0);
      expect(await countyRecords(tc)).toHaveLength(0);
    } finally {
      await changed.stop();
    }
  });

  it('collects a city and a bounding box', async () => {
    const tc = await core();
    const inZip = sim.parcelsOf('85035');
    const lats = inZip.map((a) => Number(a.LATITUDE));
    const lons = inZip.map((a) => Number(a.LONGITUDE));
    const bbox = { west: Math.min(...lons) - 0.001, south: Math.min(...lats) - 0.001, east: Math.max(...lons) + 0.001, north: Math.max(...lats) + 0.001 };
    const { run } = await countySync(tc, { bbox, limit: 120 });
    expect(run.status).toBe('succeeded');
    expect(run.counters.inserted).toBe(120);
    expect(sim.pageRequests()[0]!.params).toMatchObject({ geometryType: 'esriGeometryEnvelope', inSR: '4326', where: '1=1' });
    const city = await countySync(tc, { cities: ['Phoenix'], limit: 10 });
    expect(city.run.status).toBe('succeeded');
    expect(sim.requests.some((r) => r.params.where === "PHYSICAL_CITY = 'PHOENIX'")).toBe(true);
  });
});

describe('the county layer simulator refuses what the real service refuses', () => {
  const query = async (params: Record<string, string>) => {
    const res = await fetch(`${sim.layerUrl}/query?${new URLSearchParams(params).toString()}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers errors with HTTP 200 and an error body, and caps a page at maxRecordCount', async () => {
    const info = (await (await fetch(`${sim.layerUrl}?f=json`)).json()) as { maxRecordCount: number; fields: { name: string }[] };
    expect(info.maxRecordCount).toBe(1000);
    expect(info.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['APN', 'APN_DASH', 'PHYSICAL_ZIP', 'LIVING_SPACE', 'SALE_DATE', 'LATITUDE']));

    const unknownField = await query({ where: `PHYSICAL_ZIP = '${ZIP}'`, outFields: 'APN,BEDROOMS', f: 'json' });
    expect(unknownField).toEqual({ status: 200, body: { error: { code: 400, message: 'Failed to execute query.', details: [] } } });
    const badWhere = await query({ where: "PHYSICAL_ZIP == '85031", outFields: 'APN', f: 'json' });
    expect(badWhere).toEqual({ status: 200, body: { error: { code: 400, message: 'Unable to complete operation.', details: ['Unable to perform query operation.'] } } });
    expect((await query({ where: "NO_SUCH_FIELD = '1'", outFields: 'APN', f: 'json' })).body).toHaveProperty('error.code', 400);
    expect((await query({ outFields: 'APN', f: 'json' })).body).toHaveProperty('error.code', 400);

    const tooMany = await query({ where: `PHYSICAL_ZIP = '${ZIP}'`, outFields: 'APN', resultOffset: '0', resultRecordCount: '5000', returnGeometry: 'false', f: 'json' });
    expect((tooMany.body.features as unknown[]).length).toBe(1000);
    expect(tooMany.body.exceededTransferLimit).toBe(true);
    const last = await query({ where: `PHYSICAL_ZIP = '${ZIP}'`, outFields: 'APN', orderByFields: 'APN ASC', resultOffset: '1000', resultRecordCount: '1000', returnGeometry: 'false', f: 'json' });
    expect((last.body.features as unknown[]).length).toBe(PARCELS - 1000);
    expect(last.body).not.toHaveProperty('exceededTransferLimit');
    expect((await query({ where: `PHYSICAL_ZIP = '${ZIP}'`, returnCountOnly: 'true', f: 'json' })).body).toEqual({ count: PARCELS });
  });
});

describe('phoenix-re sync --source county', () => {
  it('prints the plan before it starts and its pace as it goes, and exits 0', async () => {
    const tc = await core();
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MONGODB_URI: tc.tdb.uri, PHOENIX_DATA_DIR: tc.dataDir, COUNTY_LAYER_URL: sim.layerUrl };
    const res = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('bin/phoenix-re.js'), 'sync', '--source', 'county', '--zip', ZIP], { cwd: tc.dataDir, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^Plan: ~1,234 parcels from the layer in ~\d+ s \(2 pages of up to 1,000; /m);
    expect(res.stderr).toMatch(/^ {2}1,000\/1,234 parcels, [\d,]+ parcels a (second|minute)(, ~?<?\d+ s left)?$/m);
    expect(res.stdout).toMatch(/Run \S+ succeeded: 1234 parcels stored \(1234 new, 0 changed, 0 unchanged\), 0 failed/);
    expect(res.stdout.indexOf('Plan:')).toBeLessThan(res.stdout.indexOf('succeeded'));
    expect(await tc.tdb.db.collection('raw_properties').countDocuments({ source: 'county_layer' })).toBe(PARCELS);
  });
});
