/**
 * Monthly market rent by table and by rate, the fallbacks of the rent model
 * (`src/shared/valuation/rent-model.ts`, which first looks for rent comparables), in order:
 *
 * 1. `safmr` / `zip_bedrooms`: the rent of a ZIP × bedrooms table: the analyst's
 *    (`RENT_BY_ZIP_BEDROOMS`, basis `zip_bedrooms`, typically HUD's Small Area Fair Market Rents
 *    imported with `phoenix-re rents import`), else the shipped HUD FY2026 SAFMR table of the
 *    Phoenix metro (`assets/rents/`, basis `safmr`, said to be a floor: SAFMR_FLOOR_NOTE). Above
 *    four bedrooms, 15% of the four-bedroom rent is added per extra bedroom (HUD's rule for FMRs
 *    of larger units);
 * 2. `rent_per_sqft`: living area × the ZIP's monthly rent per sq ft (`RENT_PER_SQFT_BY_ZIP`), else
 *    the rate of the property type (a condo or townhouse: `RENT_PER_SQFT_CONDO`; any other home:
 *    `RENT_PER_SQFT_DEFAULT`), kept within [`minRent`, `maxRent`] and rounded to $5.
 *
 * Bedrooms are not published by the assessor, so an assessor-only record uses the second.
 * `rent_comparables` is the model's (rent-model.ts); `what_if` the analyst's own rent.
 */
export const RENT_BASES = ['rent_comparables', 'safmr', 'zip_bedrooms', 'rent_per_sqft', 'what_if'] as const;
export type RentBasis = (typeof RENT_BASES)[number];

/** A rent as the underwriting stores it (`inputs.rent`): an estimate, with its basis and, when measured, its 80% range. */
export interface RentEstimate {
  /** Dollars a month, or null when no rule applies. */
  monthly: number | null;
  /** The 80% range, dollars a month, when the basis measures one (rent comparables, lease rates); absent or null otherwise. */
  low?: number | null;
  high?: number | null;
  basis: RentBasis | null;
  detail: string;
}

/**
 * The HUD definition of a Fair Market Rent, which a rent from the SAFMR table carries: 24 CFR
 * 888.113 sets FMRs at the 40th percentile of gross rents (rent plus tenant-paid utilities) of
 * standard-quality units.
 */
export const SAFMR_FLOOR_NOTE =
  "a floor, not the expected rent: HUD's Fair Market Rent is the 40th-percentile gross rent (rent plus tenant-paid utilities) of standard-quality units (24 CFR 888.113)";

/** A ZIP × bedrooms rent table and what it is. */
export interface RentTable {
  /** `{ "85031": { "0": 1200, "1": 1350, "2": 1600, "3": 2100, "4": 2500 } }`, dollars a month. */
  rents: Record<string, Record<string, number>>;
  /** `safmr` for HUD's table as shipped; `zip_bedrooms` for the analyst's `RENT_BY_ZIP_BEDROOMS`. */
  basis: 'safmr' | 'zip_bedrooms';
  /** What the table is, for the detail (`HUD FY2026 Small Area FMR, Phoenix metro`). */
  source: string;
  /** The day its rents are as of (`2025-10-01`, the fiscal year's start), when known. */
  date: string | null;
}

export interface RentSettings {
  table: RentTable;
  /** Dollars a month per sq ft of living area, by ZIP code (`RENT_PER_SQFT_BY_ZIP`). */
  rentPerSqftByZip: Record<string, number>;
  /** Dollars a month per sq ft for a house (`RENT_PER_SQFT_DEFAULT`) and for a condo or townhouse (`RENT_PER_SQFT_CONDO`). */
  rentPerSqftDefault: number;
  rentPerSqftCondo: number;
  /** Bounds of a per-sq-ft rent, dollars a month. */
  minRent: number;
  maxRent: number;
}

/** What the fallbacks read of a property. `property_type` is ours (`condo`, `single_family`, …). */
export interface RentSubject {
  zip: string | null;
  bedrooms: number | null;
  square_feet: number | null;
  property_type?: string | null;
}

/** HUD: each bedroom above four adds 15% of the four-bedroom FMR. */
export const EXTRA_BEDROOM_FACTOR = 0.15;

/** Property types rented by the condo rate: homes sharing walls and common land. */
const ATTACHED_TYPES: ReadonlySet<string> = new Set(['condo', 'townhouse']);

