import { describe, expect, it } from 'vitest';
import { csvRow, type ListRow } from '../../src/shared/property-csv.js';

const base = {
  id: 'maricopa_api:173-35-524', source: 'maricopa_api', source_id: '173-35-524', collected_at: new Date('2026-11-29T00:00:00Z'), updated_at: new Date('2026-11-29T00:00:00Z'),
  address: '4600 N 68TH ST 371 SCOTTSDALE 85251', zip: '85251', price: null, bedrooms: 1, bathrooms: 1, square_feet: 702, year_built: 1974, status: 'completed', quality_score: 0.9,
};

describe('the Properties CSV export', () => {
  it('writes every figure with its basis and date, the rent with how it was estimated, and the records of a merged property', () => {
    const row = {
      ...base,
      value: 233_000, value_basis: 'assessor_full_cash_value', value_date: '2023-01-01', rent: 800, rent_detail: '702 sq ft × $1.1/sq ft (default rate)', cap_rate: 0.008, cash_on_cash: -0.185,
      recommendation: 'pass', records: ['armls_export:6181273', 'maricopa_api:173-35-524'], estimated: [],
    } as unknown as ListRow;
    const columns = [{ key: 'value', value: (r: ListRow) => r.value }, { key: 'rent', value: (r: ListRow) => r.rent }];
    expect(csvRow(row, columns)).toMatchObject({
      value: 233_000,
      value_basis: 'assessor_full_cash_value',
      value_date: '2023-01-01',
      rent: 800,
      rent_detail: '702 sq ft × $1.1/sq ft (default rate)',
      records: 'armls_export:6181273 maricopa_api:173-35-524',
    });
  });

  it("carries the value's range, confidence, basis, date and list ÷ value, shown or not", () => {
    const row = {
      ...base, price: 379_000,
      value: 412_000, value_low: 380_000, value_high: 445_000, value_confidence: 'medium', value_basis: 'comparable_sales', value_date: '2026-11-20', list_to_value: 0.9199,
    } as unknown as ListRow;
    // Only the asking price is a shown column: the value's figures come all the same.
    const out = csvRow(row, [{ key: 'price', value: (r: ListRow) => r.price }]);
    expect(out).toMatchObject({ price: 379_000, value: 412_000, value_low: 380_000, value_high: 445_000, value_confidence: 'medium', value_basis: 'comparable_sales', value_date: '2026-11-20', list_to_value: 0.9199 });
    // A column's own cell keeps its place: the value column shown first stays first.
    expect(Object.keys(csvRow(row, [{ key: 'value', value: (r: ListRow) => r.value }])).slice(0, 4)).toEqual(['id', 'source', 'source_id', 'value']);
  });

  it('leaves blank what a record valued before the automated valuation lacks (no range, no confidence, no ratio)', () => {
    const row = { ...base, value: 233_000, value_basis: 'assessor_full_cash_value', value_date: '2023-01-01', list_to_value: null } as unknown as ListRow;
    expect(csvRow(row, [])).toMatchObject({ value: 233_000, value_low: '', value_high: '', value_confidence: '', list_to_value: '' });
    const unvalued = csvRow(base as unknown as ListRow, []);
    expect(unvalued).toMatchObject({ value: '', value_basis: '', value_date: '', list_to_value: '' });
  });

  it("names the analyst's saved terms the deal figures were computed with, and none when there are none", () => {
    const row = { ...base, cap_rate: 0.061, own_terms: { price: 290_000, down_payment_rate: 0.3 } } as unknown as ListRow;
    expect(csvRow(row, []).own_terms).toBe('price $290,000, 30% down');
    expect(csvRow({ ...base, own_terms: null } as unknown as ListRow, []).own_terms).toBe('');
  });
});
