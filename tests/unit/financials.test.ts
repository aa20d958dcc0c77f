import { describe, expect, it } from 'vitest';
import { computeFinancials, marketTrend, median, type FinancialAssumptions } from '../../src/main/processing/financials.js';
import type { NormalizedProperty } from '../../src/shared/schemas/processed-property.js';

const assumptions: FinancialAssumptions = { rentPerSqftDefault: 1.1, rentPerSqftByZip: { '85031': 1.2 }, vacancyRate: 0.07, expenseRatio: 0.4, minRent: 800, maxRent: 8000 };

function property(sqft: number | null, price: number | null, zip = '85379'): NormalizedProperty {
  return {
    address: { street: '1 W Elm St', city: 'Phoenix', state: 'AZ', zip },
    details: { bedrooms: 3, bathrooms: 2, square_feet: sqft, lot_sqft: 6000, year_built: 1990, property_type: 'single_family' },
    pricing: { list_price: price, price_per_sqft: price && sqft ? price / sqft : null, price_basis: 'listing' },
  };
}

describe('financials', () => {
  it.each([
    // sqft, price, zip, trend → rent, NOI, cap, recommendation
    [1647, 153000, '85379', 'stable', 1810, 12120, 0.0792, 'buy candidate'],
    [1647, 153000, '85379', 'declining', 1810, 12120, 0.0792, 'watch'],
    [1500, 300000, '85031', 'stable', 1800, 12053, 0.0402, 'pass'],
    [1500, 220000, '85031', 'appreciating', 1800, 12053, 0.0548, 'watch'],
    [500, 100000, '85379', 'stable', 800, 5357, 0.0536, 'watch'],
    [1500, null, '85379', 'stable', 1650, 11048, null, 'insufficient data'],
    [null, 200000, '85379', 'stable', null, null, null, 'insufficient data'],
  ] as const)('%i sq ft at $%s in %s (%s)', (sqft, price, zip, trend, rent, noi, cap, recommendation) => {
    const f = computeFinancials(property(sqft, price, zip), trend, assumptions);
    expect(f).toMatchObject({ rental_estimate: rent, net_operating_income: noi, cap_rate: cap, market_trend: trend, recommendation });
    expect(f.recommendation_reason.length).toBeGreaterThan(10);
  });

  it('reads the trend from medians, needing five prices a period', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
    const prev = [200, 210, 190, 205, 195];
    expect(marketTrend([212, 215, 210, 220, 208], prev)).toBe('appreciating');
    expect(marketTrend([190, 192, 185, 195, 188], prev)).toBe('declining');
    expect(marketTrend([201, 203, 199, 198, 202], prev)).toBe('stable');
    expect(marketTrend([201, 203, 199, 198], prev)).toBe('insufficient_data');
  });
});