/** Whether a property type rents as a condo (attached) rather than a house. */
export function rentsAsCondo(propertyType: string | null | undefined): boolean {
  return propertyType != null && ATTACHED_TYPES.has(propertyType);
}

/** The table's rent for the ZIP and bedrooms (15% per bedroom above four), or null when it has none. */
export function tableRent(p: RentSubject, table: RentTable): RentEstimate | null {
  const rents = p.zip ? table.rents[p.zip] : undefined;
  if (!rents || p.bedrooms === null || p.bedrooms < 0) return null;
  const beds = Math.floor(p.bedrooms);
  // The analyst's table is what `rents import` saved, HUD's SAFMR: a floor too, whichever year it is.
  const note = table.basis === 'safmr' ? ` (${table.source}): ${SAFMR_FLOOR_NOTE}` : ` (${table.source}, as imported; if it is HUD's SAFMR, as \`rents import\` saves it, it is ${SAFMR_FLOOR_NOTE})`;
  const direct = rents[String(beds)];
  if (direct !== undefined) return { monthly: direct, low: null, high: null, basis: table.basis, detail: `${beds}-bedroom rent for ZIP ${p.zip}${note}` };
  const four = rents['4'];
  if (beds > 4 && four !== undefined) {
    const monthly = Math.round(four * (1 + EXTRA_BEDROOM_FACTOR * (beds - 4)));
    return { monthly, low: null, high: null, basis: table.basis, detail: `4-bedroom rent for ZIP ${p.zip} + 15% per bedroom above four${note}` };
  }
  return null;
}

/** A per-sq-ft rate and where it comes from, when the caller measured one (the rent model's lease rates). */
export interface MeasuredRate {
  /** Dollars a month per sq ft. */
  rate: number;
  /** `median of 14 condo leases`. */
  source: string;
  /** The rates at the 10th and 90th percentile, for the 80% range; null when too few to say. */
  low: number | null;
  high: number | null;
}

/**
 * Living area × a monthly rate per sq ft: `measured` when given, else the ZIP's rate, else the
 * type's default; kept within [minRent, maxRent] and rounded to $5. Null without a living area.
 */
export function perSqftRent(p: RentSubject, s: RentSettings, why: string, measured?: MeasuredRate): RentEstimate | null {
  if (p.square_feet === null || p.square_feet <= 0) return null;
  const sqft = p.square_feet;
  const round = (v: number) => Math.round(Math.min(s.maxRent, Math.max(s.minRent, v)) / 5) * 5;
  if (measured) {
    return {
      monthly: round(sqft * measured.rate),
      low: measured.low === null ? null : round(sqft * measured.low),
      high: measured.high === null ? null : round(sqft * measured.high),
      basis: 'rent_per_sqft',
      detail: `${why}: ${sqft} sq ft × $${measured.rate.toFixed(2)}/sq ft (${measured.source})`,
    };
  }
  const zipRate = p.zip ? s.rentPerSqftByZip[p.zip] : undefined;
  const condo = rentsAsCondo(p.property_type);
  const rate = zipRate ?? (condo ? s.rentPerSqftCondo : s.rentPerSqftDefault);
  const source = zipRate !== undefined ? `ZIP ${p.zip} rate` : condo ? 'default condo rate' : 'default rate';
  return { monthly: round(sqft * rate), low: null, high: null, basis: 'rent_per_sqft', detail: `${why}: ${sqft} sq ft × $${rate}/sq ft (${source})` };
}

/** Why the table gave no rent, for the per-sq-ft detail. */
function noTableRent(p: RentSubject, table: RentTable): string {
  if (p.bedrooms === null) return 'bedrooms unknown';
  return p.zip && table.rents[p.zip] ? `no ${Math.floor(p.bedrooms)}-bedroom rent for ZIP ${p.zip}` : `no bedroom rents for ZIP ${p.zip ?? '(none)'}`;
}

/**
 * The fallback rent of a property: the table's rent, else living area × the rate (the type's
 * default, or `measured`); `monthly: null` when it has neither bedrooms with a table rent nor a
 * living area. An estimate, never a lease.
 */
export function estimateRent(p: RentSubject, s: RentSettings, measured?: MeasuredRate): RentEstimate {
  const fromTable = tableRent(p, s.table);
  if (fromTable) return fromTable;
  return perSqftRent(p, s, noTableRent(p, s.table), measured) ?? { monthly: null, low: null, high: null, basis: null, detail: 'no bedrooms with a ZIP rent and no living area' };
}
