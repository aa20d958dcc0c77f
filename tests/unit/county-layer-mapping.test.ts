import { describe, expect, it } from 'vitest';
import { layerDate, layerPoint, layerSale, layerValuations, mapCountyFeature, ringCentroid, situsAddress } from '../../src/main/collectors/county-layer/mapping.js';
import { planLayerQuery, REQUIRED_FIELDS } from '../../src/main/collectors/county-layer/layer-fields.js';
import { CountyLayerChangedError } from '../../src/main/collectors/county-layer/errors.js';
import { countySyncPlan } from '../../src/main/collectors/county-layer/plan.js';
import { rawPropertyType } from '../../src/main/processing/property-type.js';
import { normalize } from '../../src/main/processing/normalize.js';
import { durationText, paceText, runPace } from '../../src/shared/sync-progress.js';

/** An invented parcel in the layer's shape (book 931 and a SIM street: no real parcel). */
function attributes(overrides: Record<string, string | number | null> = {}): Record<string, string | number | null> {
  return {
    APN: '93110007',
    APN_DASH: '931-10-007',
    PHYSICAL_ADDRESS: '4321 W SIM PALM ST   PHOENIX  85031',
    PHYSICAL_CITY: 'PHOENIX',
    PHYSICAL_ZIP: '85031',
    OWNER_NAME: 'SYNTHETIC OWNER 931-10-007',
    SALE_DATE: '06/01/2019',
    SALE_PRICE: 212000,
    DEED_DATE: Date.UTC(2019, 5, 11),
    DEED_NUMBER: '20190441234',
    LIVING_SPACE: 1344,
    LAND_SIZE: 6534,
    CONST_YEAR: 1961,
    PUC: '0131',
    FCV_CUR: 287000,
    LPV_CUR: 178000,
    LC_CUR: '3.1',
    TAX_YR_CUR: 2026,
    FCV_PREV: 276500,
    LPV_PREV: 169500,
    TAX_YR_PREV: 2025,
    SUBNAME: 'SIM SUBDIVISION 4',
    LATITUDE: 33.4931,
    LONGITUDE: -112.1872,
    ...overrides,
  };
}

