import { marketAppraiser } from '../../src/main/processing/accuracy-service.js';
import { runAccuracyStudy } from '../../src/shared/valuation/accuracy-study.js';
import { monthsBefore } from '../../src/shared/underwriting/stats.js';
import type { MarketSale } from '../../src/shared/valuation/types.js';
import { seededRandom } from '../support/clock.js';

const LAST_DAY = '2026-10-31';
const TYPES = ['single_family', 'single_family', 'condo', 'townhouse'];

/**
 * `n` market sales over Scottsdale-like ZIPs in 24 months: worth = $/sq ft by ZIP and age × size,
 * price = worth with ±10% noise, the assessor's FCV 0.85 × worth (never of the price: it predates the sale).
 */
function marketSales(n: number): MarketSale[] {
  const random = seededRandom(21);
  return Array.from({ length: n }, (_, i) => {
    const zip = `852${String(50 + (i % 12))}`;
    const sqft = 700 + Math.floor(random() * 2800);
    const year = 1960 + Math.floor(random() * 64);
    const perSqft = 300 + (i % 12) * 25 + (year - 1960) * 2;
    const worth = sqft * perSqft;
    const price = Math.round(worth * (0.9 + random() * 0.2));
    const date = monthsBefore(LAST_DAY, Math.floor(random() * 24));
    const parcel = `17${String(i).padStart(7, '0')}`;
    return {
      property_id: `armls_export:${i}`, parcel_number: parcel, address: `${i} N Bench Rd`, zip, city: 'Scottsdale',
      subdivision: `Bench ${i % 300}`, lat: 33.45 + random() * 0.2, lon: -111.95 + random() * 0.15,
      property_type: TYPES[i % TYPES.length]!, dwelling_style: null, square_feet: sqft, bedrooms: 1 + Math.floor(sqft / 700),
      bathrooms: 1 + Math.floor(sqft / 900), year_built: year, lot_size: null, pool: random() < 0.4, garage_spaces: 2,
      hoa_monthly: null, land_lease_monthly: null, interior_levels: 1, full_cash_value: Math.round(worth * 0.85), fcv_tax_year: 2026,
      sale_id: `${parcel}|${date}|${price}`, date, date_precision: 'day', price, sources: ['armls_export'],
    };
  });
}

/**
 * The accuracy report on `n` market sales (goal, issue #21: 10,000 in under 60 s): each valued
 * leave-one-out by the model as of the day before it sold, then the ratio statistics (with their
 * bootstrap intervals) and breakdowns, timed apart.
 */
export function benchAccuracyReport(n: number): void {
  const sales = marketSales(n);
  const started = performance.now();
  const report = runAccuracyStudy(sales, marketAppraiser(sales));
  const totalMs = performance.now() - started;
  const rows = new Map(report.sales.rows.map((r) => [r.id, r]));
  const statsStarted = performance.now();
  runAccuracyStudy(sales, (_subject, _asOf, id) => {
    const row = rows.get(id)!;
    return { value: row.value, low: row.low, high: row.high, basis: row.basis, confidence: row.confidence };
  });
  const statsMs = performance.now() - statsStarted;
  const { study } = report.sales;
  console.log(`Accuracy report: ${n.toLocaleString('en-US')} sales valued leave-one-out, ${study.valued.toLocaleString('en-US')} with a value`);
  console.log(`  all of it ${(totalMs / 1000).toFixed(1)} s (goal under 60 s), of which the statistics about ${(statsMs / 1000).toFixed(1)} s`);
  console.log(`  on this synthetic market (10% noise): median ratio ${study.median_ratio.value?.toFixed(3)}, COD ${study.cod.value?.toFixed(1)}, PRD ${study.prd.value?.toFixed(3)}`);
}
