import { describe, expect, it } from 'vitest';
import { accuracyTable } from '../../src/main/cli/commands/accuracy.js';
import { runAccuracyStudy } from '../../src/shared/valuation/accuracy-study.js';
import type { MarketSale } from '../../src/shared/valuation/types.js';

const PRICES = [100_000, 150_000, 200_000, 250_000, 300_000, 400_000, 500_000, 600_000, 800_000, 1_000_000];
const ERRORS = [0.1, -0.1, 0.05, -0.05, 0, -0.05, 0.08, -0.15, -0.05, 0.2];

function sale(i: number): MarketSale {
  return {
    property_id: `armls_export:${i}`, parcel_number: null, address: null, zip: i < 7 ? '85251' : '85250', city: null, subdivision: null, lat: null, lon: null,
    property_type: 'condo', dwelling_style: null, square_feet: 1000, bedrooms: 2, bathrooms: 2, year_built: 1990, lot_size: null, pool: null, garage_spaces: null,
    hoa_monthly: null, land_lease_monthly: null, interior_levels: null, full_cash_value: null, fcv_tax_year: null,
    sale_id: `s${i}`, date: `2025-0${1 + (i % 9)}-15`, date_precision: 'day', price: PRICES[i]!, sources: ['armls_export'],
  };
}

describe('the accuracy table', () => {
  it('prints each measure with its value, interval, IAAO target and pass/fail, then the breakdowns', () => {
    const sales = PRICES.map((_, i) => sale(i));
    // The ratio-study table: median 0.975, COD 8.5128, PRD 0.98412, PRB +0.0153, 80% within ±10%.
    const report = runAccuracyStudy(sales, (subject) => {
      const i = Number(subject.property_id.split(':')[1]);
      const value = PRICES[i]! * (1 + ERRORS[i]!);
      return { value, low: value * 0.9, high: value * 1.1, basis: 'comparable_sales', confidence: 'high' };
    });
    const text = accuracyTable(report).join('\n');
    expect(text).toMatch(/^Median ratio \(level\) +0\.975 +0\.900–1\.100 +0\.90–1\.10 +pass$/m);
    expect(text).toMatch(/^COD \(uniformity\) +8\.5 +\d+\.\d–\d+\.\d +≤ 15\.0 \(≤ 10\.0 for newer or homogeneous homes\) +pass$/m);
    expect(text).toMatch(/^PRD \(vertical equity\) +0\.984 +\d\.\d{3}–\d\.\d{3} +0\.98–1\.03 +pass$/m);
    expect(text).toMatch(/^PRB \(vertical equity\) +\+0\.015 +−0\.065 to \+0\.096 +−0\.05 to \+0\.05 +pass$/m);
    expect(text).toMatch(/^Within ±10% of the price +80\.0% +\d+\.\d%–\d+\.\d%$/m);
    expect(text).toMatch(/^80% range held the price +70\.0% +\d+\.\d%–\d+\.\d% +0\.70–0\.90 \(an 80% range\) +pass$/m);
    expect(text).toContain('10 of 10 sales valued; 10 with an 80% range.');
    expect(text).toMatch(/^ZIP 85251 +7 +100\.0% /m);
    expect(text).toContain('By price quartile:');
    expect(text).toMatch(/^Q4: \$600,000–\$1,000,000 +3 /m);
  });
});
