import { describe, expect, it } from 'vitest';
import { combineLayers, emptyLayer, layerIdOf } from '../../src/main/db/repositories/analyst-layer.js';
import { correctedMerge, correctedSummary, propertyIdentity, reasonKinds, reasonsNotApproved, unsettledDisagreements } from '../../src/main/processing/pipeline/analyst-overlay.js';
import { mergeRecords } from '../../src/main/processing/pipeline/merge-sources.js';
import type { AnalystLayer } from '../../src/shared/schemas/analyst-layer.js';

const at = (iso: string) => new Date(iso);
const approval = (reasons: string[]) => ({ at: at('2026-11-01T00:00:00Z'), reasons, by: 'analyst' as const });

describe('reasonsNotApproved', () => {
  it.each([
    { now: ['missing: bedrooms'], approved: null, left: ['missing: bedrooms'] },
    { now: ['missing: bedrooms'], approved: ['missing: bedrooms, bathrooms'], left: [] },
    { now: ['value basis is 48 months old (assessor full cash value of 2023-01-01)'], approved: ['value basis is 47 months old (assessor full cash value of 2022-12-01)'], left: [] },
    { now: ['value per sq ft $150 is more than 35% off the comparables\' median ($250)'], approved: ['value per sq ft $160 is more than 35% off the comparables\' median ($251)'], left: [] },
    { now: ['missing: bedrooms', 'prose echoes injected instructions'], approved: ['missing: bedrooms'], left: ['prose echoes injected instructions'] },
    { now: ['missing: bedrooms, year built'], approved: ['missing: bedrooms'], left: ['missing: bedrooms, year built'] },
  ])('$now over an approval of $approved leaves $left', ({ now, approved, left }) => {
    expect(reasonsNotApproved(now, approved && approval(approved))).toEqual(left);
  });

  it('reads a reason without its figures, and a missing list field by field', () => {
    expect(reasonKinds(['missing: bedrooms, lot', '3 bedrooms is implausible', 'value is an estimate (list price)'])).toEqual([
      'missing: bedrooms',
      'missing: lot',
      '# bedrooms is implausible',
      'value is an estimate (list price)',
    ]);
  });
});

describe('correctedMerge', () => {
  const parcel = { _id: 'maricopa_api:509-11-455', source: 'maricopa_api', collected_at: at('2026-11-01T00:00:00Z'), data: { parcel_number: '509-11-455', address: '15947 W WINCHCOMB DR SURPRISE 85379', bathrooms: 2.33, bathrooms_estimated: true, square_feet: 1647 } };

  it('puts each corrected field over the sources, marked analyst, without changing the merge given', () => {
    const merged = mergeRecords([parcel]).merged;
    const corrected = correctedMerge(merged, { bedrooms: 3, bathrooms: 2.5, list_price: 300_000, description: 'Mine.' });
    expect(corrected.normalized.details).toMatchObject({ bedrooms: 3, bathrooms: 2.5, bathrooms_estimated: false, square_feet: 1647 });
    expect(corrected.normalized.pricing.list_price).toBe(300_000);
    expect(corrected.field_sources).toMatchObject({ details: { bedrooms: 'analyst', bathrooms: 'analyst', square_feet: 'maricopa_api' }, pricing: { list_price: 'analyst' }, llm_enrichment: { description: 'analyst' } });
    expect(merged.normalized.details.bedrooms).toBeNull();
    expect(merged.field_sources.details?.bathrooms).toBe('maricopa_api');
  });

  it('names the property by its parcel and address, and a sample record by its id only', () => {
    expect(propertyIdentity([parcel])).toEqual(['apn:509-11-455', 'addr:15947 W WINCHCOMB DR|85379', 'maricopa_api:509-11-455']);
    expect(propertyIdentity([{ ...parcel, data: { ...parcel.data, sample: true } }])).toEqual(['maricopa_api:509-11-455']);
    expect(layerIdOf(['addr:X|85001', 'phoenix_mls:1', 'apn:509-11-455'])).toBe('apn:509-11-455');
    expect(layerIdOf(['phoenix_mls:1', 'addr:X|85001'])).toBe('addr:X|85001');
  });

  it('settles the disagreements and the estimates of the fields corrected', () => {
    const disagreements = ['living area: maricopa_api 1647 vs armls_export 1900', 'bedrooms: armls_export 3 vs phoenix_mls 4'];
    expect(unsettledDisagreements(disagreements, { bedrooms: 3 })).toEqual(['living area: maricopa_api 1647 vs armls_export 1900']);
    expect(correctedSummary({ bathrooms: 2, list_price: 250_000 }, { estimated: ['bathrooms', 'square_feet'], analyst_fields: ['bedrooms'] })).toEqual({
      bathrooms: 2,
      price: 250_000,
      estimated: ['square_feet'],
      analyst_fields: ['bedrooms', 'bathrooms', 'price'],
    });
  });
});

describe('combineLayers', () => {
  const layer = (over: Partial<AnalystLayer>): AnalystLayer => ({ ...emptyLayer('x', [], at('2026-11-01T00:00:00Z')), ...over });

  it("reads a listing's and its parcel's layers as one: the oldest names it, the newest entry of each field wins", () => {
    const listing = layer({
      _id: 'addr:4600 N 68TH ST #371|85251',
      keys: ['addr:4600 N 68TH ST #371|85251', 'armls_export:6181273'],
      corrections: { bathrooms: { value: 2.5, set_at: at('2026-11-02T00:00:00Z'), by: 'analyst' }, bedrooms: { value: 1, set_at: at('2026-11-02T00:00:00Z'), by: 'analyst' } },
      tags: ['condo'],
      status_history: [{ status: 'watching', at: at('2026-11-02T00:00:00Z') }],
    });
    const parcel = layer({
      _id: 'apn:173-35-524',
      keys: ['apn:173-35-524'],
      created_at: at('2026-11-03T00:00:00Z'),
      updated_at: at('2026-11-04T00:00:00Z'),
      corrections: { bedrooms: { value: 2, set_at: at('2026-11-04T00:00:00Z'), by: 'analyst' } },
      tags: ['scottsdale', 'condo'],
      status: { value: 'offer', set_at: at('2026-11-04T00:00:00Z'), by: 'analyst' },
      status_history: [{ status: 'offer', at: at('2026-11-04T00:00:00Z') }],
    });
    const one = combineLayers([parcel, listing]);
    expect(one._id).toBe('addr:4600 N 68TH ST #371|85251');
    expect(one.keys).toEqual(['addr:4600 N 68TH ST #371|85251', 'armls_export:6181273', 'apn:173-35-524']);
    expect(one.corrections).toMatchObject({ bathrooms: { value: 2.5 }, bedrooms: { value: 2 } });
    expect(one.tags).toEqual(['condo', 'scottsdale']);
    expect(one.status?.value).toBe('offer');
    expect(one.status_history.map((h) => h.status)).toEqual(['watching', 'offer']);
    expect(one.updated_at).toEqual(at('2026-11-04T00:00:00Z'));
  });
});
