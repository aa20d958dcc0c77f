import { describe, expect, it } from 'vitest';
import { MODEL_WEIGHT, SalesMarket } from '../../src/shared/valuation/avm.js';
import { appraiseExcluding } from '../../src/shared/valuation/steered-appraisal.js';
import type { AdjustedComparable, MarketSale, SimilarityFactors } from '../../src/shared/valuation/types.js';
import { UNKNOWN_DETAILS } from '../support/features.js';
import { syntheticMarket } from '../support/synthetic-market.js';

/**
 * The similarity each comparable shows (issue #23) is the model's own score: the product of the
 * documented factors (`SimilarityFactors`, avm.ts `similarity`), each exposed with the comparable,
 * and the one its weight in the value comes from. And a comparable left out by the analyst stays
 * listed, excluded, with no weight, the value being the model's without it.
 */

const DAYS_PER_MONTH = 30.436875;
const product = (f: SimilarityFactors) => f.location * f.type * f.size * f.age * f.recency * f.land_lease * f.evidence;

/** A condo sale in Scottsdale 85251, its facts overridden by `over`. */
function sale(n: number, over: Partial<MarketSale>): MarketSale {
  const base: MarketSale = {
    sale_id: `173-35-${500 + n}|2025-06-01|300000`,
    property_id: `armls_export:${n}`,
    parcel_number: `173-35-${500 + n}`,
    address: `${4600 + n} N 68th St`,
    zip: '85251',
    city: 'Scottsdale',
    subdivision: null,
    lat: 33.5,
    lon: -111.93,
    property_type: 'condo',
    dwelling_style: 'Attached',
    square_feet: 1000,
    bedrooms: 2,
    bathrooms: 2,
    year_built: 2000,
    ...UNKNOWN_DETAILS,
    date: '2025-06-01',
    date_precision: 'day',
    price: 300000,
    sources: ['armls_export'],
  };
  return { ...base, ...over };
}

/** Miles between two points (haversine on a 6,371 km sphere). */
function miles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return (2 * 6371 * Math.asin(Math.sqrt(a))) / 1.609344;
}

