import { describe, expect, it } from 'vitest';
import { valueSentences } from '../../src/main/processing/enrich/rules-provider.js';
import { validate, type QualityInput } from '../../src/main/processing/validate.js';
import { figuresSummary } from '../../src/main/processing/financials.js';
import type { NormalizedProperty } from '../../src/shared/schemas/processed-property.js';
import { appraisalSchema, type Valuation } from '../../src/shared/schemas/underwriting.js';
import { underwrite, type UnderwritingInputs } from '../../src/shared/underwriting/underwrite.js';
import type { Appraisal } from '../../src/shared/valuation/types.js';

const now = new Date('2026-11-28T00:00:00Z');
const appraisal: Appraisal = {
  value: 412_000,
  low: 380_000,
  high: 445_000,
  range_level: 0.8,
  confidence: 'medium',
  basis: 'comparable_sales',
  date: '2026-11-20',
  estimated: true,
  evidence: ['5 comparable sales in the same subdivision, adjusted by the ZIP 85251 model'],
  comparables: [
    {
      kind: 'sale',
    sale_id: '173-35-524|2026-09-12|398000', property_id: 'armls_export:6858721', parcel_number: '173-35-524', address: '4600 N 68th St #371', subdivision: 'Scottsdale Shadows',
      property_type: 'condo', distance_miles: 0.04, date: '2026-09-12', price: 398_000, square_feet: 1_210, bedrooms: 2, bathrooms: 2, year_built: 1974, similarity: 0.91,
      reasons: ['same subdivision', '0.04 mi', 'condo', 'sold 2 months before'], adjustments: [{ factor: 'living area', amount: 9_800 }, { factor: 'time', amount: 3_200 }],
      adjusted_price: 411_000, weight: 1, included: true,
    },
  ],
  model: { sales: 142, market: 'ZIP 85251', coefficients: [{ name: 'log living area', value: 0.71, meaning: '+0.71% a 1% larger home' }], r2: 0.83, monthly_trend: 0.004 },
};
const normalized: NormalizedProperty = {
  address: { street: '4600 N 68th St #372', city: 'Scottsdale', state: 'AZ', zip: '85251' },
  details: { bedrooms: 2, bathrooms: 2, square_feet: 1_260, lot_sqft: null, year_built: 1974, property_type: 'condo' },
  pricing: { list_price: 379_000, price_per_sqft: 326.98, value: 412_000, value_basis: 'comparable_sales', value_date: '2026-11-20' },
};
const inputs: UnderwritingInputs = {
  price: 379_000,
  rent: { monthly: 2_100, basis: 'rent_per_sqft', detail: '' },
  tax: { annual: 1_900, basis: 'effective_rate', detail: '', rate_of_value: 0.005 },
  hoa_monthly: 380,
  land_lease_monthly: null,
  market_trend: 'stable',
  assumptions: { vacancyRate: 0.07, maintenanceRate: 0.08, managementRate: 0.08, insuranceAnnual: 1800, downPaymentRate: 0.25, interestRate: 0.07, termYears: 30, closingCostRate: 0.03 },
};
const valuation: Valuation = {
  value: { value: 412_000, basis: 'comparable_sales', date: '2026-11-20', estimated: true, evidence: [] },
  appraisal,
  comparables: null,
  comparables_note: null,
  zip_trend: { trend: 'stable', recent_sales: 30, previous_sales: 28, recent_median_ppsf: 330, previous_median_ppsf: 328, change: 0.006 },
};

function quality(description: string): QualityInput {
  return {
    normalized,
    field_sources: {},
    valuation,
    underwriting: { inputs, result: underwrite(inputs) },
    facts: { sources: ['armls_export'], bathrooms_estimated: false, has_coordinates: true, sales_on_record: 1 },
    prose: { description, key_features: ['Built 1974'], investment_summary: '' },
  };
}

