import { afterEach, describe, expect, it } from 'vitest';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { sampleRecords } from '../../src/main/collectors/sample/sample-data.js';
import { parseMethodInput } from '../../src/shared/contract.js';
import { loadParcelFixtures, PARCEL_FIXTURES_DIR } from '../support/fixtures.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { mlsListing, seedRaw } from '../support/seed.js';

let tc: TestCore | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});

/** Every document of the collections the sample touches, but the sample's own, by collection. */
async function othersSnapshot(t: TestCore) {
  const db = t.tdb.db;
  const notSample = { _id: { $not: /^(maricopa_api:(501|509)-|phoenix_mls:999000)/ } };
  const read = (name: string, filter: object = {}) => db.collection(name).find(filter).sort({ _id: 1 }).toArray();
  const realParcel = await db.collection<{ _id: string }>('raw_properties').findOne({ _id: 'maricopa_api:509-11-455' });
  return {
    raw: [...(await read('raw_properties', notSample)), realParcel],
    processed: await read('processed_properties', { _id: { $in: ['phoenix_mls:6937912', 'phoenix_mls:7000001', 'maricopa_api:509-11-455'] } }),
    queue: await read('processing_queue', { _id: { $in: ['phoenix_mls:6937912', 'phoenix_mls:7000001', 'maricopa_api:509-11-455'] } }),
    runs: await read('runs', { 'params.sample': { $ne: true } }),
    keys: (await read('property_keys')).filter((k) => (k.ids as string[]).some((id) => ['phoenix_mls:6937912', 'phoenix_mls:7000001', 'maricopa_api:509-11-455'].includes(id))),
  };
}

