import { Matrix, QrDecomposition } from 'ml-matrix';
import { estimateRent, rentsAsCondo, type MeasuredRate, type RentBasis, type RentEstimate, type RentSettings } from '../underwriting/rent.js';
import type { Adjustment, PropertyFeatures } from './types.js';

/**
 * Market rent the way the value is reached: from rent comparables (leased homes like the subject,
 * near it, leased lately, adjusted toward it), else HUD's SAFMR table, else $/sq ft by type.
 * Money in dollars a month, areas in sq ft, days `YYYY-MM-DD`. Pure: the pipeline, the what-if
 * and the accuracy report run this same code.
 */

/** One executed lease: an ARMLS rental row leased (status Closed or Leased), its price the monthly rent. */
export interface RentComparableLease extends PropertyFeatures {
  /** Stable id of the lease (`<property id>|<lease day>`). */
  lease_id: string;
  /** The lease day (ARMLS `Close of Escrow Date` of the rental listing). */
  date: string;
  /** Dollars a month. */
  rent: number;
  /** The source that recorded it (`armls_export`). */
  source: string;
}

/** What the rent model reads of a subject: any PropertyFeatures will do. */
export type RentSubjectFeatures = Pick<PropertyFeatures, 'property_id' | 'zip' | 'lat' | 'lon' | 'property_type' | 'square_feet' | 'bedrooms' | 'bathrooms'>;

/** A lease as the estimate used it: why it was chosen, its adjustments and its share. */
export interface RentComparable {
  lease_id: string;
  property_id: string;
  address: string | null;
  property_type: string | null;
  distance_miles: number | null;
  date: string;
  /** Dollars a month, as leased. */
  rent: number;
  square_feet: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  /** 0–1: how alike it is (1 = same place, size, rooms and day). */
  similarity: number;
  /** Why it was chosen (`0.4 mi`, `condo`, `leased 3 months before`). */
  reasons: string[];
  /** `living area`, `time`: dollars a month added to its rent (+ when the subject has more). */
  adjustments: Adjustment[];
  /** Dollars a month: rent + the adjustments. */
  adjusted_rent: number;
  /** Its share of the estimate (weights sum to 1). */
  weight: number;
}

/**
 * A monthly rent: an estimate, with its basis, the day it is as of and, where measured, its 80%
 * range (`low`, `high`: where about 8 in 10 such homes lease).
 * - `rent_comparables`: the comparables' adjusted rents; the range their spread's 80% prediction
 *   interval;
 * - `safmr` / `zip_bedrooms`: the ZIP × bedrooms table (HUD's SAFMR is a floor: rent.ts); no range;
 * - `rent_per_sqft`: living area × the rate of the type, measured from the leases (the range from
 *   their 10th and 90th percentile rates) or the documented default (no range);
 * - `what_if`: the analyst's own (set by the underwriting's overrides, never here).
 */
export interface RentAppraisal {
  monthly: number | null;
  low: number | null;
  high: number | null;
  basis: RentBasis | null;
  detail: string;
  date: string | null;
  comparables: RentComparable[];
}

/** Model choices (not rules of a standard): the comparables' bounds and how many to take. */
const MAX_LEASE_AGE_DAYS = 730;
const MAX_DISTANCE_MILES = 3;
/** A lease without coordinates, in the subject's ZIP, counts as this far. */
const SAME_ZIP_MILES = 1.5;
const MAX_SIZE_RATIO = 1.5;
const MAX_LOG_SIZE_RATIO = Math.log(MAX_SIZE_RATIO);
const MAX_ROOM_DIFFERENCE = 1;
const MAX_COMPARABLES = 8;
const MIN_COMPARABLES = 3;
/** Leases a class needs before its size elasticity and trend are fitted. */
const MIN_FIT_LEASES = 12;
/** An elasticity of rent to living area outside this says the fit mixes markets, not size. */
const ELASTICITY_BOUNDS = [0.1, 1.2] as const;
/** A trend steeper than 3% a month says the same. */
const MAX_MONTHLY_TREND = 0.03;
/** Pseudo-observations of the class's residual spread pooled into the comparables' spread. */
const PRIOR_DF = 2;
/** Leases a type's measured $/sq ft needs, and its range. */
const MIN_RATE_LEASES = 3;
const MIN_RATE_RANGE_LEASES = 5;

const DAY_MS = 86_400_000;
const DAYS_PER_MONTH = 30.4375;
/** Earth's mean radius, miles (IUGG). */
const EARTH_RADIUS_MILES = 3958.8;

