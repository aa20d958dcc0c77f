import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionsOf } from '../../src/main/db/collections.js';
import { PRICE_HISTORY_LIMIT, RawPropertyRepository } from '../../src/main/db/repositories/raw-properties.js';
import { mapArmlsRow } from '../../src/main/collectors/armls/mapping.js';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { saleCandidatesOf } from '../../src/main/processing/sale-candidates.js';
import type { RawPropertyInput } from '../../src/shared/schemas/raw-property.js';
import { validateSales } from '../../src/shared/valuation/sales-validation.js';
import { armlsFixture } from '../support/armls.js';
import { manualClock } from '../support/clock.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { loadParcelFixtures } from '../support/fixtures.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await openTestDatabase();
});
afterAll(async () => tdb.close());

function rawRepo(clock: () => Date): RawPropertyRepository {
  const c = collectionsOf(tdb.db);
  return new RawPropertyRepository(c.raw, c.rawOriginals, clock, c.propertyKeys);
}

function parcel(apn: string, overrides: Partial<RawPropertyInput['data']> = {}): RawPropertyInput {
  return {
    source: 'maricopa_api',
    source_id: apn,
    data: { parcel_number: apn, address: `1 Main St PHOENIX 85031`, sale_price: 250_000, square_feet: 1500, bedrooms: null, ...overrides },
    original: { APN: apn.replace(/-/g, ''), PropertyAddress: '1 Main St PHOENIX 85031' },
  };
}