describe('sample data through the real pipeline', () => {
  it('makes the twelve real parcels, four listings and eight invented parcel-layer parcels with the collectors\' own mapping, each marked', () => {
    const { records, problems } = sampleRecords({});
    expect(problems).toEqual([]);
    expect(records.filter((r) => r.source === 'maricopa_api')).toHaveLength(12);
    // Real parcels get no invented point; the invented parcels of the layer carry theirs.
    expect(records.filter((r) => r.source === 'maricopa_api').every((r) => r.data.latitude === null)).toBe(true);
    const layer = records.filter((r) => r.source === 'county_layer');
    expect(layer).toHaveLength(8);
    for (const r of layer) {
      expect(r.source_id).toMatch(/^990-10-1\d\d$/);
      expect(r.data).toMatchObject({ zip: '85379', latitude: expect.any(Number), longitude: expect.any(Number), coordinates_from: 'LATITUDE/LONGITUDE', property_use_code: '0131' });
      expect(r.data.sales).toEqual([expect.objectContaining({ source: 'county_layer', date_precision: 'month' })]);
    }
    const listings = records.filter((r) => r.source === 'phoenix_mls');
    expect(listings.map((r) => r.source_id)).toEqual(['9990001', '9990002', '9990003', '9990004']);
    expect(records.every((r) => r.data.sample === true)).toBe(true);
    const fixtures = loadParcelFixtures();
    const parcel = records.find((r) => r.data.parcel_number === '509-11-455')!;
    expect(parcel).toEqual({ ...mapParcel('509-11-455', parcelPayloadSchema.parse(fixtures.get('509-11-455'))), source_id: 'sample-509-11-455', data: { ...parcel.data } });
    expect(listings[0]!.data).toMatchObject({ mls_number: '9990001', list_price: 389_900, bedrooms: 3, square_feet: 1647, address: '15947 W Winchcomb Drive, Surprise, AZ 85379' });
  });

  it('loads into a database holding other records, processes the sample, and removes exactly it', async () => {
    tc = await openTestCore();
    const { core } = tc;
    const realParcel = mapParcel('509-11-455', parcelPayloadSchema.parse(loadParcelFixtures().get('509-11-455')));
    await seedRaw(core, [mlsListing('6937912'), mlsListing('7000001', { address: '1 N 1ST ST, Phoenix, AZ 85004' }), realParcel]);
    const before = await core.processing.run({ trigger: 'manual' });
    expect(before.status).toBe('succeeded');
    const rollups = async () => (await core.repos.dailyStats.range('2000-01-01', '2999-12-31')).map(({ _id, collected, processed, quality_count, tokens }) => ({ _id, collected, processed, quality_count, tokens }));
    const statsBefore = await rollups();
    const others = await othersSnapshot(tc);
    expect(others.processed).toHaveLength(3);

    expect(await core.api['sample.status']({})).toEqual({ records: 0, properties: 0, total: 3 });
    const { run, processing } = await core.api['sample.load']({});
    expect(run).toMatchObject({ status: 'succeeded', kind: 'sync', source: 'sample', params: { sample: true } });
    expect(run.message).toBe('23 sample records stored (23 new, 0 changed, 0 unchanged), 1 left alone (collected for real already), 0 failed');
    expect(processing).toMatchObject({ status: 'succeeded', kind: 'process', params: { sample: true, model: expect.stringContaining('rules') } });
    expect((processing.counters.completed ?? 0) + (processing.counters.review ?? 0)).toBe(23);
    expect(await core.api['sample.status']({})).toEqual({ records: 23, properties: 20, total: 26 });

    // The real parcel kept its data; the sample rows carry the badge's flag, through the list.
    expect((await core.repos.raw.getData('maricopa_api:509-11-455'))?.data.sample).toBeUndefined();
    const list = await core.api['properties.list'](parseMethodInput('properties.list', { pageSize: 50 }));
    // One row per property: three sample listings are listed under their sample parcels' rows.
    expect(list.items.filter((r) => r.sample === true)).toHaveLength(20);
    // The Map's points: the eight invented parcels of the layer, and no real parcel.
    expect(list.items.filter((r) => r.lat !== undefined).map((r) => r.id).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `county_layer:990-10-${100 + i}`));
    expect(list.items.filter((r) => r.sample === true && (r.records?.length ?? 0) === 2)).toHaveLength(3);
    expect(list.items.find((r) => r.id === 'phoenix_mls:6937912')?.sample).toBeUndefined();
    const merged = await core.repos.processed.getByRawId('phoenix_mls:9990001');
    expect(merged?.quality_score).toBeGreaterThan(0);

    // The analyst's notes on a sample property go with the sample; a real property's stay.
    await core.api['properties.setNotes']({ id: 'phoenix_mls:9990001', notes: 'Sample: looks cheap.' });
    await core.api['properties.setNotes']({ id: 'maricopa_api:509-11-455', notes: 'Real: drive by Saturday.' });

    const removed = await core.api['sample.remove']({});
    expect((await core.repos.analystLayer.find(['phoenix_mls:9990001']))).toBeNull();
    expect((await core.repos.analystLayer.find(['maricopa_api:509-11-455']))?.notes?.text).toBe('Real: drive by Saturday.');
    // Three sample listings merge with their sample parcels; the fourth stands at the real parcel
    // 509-11-455 and stays apart from it (a sample never changes a real property): 11 + 1, and
    // the eight parcels of the layer.
    expect(removed).toEqual({ records: 23, processed: 20, queueItems: 23, runs: 2 });
    expect(await core.api['sample.status']({})).toEqual({ records: 0, properties: 0, total: 3 });
    expect(await othersSnapshot(tc)).toEqual(others);
    expect(await tc.tdb.db.collection('processed_properties').countDocuments({})).toBe(3);
    expect(await tc.tdb.db.collection('processing_queue').countDocuments({})).toBe(3);
    expect((await core.api['properties.list'](parseMethodInput('properties.list', { pageSize: 50 }))).total).toBe(3);
    expect(await rollups()).toEqual(statsBefore);
  });

  it('keeps the sample findable, with its listings, when the real parcels are imported over it, until it is removed (#23)', async () => {
    tc = await openTestCore();
    const { core } = tc;
    await core.api['sample.load']({});
    const rows = async (search?: string) => (await core.api['properties.list'](parseMethodInput('properties.list', { pageSize: 100, ...(search && { filters: { search } }) }))).items;
    const sampleRows = async () => (await rows()).filter((r) => r.sample === true).map((r) => ({ id: r.id, address: r.address, price: r.price, bedrooms: r.bedrooms, records: r.records?.length ?? 1 })).sort((a, b) => a.id.localeCompare(b.id));
    const before = await sampleRows();
    // Twelve assessor parcels (four with their listing) and the eight parcel-layer parcels.
    expect(before).toHaveLength(20);
    expect(before.filter((r) => r.records === 2)).toHaveLength(4);

    // The analyst imports the real assessor answers of the same twelve parcels, then processes.
    const { done } = await core.collection.startAssessorImport({ path: PARCEL_FIXTURES_DIR }, { trigger: 'manual' });
    expect((await done).counters).toMatchObject({ fetched: 12 });
    expect((await core.processing.run({ trigger: 'manual', batchSize: 100 })).status).toBe('succeeded');

    // The sample's rows are as they were: the listings still listed under their parcels, with
    // the listing's price and bedrooms, and found by the listing's street.
    expect(await sampleRows()).toEqual(before);
    const winchcomb = (await rows('Winchcomb')).find((r) => r.sample === true);
    expect(winchcomb).toMatchObject({ price: 389_900, bedrooms: 3 });
    // The real parcels are rows of their own, real, never merged with a sample listing.
    const real = (await rows()).filter((r) => r.sample !== true);
    expect(real.map((r) => r.id).sort()).toEqual([...loadParcelFixtures().keys()].map((apn) => `maricopa_api:${apn}`).sort());
    expect(real.map((r) => ({ merged: (r.records?.length ?? 0) > 1, price: r.price }))).toEqual(real.map(() => ({ merged: false, price: null })));

    // Clearing the sample leaves exactly the real parcels.
    expect(await core.api['sample.remove']({})).toMatchObject({ records: 24 });
    expect((await rows()).map((r) => r.id).sort()).toEqual(real.map((r) => r.id).sort());
  });
});
