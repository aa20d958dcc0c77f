import { afterEach, describe, expect, it } from 'vitest';
import type { PropertyListInput } from '../../src/shared/contract.js';
import { PROPERTY_SORT_FIELDS } from '../../src/shared/contract.js';
import type { RawPropertyInput } from '../../src/shared/schemas/raw-property.js';
import { manualClock, seededRandom } from '../support/clock.js';
import { openTestCore } from '../support/core.js';
import { openTestDatabase } from '../support/database.js';
import { mlsListing } from '../support/seed.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** Records with every kind of gap the list meets: no price, no beds, no address, ties. */
function varied(n: number, random: () => number): RawPropertyInput[] {
  const zips = ['85031', '85033', '85035', null];
  return Array.from({ length: n }, (_, i) => {
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const zip = pick(zips);
    if (i % 2 === 0) {
      return mlsListing(String(7_000_000 + i), {
        address: random() < 0.1 ? null : `${100 + Math.floor(random() * 50)} W ${pick(['Palm', 'Elm', 'Camelback'])} St, Phoenix, AZ ${zip ?? ''}`.trim(),
        list_price: random() < 0.15 ? null : 200_000 + Math.floor(random() * 20) * 10_000,
        bedrooms: random() < 0.2 ? null : 1 + Math.floor(random() * 5),
        bathrooms: pick([1, 1.5, 2, null]),
        square_feet: 900 + Math.floor(random() * 10) * 100,
        year_built: pick([1970, 1985, 2001, null]),
      });
    }
    // Some parcels are units, written as the assessor does: a bare number after the suffix.
    const unit = i % 6 === 1 ? ` ${i}` : '';
    return {
      source: 'maricopa_api',
      source_id: `${100 + (i % 900)}-${String(i).padStart(2, '0')}-${String(i * 7).padStart(3, '0')}`,
      data: {
        parcel_number: `${100 + (i % 900)}-${String(i).padStart(2, '0')}-${String(i * 7).padStart(3, '0')}`,
        address: random() < 0.1 ? null : `${200 + Math.floor(random() * 50)} N ${pick(['43rd', '67th'])} Ave${unit} PHOENIX ${zip ?? ''}`.trim(),
        sale_price: random() < 0.3 ? null : 150_000 + Math.floor(random() * 20) * 10_000,
        bedrooms: null,
        bathrooms: pick([1, 2, null]),
        square_feet: 800 + Math.floor(random() * 10) * 100,
        year_built: pick([1960, 1999, null]),
      },
      original: { i },
    };
  });
}

/**
 * Search terms in the forms other sources write a record's address and parcel: the APN without
 * dashes (an ARMLS export's `Assessor Number`), with dots, cut short; the street spelled out, the
 * unit as `UNIT n` or `#n` (a listing), with and without the ZIP.
 */