describe('the parcel layer mapping', () => {
  it('maps a parcel to the raw record the /parcel mapping writes: APN, address, coordinates, sale, values', () => {
    const raw = mapCountyFeature({ attributes: attributes() as never });
    expect(raw).toMatchObject({ source: 'county_layer', source_id: '931-10-007' });
    expect(raw.data).toMatchObject({
      parcel_number: '931-10-007',
      address: '4321 W SIM PALM ST PHOENIX 85031',
      zip: '85031',
      city: 'PHOENIX',
      latitude: 33.4931,
      longitude: -112.1872,
      coordinates_from: 'LATITUDE/LONGITUDE',
      sale_price: 212000,
      sale_date: '2019-06-01',
      sales: [{ date: '2019-06-01', price: 212000, source: 'county_layer', date_precision: 'month', flags: [] }],
      deed_date: '2019-06-11',
      bedrooms: null,
      bathrooms: null,
      square_feet: 1344,
      lot_size: 6534,
      year_built: 1961,
      property_use_code: '0131',
      full_cash_value: 287000,
      limited_property_value: 178000,
      valuation_year: 2026,
      valuations: [
        { tax_year: 2026, full_cash_value: 287000, limited_property_value: 178000 },
        { tax_year: 2025, full_cash_value: 276500, limited_property_value: 169500 },
      ],
      legal_class: '3.1',
    });
    const n = normalize({ source: 'county_layer', data: raw.data });
    expect(n.normalized.address).toMatchObject({ zip: '85031' });
    expect(n.normalized.details).toMatchObject({ square_feet: 1344, lot_sqft: 6534, year_built: 1961, property_type: 'single_family' });
  });

  it.each([
    ['06/01/2019', { date: '2019-06-01', precision: 'month' }],
    ['6/2019', { date: '2019-06-01', precision: 'month' }],
    ['06/2019', { date: '2019-06-01', precision: 'month' }],
    ['06/17/2019', { date: '2019-06-17', precision: 'day' }],
    ['2019-06-17', { date: '2019-06-17', precision: 'day' }],
    [Date.UTC(2019, 5, 17), { date: '2019-06-17', precision: 'day' }],
    [Date.UTC(2019, 5, 1), { date: '2019-06-01', precision: 'month' }],
    ['13/2019', null],
    ['02/30/2019', null],
    ['', null],
    [0, null],
    [null, null],
  ])('reads the date %j as %j', (value, expected) => expect(layerDate(value)).toEqual(expected));

  it('reads money written as padded strings with thousands separators (the ArcGIS Online copy)', () => {
    const raw = mapCountyFeature({ attributes: attributes({ SALE_PRICE: '     537,200', FCV_CUR: '     612,400', LPV_CUR: '  401,000', SALE_DATE: '03/2024' }) as never });
    expect(raw.data).toMatchObject({ sale_price: 537200, sale_date: '2024-03-01', full_cash_value: 612400, limited_property_value: 401000 });
    expect((raw.data.sales as { date_precision: string }[])[0]!.date_precision).toBe('month');
  });

  it('records no sale without a price above 0 or a readable date', () => {
    expect(layerSale(attributes({ SALE_PRICE: 0 }))).toBeNull();
    expect(layerSale(attributes({ SALE_PRICE: null }))).toBeNull();
    expect(layerSale(attributes({ SALE_DATE: null }))).toBeNull();
    expect(layerSale(attributes({ SALE_PRICE: '  na ' }))).toBeNull();
    const raw = mapCountyFeature({ attributes: attributes({ SALE_PRICE: 0 }) as never });
    expect(raw.data).toMatchObject({ sale_price: null, sale_date: null, sales: [] });
  });

  it.each([
    ['0131', 'single_family'],
    ['0141', 'single_family'],
    ['0735', 'condo'],
    ['0377', 'multi_family'],
    ['0011', 'land'],
    ['1511', 'commercial'],
    [735, 'condo'],
    ['9400', null],
  ])('reads the use code %j as %s', (puc, type) => {
    const raw = mapCountyFeature({ attributes: attributes({ PUC: puc }) as never });
    expect(rawPropertyType(raw.data)).toBe(type);
  });

  it('takes 0 for "none recorded": no living area, year or lot of vacant land', () => {
    const raw = mapCountyFeature({ attributes: attributes({ PUC: '0011', LIVING_SPACE: 0, CONST_YEAR: 0, LAND_SIZE: 0 }) as never });
    expect(raw.data).toMatchObject({ square_feet: null, year_built: null, lot_size: null });
  });

  it('places a parcel only where the layer does, in Arizona: its fields, else its geometry, else nowhere', () => {
    expect(layerPoint(attributes({ LATITUDE: null, LONGITUDE: null }), null)).toBeNull();
    expect(layerPoint(attributes({ LATITUDE: 0, LONGITUDE: 0 }), null)).toBeNull();
    // A longitude written without its minus sign is not in Arizona.
    expect(layerPoint(attributes({ LONGITUDE: 112.1872 }), null)).toBeNull();
    const square = [[-112.2, 33.5], [-112.2, 33.502], [-112.198, 33.502], [-112.198, 33.5], [-112.2, 33.5]];
    const fromRings = layerPoint(attributes({ LATITUDE: null, LONGITUDE: null }), { rings: [square] });
    expect(fromRings?.from).toBe('geometry centroid');
    expect(fromRings?.latitude).toBeCloseTo(33.501, 6);
    expect(fromRings?.longitude).toBeCloseTo(-112.199, 6);
    expect(layerPoint({}, { x: -112.07, y: 33.45 })).toEqual({ latitude: 33.45, longitude: -112.07, from: 'geometry' });
    expect(ringCentroid([[0, 0], [0, 2], [4, 2], [4, 0], [0, 0]])).toEqual({ x: 2, y: 1 });
  });

  it('writes the address in the /parcel form, adding the city and ZIP when the layer leaves them out', () => {
    expect(situsAddress(attributes({ PHYSICAL_ADDRESS: '4321 W SIM PALM ST' }))).toBe('4321 W SIM PALM ST PHOENIX 85031');
    expect(situsAddress(attributes({ PHYSICAL_ADDRESS: '  4321  W SIM PALM ST PHOENIX 85031 ' }))).toBe('4321 W SIM PALM ST PHOENIX 85031');
    expect(situsAddress(attributes({ PHYSICAL_ADDRESS: null }))).toBeNull();
  });

  it('keeps each tax year with its values, newest first, and leaves out a year without any', () => {
    expect(layerValuations(attributes({ FCV_PREV: null, LPV_PREV: 0 }))).toEqual([{ tax_year: 2026, full_cash_value: 287000, limited_property_value: 178000 }]);
  });

  it('refuses an APN that is not a Maricopa parcel number, saying which', () => {
    expect(() => mapCountyFeature({ attributes: attributes({ APN: '12', APN_DASH: null }) as never })).toThrowError(/"12" is not a Maricopa APN/);
  });
});

