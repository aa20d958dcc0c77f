import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import { normalizeApn } from './apn.js';
import type { ParcelPayload } from './payload.js';
import { RECORDING_LAG_DAYS } from '../../../shared/valuation/sales-validation.js';

export const MARICOPA_SOURCE = 'maricopa_api' as const;

/** A number from the assessor's strings: trims padding; `"na"`, `""` and `null` are none. */
export function assessorNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/,/g, '');
  if (text === '' || /^n\/?a$/i.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** `MM/DD/YYYY` to `YYYY-MM-DD`; anything else is none. */
export function assessorDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value.trim());
  return match ? `${match[3]}-${match[1]}-${match[2]}` : null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = value.trim();
  return t === '' || /^n\/?a$/i.test(t) ? null : t;
}

/**
 * `AssessmentRatioPercentage` as a fraction. Despite its name the assessor sends a fraction
 * (`"0.1000"` for the 10% of classes 3.1 and 4.2); a value above 1 is read as a percent.
 */
export function assessmentRatio(value: unknown): number | null {
  const n = assessorNumber(value);
  if (n === null || n <= 0) return null;
  return n > 1 ? n / 100 : n;
}

/** `Geo.lat` / `Geo.long` in degrees, both or neither (the assessor sends null for many parcels). */
function coordinates(geo: ParcelPayload['Geo']): [number | null, number | null] {
  const lat = assessorNumber(geo?.lat);
  const lon = assessorNumber(geo?.long);
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return [null, null];
  return [lat, lon];
}

/**
 * `PropertyUseCode` as the four-digit text the assessor writes (`"0131"`); one sent as a number
 * has lost its leading zeros and gets them back (`735` is `"0735"`, Condominiums).
 */
export function useCodeText(value: unknown): string | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 9999 ? String(value).padStart(4, '0') : null;
  return text(value);
}

/** The owner is withheld when flagged `Redacted` or published as `"NA"` with no name. */
export function isOwnerRedacted(owner: ParcelPayload['Owner']): boolean {
  if (!owner) return true;
  return owner.Redacted === true || text(owner.Ownership) === null;
}

/** The payload as stored: the base64 sketches dropped (large, and not data we use). */
export function withoutSketches(payload: Record<string, unknown>): Record<string, unknown> {
  const { Sketches: _sketches, ...rest } = payload;
  return rest;
}

/**
 * Bathrooms estimated from the assessor's plumbing fixture count: fixtures ÷ 3 (a full bathroom
 * has three fixtures: toilet, basin, tub or shower), rounded to the nearest half, at least a half
 * bathroom. An estimate, and the record says so (`bathrooms_estimated`); the rule is the usual
 * reading of the count (../shared/SERVICES.md). A count of 0 or none is unknown, not zero
 * bathrooms: the assessor does not count fixtures on apartment and commercial parcels and sends
 * `BathFixtures: 0` there (real answers: 0377 apartments, 3740 warehouses).
 */
export function bathroomsFromFixtures(fixtures: number | null): number | null {
  if (fixtures === null || fixtures <= 0) return null;
  return Math.max(0.5, Math.round((fixtures / 3) * 2) / 2);
}

/**
 * A measure the assessor writes as 0 (or blank) when it has none: living area (`LivableSpace`,
 * `0.00` on apartment and commercial parcels in its Parcel layer), construction year (`"    "`
 * or 0 when unknown), lot size, fixture count. Zero or less is unknown (null), never a measured
 * zero.
 */
export function assessorMeasure(value: unknown): number | null {
  const n = assessorNumber(value);
  return n === null || n <= 0 ? null : n;
}

/**
 * Whether the residential data describes a dwelling the assessor measured: it has a living area.
 * On apartment and commercial parcels (real answers: 0377 with 185,582 sq ft of land, 3740
 * warehouses) `ResidentialPropertyData` still comes, with `LivableSpace: null`, `Pool: false`,
 * `NumberOfGarages: null` and no patios: defaults, not observations.
 */
function describesDwelling(residential: ParcelPayload['ResidentialPropertyData']): boolean {
  return assessorMeasure(residential?.LivableSpace) !== null;
}

/**
 * `Pool` as the assessor writes it: the pool's area in sq ft (`"336"`), `false` for none. An area
 * of 0 or one we cannot read is unknown, and so is anything on a parcel whose residential data
 * describes no dwelling (`describesDwelling`).
 */
