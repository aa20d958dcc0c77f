import { seededRandom } from './clock.js';
import type { MarketSale } from '../../src/shared/valuation/types.js';

/** A seeded PRNG (mulberry32, `clock.ts`), so every synthetic market is the same on every run. */
export const seeded = seededRandom;

/** A standard normal draw (Box–Muller). */
export function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Community names of the synthetic complexes (`<name> ESTATES PHASE 2`). */
const COMMUNITY_NAMES = ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA', 'ECHO', 'FOXTROT', 'GOLF', 'HOTEL', 'INDIA', 'JULIET', 'KILO', 'LIMA', 'MIKE', 'NOVEMBER', 'OSCAR', 'PAPA'];

/** The true market of `syntheticMarket`: log price = these coefficients · facts + complex effect + noise. */
export const TRUE_MARKET = {
  intercept: Math.log(300),
  logSqft: 1,
  perBedroom: -0.03,
  perDecadeOld: -0.05,
  pool: 0.08,
  /** A month's appreciation, in log price. */
  monthly: 0.005,
};

/** How `syntheticMarket` draws its market. */
export interface SyntheticMarketOptions {
  /** A sale's own noise, sd of log price. */
  noise: number;
  /** Subdivisions (default 12). */
  complexes?: number;
  /** Months of sales from 2024-01-01 (default 24). */
  months?: number;
  seed?: number;
  /** Sd of the log of each complex's size scale (default 0: every complex draws sizes alike). */
  complexSizeSpread?: number;
  /** Size elasticity of price within a complex (default TRUE_MARKET.logSqft, the same as between complexes). */
  withinLogSqft?: number;
}

/**
 * `n` sales of single-family homes in `complexes` subdivisions of one ZIP over `months` months
 * from 2024-01-01, each priced by TRUE_MARKET × its complex's effect (log-normal, sd 0.25) × a
 * sale's own noise (log-normal, sd `noise`): a market whose truth is known, to hold the model to.
 */
export function syntheticMarket(n: number, opts: SyntheticMarketOptions): MarketSale[] {
  const random = seeded(opts.seed ?? 1);
  const complexes = opts.complexes ?? 12;
  const months = opts.months ?? 24;
  const effect = Array.from({ length: complexes }, () => 0.25 * normal(random));
  const centre = Array.from({ length: complexes }, () => ({ lat: 33.45 + random() * 0.1, lon: -112.1 + random() * 0.1 }));
  // Each complex's homes scaled by e^(spread × a normal draw): complexes of small and of large homes.
  const scale = Array.from({ length: complexes }, () => (opts.complexSizeSpread ? Math.exp(opts.complexSizeSpread * normal(random)) : 1));
  const within = opts.withinLogSqft ?? TRUE_MARKET.logSqft;
  const sales: MarketSale[] = [];
  for (let i = 0; i < n; i += 1) {
    const c = Math.floor(random() * complexes);
    const sqft = Math.round((900 + random() * 2100) * scale[c]!);
    // The complex's typical size: its homes are priced by it at TRUE_MARKET.logSqft, by their own difference from it at `within`.
    const typical = Math.log(1950 * scale[c]!);
    const bedrooms = Math.max(1, Math.round(sqft / 650 + normal(random) * 0.5));
    const year = 1960 + Math.floor(random() * 60);
    const pool = random() < 0.3;
    const dayIndex = Math.floor(random() * months * 30.4);
    const date = new Date(Date.UTC(2024, 0, 1) + dayIndex * 86_400_000).toISOString().slice(0, 10);
    const age = 2024 + dayIndex / 365 - year;
    const log =
      TRUE_MARKET.intercept + TRUE_MARKET.logSqft * typical + within * (Math.log(sqft) - typical) + TRUE_MARKET.perBedroom * bedrooms + (TRUE_MARKET.perDecadeOld * age) / 10 + (pool ? TRUE_MARKET.pool : 0) + TRUE_MARKET.monthly * (dayIndex / 30.436875) + effect[c]! + opts.noise * normal(random);
    const price = Math.round(Math.exp(log) / 100) * 100;
    const parcel = `100-${String(c).padStart(2, '0')}-${String(i).padStart(3, '0')}`;
    sales.push({
      sale_id: `${parcel}|${date}|${price}`,
      property_id: `synthetic:${i}`,
      parcel_number: parcel,
      address: `${1000 + i} E Synthetic Way`,
      zip: '85000',
      city: 'Phoenix',
      subdivision: `${COMMUNITY_NAMES[c % COMMUNITY_NAMES.length]} ${Math.floor(c / COMMUNITY_NAMES.length) || ''} ESTATES PHASE 2`,
      lat: centre[c]!.lat + (random() - 0.5) * 0.004,
      lon: centre[c]!.lon + (random() - 0.5) * 0.004,
      property_type: 'single_family',
      dwelling_style: 'Detached',
      square_feet: sqft,
      bedrooms,
      bathrooms: Math.max(1, Math.round(bedrooms * 0.8 * 2) / 2),
      year_built: year,
      lot_size: null,
      pool,
      garage_spaces: 2,
      hoa_monthly: null,
      land_lease_monthly: null,
      interior_levels: 1,
      full_cash_value: null,
      fcv_tax_year: null,
      date,
      date_precision: 'day',
      price,
      sources: ['synthetic'],
    });
  }
  return sales;
}