function searchTerms(records: readonly RawPropertyInput[]): string[] {
  return records.flatMap((r) => {
    const apn = r.data.parcel_number;
    const address = r.data.address;
    const terms = apn ? [apn.replace(/-/g, ''), apn.replace(/-/g, '.'), apn.replace(/-/g, '').slice(0, 5)] : [];
    const m = address ? /^(\d+) ([NSEW]) (\w+) (Ave|St)(?: (\d+))? \S+ ?(\d{5})?/.exec(address.replace(/,/g, '')) : null;
    // An address without a ZIP has no key (shared/address.ts): only its displayed text finds it.
    if (m?.[6]) {
      const [, number, dir, name, suffix, unit, zip] = m;
      const street = `${number} ${dir === 'N' ? 'North' : dir} ${name!.toUpperCase()} ${suffix === 'Ave' ? 'Avenue' : 'Street'}`;
      terms.push(street, `${street}${unit ? ` UNIT ${unit}` : ''}, Phoenix, AZ ${zip}`, `${number} ${dir} ${name} ${suffix}${unit ? ` #${unit}` : ''}`);
    }
    return terms;
  });
}

function randomInput(random: () => number, terms: readonly string[] = []): PropertyListInput {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const filters: PropertyListInput['filters'] = {};
  if (random() < 0.3) filters.zip = [pick(['85031', '85033', '85035'])];
  if (random() < 0.3) filters.source = pick(['maricopa_api', 'phoenix_mls'] as const);
  if (random() < 0.2) filters.status = pick(['pending', 'completed'] as const);
  if (random() < 0.3) filters.minPrice = 250_000;
  if (random() < 0.2) filters.maxPrice = 300_000;
  if (random() < 0.2) filters.minBeds = 3;
  if (random() < 0.2) filters.minQuality = 0.5;
  const searched = random();
  if (searched < 0.25) filters.search = pick(['palm', 'PHOENIX', '10', '7000', 'w elm', 'x']);
  else if (searched < 0.45 && terms.length > 0) filters.search = pick(terms);
  if (random() < 0.2) filters.priceDropped = true;
  if (random() < 0.2) filters.minValue = 250_000;
  if (random() < 0.15) filters.maxValue = 350_000;
  if (random() < 0.15) filters.valueBasis = pick(['comparable_sales', 'market_model', 'recent_sale', 'assessor_full_cash_value'] as const);
  if (random() < 0.2) filters.maxListToValue = pick([0.9, 0.95, 1]);
  if (random() < 0.15) filters.minListToValue = pick([0.85, 0.95]);
  if (random() < 0.2) filters.minCapRate = 0.04;
  if (random() < 0.15) filters.minCashOnCash = 0;
  if (random() < 0.15) filters.recommendation = pick(['watch', 'pass', 'insufficient data'] as const);
  return {
    page: 1 + Math.floor(random() * 3),
    pageSize: pick([5, 20, 50]),
    sort: { field: pick(PROPERTY_SORT_FIELDS), direction: pick(['asc', 'desc'] as const) },
    filters,
  };
}

describe('the property list in memory', () => {
  it('answers every page as the database does: same rows, same order, same total', async () => {
    const random = seededRandom(11);
    const t = await openTestCore();
    open.push(t);
    const records = varied(160, random);
    await t.core.repos.raw.upsertMany(records);
    // Some prices change, up and down: the price change sorts and filters too.
    const repriced = records.filter((_, i) => i % 7 === 0).map((r, k) => ({ ...r, data: { ...r.data, ...(r.source === 'phoenix_mls' ? { list_price: 180_000 + k * 7_000 } : { sale_price: 175_000 + k * 9_000 }) } }));
    await t.core.repos.raw.upsertMany(repriced);
    for (const id of (await t.tdb.db.collection('raw_properties').find({}, { projection: { _id: 1 } }).limit(40).toArray()).map((d) => String(d._id))) {
      const value = random() < 0.1 ? null : 200_000 + Math.floor(random() * 10) * 25_000;
      await t.core.repos.raw.setPipelineState(id, {
        status: 'completed',
        quality_score: Math.round(random() * 100) / 100,
        value,
        value_basis: value === null ? null : (['comparable_sales', 'market_model', 'assessor_fcv_ratio', 'area_sales', 'recent_sale', 'assessor_full_cash_value'] as const)[Math.floor(random() * 6)]!,
        value_low: value === null ? null : value - 25_000,
        value_high: value === null ? null : value + 30_000,
        value_confidence: value === null ? null : (['high', 'medium', 'low'] as const)[Math.floor(random() * 3)]!,
        // Ties (0.95 often) and nulls (not listed) among the ratios.
        list_to_value: value === null || random() < 0.25 ? null : random() < 0.2 ? 0.95 : 0.8 + Math.floor(random() * 40) / 100,
        value_date: value === null ? null : `202${Math.floor(random() * 6)}-0${1 + Math.floor(random() * 9)}-15`,
        rent: value === null ? null : 1500 + Math.floor(random() * 5) * 100,
        cap_rate: value === null ? null : Math.round(random() * 800) / 10_000,
        cash_on_cash: value === null ? null : Math.round((random() - 0.6) * 2000) / 10_000,
        recommendation: value === null ? 'insufficient data' : (['buy candidate', 'watch', 'pass'] as const)[Math.floor(random() * 3)]!,
      });
    }
    // Merged properties: a listing listed under a parcel's row (left out), the parcel's row
    // naming both records (found by the listing's source and MLS number too).
    const ids = (await t.tdb.db.collection('raw_properties').find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id));
    const parcels = ids.filter((id) => id.startsWith('maricopa_api:')).slice(0, 12);
    const listings = ids.filter((id) => id.startsWith('phoenix_mls:')).slice(0, 12);
    for (const [k, parcel] of parcels.entries()) {
      const listing = listings[k]!;
      await t.core.repos.raw.setPipelineState(listing, { merged_into: parcel });
      await t.core.repos.raw.setPipelineState(parcel, { merged_into: null, records: [parcel, listing], bedrooms: 3 });
    }
    await t.core.propertyIndex.warm();
    expect(t.core.propertyIndex.isReady).toBe(true);
    const all: PropertyListInput = { page: 1, pageSize: 500, sort: { field: 'collected_at', direction: 'asc' }, filters: {} };
    expect((await t.core.repos.raw.list(all)).total).toBe(ids.length - 12);
    expect((await t.core.propertyIndex.list(all))!.total).toBe(ids.length - 12);
    const mlsNumber = listings[0]!.split(':')[1]!;
    for (const filters of [{ search: mlsNumber }, { source: 'phoenix_mls' as const, search: mlsNumber }]) {
      const input = { ...all, filters };
      expect((await t.core.repos.raw.list(input)).items.map((r) => r._id), JSON.stringify(filters)).toContain(parcels[0]);
      expect((await t.core.propertyIndex.list(input))!.items.map((r) => r._id), JSON.stringify(filters)).toContain(parcels[0]);
    }
    const terms = searchTerms(records.filter((_, i) => i % 5 === 1));
    for (let n = 0; n < 90; n += 1) {
      const input = randomInput(random, terms);
      const fromDb = await t.core.repos.raw.list(input);
      const fromMemory = (await t.core.propertyIndex.list(input))!;
      expect({ total: fromMemory.total, ids: fromMemory.items.map((r) => r._id) }, JSON.stringify(input)).toEqual({ total: fromDb.total, ids: fromDb.items.map((r) => r._id) });
    }
    // Each of those forms alone finds what it names, alike in both places.
    for (const search of terms) {
      const input: PropertyListInput = { ...all, filters: { search } };
      const fromDb = await t.core.repos.raw.list(input);
      expect(fromDb.total, search).toBeGreaterThan(0);
      expect((await t.core.propertyIndex.list(input))!.items.map((r) => r._id), search).toEqual(fromDb.items.map((r) => r._id));
    }
  });

  it('sorts and filters on list ÷ value alike in memory and in the database: the deals under value first', async () => {
    const t = await openTestCore();
    open.push(t);
    await t.core.repos.raw.upsertMany(['8100001', '8100002', '8100003', '8100004', '8100005'].map((n) => mlsListing(n)));
    // Asking ÷ value: 8% under, 5% over, at value, 20% under; and one not valued (no ratio).
    const ratios: Record<string, number | null> = { 'phoenix_mls:8100001': 0.92, 'phoenix_mls:8100002': 1.05, 'phoenix_mls:8100003': 1, 'phoenix_mls:8100004': 0.8, 'phoenix_mls:8100005': null };
    for (const [id, list_to_value] of Object.entries(ratios)) await t.core.repos.raw.setPipelineState(id, { status: 'completed', list_to_value });
    await t.core.propertyIndex.warm();
    const page = (sort: PropertyListInput['sort'], filters: PropertyListInput['filters'] = {}): PropertyListInput => ({ page: 1, pageSize: 50, sort, filters });
    const both = async (input: PropertyListInput) => {
      const fromDb = (await t.core.repos.raw.list(input)).items.map((r) => r._id);
      const fromMemory = (await t.core.propertyIndex.list(input))!.items.map((r) => r._id);
      expect(fromMemory, JSON.stringify(input)).toEqual(fromDb);
      return fromDb.map((id) => id.slice('phoenix_mls:'.length));
    };
    // Ascending: the one with no ratio first (as MongoDB sorts nulls), then the deepest discount.
    expect(await both(page({ field: 'list_to_value', direction: 'asc' }))).toEqual(['8100005', '8100004', '8100001', '8100003', '8100002']);
    expect(await both(page({ field: 'list_to_value', direction: 'desc' }))).toEqual(['8100002', '8100003', '8100001', '8100004', '8100005']);
    // Listed at least 5% under value; at or over value; between.
    expect(await both(page({ field: 'list_to_value', direction: 'asc' }, { maxListToValue: 0.95 }))).toEqual(['8100004', '8100001']);
    expect(await both(page({ field: 'list_to_value', direction: 'asc' }, { minListToValue: 1 }))).toEqual(['8100003', '8100002']);
    expect(await both(page({ field: 'list_to_value', direction: 'asc' }, { minListToValue: 0.9, maxListToValue: 1 }))).toEqual(['8100001', '8100003']);
    // Through the API as the renderer calls it, the contract's input schema applied.
    const viaApi = await t.core.api['properties.list']({ page: 1, pageSize: 50, sort: { field: 'list_to_value', direction: 'asc' }, filters: { maxListToValue: 0.95 } });
    expect(viaApi.items.map((r) => [r.id, r.list_to_value])).toEqual([['phoenix_mls:8100004', 0.8], ['phoenix_mls:8100001', 0.92]]);
  });

  it("takes this process's writes at once, and reloads after another process's", async () => {
    const clock = manualClock('2026-11-28T20:00:00Z');
    const tdb = await openTestDatabase();
    open.push(tdb);
    const a = await openTestCore({ tdb, clock: clock.clock });
    const b = await openTestCore({ tdb, clock: clock.clock });
    open.push(a, b);
    const all: PropertyListInput = { page: 1, pageSize: 50, sort: { field: 'collected_at', direction: 'desc' }, filters: {} };
    expect(await a.core.propertyIndex.list(all)).toBeNull(); // not loaded yet: the database answers
    await a.core.propertyIndex.warm();
    await a.core.repos.raw.upsert(mlsListing('8000001'));
    expect((await a.core.api['properties.list'](all)).total).toBe(1);
    await a.core.repos.raw.setPipelineState('phoenix_mls:8000001', { status: 'review' });
    expect((await a.core.api['properties.list']({ ...all, filters: { status: 'review' } })).total).toBe(1);

    // Another process (b) writes: a's next look, a moment later, sees it at once (the database
    // answers while a reloads in the background), and so does every answer after the reload.
    clock.advance(5_000);
    await b.core.repos.raw.upsert(mlsListing('8000002'));
    await b.core.propertyIndex.flush(); // b's mark, as its close (or the next second) writes it
    clock.advance(5_000);
    const first = await a.core.api['properties.list'](all);
    expect(first.items.map((r) => r.id).sort()).toEqual(['phoenix_mls:8000001', 'phoenix_mls:8000002']);
    await a.core.propertyIndex.warm();
    expect(await a.core.propertyIndex.list(all)).not.toBeNull(); // reloaded: memory answers again
    const after = await a.core.api['properties.list'](all);
    expect(after.items.map((r) => r.id).sort()).toEqual(['phoenix_mls:8000001', 'phoenix_mls:8000002']);
  });
});