function poolOf(residential: ParcelPayload['ResidentialPropertyData']): { pool: boolean | null; pool_area_sqft: number | null } {
  const pool = residential?.Pool;
  if (pool === undefined || pool === null || !describesDwelling(residential)) return { pool: null, pool_area_sqft: null };
  if (typeof pool === 'boolean') return { pool, pool_area_sqft: null };
  const area = assessorMeasure(pool);
  return { pool: area === null ? null : true, pool_area_sqft: area };
}

/** One sale of the assessor's record, as `data.sales` holds it (dates `YYYY-MM-DD`, price in dollars). */
export interface AssessorSale {
  date: string;
  price: number;
  date_precision: 'day' | 'month';
  flags: string[];
}

/**
 * The owner's last sale: `SalePrice` in dollars dated by `SaleDate`, or null when there is none:
 * no price, a price of 0 or less (a transfer recorded without consideration says nothing of
 * value), or no readable day. A deed alone is not a sale either: the real answers of transfers by
 * deed without a sale (501-79-677 `DeedType: "SD"`, 501-92-824 `"00"`, 501-93-353 `"AF"`) carry
 * `DeedDate` and `DeedType` with `SalePrice: null`, so only `SalePrice`/`SaleDate` make a sale;
 * `DeedDate` stays `deed_date`.
 *
 * - `date_precision` `month` when the day is the 1st: `SaleDate` is the Affidavit of Property
 *   Value's "Date of Sale (Month / Year)" (ADOR form 82162, item 11), which the assessor writes
 *   as the 1st of the month (every one of the real answers: 11/01/2017, 07/01/2009, 01/01/2021,
 *   10/01/2018, 06/01/2016, 02/01/2015, 09/01/2012; 173-35-524's 04/01/2021 closed 2021-04-06
 *   on ARMLS); another day is a day.
 * - `flags` from `DeedType` (deedTypeFlags) when the deed is the sale's own: recorded in the
 *   sale's month or up to RECORDING_LAG_DAYS (45, shared/valuation/sales-validation.ts) after it
 *   (real answers: sale 02/2015, warranty deed recorded 02/12/2015, 509-11-455; sale 10/2018,
 *   deed 11/02/2018, 501-97-020), or undated. `MostCurrentDeed` is the owner's
 *   latest deed, which may be a later transfer without a sale (into a trust, by quitclaim): it
 *   says nothing of an earlier sale.
 */
export function lastSale(owner: ParcelPayload['Owner']): AssessorSale | null {
  const price = assessorNumber(owner?.SalePrice);
  const date = assessorDate(owner?.SaleDate);
  if (price === null || price <= 0 || date === null) return null;
  const precision = date.endsWith('-01') ? 'month' : 'day';
  const deedDate = assessorDate(owner?.DeedDate);
  const own = deedDate === null || deedOfSale(date, precision, deedDate);
  return { date, price, date_precision: precision, flags: own ? deedTypeFlags(owner?.DeedType) : [] };
}

/** Whether a deed recorded on `deedDate` can be the one of a sale dated `date`: from its day (or month) to RECORDING_LAG_DAYS after. */
function deedOfSale(date: string, precision: 'day' | 'month', deedDate: string): boolean {
  const day = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
  const last = precision === 'month' ? Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0) / 86_400_000 : day(date);
  return day(deedDate) >= day(date) && day(deedDate) <= last + RECORDING_LAG_DAYS;
}

/**
 * A quitclaim deed (`DeedType` `QCD`, `QC`, `QUIT CLAIM`): it passes whatever interest the
 * grantor has, without warranty, between relatives, spouses or into a trust; sales validation
 * leaves such transfers out as not arm's-length (IAAO Standard on Ratio Studies, 2013, Appendix
 * A). Its price, even when recorded, is not a sale's.
 */
export function isQuitclaim(deedType: unknown): boolean {
  return typeof deedType === 'string' && /^\s*(QCD?|QUIT\s*-?\s*CLAIM)\b/i.test(deedType);
}

