import { describe, expect, it } from 'vitest';
import { complexFactsOf, withComplexFacts } from '../../src/shared/valuation/complex-facts.js';

/** Casa del Monte, 4525 N 66th St, Scottsdale: real land-lease and HOA figures of the shared ARMLS export. */
const CASA_DEL_MONTE = [
  { subdivision: 'CASA DEL MONTE', land_lease_monthly: 347, hoa_monthly: 763 },
  { subdivision: 'CASA DEL MONTE PHASE 3 AMD', land_lease_monthly: 354, hoa_monthly: 703 },
  { subdivision: 'CASA DEL MONTE', land_lease_monthly: 373, hoa_monthly: 740 },
  { subdivision: 'CASA DEL MONTE PHASE 2 AMD', land_lease_monthly: 427, hoa_monthly: 943 },
];

describe('complex facts', () => {
  it("reads a unit's unstated land lease as its complex's median, and says so", () => {
    const facts = complexFactsOf(CASA_DEL_MONTE);
    const unit65 = { subdivision: 'CASA DEL MONTE PHASE 2 AMD', land_lease_monthly: null, hoa_monthly: 1369 };
    const { features, filled } = withComplexFacts(unit65, facts);
    expect(features.land_lease_monthly).toBe((354 + 373) / 2);
    expect(features.hoa_monthly).toBe(1369); // stated: never replaced
    expect(filled).toEqual(['land lease']);
  });

  it('leaves a fact unknown when fewer than two records of the complex state it, or the home has no complex', () => {
    const facts = complexFactsOf([{ subdivision: 'PAVOREAL', land_lease_monthly: 0, hoa_monthly: null }]);
    const unit = { subdivision: 'PAVOREAL', land_lease_monthly: null, hoa_monthly: null };
    expect(withComplexFacts(unit, facts)).toEqual({ features: unit, filled: [] });
    const house = { subdivision: null, land_lease_monthly: null, hoa_monthly: null };
    expect(withComplexFacts(house, complexFactsOf(CASA_DEL_MONTE)).filled).toEqual([]);
  });
});
