import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import { normalizeApn } from './apn.js';
import type { ParcelPayload } from './payload.js';

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
 * has three fixtures: toilet, basin, tub or shower), rounded to the nearest half. The usual
 * estimate (../shared/SERVICES.md); the record says it is one (`bathrooms_estimated`). A count of
 * 0 or none is unknown, not zero bathrooms: commercial and apartment parcels carry
 * `BathFixtures: 0` because the assessor does not count theirs.
 */
export function bathroomsFromFixtures(fixtures: number | null): number | null {
  if (fixtures === null || fixtures <= 0) return null;
  return Math.max(0.5, Math.round((fixtures / 3) * 2) / 2);
}

/**
 * One `/parcel/<apn>` answer as a raw property in the seed's shape. Nothing is invented:
 * bedrooms are not published (null); bathrooms are estimated from fixtures (bathroomsFromFixtures)
 * and marked so. The owner's last sale becomes `sales` (`[{date, price, source}]`, the field the
 * ARMLS importer fills too) besides the seed's `sale_price`/`sale_date`; coordinates are
 * `latitude`/`longitude`.
 */
export function mapParcel(apnInput: string, payload: ParcelPayload): RawPropertyInput {
  const apn = normalizeApn(apnInput);
  const residential = payload.ResidentialPropertyData ?? null;
  const owner = payload.Owner ?? null;
  const latest = payload.Valuations?.[0] ?? null;
  const fixtures = assessorNumber(residential?.BathFixtures);
  const pool = residential?.Pool;
  const redacted = isOwnerRedacted(owner);
  const classification = text(latest?.LegalClassificationCode);
  const salePrice = assessorNumber(owner?.SalePrice);
  const saleDate = assessorDate(owner?.SaleDate);
  const [latitude, longitude] = coordinates(payload.Geo);

  return {
    source: MARICOPA_SOURCE,
    source_id: apn,
    data: {
      parcel_number: apn,
      address: text(payload.PropertyAddress),
      sale_price: salePrice,
      sale_date: saleDate,
      sales: salePrice !== null && salePrice > 0 && saleDate !== null ? [{ date: saleDate, price: salePrice, source: MARICOPA_SOURCE }] : [],
      latitude,
      longitude,
      deed_date: assessorDate(owner?.DeedDate),
      bedrooms: null,
      bathrooms: bathroomsFromFixtures(fixtures),
      bathrooms_estimated: bathroomsFromFixtures(fixtures) !== null,
      bath_fixtures: fixtures,
      square_feet: assessorNumber(residential?.LivableSpace),
      lot_size: assessorNumber(residential?.LotSize ?? payload.LotSize),
      year_built: assessorNumber(residential?.ConstructionYear),
      garages: assessorNumber(residential?.NumberOfGarages),
      pool: pool === undefined || pool === null ? null : typeof pool === 'boolean' ? pool : (assessorNumber(pool) ?? 0) > 0,
      pool_area_sqft: typeof pool === 'boolean' ? null : assessorNumber(pool),
      roof_type: text(residential?.RoofType),
      exterior_walls: text(residential?.ExteriorWalls),
      cooling: text(residential?.Cooling),
      full_cash_value: assessorNumber(latest?.FullCashValue),
      limited_property_value: assessorNumber(latest?.LimitedPropertyValue),
      valuation_year: assessorNumber(latest?.TaxYear),
      legal_class: classification,
      assessment_ratio: assessmentRatio(latest?.AssessmentRatioPercentage),
      tax_area_code: text(String(payload.TaxAreaCode ?? latest?.TaxAreaCode ?? '')),
      property_use_code: text(typeof payload.PropertyUseCode === 'number' ? String(payload.PropertyUseCode) : payload.PropertyUseCode),
      property_use: text(payload.PEPropUseDesc),
      property_type: text(payload.PropertyType),
      is_rental: payload.IsRental === true || classification === '4.2',
      rental_registered: payload.IsRental === true,
      owner_name: redacted ? null : text(owner?.Ownership),
      owner_redacted: redacted,
    },
    original: withoutSketches(payload),
  };
}