describe("a comparable's similarity", () => {
  // Three sales (too few for a market model: the $/sq ft of the most similar) and a listing under contract.
  const subject = sale(0, { sale_id: 'subject', subdivision: 'PAPAGO PARK VILLAS', year_built: 2000, square_feet: 1000 });
  const sameComplex = sale(1, { subdivision: 'Papago Park Villas', square_feet: 1200, year_built: 1990, date: '2025-04-01', lat: 33.501, lon: -111.931 });
  const away = sale(2, { property_type: 'townhouse', lat: 33.5072, lon: -111.93, date: '2025-08-15', square_feet: 900, year_built: 2005 });
  const leased = sale(3, { land_lease_monthly: 150, lat: 33.503, lon: -111.935, date: '2025-07-01' });
  const pending = sale(4, {
    sale_id: '173-35-504|2025-10-20|310000',
    date: '2025-10-20',
    price: 310000,
    lat: 33.502,
    lon: -111.932,
    land_lease_monthly: 0,
    listing: { list_date: '2025-08-01', original_list_price: 330000, list_price: 320000, under_contract_date: '2025-09-10' },
  });
  const asOf = '2025-09-30';
  const market = new SalesMarket([sameComplex, away, leased, pending]);
  const appraisal = market.appraise({ ...subject, land_lease_monthly: 0 }, asOf);
  const bySale = new Map(appraisal.comparables.map((c) => [c.sale_id, c]));
  const monthsApart = (day: string) => Math.abs(Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000 / DAYS_PER_MONTH;

  it('is the product of the documented factors, each shown with the comparable', () => {
    expect(appraisal.basis).toBe('area_sales');
    expect(appraisal.comparables).toHaveLength(4);
    for (const c of appraisal.comparables) {
      expect(c.similarity_factors).toBeDefined();
      expect(c.similarity).toBeCloseTo(product(c.similarity_factors!), 2);
      expect(c.lat).not.toBeNull();
    }
    // Same complex: location 1; a condo like the subject; 1,200 against 1,000 sq ft; ten years older; four months before.
    expect(bySale.get(sameComplex.sale_id)!.similarity_factors).toEqual({
      location: 1,
      type: 1,
      size: round(Math.exp(-Math.abs(Math.log(1000 / 1200)) / 0.6)),
      age: round(Math.exp(-10 / 20)),
      recency: round(Math.exp(-monthsApart('2025-04-01') / 12)),
      land_lease: 1,
      evidence: 1,
    });
    // Outside the complex, 0.5 mi north: e^(−miles/0.35); a townhouse against a condo, 0.5.
    const far = bySale.get(away.sale_id)!;
    const distance = miles(33.5, -111.93, 33.5072, -111.93);
    expect(far.distance_miles).toBeCloseTo(distance, 2);
    expect(far.similarity_factors!.location).toBeCloseTo(Math.exp(-distance / 0.35), 3);
    expect(far.similarity_factors!.type).toBe(0.5);
    expect(far.similarity_factors!.age).toBe(round(Math.exp(-5 / 20)));
    // On leased land, the subject not: 0.4.
    expect(bySale.get(leased.sale_id)!.similarity_factors!.land_lease).toBe(0.4);
    // Under contract on the day valued, not yet sold: an asking price, 0.7.
    const contract = bySale.get(pending.sale_id)!;
    expect(contract.kind).toBe('pending');
    expect(contract.similarity_factors!.evidence).toBe(0.7);
    expect(contract.similarity_factors!.recency).toBe(round(Math.exp(-monthsApart('2025-09-10') / 12)));
  });

  it('is what its weight in the value comes from: its share of the similarities and the model’s own weight', () => {
    const total = appraisal.comparables.reduce((a, c) => a + c.similarity, 0);
    for (const c of appraisal.comparables) expect(c.weight).toBeCloseTo(c.similarity / (total + MODEL_WEIGHT), 2);
    // Ranked by it, most alike first.
    const ranked = appraisal.comparables.map((c) => c.similarity);
    expect(ranked).toEqual([...ranked].sort((a, b) => b - a));
  });
});

describe('a comparable the analyst excludes', () => {
  const sales = syntheticMarket(400, { noise: 0.08, seed: 5 });
  const market = new SalesMarket(sales);
  const subject = { ...sales[sales.length - 1]!, property_id: 'subject', sale_id: 'subject' };
  const asOf = '2026-01-15';
  const base = market.appraise(subject, asOf);
  const lead: AdjustedComparable = base.comparables[0]!;

  it('stays listed, excluded and without weight, the value being the model’s without it', () => {
    expect(base.basis).toBe('comparable_sales');
    const steered = appraiseExcluding(market, subject, asOf, [lead.sale_id]);
    const without = market.appraise(subject, asOf, { excludedSaleIds: [lead.sale_id] });
    expect({ value: steered.value, low: steered.low, high: steered.high, basis: steered.basis }).toEqual({ value: without.value, low: without.low, high: without.high, basis: without.basis });
    expect(steered.comparables.filter((c) => c.included)).toEqual(without.comparables);
    expect(steered.comparables.at(-1)).toEqual({ ...lead, included: false, weight: 0 });
    expect(steered.evidence.at(-1)).toContain(`1 comparable excluded by the analyst, valued without it`);
    // Nothing excluded: the model's appraisal as is.
    expect(appraiseExcluding(market, subject, asOf, [])).toEqual(base);
  });

  it('leaves the value to the model’s own rule when too few comparables are left', () => {
    const steered = appraiseExcluding(market, subject, asOf, sales.map((s) => s.sale_id));
    // No sale left to compare with: the model says so and gives no value (no full cash value either).
    expect(steered.value).toBeNull();
    expect(steered.evidence.join(' ')).toMatch(/no validated sale in its complex, within 3 miles or in its ZIP/);
    expect(steered.comparables.filter((c) => c.included)).toEqual([]);
    expect(steered.comparables.filter((c) => !c.included).map((c) => c.sale_id)).toEqual(base.comparables.map((c) => c.sale_id));
  });
});

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