describe('the layer check and the plan', () => {
  const layer = (names: readonly string[], maxRecordCount = 1000) => ({ maxRecordCount, fields: names.map((name) => ({ name, type: 'esriFieldTypeString' })) });

  it('refuses a layer that lost a field the sync reads, naming it', () => {
    const without = REQUIRED_FIELDS.filter((f) => f !== 'LIVING_SPACE');
    expect(() => planLayerQuery(layer(without), 'http://layer', 1000)).toThrowError(CountyLayerChangedError);
    expect(() => planLayerQuery(layer(without), 'http://layer', 1000)).toThrowError(/has no field LIVING_SPACE/);
  });

  it('asks only for the fields the layer has, for geometry when it has no point fields, and never above maxRecordCount', () => {
    const plan = planLayerQuery(layer([...REQUIRED_FIELDS, 'OWNER_NAME'], 500), 'http://layer', 1000);
    expect(plan).toEqual({ outFields: [...REQUIRED_FIELDS, 'OWNER_NAME'], returnGeometry: true, pageSize: 500 });
    expect(planLayerQuery(layer([...REQUIRED_FIELDS, 'LATITUDE', 'LONGITUDE']), 'http://layer', 2000)).toMatchObject({ returnGeometry: false, pageSize: 1000 });
  });

  it('times the plan by the last sync when there was one, else says it assumes', () => {
    expect(countySyncPlan(12_400, 1000, null).text).toBe('~12,400 parcels from the layer in ~25 s (13 pages of up to 1,000; assuming 2 s a page of 1,000 until a sync has measured it)');
    const last = { counters: { inserted: 1000, unchanged: 200 }, started_at: new Date('2026-12-01T10:00:00Z'), finished_at: new Date('2026-12-01T10:00:10Z') };
    const plan = countySyncPlan(12_000, 1000, last);
    expect(plan.rate).toBe(120);
    expect(plan.text).toBe('~12,000 parcels from the layer in ~2 min (12 pages of up to 1,000; at 120 parcels a second, measured by the last county sync (1,200 parcels in ~10 s))');
  });

  it('says a run\'s rate and time left from its counters and times', () => {
    const pace = runPace({ counters: { inserted: 900, failed: 100 }, total: 2500, started_at: new Date('2026-12-01T10:00:00Z'), updated_at: new Date('2026-12-01T10:00:04Z'), finished_at: null });
    expect(pace).toEqual({ done: 1000, total: 2500, perSecond: 250, secondsLeft: 6 });
    expect(paceText(pace, 'parcels')).toBe('1,000/2,500 parcels, 250 parcels a second, ~6 s left');
    expect(durationText(3900)).toBe('~1 h 5 min');
  });
});
