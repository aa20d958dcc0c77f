import { z } from 'zod';
import type { RawPropertyData } from '../../shared/schemas/raw-property.js';
import type { SaleRecord } from '../../shared/underwriting/value.js';
import { NON_MARKET_FLAGS } from '../../shared/valuation/sales-validation.js';
import { rawPropertyType } from './property-type.js';

/** One raw record of a property (any source) as valuation reads it. */
export interface ValuationRecord {
  _id: string;
  source: string;
  data: RawPropertyData;
  collected_at: Date;
}

/**
 * What the value, the comparables and the expenses need, read from the raw fields every
 * collector agreed on (`latitude`, `longitude`, `sales`, `full_cash_value`, `limited_property_value`,
 * `valuation_year`, `assessment_ratio`, `tax_area_code`, `annual_taxes`, `taxes_year`,
 * `hoa_monthly`, `land_lease_monthly`, `listing_status`): the first record that has a field wins,
 * sales are pooled from every record.
 */
export interface ValuationFacts {
  listPrice: number | null;
  listingActive: boolean;
  listedOn: string | null;
  sales: SaleRecord[];
  fullCashValue: number | null;
  valuationYear: number | null;
  latitude: number | null;
  longitude: number | null;
  limitedPropertyValue: number | null;
  assessmentRatio: number | null;
  taxAreaCode: string | null;
  annualTaxes: number | null;
  taxesYear: number | null;
  hoaMonthly: number | null;
  /** Recurring fees besides the HOA dues, dollars a month (ARMLS `other_fees_monthly`). */
  otherFeesMonthly: number | null;
  /** A special assessment paid in instalments: dollars a month and its last day (`YYYY-MM-DD`), when known. */
  specialAssessment: { monthly: number; end: string | null } | null;
  landLeaseMonthly: number | null;
}

const saleSchema = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), price: z.number().positive(), source: z.string().optional(), flags: z.array(z.string()).optional() });

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * Listing statuses that still offer the home for sale: ARMLS `A` Active, RESO Active Under Contract, `CCBS`/`UCB` (under
 * contract, still taking backups), Coming Soon. A listing without a status is a live page of the
 * Phoenix MLS site, which the collector only searches for active listings. The collectors write
 * `listing_status` in the vocabulary of `collectors/listing-fields.ts` (`coming_soon`).
 */
const ACTIVE_STATUS = /^(a|active|coming[ _]soon|ccbs|ucb|active[ _]under[ _]contract)$/i;

export function isActiveListing(data: RawPropertyData): boolean {
  const status = str(data.listing_status);
  return status === null || ACTIVE_STATUS.test(status);
}

/**
 * The sales a record carries: `sales` entries that are well formed and carry no non-market flag
 * (a quitclaim, a fractional share: NON_MARKET_FLAGS, kept in the record's history only), or the
 * seed's `sale_price`/`sale_date`.
 */
export function salesOf(data: RawPropertyData, source: string): SaleRecord[] {
  if (Array.isArray(data.sales)) {
    return data.sales.flatMap((s) => {
      const parsed = saleSchema.safeParse(s);
      if (!parsed.success || (parsed.data.flags ?? []).some((f) => Object.hasOwn(NON_MARKET_FLAGS, f))) return [];
      return [{ date: parsed.data.date, price: parsed.data.price, source: parsed.data.source ?? source }];
    });
  }
  const price = num(data.sale_price);
  const date = str(data.sale_date);
  return price !== null && price > 0 && date !== null && /^\d{4}-\d{2}-\d{2}$/.test(date) ? [{ date, price, source }] : [];
}

function first<T>(records: readonly ValuationRecord[], read: (d: RawPropertyData) => T | null): T | null {
  for (const r of records) {
    const v = read(r.data);
    if (v !== null) return v;
  }
  return null;
}

/** A stored `special_assessment` (`{monthly, end}`, as the ARMLS import writes it), or null. */
function specialAssessmentOf(v: unknown): { monthly: number; end: string | null } | null {
  const o = v as { monthly?: unknown; end?: unknown } | null;
  const monthly = num(o?.monthly);
  if (monthly === null || monthly <= 0) return null;
  return { monthly, end: str(o?.end) };
}

/**
 * Recurring charges besides HOA dues and land lease, dollars a month, on `today` (`YYYY-MM-DD`):
 * the other recurring fees plus a special assessment whose last instalment is not past (an
 * owner pays it until then: ARMLS `Special Assessment` with `Payment End Date`). Null when
 * neither is known. One-time fees are never counted.
 */
