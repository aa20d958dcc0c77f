import { describe, expect, it } from 'vitest';
import { csvRow, type ListRow } from '../../src/shared/property-csv.js';

describe('the Properties CSV export', () => {
  it('writes every figure with its basis and date, the rent with how it was estimated, and the records of a merged property', () => {
    const row = {
      id: 'maricopa_api:173-35-524', source: 'maricopa_api', source_id: '173-35-524', collected_at: new Date('2026-11-29T00:00:00Z'), updated_at: new Date('2026-11-29T00:00:00Z'),
      address: '4600 N 68TH ST 371 SCOTTSDALE 85251', zip: '85251', price: null, bedrooms: 1, bathrooms: 1, square_feet: 702, year_built: 1974, status: 'completed', quality_score: 0.9,
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
});