/**
 * Student's t at the 90th percentile by degrees of freedom 1–7 (NIST/SEMATECH e-Handbook of
 * Statistical Methods, §1.3.6.7.2, upper-tail 0.10): the half-width of an 80% interval in
 * standard errors when the spread is measured from that few comparables.
 */
const T90 = [3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415] as const;

/** Days since 1970-01-01 of a `YYYY-MM-DD`, remembered (a market holds few distinct days). */
const DAY_NUMBERS = new Map<string, number>();
function dayNumber(date: string): number {
  let n = DAY_NUMBERS.get(date);
  if (n === undefined) {
    n = Date.parse(`${date}T00:00:00Z`) / DAY_MS;
    DAY_NUMBERS.set(date, n);
  }
  return n;
}
const daysBetween = (a: string, b: string) => dayNumber(b) - dayNumber(a);
const round5 = (v: number) => Math.round(v / 5) * 5;
const dollars = (v: number) => `$${Math.round(v).toLocaleString('en-US')}`;
const signedDollars = (v: number) => `${v >= 0 ? '+' : '−'}${dollars(Math.abs(v))}`;

/** Great-circle distance in miles (haversine). */
function miles(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The market a home rents in: condos and townhouses together, houses, mobile homes, multi-family; null when the type is unknown. */
function rentClass(type: string | null): string | null {
  if (type === null) return null;
  if (rentsAsCondo(type)) return 'attached';
  return type === 'single_family' ? 'house' : type;
}

const CLASS_WORDS: Record<string, string> = { attached: 'condo and townhouse', house: 'house' };
const classWord = (c: string | null) => (c === null ? 'any-type' : (CLASS_WORDS[c] ?? c.replace('_', ' ')));

/** The q-quantile (0–1) of sorted values, linear between order statistics. */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * The size elasticity and monthly trend of one class's rents, fitted by least squares (QR, ml-matrix)
 * of ln rent on ln living area and the months before the day: rent ∝ sq ft^elasticity × e^(trend × months).
 */
interface RentFit {
  leases: number;
  elasticity: number;
  /** Fraction a month (0.004 = +0.4%/month); 0 when the leases span under 3 months. */
  trend: number;
  /** Standard deviation of the fit's residuals, natural log (0.1 ≈ ±10%). */
  residualSd: number;
}

function fitRents(leases: readonly RentComparableLease[], asOf: string): RentFit | null {
  const usable = leases.filter((l) => l.square_feet !== null && l.square_feet > 0);
  if (usable.length < MIN_FIT_LEASES) return null;
  const months = usable.map((l) => daysBetween(l.date, asOf) / DAYS_PER_MONTH);
  const withTime = Math.max(...months) - Math.min(...months) >= 3;
  const x = new Matrix(usable.map((l, i) => (withTime ? [1, Math.log(l.square_feet!), months[i]!] : [1, Math.log(l.square_feet!)])));
  const qr = new QrDecomposition(x);
  if (!qr.isFullRank()) return null;
  const y = Matrix.columnVector(usable.map((l) => Math.log(l.rent)));
  const b = qr.solve(y).to1DArray();
  const residuals = y.sub(x.mmul(Matrix.columnVector(b))).to1DArray();
  const residualSd = Math.sqrt(residuals.reduce((a, r) => a + r * r, 0) / (usable.length - b.length));
  const elasticity = b[1]!;
  // The coefficient of "months before" is minus the trend.
  const trend = withTime ? -b[2]! : 0;
  if (!(elasticity >= ELASTICITY_BOUNDS[0] && elasticity <= ELASTICITY_BOUNDS[1])) return null;
  return { leases: usable.length, elasticity, trend: Math.abs(trend) <= MAX_MONTHLY_TREND ? trend : 0, residualSd };
}

/** Grid cell of a point: 0.06° is 4.1 mi of latitude and 3.5 mi of longitude at Phoenix, so the 3×3 cells around a point hold every lease within 3 mi. */
const CELL_DEGREES = 0.06;
const cellKey = (lat: number, lon: number) => `${Math.floor(lat / CELL_DEGREES)}:${Math.floor(lon / CELL_DEGREES)}`;

/** A lease with what the search compares, computed once. */
interface IndexedLease {
  lease: RentComparableLease;
  day: number;
  /** ln sq ft; NaN without a living area. */
  logSqft: number;
  cls: string | null;
}

interface Candidate {
  lease: RentComparableLease;
  distance: number | null;
  dissimilarity: number;
  /** Days from the lease to the day of the estimate. */
  age: number;
}

/** Why a comparable was chosen, in the analyst's words. */
function reasonsOf(c: Candidate): string[] {
  const months = Math.round(c.age / DAYS_PER_MONTH);
  return [
    c.distance === null ? `same ZIP ${c.lease.zip} (no coordinates)` : `${c.distance.toFixed(1)} mi`,
    c.lease.property_type ?? 'type unknown',
    `${c.lease.square_feet} sq ft`,
    months === 0 ? 'leased this month' : `leased ${months} month${months === 1 ? '' : 's'} before`,
  ];
}

/**
 * The executed leases of the analyst's area, searchable as of any day: what rent is estimated from.
 * Build once per batch (the leases are indexed by place and the fits cached by class and day).
 */
export class RentMarket {
  private readonly byCell = new Map<string, IndexedLease[]>();
  private readonly byZip = new Map<string, IndexedLease[]>();
  /** The leases of a ZIP without coordinates. */
  private readonly byZipUnplaced = new Map<string, IndexedLease[]>();
  /** Fits and lease rates by class, ZIP and day. */
  private readonly memo = new Map<string, unknown>();
  /** Properties with leases of their own. */
  private readonly leased = new Set<string>();

  constructor(readonly leases: readonly RentComparableLease[]) {
    const add = (map: Map<string, IndexedLease[]>, key: string, entry: IndexedLease) => (map.get(key) ?? map.set(key, []).get(key)!).push(entry);
    for (const lease of leases) {
      this.leased.add(lease.property_id);
      const entry = { lease, day: dayNumber(lease.date), logSqft: lease.square_feet !== null && lease.square_feet > 0 ? Math.log(lease.square_feet) : NaN, cls: rentClass(lease.property_type) };
      const placed = lease.lat !== null && lease.lon !== null;
      if (placed) add(this.byCell, cellKey(lease.lat!, lease.lon!), entry);
      if (lease.zip !== null) add(this.byZip, lease.zip, entry);
      if (lease.zip !== null && !placed) add(this.byZipUnplaced, lease.zip, entry);
    }
  }

  /**
   * The monthly rent of `subject` as of `asOf` (`YYYY-MM-DD`), from the leases of that day or before
   * (within two years), never the subject's own: rent comparables when at least three are alike
   * enough (same rent class, within 3 mi or the same ZIP, living area within ×1.5, bedrooms and
   * bathrooms within one), else the table of `fallback` by ZIP and bedrooms, else living area × the
   * type's $/sq ft (measured from the leases when at least three of its class exist, else the
   * settings' default). `monthly: null` only when the subject has neither bedrooms in the table
   * nor a living area.
   */
  estimate(subject: RentSubjectFeatures, asOf: string, fallback: RentSettings): RentAppraisal {
    const cls = rentClass(subject.property_type);
    const candidates = this.candidates(subject, asOf);
    if (candidates.length >= MIN_COMPARABLES) {
      const fit = this.cached(`fit|${cls}|${asOf}`, subject, () => fitRents(this.leasesOf(cls, subject, asOf), asOf));
      return this.fromComparables(subject, asOf, candidates, fit);
    }

    const why =
      this.leases.length === 0
        ? 'no ARMLS lease rows imported for rent comparables'
        : subject.square_feet === null
        ? 'no rent comparables: the living area is unknown'
        : `no rent comparables (${candidates.length} ${classWord(cls)} lease${candidates.length === 1 ? '' : 's'} within ${MAX_DISTANCE_MILES} mi and two years, living area ×${MAX_SIZE_RATIO}, rooms ±${MAX_ROOM_DIFFERENCE}; ${MIN_COMPARABLES} needed)`;
    const p = { zip: subject.zip, bedrooms: subject.bedrooms, square_feet: subject.square_feet, property_type: subject.property_type };
    const rate = this.cached(`rate|${cls}|${subject.zip}|${asOf}`, subject, () => measuredRate(this.leasesOf(cls, subject, asOf), subject.zip, cls));
    const rent = estimateRent(p, fallback, rate);
    const measured = rate !== undefined && rent.basis === 'rent_per_sqft';
    const date = rent.basis === 'safmr' || rent.basis === 'zip_bedrooms' ? fallback.table.date : measured ? asOf : null;
    return { monthly: rent.monthly, low: rent.low ?? null, high: rent.high ?? null, basis: rent.basis, detail: `${why}; ${rent.detail}`, date: rent.monthly === null ? null : date, comparables: [] };
  }

  /** The (at most MAX_COMPARABLES) leases most alike, most alike first, with their dissimilarity (0 = the same home on the same day). */
  private candidates(subject: RentSubjectFeatures, asOf: string): Candidate[] {
    if (subject.square_feet === null || subject.square_feet <= 0) return [];
    const cls = rentClass(subject.property_type);
    const zip = subject.zip;
    // With coordinates: the leases of the 3×3 cells around, and those of the ZIP without any; without: the ZIP's.
    const pools: IndexedLease[][] = [];
    if (subject.lat !== null && subject.lon !== null) {
      const [r, c] = cellKey(subject.lat, subject.lon).split(':').map(Number) as [number, number];
      for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) pools.push(this.byCell.get(`${r + dr}:${c + dc}`) ?? []);
      if (zip) pools.push(this.byZipUnplaced.get(zip) ?? []);
    } else if (zip) pools.push(this.byZip.get(zip) ?? []);
    const asOfDay = dayNumber(asOf);
    const subjectLog = Math.log(subject.square_feet);
    const found: Candidate[] = [];
    for (const pool of pools) for (const e of pool) {
      const age = asOfDay - e.day;
      if (age < 0 || age > MAX_LEASE_AGE_DAYS) continue;
      // NaN (no living area) fails the test too.
      const sizeLog = Math.abs(subjectLog - e.logSqft);
      if (!(sizeLog <= MAX_LOG_SIZE_RATIO)) continue;
      if (cls !== null && e.cls !== cls) continue;
      const lease = e.lease;
      if (lease.property_id === subject.property_id) continue;
      const beds = subject.bedrooms !== null && lease.bedrooms !== null ? Math.abs(subject.bedrooms - lease.bedrooms) : null;
      const baths = subject.bathrooms !== null && lease.bathrooms !== null ? Math.abs(subject.bathrooms - lease.bathrooms) : null;
      if ((beds ?? 0) > MAX_ROOM_DIFFERENCE || (baths ?? 0) > MAX_ROOM_DIFFERENCE) continue;
      // One mile, a quarter more living area, two rooms, a year or another type of its class weigh about alike.
      const apart = sizeLog / Math.log(1.25) + 0.5 * (beds ?? 1) + 0.5 * (baths ?? 1) + age / 365 + (lease.property_type === subject.property_type ? 0 : 0.5);
      if (found.length === MAX_COMPARABLES && apart >= found[MAX_COMPARABLES - 1]!.dissimilarity) continue;
      const distance = subject.lat !== null && subject.lon !== null && lease.lat !== null && lease.lon !== null ? miles(subject.lat, subject.lon, lease.lat, lease.lon) : null;
      if (distance === null ? lease.zip !== zip : distance > MAX_DISTANCE_MILES) continue;
      const dissimilarity = (distance ?? SAME_ZIP_MILES) + apart;
      if (found.length === MAX_COMPARABLES && dissimilarity >= found[MAX_COMPARABLES - 1]!.dissimilarity) continue;
      // Keep the most alike, in order (an insertion into at most MAX_COMPARABLES).
      let at = found.length;
      while (at > 0 && found[at - 1]!.dissimilarity > dissimilarity) at -= 1;
      found.splice(at, 0, { lease, distance, dissimilarity, age });
      if (found.length > MAX_COMPARABLES) found.pop();
    }
    return found;
  }

  /** The leases of a rent class (any, for null) known on the day, within two years, less the subject's own. */
  private leasesOf(cls: string | null, subject: RentSubjectFeatures, asOf: string): RentComparableLease[] {
    return this.leases.filter(
      (l) => l.property_id !== subject.property_id && l.date <= asOf && daysBetween(l.date, asOf) <= MAX_LEASE_AGE_DAYS && (cls === null || rentClass(l.property_type) === cls),
    );
  }

  /** `compute()`, kept by `key` when the subject has no leases of its own (which it must not see); recomputed when it has. */
  private cached<T>(key: string, subject: RentSubjectFeatures, compute: () => T): T {
    if (this.leased.has(subject.property_id)) return compute();
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  private fromComparables(subject: RentSubjectFeatures, asOf: string, chosen: Candidate[], fit: RentFit | null): RentAppraisal {
    const sqft = subject.square_feet!;
    const similarity = chosen.map((c) => 1 / (1 + c.dissimilarity));
    const total = similarity.reduce((a, b) => a + b, 0);
    const weights = similarity.map((s) => s / total);
    const exact: number[] = [];
    const comparables: RentComparable[] = chosen.map((c, i) => {
      const l = c.lease;
      const adjustments: Adjustment[] = [];
      let adjusted = l.rent;
      if (fit) {
        const sized = l.rent * (sqft / l.square_feet!) ** fit.elasticity;
        if (Math.round(sized - l.rent) !== 0) adjustments.push({ factor: 'living area', amount: Math.round(sized - l.rent) });
        const timed = sized * Math.exp((fit.trend * daysBetween(l.date, asOf)) / DAYS_PER_MONTH);
        if (Math.round(timed - sized) !== 0) adjustments.push({ factor: 'time', amount: Math.round(timed - sized) });
        adjusted = timed;
      }
      exact.push(adjusted);
      return {
        lease_id: l.lease_id,
        property_id: l.property_id,
        address: l.address,
        property_type: l.property_type,
        distance_miles: c.distance === null ? null : Math.round(c.distance * 100) / 100,
        date: l.date,
        rent: l.rent,
        square_feet: l.square_feet,
        bedrooms: l.bedrooms,
        bathrooms: l.bathrooms,
        similarity: Math.round(similarity[i]! * 1000) / 1000,
        reasons: reasonsOf(c),
        adjustments,
        adjusted_rent: Math.round(adjusted),
        weight: weights[i]!,
      };
    });
    const logs = exact.map(Math.log);
    const center = logs.reduce((a, v, i) => a + weights[i]! * v, 0);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    // The comparables' spread, pooled with PRIOR_DF observations of the class's residual spread
    // when fitted, so that a few identical rents do not make a range of zero width.
    const squares = logs.reduce((a, v) => a + (v - mean) ** 2, 0);
    const sd = fit ? Math.sqrt((squares + PRIOR_DF * fit.residualSd ** 2) / (logs.length - 1 + PRIOR_DF)) : Math.sqrt(squares / (logs.length - 1));
    // An 80% prediction interval for one more lease like these: t(k−1) × sd × √(1 + Σw²).
    const half = T90[Math.min(logs.length - 1, T90.length) - 1]! * sd * Math.sqrt(1 + weights.reduce((a, w) => a + w * w, 0));
    const monthly = round5(Math.exp(center));
    const adjustment = fit
      ? `adjusted by rent ∝ sq ft^${fit.elasticity.toFixed(2)}${Math.abs(fit.trend) >= 0.00005 ? ` and a trend of ${(fit.trend * 100).toFixed(2)}%/month` : ''} (fitted on ${fit.leases} ${classWord(rentClass(subject.property_type))} leases)`
      : `not adjusted for size (fewer than ${MIN_FIT_LEASES} leases of the type, or no size effect, to fit it from)`;
    return {
      monthly,
      low: round5(Math.exp(center - half)),
      high: round5(Math.exp(center + half)),
      basis: 'rent_comparables',
      detail: `estimate from ${comparables.length} rent comparables (${comparables.map((c) => dollars(c.rent)).join(', ')}), ${adjustment}; 80% range from their spread${fit ? ' (pooled with the fit\'s)' : ''}${
        comparables.some((c) => c.adjustments.length) ? `; adjustments ${comparables.map((c) => c.adjustments.map((a) => `${a.factor} ${signedDollars(a.amount)}`).join(' ') || '0').join(', ')}` : ''
      }`,
      date: asOf,
      comparables,
    };
  }
}

/**
 * The monthly $/sq ft of a class's leases: the median (with the 10th and 90th percentile from
 * five leases on) of the subject's ZIP when it has five or more, else of all the class's leases;
 * undefined when fewer than three.
 */
function measuredRate(leases: readonly RentComparableLease[], zip: string | null, cls: string | null): MeasuredRate | undefined {
  const sized = leases.filter((l) => l.square_feet !== null && l.square_feet > 0);
  const inZip = zip === null ? [] : sized.filter((l) => l.zip === zip);
  const pool = inZip.length >= MIN_RATE_RANGE_LEASES ? inZip : sized;
  if (pool.length < MIN_RATE_LEASES) return undefined;
  const rates = pool.map((l) => l.rent / l.square_feet!).sort((a, b) => a - b);
  const ranged = rates.length >= MIN_RATE_RANGE_LEASES;
  return {
    rate: Math.round(quantile(rates, 0.5) * 100) / 100,
    source: `median of ${pool.length} ${classWord(cls)} leases${pool === inZip ? ` in ZIP ${zip}` : ''} of the last two years`,
    low: ranged ? quantile(rates, 0.1) : null,
    high: ranged ? quantile(rates, 0.9) : null,
  };
}

/** The stored form of a rent appraisal (the underwriting's `inputs.rent`). */
export function rentInputOf(a: RentAppraisal): RentEstimate {
  return { monthly: a.monthly, low: a.low, high: a.high, basis: a.basis, detail: a.detail };
}