export function otherFeesMonthly(f: Pick<ValuationFacts, 'otherFeesMonthly' | 'specialAssessment'>, today: string): number | null {
  const assessment = f.specialAssessment && (f.specialAssessment.end === null || f.specialAssessment.end >= today) ? f.specialAssessment.monthly : null;
  if (f.otherFeesMonthly === null && assessment === null) return null;
  return Math.round(((f.otherFeesMonthly ?? 0) + (assessment ?? 0)) * 100) / 100;
}

/** The facts of one property from its records (the record processed first, then its counterparts). */
export function valuationFacts(records: readonly ValuationRecord[]): ValuationFacts {
  const listed = records.filter((r) => num(r.data.list_price) !== null);
  // An active listing wins over a closed or expired one of the same property.
  const listing = listed.find((r) => isActiveListing(r.data)) ?? listed[0] ?? null;
  const seen = new Set<string>();
  const sales: SaleRecord[] = [];
  for (const r of records) {
    for (const s of salesOf(r.data, r.source)) {
      const key = `${s.date}|${s.price}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sales.push(s);
    }
  }
  return {
    listPrice: listing ? num(listing.data.list_price) : null,
    listingActive: listing ? isActiveListing(listing.data) : false,
    listedOn: listing ? listing.collected_at.toISOString().slice(0, 10) : null,
    sales,
    fullCashValue: first(records, (d) => num(d.full_cash_value)),
    valuationYear: first(records, (d) => num(d.valuation_year)),
    latitude: first(records, (d) => (num(d.latitude) !== null && num(d.longitude) !== null ? num(d.latitude) : null)),
    longitude: first(records, (d) => (num(d.latitude) !== null && num(d.longitude) !== null ? num(d.longitude) : null)),
    limitedPropertyValue: first(records, (d) => num(d.limited_property_value)),
    assessmentRatio: first(records, (d) => num(d.assessment_ratio)),
    taxAreaCode: first(records, (d) => str(d.tax_area_code)),
    annualTaxes: first(records, (d) => num(d.annual_taxes)),
    taxesYear: first(records, (d) => num(d.taxes_year)),
    hoaMonthly: first(records, (d) => num(d.hoa_monthly)),
    otherFeesMonthly: first(records, (d) => num(d.other_fees_monthly)),
    specialAssessment: first(records, (d) => specialAssessmentOf(d.special_assessment)),
    landLeaseMonthly: first(records, (d) => num(d.land_lease_monthly)),
  };
}

/**
 * Types whose "lot" is not land of their own to measure (see `sourceDisagreements`): a condo's or
 * townhouse's share of the common land, and a mobile home's rented park space (its land is its
 * own only once affixed, A.R.S. 42-15203, as the lot plausibility check says).
 */
const SHARED_LAND_TYPES: ReadonlySet<string> = new Set(['condo', 'townhouse', 'mobile_home']);

/**
 * Where the property's records disagree on what both measure: living area by more than 10%, year
 * built by more than one year, lot by more than 25% (an MLS lot is often rounded acres), bedrooms
 * or bathrooms by one or more. Each disagreement is a sentence naming the sources and values.
 */
export function sourceDisagreements(records: readonly ValuationRecord[]): string[] {
  const checks: [field: string, label: string, differ: (a: number, b: number) => boolean][] = [
    ['square_feet', 'living area', (a, b) => Math.abs(a - b) > 0.1 * Math.min(a, b)],
    ['year_built', 'year built', (a, b) => Math.abs(a - b) > 1],
    ['lot_size', 'lot', (a, b) => Math.abs(a - b) > 0.25 * Math.min(a, b)],
    ['bedrooms', 'bedrooms', (a, b) => Math.abs(a - b) >= 1],
    ['bathrooms', 'bathrooms', (a, b) => Math.abs(a - b) >= 1],
  ];
  const out: string[] = [];
  // A condo's or townhouse's "lot" is its share of the common land, which each source reckons its
  // own way (the assessor's 73 sq ft against ARMLS's 738 for one real unit), and a mobile home's
  // is often the park's space: not a measurement to hold two sources to.
  const sharedLand = records.some((r) => SHARED_LAND_TYPES.has(rawPropertyType(r.data) ?? ''));
  for (const [field, label, differ] of checks) {
    if (field === 'lot_size' && sharedLand) continue;
    const seen = records.flatMap((r) => {
      const v = num(r.data[field]);
      // Estimated bathrooms (assessor fixtures ÷ 3) are not a measurement to disagree with.
      return v === null || (field === 'bathrooms' && r.data.bathrooms_estimated === true) ? [] : [{ source: r.source, v }];
    });
    for (let i = 0; i < seen.length; i += 1) {
      const other = seen.slice(i + 1).find((o) => o.source !== seen[i]!.source && differ(seen[i]!.v, o.v));
      if (other) {
        out.push(`${label}: ${seen[i]!.source} ${seen[i]!.v} vs ${other.source} ${other.v}`);
        break;
      }
    }
  }
  return out;
}