/**
 * The sales-validation flags of a deed type: `quitclaim` (isQuitclaim); `non_sale_deed` for an
 * affidavit (`AF`, a real code: of a joint tenant's death, of succession) and `BD` read as a
 * beneficiary deed (a transfer at death, exempt from the affidavit of value by A.R.S. 11-1134
 * B12; no real answer seen carries it). Warranty (`WD`),
 * special warranty (`SD`) and joint tenancy deeds convey sales (the deed types of ADOR 82162, item
 * 9), and so does `JC`, which the two real answers that carry it record with market prices
 * ($222,000 and $155,000 for Surprise homes); an unknown code is none.
 */
export function deedTypeFlags(deedType: unknown): string[] {
  if (isQuitclaim(deedType)) return ['quitclaim'];
  if (typeof deedType === 'string' && /^\s*(AF|AFF|BD)\s*$/i.test(deedType)) return ['non_sale_deed'];
  return [];
}

/**
 * One `/parcel/<apn>` answer as a raw property in the seed's shape. Nothing is invented:
 * bedrooms are not published (null); bathrooms are estimated from fixtures (bathroomsFromFixtures)
 * and marked so; a 0 the assessor writes for "none recorded" is null (assessorMeasure), and so are
 * the garage count and pool of a parcel whose residential data describes no dwelling. The owner's
 * last sale (lastSale: none for a price of 0 or a deed alone) becomes `sales` (`[{date, price,
 * source, date_precision, flags}]`, the field the ARMLS importer fills too), and, unless its deed
 * flags it (a quitclaim), the seed's `sale_price`/`sale_date`; coordinates are
 * `latitude`/`longitude`; `SubdivisionName` is `subdivision`.
 */
export function mapParcel(apnInput: string, payload: ParcelPayload): RawPropertyInput {
  const apn = normalizeApn(apnInput);
  const residential = payload.ResidentialPropertyData ?? null;
  const owner = payload.Owner ?? null;
  const latest = payload.Valuations?.[0] ?? null;
  const fixtures = assessorMeasure(residential?.BathFixtures);
  const dwelling = describesDwelling(residential);
  const redacted = isOwnerRedacted(owner);
  const classification = text(latest?.LegalClassificationCode);
  const sale = lastSale(owner);
  // A transfer by quitclaim or another deed without a sale stays in `sales` (history, flagged),
  // never in the seed's `sale_price`, which every reader takes for a sale.
  const market = sale !== null && sale.flags.length === 0 ? sale : null;
  const [latitude, longitude] = coordinates(payload.Geo);

  return {
    source: MARICOPA_SOURCE,
    source_id: apn,
    data: {
      parcel_number: apn,
      address: text(payload.PropertyAddress),
      sale_price: market?.price ?? null,
      sale_date: market?.date ?? null,
      sales: sale ? [{ date: sale.date, price: sale.price, source: MARICOPA_SOURCE, date_precision: sale.date_precision, flags: sale.flags }] : [],
      latitude,
      longitude,
      deed_date: assessorDate(owner?.DeedDate),
      bedrooms: null,
      bathrooms: bathroomsFromFixtures(fixtures),
      bathrooms_estimated: bathroomsFromFixtures(fixtures) !== null,
      bath_fixtures: fixtures,
      square_feet: assessorMeasure(residential?.LivableSpace),
      lot_size: assessorMeasure(residential?.LotSize) ?? assessorMeasure(payload.LotSize),
      year_built: assessorMeasure(residential?.ConstructionYear),
      garages: dwelling ? assessorNumber(residential?.NumberOfGarages) : null,
      ...poolOf(residential),
      roof_type: text(residential?.RoofType),
      exterior_walls: text(residential?.ExteriorWalls),
      cooling: text(residential?.Cooling),
      full_cash_value: assessorNumber(latest?.FullCashValue),
      limited_property_value: assessorNumber(latest?.LimitedPropertyValue),
      valuation_year: assessorNumber(latest?.TaxYear),
      legal_class: classification,
      assessment_ratio: assessmentRatio(latest?.AssessmentRatioPercentage),
      tax_area_code: text(String(payload.TaxAreaCode ?? latest?.TaxAreaCode ?? '')),
      property_use_code: useCodeText(payload.PropertyUseCode),
      property_use: text(payload.PEPropUseDesc),
      property_type: text(payload.PropertyType),
      subdivision: text(payload.SubdivisionName),
      is_rental: payload.IsRental === true || classification === '4.2',
      rental_registered: payload.IsRental === true,
      owner_name: redacted ? null : text(owner?.Ownership),
      owner_redacted: redacted,
    },
    original: withoutSketches(payload),
  };
}