describe("the rules provider's value prose", () => {
  it('calls the value an estimate with its range and confidence, and says the asking price apart with list ÷ value', () => {
    expect(valueSentences(normalized.pricing, appraisal)).toEqual([
      'Its estimated value is $412,000 (80% range $380,000–$445,000, medium confidence; comparable-sales estimate of 2026-11-20).',
      'It is listed at $379,000, 8% under its estimated value.',
    ]);
    expect(valueSentences({ ...normalized.pricing, list_price: null }, appraisal)).toHaveLength(1);
    expect(valueSentences({ ...normalized.pricing, list_price: 450_000 }, appraisal)[1]).toBe('It is listed at $450,000, 9% over its estimated value.');
  });

  it('writes a value without an appraisal (stored before the automated valuation) with its basis and date only', () => {
    const legacy = { list_price: null, price_per_sqft: 209.47, value: 345_000, value_basis: 'assessor_full_cash_value' as const, value_date: '2023-01-01' };
    expect(valueSentences(legacy, undefined)).toEqual(['Its estimated value is $345,000 (unadjusted assessor full cash value of 2023-01-01).']);
  });

  it('passes the validator: the range, its level and list ÷ value are figures of the data', () => {
    const description = `Condominium at 4600 N 68th St #372, Scottsdale with 2 bedrooms, 2 bathrooms, 1,260 sq ft. ${valueSentences(normalized.pricing, appraisal).join(' ')}`;
    const v = validate(quality(description), now);
    expect(v.reasons.filter((r) => r.startsWith('mentions'))).toEqual([]);
    // A range the data does not have, or a wrong ratio, is caught.
    const wrong = validate(quality(description.replace('$445,000', '$465,000').replace('8% under', '12% under')), now);
    expect(wrong.reasons).toEqual(expect.arrayContaining(['mentions $465,000, a figure the data does not support', 'mentions 12%, a rate the data does not support']));
  });

  it("scores the appraisal's freshness and calls it an estimate", () => {
    const v = validate(quality('Condominium at 4600 N 68th St #372, Scottsdale with 2 bedrooms, 2 bathrooms.'), now);
    expect(v.reasons).toContain('value is an estimate (comparable sales)');
    expect(v.reasons.join(' ')).not.toMatch(/months old/);
  });
});

describe('the list summary of a valued property', () => {
  it('carries the range, confidence and list ÷ value of the appraisal', () => {
    expect(figuresSummary({ normalized, valuation, underwriting: { inputs, result: underwrite(inputs) } })).toMatchObject({
      value: 412_000, value_basis: 'comparable_sales', value_date: '2026-11-20', value_low: 380_000, value_high: 445_000, value_confidence: 'medium', list_to_value: 0.9199,
    });
    // The monthly cash flow the list shows is the underwriting's own.
    const result = underwrite(inputs);
    expect(result.cash_flow_monthly).not.toBeNull();
    expect(figuresSummary({ normalized, valuation, underwriting: { inputs, result } }).cash_flow_monthly).toBe(result.cash_flow_monthly);
    // Not listed: no ratio. Valued before the automated valuation: no range, and no ratio (its value may be the asking price).
    expect(figuresSummary({ normalized: { ...normalized, pricing: { ...normalized.pricing, list_price: null } }, valuation, underwriting: undefined })).toMatchObject({ list_to_value: null, value_low: 380_000 });
    const legacy = figuresSummary({ normalized: { ...normalized, pricing: { ...normalized.pricing, value: 379_000, value_basis: 'active_listing' } }, valuation: { ...valuation, appraisal: undefined }, underwriting: undefined });
    expect(legacy).toMatchObject({ value: 379_000, value_basis: 'active_listing', value_low: null, value_high: null, value_confidence: null, list_to_value: null });
  });

  it("says which of the analyst's saved terms the row's figures were computed with", () => {
    const underwriting = { inputs, result: underwrite(inputs) };
    const terms = { price: 290_000, down_payment_rate: 0.3 };
    expect(figuresSummary({ normalized, valuation, underwriting, underwriting_overrides: terms }).own_terms).toEqual(terms);
    // No terms, an empty set, or no underwriting to apply them to: the row used none of the analyst's.
    expect(figuresSummary({ normalized, valuation, underwriting }).own_terms).toBeNull();
    expect(figuresSummary({ normalized, valuation, underwriting, underwriting_overrides: {} }).own_terms).toBeNull();
    expect(figuresSummary({ normalized, valuation, underwriting: undefined, underwriting_overrides: terms }).own_terms).toBeNull();
  });

  it('stores the appraisal as its zod schema reads it back', () => {
    expect(appraisalSchema.parse(appraisal)).toEqual(appraisal);
    expect(() => appraisalSchema.parse({ ...appraisal, estimated: false })).toThrow();
    expect(() => appraisalSchema.parse({ ...appraisal, basis: 'active_listing' })).toThrow();
  });
});
