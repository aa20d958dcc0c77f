import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/schemas/run.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { CountyLayerSimulator } from '../support/county-layer-simulator.js';
import { squareAround, writeParcelCsv, writeParcelGeoJson, type LayerAttributes } from '../support/county-parcel-file.js';

/**
 * Issue #22: the county's parcel file, as an analyst downloads it, imported into the same records
 * the county layer sync stores. Real files on disk, the real FerretDB, the layer simulator's
 * invented parcels (APNs in books 900–999, `SIM` streets) as the file's content.
 */

const ZIP = '85033';
const PARCELS = 2500;
/** A ZIP code of more parcels than a few batches, for a cancel to fall in the middle of. */
const LARGE_ZIP = '85034';
const LARGE = 8000;

const sim = new CountyLayerSimulator({ seed: 11, parcelsPerZip: { [ZIP]: PARCELS, [LARGE_ZIP]: LARGE } });
let dir: string;
beforeAll(async () => {
  await sim.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-parcel-file-'));
});
afterAll(async () => {
  await sim.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const opened: TestCore[] = [];
afterEach(async () => {
  for (const tc of opened.splice(0)) await tc.close();
});

async function core(): Promise<TestCore> {
  const tc = await openTestCore({ env: { COUNTY_LAYER_URL: sim.layerUrl } });
  opened.push(tc);
  return tc;
}

async function importFile(tc: TestCore, file: string, signal?: AbortSignal): Promise<Run> {
  const { done } = await tc.core.collection.startCountyFileImport({ file }, { trigger: 'manual', ...(signal && { signal }) });
  return done;
}

/** The county records as stored: id, data, hash and list summary (the original is in raw_originals, hashed with the data). */
async function records(tc: TestCore) {
  const docs = await tc.tdb.db.collection<{ _id: string; data: Record<string, unknown>; content_hash: string; summary: Record<string, unknown> }>('raw_properties').find({ source: 'county_layer' }).sort({ _id: 1 }).toArray();
  return docs.map((d) => ({ _id: d._id, data: d.data, content_hash: d.content_hash, summary: { ...d.summary, status: undefined } }));
}

function file(name: string): string {
  return path.join(dir, name);
}

describe('import parcels: the county parcel file', () => {
  it('stores from GeoJSON and from CSV exactly the records the layer sync stores, and a re-import over the sync changes nothing', async () => {
    const parcels = sim.parcelsOf(ZIP);
    const geojson = file('parcels.geojson');
    const csv = file('parcels.csv');
    await writeParcelGeoJson(geojson, parcels);
    await writeParcelCsv(csv, parcels);

    const synced = await core();
    const { done } = await synced.core.collection.startCounty({ zips: [ZIP], cities: [] }, { trigger: 'manual' });
    expect((await done).status).toBe('succeeded');
    const fromLayer = await records(synced);
    expect(fromLayer).toHaveLength(PARCELS);
    expect(fromLayer.filter((r) => r.data.latitude !== null).length).toBe(PARCELS);

    for (const form of [geojson, csv]) {
      const tc = await core();
      const run = await importFile(tc, form);
      expect(run, run.message ?? '').toMatchObject({ kind: 'import', source: 'county_layer', status: 'succeeded', params: { file: form } });
      expect(run.message).toBe(`${PARCELS} parcels stored (${PARCELS} new, 0 changed, 0 unchanged), 0 bad features`);
      expect(run.counters).toMatchObject({ inserted: PARCELS, enqueued: PARCELS, bytes_read: fs.statSync(form).size, bytes_total: fs.statSync(form).size });
      expect(run.errors).toEqual([]);
      expect(await records(tc), form).toEqual(fromLayer);

      // Over the sync's records: every parcel is the same record, so nothing changes or is queued again.
      const over = await importFile(synced, form);
      expect(over.counters, form).toMatchObject({ unchanged: PARCELS, inserted: 0, updated: 0, enqueued: 0 });
    }
    expect(await records(synced)).toEqual(fromLayer);
  }, 240_000);

  it('changes nothing when the same file is imported again: no new version, nothing queued again', async () => {
    const tc = await core();
    const geojson = file('again.geojson');
    await writeParcelGeoJson(geojson, sim.parcelsOf(ZIP).slice(0, 800));
    expect((await importFile(tc, geojson)).counters).toMatchObject({ inserted: 800 });
    for (let item = await tc.core.repos.queue.claimNext('w', 60_000); item; item = await tc.core.repos.queue.claimNext('w', 60_000)) await tc.core.repos.queue.complete(item);
    const before = await tc.tdb.db.collection('raw_properties').find({}).sort({ _id: 1 }).toArray();
    const queueBefore = await tc.core.repos.queue.counts();
    const again = await importFile(tc, geojson);
    expect(again.status).toBe('succeeded');
    expect(again.counters).toMatchObject({ unchanged: 800, inserted: 0, updated: 0, enqueued: 0 });
    expect(await tc.core.repos.queue.counts()).toEqual(queueBefore);
    const after = await tc.tdb.db.collection('raw_properties').find({}).sort({ _id: 1 }).toArray();
    expect(after.map((d) => [d._id, d.content_hash, d.updated_at.getTime(), d.price_history.length])).toEqual(before.map((d) => [d._id, d.content_hash, d.updated_at.getTime(), d.price_history.length]));
  }, 120_000);

  it('writes nothing on a second import of the same file, queued or processed: every collection but the run records as it was', async () => {
    const tc = await core();
    const geojson = file('writes-nothing.geojson');
    // Two batches (FILE_BATCH_PARCELS is 1,000).
    await writeParcelGeoJson(geojson, sim.parcelsOf(ZIP).slice(0, 1100));
    expect((await importFile(tc, geojson)).counters).toMatchObject({ inserted: 1100, enqueued: 1100 });
    /** Every document of every collection but `runs`, by collection and id; the property list's write mark of the import before it stored first. */
    const everything = async () => {
      await tc.core.propertyIndex.flush();
      const names = (await tc.tdb.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n !== 'runs').sort();
      return Object.fromEntries(await Promise.all(names.map(async (n) => [n, new Map((await tc.tdb.db.collection(n).find({}).toArray()).map((d) => [String(d._id), d]))] as const)));
    };
    // Queued and not yet processed (each record's summary still says pending), then processed.
    for (const state of ['queued', 'processed']) {
      if (state === 'processed') for (let item = await tc.core.repos.queue.claimNext('w', 60_000); item; item = await tc.core.repos.queue.claimNext('w', 60_000)) await tc.core.repos.queue.complete(item);
      const before = await everything();
      expect(Object.keys(before)).toEqual(expect.arrayContaining(['raw_properties', 'raw_originals', 'property_keys', 'processing_queue', 'daily_facts']));
      const again = await importFile(tc, geojson);
      expect(again.counters, state).toMatchObject({ fetched: 1100, unchanged: 1100, inserted: 0, updated: 0, enqueued: 0 });
      expect(await everything(), state).toEqual(before);
    }
  }, 120_000);

  it('reports each bad feature by its index and field, skips it and stores the rest', async () => {
    const tc = await core();
    const parcels = sim.parcelsOf(ZIP).slice(0, 10);
    const geojson = file('bad.geojson');
    const broken: Record<number, (a: LayerAttributes) => unknown> = {
      1: (a) => ({ type: 'Feature', properties: { ...a, APN: undefined, APN_DASH: undefined }, geometry: squareAround(a) }),
      3: (a) => ({ type: 'Feature', properties: { ...a, SALE_PRICE: { amount: 1 } }, geometry: squareAround(a) }),
      4: (a) => ({ type: 'Feature', properties: a, geometry: { type: 'LineString', coordinates: [[-112, 33.5], [-112.1, 33.5]] } }),
      6: (a) => ({ type: 'Feature', properties: { ...a, APN: 'NOT-AN-APN', APN_DASH: null }, geometry: null }),
      7: () => ({ type: 'Point', coordinates: [-112, 33.5] }),
      8: (a) => ({ type: 'Feature', properties: { ...a, LATITUDE: 40.7, LONGITUDE: -74 }, geometry: null }),
    };
    await writeParcelGeoJson(geojson, parcels, { feature: (a, i) => broken[i]?.(a) ?? { type: 'Feature', properties: a, geometry: squareAround(a) } });
    const run = await importFile(tc, geojson);
    expect(run.status).toBe('succeeded');
    expect(run.message).toBe('5 parcels stored (5 new, 0 changed, 0 unchanged), 5 bad features');
    const apn = (i: number) => String(parcels[i]!.APN);
    expect(run.errors.map((e) => e.message)).toEqual([
      'feature 2: APN: the parcel number is missing',
      `feature 4: SALE_PRICE: an object, where the layer has text, a number or nothing`,
      `feature 5: geometry: a "LineString", where a parcel has a Point, Polygon or MultiPolygon`,
      'feature 7 (APN "NOT-AN-APN"): APN: "NOT-AN-APN" is not a Maricopa parcel number (book-map-parcel like 509-11-455 or 211-29-043A)',
      'feature 8: type: an object of type "Point", not a GeoJSON Feature',
      `feature 9 (APN "${apn(8)}"): its point is not in Arizona; stored without coordinates`,
    ]);
    const stored = await records(tc);
    expect(stored.map((r) => r._id).sort()).toEqual([0, 2, 5, 8, 9].map((i) => `county_layer:${parcels[i]!.APN_DASH}`).sort());
    expect(stored.find((r) => r._id === `county_layer:${parcels[8]!.APN_DASH}`)!.data.latitude).toBeNull();
  }, 60_000);

  it('reports a bad CSV row by its row, line and column', async () => {
    const tc = await core();
    const parcels = sim.parcelsOf(ZIP).slice(0, 5);
    const csv = file('bad.csv');
    await writeParcelCsv(csv, parcels);
    const lines = fs.readFileSync(csv, 'utf8').split('\n');
    lines[2] = lines[2]!.replace(String(parcels[1]!.APN), '12345').replace(String(parcels[1]!.APN_DASH), '12-345');
    lines[4] = `${lines[4]!},extra`;
    fs.writeFileSync(csv, lines.join('\n'));
    const run = await importFile(tc, csv);
    expect(run.message).toBe('3 parcels stored (3 new, 0 changed, 0 unchanged), 2 bad features');
    expect(run.errors.map((e) => e.message)).toEqual([
      'row 2 (line 3) (APN "12345"): APN_DASH: "12-345" is not a Maricopa parcel number (book-map-parcel like 509-11-455 or 211-29-043A)',
      `row 4 (line 5): has ${Object.keys(parcels[0]!).length + 1} columns, the header has ${Object.keys(parcels[0]!).length}`,
    ]);
  }, 60_000);

  it('refuses a file in Arizona State Plane (EPSG:2223, feet), whether its crs says so or only its coordinates, storing nothing', async () => {
    const tc = await core();
    const parcels = sim.parcelsOf(ZIP).slice(0, 3);
    const named = file('state-plane.geojson');
    await writeParcelGeoJson(named, parcels, { crsName: 'urn:ogc:def:crs:EPSG::2223' });
    const byName = await importFile(tc, named);
    expect(byName.status).toBe('failed');
    expect(byName.message).toBe(
      'state-plane.geojson is refused: its coordinates are in "urn:ogc:def:crs:EPSG::2223" (NAD83 / Arizona Central (ft), Arizona State Plane), not WGS 84 longitude/latitude; export it again in WGS 84 (EPSG:4326): the county portal\'s GeoJSON download is in WGS 84, or convert it with GDAL: ogr2ogr -f GeoJSON -t_srs EPSG:4326 parcels.geojson Parcels.shp',
    );
    const feet = file('feet.geojson');
    const { LATITUDE: _lat, LONGITUDE: _lon, ...withoutPoint } = parcels[0]!;
    await writeParcelGeoJson(feet, [withoutPoint], { feature: (a) => ({ type: 'Feature', properties: a, geometry: { type: 'Polygon', coordinates: [[[640123.5, 912345.25], [640223.5, 912345.25], [640223.5, 912445.25], [640123.5, 912345.25]]] } }) });
    const byCoordinates = await importFile(tc, feet);
    expect(byCoordinates.status).toBe('failed');
    expect(byCoordinates.message).toMatch(/^feet\.geojson is refused: feature 1 its first point \(640123\.5, 912345\.25\) is not a longitude and latitude: the file is in a projected coordinate system/);
    expect(await records(tc)).toEqual([]);
  }, 60_000);

  it('refuses the shapefile ZIP and a file that is not the layer, saying what to do', async () => {
    const tc = await core();
    const zip = file('Parcels.zip');
    fs.writeFileSync(zip, Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100)]));
    expect((await importFile(tc, zip)).message).toMatch(/^Parcels\.zip is a ZIP archive \(the county's shapefile download is one\): .* unzip it and convert it with GDAL: ogr2ogr/);
    const other = file('other.geojson');
    await writeParcelGeoJson(other, [{ APN: '90011000', NAME: 'x' }]);
    expect((await importFile(tc, other)).message).toBe(
      "other.geojson is not the county's parcel layer: its first feature has no field PHYSICAL_ADDRESS, PHYSICAL_CITY, PHYSICAL_ZIP, LIVING_SPACE, LAND_SIZE, CONST_YEAR, PUC, FCV_CUR, LPV_CUR, SALE_DATE, SALE_PRICE",
    );
    const broken = file('broken.geojson');
    fs.writeFileSync(broken, '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {');
    expect((await importFile(tc, broken)).status).toBe('failed');
  }, 60_000);

  it('is started by collect.import (the Collection page) and cancelled between batches; importing again stores the rest', async () => {
    const tc = await core();
    const geojson = file('cancel.geojson');
    await writeParcelGeoJson(geojson, sim.parcelsOf(LARGE_ZIP));
    const stop = new AbortController();
    const off = tc.core.events.on('run.progress', (run) => {
      if (run.kind === 'import' && (run.counters.inserted ?? 0) >= 1000) stop.abort();
    });
    const cancelled = await importFile(tc, geojson, stop.signal);
    off();
    expect(cancelled.status).toBe('cancelled');
    const stored = cancelled.counters.inserted ?? 0;
    expect(stored).toBeGreaterThanOrEqual(1000);
    expect(stored).toBeLessThan(LARGE);
    expect(await tc.tdb.db.collection('raw_properties').countDocuments({ source: 'county_layer' })).toBe(stored);

    const { runId } = await tc.core.api['collect.import']({ kind: 'parcels', path: geojson });
    let run = await tc.core.repos.runs.get(runId);
    while (run?.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      run = await tc.core.repos.runs.get(runId);
    }
    expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', source: 'county_layer' });
    expect(run!.counters).toMatchObject({ unchanged: stored, inserted: LARGE - stored });
    await expect(tc.core.api['collect.import']({ kind: 'parcels', path: 'Downloads/Parcels.geojson' })).rejects.toThrow(/is a relative path/);
  }, 120_000);
});
