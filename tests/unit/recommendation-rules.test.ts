import { describe, expect, it } from 'vitest';
import { RULES, recommendationRulesOf, underwrite, type UnderwritingInputs } from '../../src/shared/underwriting/underwrite.js';

const inputs: UnderwritingInputs = {
  price: 200_000,
  price_basis: 'asking_price',
  value: 200_000,
  rent: { monthly: 2000, basis: 'what_if', detail: 'typed' },
  tax: { annual: 2000, basis: 'listing_taxes', detail: 'stated by the listing' },
  hoa_monthly: null,
  land_lease_monthly: null,
  market_trend: 'stable',
  assumptions: { vacancyRate: 0.05, maintenanceRate: 0.05, managementRate: 0.08, insuranceAnnual: 1200, downPaymentRate: 0.25, interestRate: 0.07, termYears: 30, closingCostRate: 0.03 },
} as unknown as UnderwritingInputs;

describe('the buy/watch/pass thresholds as settings', () => {
  it('defaults, typed in percent, equal the rules the pipeline used before', () => {
    expect(recommendationRulesOf({ buyCapRatePercent: 6.5, buyDscr: 1.25, buyCashOnCashPercent: 8, watchCapRatePercent: 5, watchDscr: 1 })).toEqual(RULES);
  });

  it('a stricter buy cap rate turns a buy candidate into a watch, and says the threshold in percent', () => {
    expect(underwrite(inputs).recommendation).toBe('buy candidate');
    const strict = underwrite(inputs, { ...RULES, buyCapRate: 0.2 });
    expect(strict.recommendation).toBe('watch');
    expect(strict.reasons[0]).toMatch(/< 20\.0%$/);
  });
});
