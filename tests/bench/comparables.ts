import { SalesMarket } from '../../src/shared/valuation/avm.js';
import { syntheticMarket } from '../support/synthetic-market.js';

const TODAY = '2026-01-15';

/** The median of some numbers. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * The automated valuation of `n` properties (goal: under 60 s in all, issue #21) against a market
 * of `n / 2` validated sales over 24 months in 400 complexes: the model's fit and calibration
 * (once), then an appraisal of each property with its comparables and range. Three runs; the
 * median reported, with its ratio to the goal.
 */
export function benchComparables(n: number): void {
  const sales = syntheticMarket(Math.max(1000, Math.floor(n / 2)), { noise: 0.1, complexes: 400, months: 24, seed: 21 });
  const subjects = syntheticMarket(n, { noise: 0.1, complexes: 400, months: 24, seed: 22 }).map((s, i) => ({ ...s, property_id: `subject:${i}`, parcel_number: `900-00-${i}` }));
  const totals: number[] = [];
  const fits: number[] = [];
  let valued = 0;
  for (let run = 0; run < 3; run += 1) {
    const market = new SalesMarket(sales);
    const started = performance.now();
    market.appraise(subjects[0]!, TODAY);
    fits.push(performance.now() - started);
    valued = 0;
    for (const s of subjects) if (market.appraise(s, TODAY).value !== null) valued += 1;
    totals.push(performance.now() - started);
  }
  const total = median(totals) / 1000;
  console.log(`Valuation: ${n.toLocaleString('en-US')} properties against ${sales.length.toLocaleString('en-US')} sales: ${total.toFixed(1)} s (median of 3; goal under 60 s: ${(total / 60).toFixed(2)} of it), the model's fit and calibration ${(median(fits) / 1000).toFixed(1)} s, ${((median(totals) - median(fits)) / n).toFixed(2)} ms an appraisal, ${valued.toLocaleString('en-US')} valued`);
}