describe('RawPropertyRepository.upsert', () => {
  it('inserts, then leaves an unchanged record untouched, then detects a change', async () => {
    const time = manualClock('2026-05-01T10:00:00Z');
    const repo = rawRepo(time.clock);

    expect(await repo.upsert(parcel('100-00-001'))).toEqual({ id: 'maricopa_api:100-00-001', outcome: 'inserted', priceChanged: true });
    const first = await repo.get('maricopa_api:100-00-001');

    time.advance(60_000);
    expect(await repo.upsert(parcel('100-00-001'))).toMatchObject({ outcome: 'unchanged', priceChanged: false });
    expect(await repo.get('maricopa_api:100-00-001')).toEqual(first);

    time.advance(60_000);
    expect(await repo.upsert(parcel('100-00-001', { square_feet: 1600 }))).toMatchObject({ outcome: 'updated', priceChanged: false });
    const second = await repo.get('maricopa_api:100-00-001');
    expect(second?.data.square_feet).toBe(1600);
    expect(second?.collected_at).toEqual(first?.collected_at);
    expect(second?.updated_at).toEqual(new Date('2026-05-01T10:02:00Z'));
    expect(second?.content_hash).not.toBe(first?.content_hash);
    expect(second?.original).toEqual({ APN: '10000001', PropertyAddress: '1 Main St PHOENIX 85031' });
    const stored = await tdb.db.collection('raw_properties').findOne({ _id: 'maricopa_api:100-00-001' } as never);
    expect(stored).not.toHaveProperty('original');
  });

  it('keeps a short history of changed prices', async () => {
    const time = manualClock('2026-05-02T10:00:00Z');
    const repo = rawRepo(time.clock);
    await repo.upsert(parcel('100-00-002', { sale_price: 100_000 }));
    expect((await repo.get('maricopa_api:100-00-002'))?.summary.price_change).toBeUndefined();
    for (let i = 1; i <= PRICE_HISTORY_LIMIT + 5; i += 1) {
      time.advance(1000);
      const res = await repo.upsert(parcel('100-00-002', { sale_price: 100_000 + i * 1000 }));
      expect(res).toMatchObject({ outcome: 'updated', priceChanged: true });
    }
    const doc = await repo.get('maricopa_api:100-00-002');
    expect(doc?.price_history).toHaveLength(PRICE_HISTORY_LIMIT);
    expect(doc?.price_history.at(-1)).toMatchObject({ price: 100_000 + (PRICE_HISTORY_LIMIT + 5) * 1000, field: 'sale_price' });
    // A sale is history, never the list's price (that is a listing's asking price only).
    expect(doc?.summary.price).toBeNull();
    expect(doc?.summary.price_change).toBe(1000);
    time.advance(1000);
    await repo.upsert(parcel('100-00-002', { sale_price: 90_000 }));
    expect((await repo.get('maricopa_api:100-00-002'))?.summary.price_change).toBe(90_000 - (100_000 + (PRICE_HISTORY_LIMIT + 5) * 1000));
  });

  it('reports each record of a mixed batch in order', async () => {
    const repo = rawRepo(manualClock().clock);
    await repo.upsertMany([parcel('100-00-010'), parcel('100-00-011')]);
    const results = await repo.upsertMany([parcel('100-00-012'), parcel('100-00-010'), parcel('100-00-011', { sale_price: 1 })]);
    expect(results.map((r) => r.outcome)).toEqual(['inserted', 'unchanged', 'updated']);
  });

  it('records each record under its parcel and address keys, new, grown or missing, and writes none again for a known record', async () => {
    const repo = rawRepo(manualClock().clock);
    const keys = collectionsOf(tdb.db).propertyKeys;
    const address = '300 W Lone Cactus Dr PHOENIX 85027';
    const listing: RawPropertyInput = { source: 'phoenix_mls', source_id: '7000001', data: { parcel_number: '300-00-001', address }, original: {} };
    const own = parcel('300-00-001', { address });
    await repo.upsertMany([own]);
    expect(await keys.findOne({ _id: 'apn:300-00-001' })).toMatchObject({ ids: ['maricopa_api:300-00-001'] });
    // A second record of the property joins both keys.
    await repo.upsertMany([listing]);
    expect((await keys.findOne({ _id: 'apn:300-00-001' }))?.ids.sort()).toEqual(['maricopa_api:300-00-001', 'phoenix_mls:7000001']);
    const addressKey = (await keys.findOne({ _id: /^addr:300 W LONE CACTUS/ }))!;
    expect(addressKey.ids.sort()).toEqual(['maricopa_api:300-00-001', 'phoenix_mls:7000001']);
    // A key the store lacks (recorded under an older canonical form) is written when the
    // unchanged record comes again; a complete one is not touched.
    await keys.deleteOne({ _id: addressKey._id });
    const results = await repo.upsertMany([own, listing]);
    expect(results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect((await keys.findOne({ _id: addressKey._id }))?.ids.sort()).toEqual(['maricopa_api:300-00-001', 'phoenix_mls:7000001']);
  });

  it('stays truthful when two writers race on the same records', async () => {
    const a = rawRepo(manualClock().clock);
    const b = rawRepo(manualClock().clock);
    const batch = Array.from({ length: 20 }, (_, i) => parcel(`200-00-${String(i).padStart(3, '0')}`));
    const [ra, rb] = await Promise.all([a.upsertMany(batch), b.upsertMany(batch)]);
    for (let i = 0; i < batch.length; i += 1) {
      expect([ra[i]!.outcome, rb[i]!.outcome].sort()).toEqual(['inserted', 'unchanged']);
    }
    expect(await collectionsOf(tdb.db).raw.countDocuments({ source_id: /^200-00-/ })).toBe(20);
  });
});

describe('RawPropertyRepository.list', () => {
  it('filters, sorts and pages on the server', async () => {
    const repo = rawRepo(manualClock().clock);
    const inputs: RawPropertyInput[] = Array.from({ length: 30 }, (_, i) => ({
      source: i % 3 === 0 ? 'phoenix_mls' : 'maricopa_api',
      source_id: `L-${i}`,
      data: {
        address: `${i} W ELM ST PHOENIX ${i % 2 === 0 ? '85033' : '85035'}`,
        list_price: 100_000 + i * 10_000,
        bedrooms: (i % 4) + 1,
      },
      original: { i },
    }));
    await repo.upsertMany(inputs);

    const page1 = await repo.list({ page: 1, pageSize: 5, sort: { field: 'price', direction: 'desc' }, filters: { zip: ['85033'] } });
    expect(page1.total).toBe(15);
    expect(page1.items.map((d) => d.summary.price)).toEqual([380_000, 360_000, 340_000, 320_000, 300_000]);
    expect(page1.items[0]).not.toHaveProperty('original');

    const page3 = await repo.list({ page: 3, pageSize: 5, sort: { field: 'price', direction: 'desc' }, filters: { zip: ['85033'] } });
    expect(page3.items.map((d) => d.summary.price)).toEqual([180_000, 160_000, 140_000, 120_000, 100_000]);

    const mlsBeds = await repo.list({
      page: 1,
      pageSize: 50,
      sort: { field: 'price', direction: 'asc' },
      filters: { source: 'phoenix_mls', minBeds: 3, minPrice: 150_000, maxPrice: 300_000 },
    });
    expect(mlsBeds.items.map((d) => d.source_id)).toEqual(['L-6', 'L-15', 'L-18']);

    const search = await repo.list({ page: 1, pageSize: 50, sort: { field: 'address', direction: 'asc' }, filters: { search: '21 w elm' } });
    expect(search.items.map((d) => d.source_id)).toEqual(['L-21']);
  });
});

describe('RawPropertyRepository.withSales', () => {
  it('projects every field sales validation reads: the same candidates as the whole records give', async () => {
    const repo = rawRepo(manualClock('2026-05-03T10:00:00Z').clock);
    // The real ARMLS row of 173-35-524 unit 371 and the assessor's record of the same sale
    // (04/01/2021, deed 04/07/2021) on a real payload of another parcel.
    const { header, row } = armlsFixture();
    const base = loadParcelFixtures().get('509-11-455')!;
    const owner = { ...(base.Owner as object), SalePrice: '215000', SaleDate: '04/01/2021', DeedDate: '04/07/2021', DeedType: 'WD' };
    const payload = { ...base, PropertyAddress: '4600 N 68TH ST 371 SCOTTSDALE 85251', PEPropUseDesc: 'Condominiums', SubdivisionName: 'CAMELBACK HOUSE', Owner: owner };
    await repo.upsert(mapArmlsRow(Object.fromEntries(header.map((h, i) => [h, row[i]!]))));
    await repo.upsert(mapParcel('173-35-524', parcelPayloadSchema.parse(payload)));
    const ids = ['maricopa_api:173-35-524', 'armls_export:6181273'];

    const projected = (await repo.withSales()).filter((d) => ids.includes(d._id)).sort((a, b) => ids.indexOf(a._id) - ids.indexOf(b._id));
    const whole = await Promise.all(ids.map(async (id) => (await repo.get(id))!));
    expect(projected.flatMap(saleCandidatesOf)).toEqual(whole.flatMap(saleCandidatesOf));
    expect(projected.flatMap(saleCandidatesOf).map((c) => [c.property.property_type, c.property.subdivision, c.property.full_cash_value !== null])).toEqual([
      ['condo', 'CAMELBACK HOUSE', true],
      ['condo', 'CAMELBACK HOUSE', false],
    ]);
    const { sales, excluded } = validateSales(projected.flatMap(saleCandidatesOf), '2026-05-03');
    expect([sales.map((s) => [s.sale_id, s.sources]), excluded]).toEqual([[['173-35-524#371|2021-04-06|215000', ['armls_export', 'maricopa_api']]], []]);
  });
});
