import { ComparablesIndex } from '../../src/main/processing/comparables-index.js';
import { findComparables, KM_PER_MILE, type CompSale, type NearbySales } from '../../src/shared/underwriting/comparables.js';
import { monthsBefore } from '../../src/shared/underwriting/stats.js';
import { seededRandom } from '../support/clock.js';

const TODAY = '2026-11-29';
const TYPES = ['single_family', 'single_family', 'single_family', 'condo', 'townhouse'];

/** `n` sold properties spread over the Phoenix metro (33.3–33.8 N, 112.5–111.8 W), sold in the last 24 months. */
function soldProperties(n: number): CompSale[] {
  const random = seededRandom(7);
  return Array.from({ length: n }, (_, i) => {
    const sqft = 900 + Math.floor(random() * 2600);
    return {
      property_id: `maricopa_api:${i}`,
      parcel_number: String(i),
      address: `${i} W Bench St`,
      zip: `850${String(10 + (i % 80))}`,
      lat: 33.3 + random() * 0.5,
      lon: -112.5 + random() * 0.7,
      date: monthsBefore(TODAY, Math.floor(random() * 24)),
      price: Math.round(sqft * (150 + random() * 200)),
      square_feet: sqft,
      year_built: 1950 + Math.floor(random() * 75),
      property_type: TYPES[i % TYPES.length]!,
      source: 'maricopa_api',
    };
  });
}

/** The same search without an index: every sale, equirectangular distance (fast, fine at this scale). */
function scan(sales: readonly CompSale[]): NearbySales {
  return (lat, lon, radius, accept, limit) => {
    const cos = Math.cos((lat * Math.PI) / 180);
    const found: { sale: CompSale; distance_miles: number }[] = [];
    for (const s of sales) {
      const dy = (s.lat! - lat) * 111.195;
      const dx = (s.lon! - lon) * 111.195 * cos;
      const d = Math.sqrt(dx * dx + dy * dy) / KM_PER_MILE;
      if (d <= radius && accept(s)) found.push({ sale: s, distance_miles: d });
    }
    return found.sort((a, b) => a.distance_miles - b.distance_miles).slice(0, limit);
  };
}

/**
 * Comparables for every one of `n` properties against `n` sales (goal: under 30 s in all, under
 * 5 ms each), with the k-d tree (`kdbush` + `geokdbush`), against a scan of every sale on a sample.
 */
export function benchComparables(n: number): void {
  const sales = soldProperties(n);
  const started = performance.now();
  const index = new ComparablesIndex(sales);
  const buildMs = performance.now() - started;
  const times: number[] = [];
  const steps = [0, 0, 0, 0, 0];
  let estimated = 0;
  const allStarted = performance.now();
  for (const s of sales) {
    const t0 = performance.now();
    const r = findComparables({ property_id: s.property_id, parcel_number: s.parcel_number, lat: s.lat!, lon: s.lon!, square_feet: s.square_feet, year_built: s.year_built, property_type: s.property_type }, index.nearby, TODAY);
    times.push(performance.now() - t0);
    steps[r.step] = (steps[r.step] ?? 0) + 1;
    if (r.estimate !== null) estimated += 1;
  }
  const allMs = performance.now() - allStarted;
  const sorted = times.sort((a, b) => a - b);
  const sample = sales.slice(0, 200);
  const linear = scan(sales);
  const scanStarted = performance.now();
  for (const s of sample) findComparables({ property_id: s.property_id, parcel_number: s.parcel_number, lat: s.lat!, lon: s.lon!, square_feet: s.square_feet, year_built: s.year_built, property_type: s.property_type }, linear, TODAY);
  const scanEach = (performance.now() - scanStarted) / sample.length;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const p99 = sorted[Math.floor(sorted.length * 0.99)]!;
  console.log(`comparables (${n.toLocaleString('en-US')} properties, ${n.toLocaleString('en-US')} sales, k-d tree):`);
  console.log(`  index built in ${buildMs.toFixed(0)} ms; all ${n.toLocaleString('en-US')} searched in ${(allMs / 1000).toFixed(1)} s (goal < 30 s)`);
  console.log(`  each: median ${median.toFixed(2)} ms, 99th percentile ${p99.toFixed(2)} ms (goal < 5 ms); a scan of every sale: ${scanEach.toFixed(1)} ms each (${(scanEach / median).toFixed(0)}× the median)`);
  console.log(`  widening step used: ${steps.slice(1).map((c, i) => `${i + 1}: ${c}`).join(', ')}; an estimate for ${((estimated / n) * 100).toFixed(0)}%`);
}
