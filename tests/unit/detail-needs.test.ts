import { describe, expect, it } from 'vitest';
import { detailNeed, layerCoverage, type NeedRecord } from '../../src/main/collectors/maricopa/detail-needs.js';
import { readResidentialDetails, readValuations } from '../../src/main/collectors/maricopa/payload.js';

const changed = new Date('2026-12-01T12:00:00Z');
const layer = (data: NeedRecord['data']): NeedRecord => ({ source: 'county_layer', updated_at: changed, data });
const assessor = (data: NeedRecord['data']): NeedRecord => ({ source: 'maricopa_api', data });
const same = { square_feet: 1500, year_built: 1998, valuation_year: 2026 };

describe('detailNeed', () => {
  it.each([
    ['no fresh layer record: the whole /parcel', null, assessor(same), 'parcel', false],
    ['in the layer, never fetched: /parcel (one call for both parts)', layer(same), null, 'parcel', false],
    ['the layer and the record agree: nothing', layer(same), assessor(same), null, false],
    ['a living area the layer does not give says nothing', layer({ ...same, square_feet: null }), assessor(same), null, false],
    ['an addition: /residential-details', layer({ ...same, square_feet: 1820 }), assessor(same), 'residential-details', true],
    ['a rebuild: /residential-details', layer({ ...same, year_built: 2024 }), assessor(same), 'residential-details', true],
    ['a new tax year: /valuations', layer({ ...same, valuation_year: 2027 }), assessor(same), 'valuations', true],
    ['an older layer year: nothing', layer({ ...same, valuation_year: 2025 }), assessor(same), null, false],
    ['both: /parcel (one call rather than two)', layer({ ...same, square_feet: 1820, valuation_year: 2027 }), assessor(same), 'parcel', true],
  ] as const)('%s', (_name, l, a, endpoint, layerChanged) => {
    const need = detailNeed(l, a);
    expect(need.endpoint).toBe(endpoint);
    expect(need.layerChanged).toBe(layerChanged);
    expect(need.layer).toEqual(l ? { updatedAt: changed } : null);
  });
});

describe('layerCoverage', () => {
  const since = new Date('2026-12-01T00:00:00Z');
  const at = new Date('2026-12-02T00:00:00Z');
  const record = (data: NeedRecord['data']) => layer(data);
  const inZip = record({ zip: '85031', city: 'PHOENIX', latitude: 33.5, longitude: -112.2 });

  it('counts a sync of the ZIP, the city or a box holding the point, finished since `since`', () => {
    expect(layerCoverage([{ kind: 'sync', params: { zips: ['85031'], cities: [], bbox: null, limit: null }, finished_at: at }], since)(inZip)).toBe(true);
    expect(layerCoverage([{ kind: 'sync', params: { zips: [], cities: ['Phoenix'], bbox: null, limit: null }, finished_at: at }], since)(inZip)).toBe(true);
    const box = { west: -112.3, south: 33.4, east: -112.1, north: 33.6 };
    expect(layerCoverage([{ kind: 'sync', params: { zips: [], cities: [], bbox: box, limit: null }, finished_at: at }], since)(inZip)).toBe(true);
    expect(layerCoverage([{ kind: 'sync', params: { zips: [], cities: [], bbox: { ...box, east: -112.25 }, limit: null }, finished_at: at }], since)(inZip)).toBe(false);
  });

  it('does not count another ZIP, a sync with a limit, or one finished before `since`; counts a parcel-file import', () => {
    expect(layerCoverage([{ kind: 'sync', params: { zips: ['85033'], cities: [] }, finished_at: at }], since)(inZip)).toBe(false);
    expect(layerCoverage([{ kind: 'sync', params: { zips: ['85031'], cities: [], limit: 50 }, finished_at: at }], since)(inZip)).toBe(false);
    expect(layerCoverage([{ kind: 'sync', params: { zips: ['85031'], cities: [] }, finished_at: new Date('2026-11-20T00:00:00Z') }], since)(inZip)).toBe(false);
    expect(layerCoverage([{ kind: 'import', params: { file: '/tmp/parcels.geojson' }, finished_at: at }], since)(inZip)).toBe(true);
  });
});

describe('the part endpoints as read', () => {
  it('reads /residential-details as the ResidentialPropertyData object and refuses anything else, saying why', () => {
    expect(readResidentialDetails({ LivableSpace: '1500', Pool: false, BathFixtures: '6' })).toMatchObject({ LivableSpace: '1500' });
    expect(() => readResidentialDetails([])).toThrow('not a residential-details answer: not a JSON object');
    expect(() => readResidentialDetails({ foo: 1 })).toThrow(/none of LivableSpace/);
    expect(() => readResidentialDetails({ LivableSpace: { x: 1 } })).toThrow(/LivableSpace: /);
  });

  it('reads /valuations as the Valuations array and refuses anything else, saying why', () => {
    expect(readValuations([{ TaxYear: '2025', FullCashValue: '300000' }])).toHaveLength(1);
    expect(() => readValuations({ Valuations: [] })).toThrow('not a valuations answer: not a JSON array (object)');
    expect(() => readValuations([{ FullCashValue: '1' }])).toThrow('not a valuations answer: [0] has no TaxYear');
    expect(() => readValuations([{ TaxYear: { y: 1 } }])).toThrow(/\[0\]\.TaxYear: /);
  });
});
