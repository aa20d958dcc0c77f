import { describe, expect, it } from 'vitest';
import { mapArmlsRow } from '../../src/main/collectors/armls/mapping.js';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { featuresOf, saleCandidatesOf } from '../../src/main/processing/sale-candidates.js';
import type { RawPropertyData, RawPropertyInput } from '../../src/shared/schemas/raw-property.js';
import { armlsFixture } from '../support/armls.js';
import { loadParcelFixtures } from '../support/fixtures.js';

const stored = (raw: RawPropertyInput) => ({
  _id: `${raw.source}:${raw.source_id}`,
  source: raw.source,
  data: raw.data,
  summary: { address: (raw.data.address as string | null) ?? null, zip: (raw.data.zip as string | undefined) ?? null },
});
const { header, row } = armlsFixture();
const condo = stored(mapArmlsRow(Object.fromEntries(header.map((h, i) => [h, row[i]!]))));
const parcel = stored(mapParcel('509-11-455', parcelPayloadSchema.parse(loadParcelFixtures().get('509-11-455'))));

describe('featuresOf: the sold home as the valuation compares it', () => {
  it('the real ARMLS condo (173-35-524 unit 371): no lot of its own, its fees a month', () => {
    expect(featuresOf(condo)).toEqual({
      property_id: 'armls_export:6181273',
      parcel_number: '173-35-524',
      address: '4600 N 68TH ST UNIT 371, Scottsdale, AZ 85251',
      zip: '85251',
      city: 'Scottsdale',
      subdivision: 'CAMELBACK HOUSE',
      lat: condo.data.latitude,
      lon: condo.data.longitude,
      property_type: 'condo',
      dwelling_style: 'Attached',
      square_feet: 702,
      bedrooms: 1,
      bathrooms: 1,
      year_built: 1974,
      // ARMLS says 738 sq ft of "lot": the unit's share of the common land.
      lot_size: null,
      pool: condo.data.pool,
      garage_spaces: condo.data.garage_spaces,
      hoa_monthly: 145,
      land_lease_monthly: 138,
      interior_levels: condo.data.interior_levels,
      full_cash_value: null,
      fcv_tax_year: null,
      // Its 2020 tax bill, and what its Features say: kitchen and baths updated in 2013, no view,
      // laminate counters, no elevator or concierge.
      annual_taxes: 390,
      remodeled_year: 2013,
      view: false,
      premium_finishes: false,
      amenity_building: false,
    });
    expect(featuresOf(condo).lat).toBeGreaterThan(33);
  });

  it('the real assessor parcel 509-11-455: its lot, garages, pool, full cash value and its tax year, subdivision', () => {
    expect(featuresOf(parcel)).toMatchObject({
      property_id: 'maricopa_api:509-11-455',
      parcel_number: '509-11-455',
      city: 'Surprise',
      subdivision: 'LEGACY PARC PARCELS E AND F',
      property_type: 'single_family',
      square_feet: 1647,
      bedrooms: null,
      lot_size: 5830,
      year_built: 2003,
      pool: false,
      garage_spaces: 2,
      full_cash_value: 345000,
      fcv_tax_year: 2024,
    });
  });
});

describe('saleCandidatesOf: every sale a record carries', () => {
  it('the ARMLS close to the day; the assessor sale by month', () => {
    expect(saleCandidatesOf(condo).map(({ property, ...s }) => [s, property.property_id])).toEqual([[{ price: 215000, date: '2021-04-06', date_precision: 'day', source: 'armls_export', flags: [] }, 'armls_export:6181273']]);
    expect(saleCandidatesOf(parcel).map(({ property: _p, ...s }) => s)).toEqual([{ price: 153000, date: '2015-02-01', date_precision: 'month', source: 'maricopa_api', flags: [] }]);
  });

  it('keeps flagged entries (validation excludes them with their reason), skips malformed ones, reads the seed fields without `sales`', () => {
    const data: RawPropertyData = {
      sales: [
        { date: '2024-02-01', price: 10, source: 'maricopa_api', date_precision: 'month', flags: ['quitclaim'] },
        { date: '2023-07-14', price: 410000 },
        { date: '07/14/2023', price: 410000 },
        { date: '2023-07-14', price: 0 },
        { date: '2023-07-14', price: 410000, date_precision: 'week' },
      ],
    };
    const doc = { _id: 'phoenix_mls:9', source: 'phoenix_mls', data, summary: { address: null, zip: null } };
    expect(saleCandidatesOf(doc).map(({ property: _p, ...s }) => s)).toEqual([
      { price: 10, date: '2024-02-01', date_precision: 'month', source: 'maricopa_api', flags: ['quitclaim'] },
      { price: 410000, date: '2023-07-14', date_precision: 'day', source: 'phoenix_mls', flags: [] },
    ]);
    const seed = { ...doc, data: { sale_price: 305000, sale_date: '2022-11-30' } };
    expect(saleCandidatesOf(seed).map(({ property: _p, ...s }) => s)).toEqual([{ price: 305000, date: '2022-11-30', date_precision: 'day', source: 'phoenix_mls', flags: [] }]);
    expect(saleCandidatesOf({ ...doc, data: { sale_price: 305000, sale_date: null } })).toEqual([]);
  });
});
