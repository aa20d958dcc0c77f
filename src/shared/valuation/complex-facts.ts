import { subdivisionKey } from './subdivision-key.js';
import type { PropertyFeatures } from './types.js';

/**
 * Facts that belong to a complex (a condominium or townhouse community) rather than to one unit:
 * whether it stands on leased land (and what the lease costs a month) and its HOA dues. A record
 * that leaves one unknown is read with the complex's: the median of what its other records state,
 * when at least `MIN_KNOWN` of them state it (ARMLS listings of one complex often leave the land
 * lease blank on one unit and state it on the next: Casa del Monte, 4525 N 66th St, Scottsdale, on
 * Salt River Pima–Maricopa land, states $347–$427 a month on four units and nothing on a fifth).
 * These are facts of the property, stable over the months a study spans, not prices: reading them
 * from a later record of the complex is not hindsight of a sale.
 */
export interface ComplexFacts {
  /** Dollars a month of the land lease (0 = fee land), or null when too few records state it. */
  land_lease_monthly: number | null;
  /** Dollars a month of HOA dues, or null. */
  hoa_monthly: number | null;
}

/** Records of a complex that must state a fact before it is read as the complex's. */
export const MIN_KNOWN = 2;

type Facts = Pick<PropertyFeatures, 'subdivision' | 'land_lease_monthly' | 'hoa_monthly'>;

/** The complex facts of every complex (by `subdivisionKey`) from the records of its units. */
export function complexFactsOf(records: readonly Facts[]): Map<string, ComplexFacts> {
  const leases = new Map<string, number[]>();
  const dues = new Map<string, number[]>();
  for (const r of records) {
    const key = subdivisionKey(r.subdivision);
    if (!key) continue;
    if (r.land_lease_monthly !== null && r.land_lease_monthly >= 0) push(leases, key, r.land_lease_monthly);
    if (r.hoa_monthly !== null && r.hoa_monthly >= 0) push(dues, key, r.hoa_monthly);
  }
  const out = new Map<string, ComplexFacts>();
  for (const key of new Set([...leases.keys(), ...dues.keys()])) {
    out.set(key, { land_lease_monthly: medianOf(leases.get(key)), hoa_monthly: medianOf(dues.get(key)) });
  }
  return out;
}

/**
 * `p` with its unknown complex facts read from its complex (`facts`, from `complexFactsOf`), and
 * the names of the facts so filled (empty when none: `p` itself is returned).
 */
export function withComplexFacts<T extends Facts>(p: T, facts: ReadonlyMap<string, ComplexFacts>): { features: T; filled: string[] } {
  if (p.land_lease_monthly !== null && p.hoa_monthly !== null) return { features: p, filled: [] };
  const key = subdivisionKey(p.subdivision);
  const complex = key ? facts.get(key) : undefined;
  if (!complex) return { features: p, filled: [] };
  const filled: string[] = [];
  let out = p;
  if (p.land_lease_monthly === null && complex.land_lease_monthly !== null) {
    out = { ...out, land_lease_monthly: complex.land_lease_monthly };
    filled.push('land lease');
  }
  if (p.hoa_monthly === null && complex.hoa_monthly !== null) {
    out = { ...out, hoa_monthly: complex.hoa_monthly };
    filled.push('HOA dues');
  }
  return { features: out, filled };
}

function medianOf(values: number[] | undefined): number | null {
  if (!values || values.length < MIN_KNOWN) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
