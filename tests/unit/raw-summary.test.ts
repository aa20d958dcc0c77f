import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../src/main/db/content-hash.js';
import { listFilter, summarize } from '../../src/main/db/repositories/raw-properties.js';

describe('content hash', () => {
  it('ignores key order and sees any value change', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe('{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1, b: 2 })).not.toBe(contentHash({ a: 1, b: 3 }));
  });
});

describe('summarize', () => {
  it.each([
    ['16225 W GELDING DR SURPRISE 85379', '85379'],
    ['123 Main St Phoenix AZ 85031', '85031'],
    ['5219 W EL CAMINITO Drive, Glendale, AZ 85302-1234', '85302'],
    ['no zip here', null],
  ])('finds the ZIP of %s', (address, zip) => {
    expect(summarize({ address }).zip).toBe(zip);
  });

  it('shows a listing price only (never a sale), and keeps pipeline state and figures', () => {
    expect(summarize({ list_price: 300_000, sale_price: 200_000 }).price).toBe(300_000);
    expect(summarize({ sale_price: 200_000 }).price).toBeNull();
    const figures = { value: 345_000, value_basis: 'assessor_full_cash_value' as const, value_date: '2023-01-01', rent: 1810, cap_rate: 0.035, cash_on_cash: -0.12, recommendation: 'pass' as const };
    const prev = summarize({}, { ...summarize({}), status: 'completed', quality_score: 0.8, ...figures });
    expect(prev).toMatchObject({ status: 'completed', quality_score: 0.8, price: null, ...figures });
  });
});

describe('listFilter', () => {
  it('builds one $and of the filters given, escaping search text', () => {
    // One row per property: records listed under another record's row are always left out.
    expect(listFilter({})).toEqual({ 'summary.merged_into': null });
    expect(listFilter({ zip: ['85031'] })).toEqual({ $and: [{ 'summary.merged_into': null }, { 'summary.zip': { $in: ['85031'] } }] });
    const f = listFilter({ source: 'maricopa_api', minPrice: 1, search: 'a.b' }) as { $and: unknown[] };
    expect(f.$and).toHaveLength(4);
    expect(JSON.stringify(f)).toContain('a\\\\.b');
  });
});
