import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import { readArizonaPoint } from '../armls/values.js';
import { normalizeApn } from '../maricopa/apn.js';
import { assessorMeasure, assessorNumber, useCodeText, type AssessorSale } from '../maricopa/mapping.js';
import { COUNTY_LAYER_SOURCE } from './client.js';
import type { Geometry, ParcelFeature } from './payload.js';

/** A date of the layer as a day (`YYYY-MM-DD`) and how precise it is. */
export interface LayerDate {
  date: string;
  precision: 'day' | 'month';
}

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= 1850 && y <= 2200 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * A date as the layer writes it, or null: public clients record `SALE_DATE` as `MM/DD/YYYY`
 * text, as a month alone (`MM/YYYY`) and as epoch milliseconds (an ArcGIS date field, UTC);
 * `YYYY-MM-DD` is read too. A month alone is month-precise (its 1st stands for it); so is a
 * day written as the 1st, which is how the assessor records the Affidavit of Property Value's
 * "Date of Sale (Month / Year)" (maricopa/mapping.ts `lastSale`, every real `/parcel` answer).
 */
export function layerDate(value: unknown): LayerDate | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value === 0) return null;
    const t = new Date(value);
    return dayOf(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return dayOf(Number(m[3]), Number(m[1]), Number(m[2]));
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return dayOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{4})$/.exec(text);
  if (m && validDay(Number(m[2]), Number(m[1]), 1)) return { date: iso(Number(m[2]), Number(m[1]), 1), precision: 'month' };
  return null;
}

function dayOf(y: number, m: number, d: number): LayerDate | null {
  if (!validDay(y, m, d)) return null;
  return { date: iso(y, m, d), precision: d === 1 ? 'month' : 'day' };
}

/**
 * The last sale of a parcel: `SALE_PRICE` in dollars (a number or a padded string such as
 * `"     537,200"`) dated by `SALE_DATE` (layerDate), or null when either is missing or the price
 * is 0 or less (a transfer without consideration is no sale). The layer carries no deed type, so
 * no deed flags (maricopa/mapping.ts `deedTypeFlags`) can be set.
 */
export function layerSale(attributes: Record<string, unknown>): AssessorSale | null {
  const price = assessorNumber(attributes.SALE_PRICE);
  const date = layerDate(attributes.SALE_DATE);
  if (price === null || price <= 0 || date === null) return null;
  return { date: date.date, price, date_precision: date.precision, flags: [] };
}

/** A point in Arizona (armls/values.ts `readArizonaPoint`), or null for none or one outside it. */
function arizonaPoint(lat: number | null, lon: number | null): { latitude: number; longitude: number } | null {
  try {
    return readArizonaPoint(lat, lon);
  } catch {
    return null;
  }
}

/**
 * The centroid of a polygon's outer ring (its first; ArcGIS writes outer rings clockwise), by the
 * shoelace formula (area-weighted: Bourke, "Calculating the area and centroid of a polygon",
 * 1988), in the ring's own degrees; a ring of no area gives the mean of its vertices.
 */
export function ringCentroid(ring: readonly (readonly number[])[]): { x: number; y: number } | null {
  if (ring.length === 0) return null;
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length; i += 1) {
    const [x0, y0] = ring[i]! as [number, number];
    const [x1, y1] = ring[(i + 1) % ring.length]! as [number, number];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(area) < 1e-18) {
    return { x: ring.reduce((s, p) => s + p[0]!, 0) / ring.length, y: ring.reduce((s, p) => s + p[1]!, 0) / ring.length };
  }
  return { x: cx / (3 * area), y: cy / (3 * area) };
}

/**
 * The parcel's point in WGS 84 degrees and where it came from: the layer's `LATITUDE`/`LONGITUDE`
 * when it has them, else its geometry as `outSR=4326` sends it (a point, or a polygon's centroid).
 * None when neither gives a point in Arizona (0, blank, a longitude without its minus sign).
 */
export function layerPoint(attributes: Record<string, unknown>, geometry: Geometry | null | undefined): { latitude: number; longitude: number; from: string } | null {
  const fromFields = arizonaPoint(assessorNumber(attributes.LATITUDE), assessorNumber(attributes.LONGITUDE));
  if (fromFields) return { ...fromFields, from: 'LATITUDE/LONGITUDE' };
  if (!geometry) return null;
  const rings = Array.isArray(geometry.rings) ? (geometry.rings as number[][][]) : null;
  const point = rings ? (rings[0] ? ringCentroid(rings[0]) : null) : { x: Number(geometry.x), y: Number(geometry.y) };
  const inArizona = point ? arizonaPoint(point.y, point.x) : null;
  return inArizona ? { ...inArizona, from: rings ? 'geometry centroid' : 'geometry' } : null;
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const t = value.replace(/\s+/g, ' ').trim();
  return t === '' || /^n\/?a$/i.test(t) ? null : t;
}

/**
 * The situs address in the `/parcel` API's one-line form (`15947 W WINCHCOMB DR SURPRISE 85379`):
 * `PHYSICAL_ADDRESS` with its padding collapsed, city and ZIP added from `PHYSICAL_CITY` and
 * `PHYSICAL_ZIP` when it does not already end with the ZIP.
 */
export function situsAddress(attributes: Record<string, unknown>): string | null {
  const street = text(attributes.PHYSICAL_ADDRESS);
  if (street === null) return null;
  const zip = zipOf(attributes);
  if (zip === null || street.endsWith(zip)) return street;
  const city = text(attributes.PHYSICAL_CITY);
  return `${street}${city && !street.endsWith(city) ? ` ${city}` : ''} ${zip}`;
}

const integer = (n: number | null): number | null => (n === null ? null : Math.trunc(n));

function zipOf(attributes: Record<string, unknown>): string | null {
  return /^(\d{5})/.exec(text(attributes.PHYSICAL_ZIP) ?? '')?.[1] ?? null;
}

/** One tax year's values, dollars: full cash value (FCV) and limited property value (LPV, the taxed one). */
export interface LayerValuation {
  tax_year: number | null;
  full_cash_value: number | null;
  limited_property_value: number | null;
}

/** `FCV_CUR`/`LPV_CUR` by `TAX_YR_CUR`, then `FCV_PREV`/`LPV_PREV` by `TAX_YR_PREV`: newest first, as `/parcel`'s `Valuations`; a year with neither value is left out. */
export function layerValuations(attributes: Record<string, unknown>): LayerValuation[] {
  return (['CUR', 'PREV'] as const)
    .map((when) => ({
      tax_year: assessorNumber(attributes[`TAX_YR_${when}`]),
      full_cash_value: assessorMeasure(attributes[`FCV_${when}`]),
      limited_property_value: assessorMeasure(attributes[`LPV_${when}`]),
    }))
    .filter((v) => v.full_cash_value !== null || v.limited_property_value !== null);
}

/**
 * One feature of the parcel layer as a raw property (source `county_layer`, source id the APN
 * in `509-11-455` form), in the field names the `/parcel` mapping uses (maricopa/mapping.ts
 * `mapParcel`), so the two records of a parcel merge and read alike. Nothing is invented: the
 * layer gives no bedrooms or bathrooms (null); a 0 it writes for "none recorded" (living area,
 * year, lot) is null; the coordinates come from the layer itself (layerPoint) or not at all; the
 * last sale (layerSale) is `sales` and the seed's `sale_price`/`sale_date`; `PUC` is
 * `property_use_code`, which processing reads as the property type (processing/property-type.ts
 * `useCodeType`). Throws when `APN` is not a Maricopa parcel number. `original` is the
 * attributes as received (the geometry is not kept).
 */
export function mapCountyFeature(feature: ParcelFeature): RawPropertyInput {
  const a = feature.attributes as Record<string, unknown>;
  const apn = normalizeApn(String(a.APN_DASH ?? a.APN));
  const sale = layerSale(a);
  const point = layerPoint(a, feature.geometry);
  const valuations = layerValuations(a);
  const current = valuations[0] ?? null;
  return {
    source: COUNTY_LAYER_SOURCE,
    source_id: apn,
    data: {
      parcel_number: apn,
      address: situsAddress(a),
      zip: zipOf(a),
      city: text(a.PHYSICAL_CITY),
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
      coordinates_from: point?.from ?? null,
      sale_price: sale?.price ?? null,
      sale_date: sale?.date ?? null,
      sales: sale ? [{ date: sale.date, price: sale.price, source: COUNTY_LAYER_SOURCE, date_precision: sale.date_precision, flags: sale.flags }] : [],
      deed_date: layerDate(a.DEED_DATE)?.date ?? null,
      deed_number: text(a.DEED_NUMBER),
      bedrooms: null,
      bathrooms: null,
      square_feet: assessorMeasure(a.LIVING_SPACE),
      lot_size: assessorMeasure(a.LAND_SIZE),
      year_built: integer(assessorMeasure(a.CONST_YEAR)),
      property_use_code: useCodeText(a.PUC),
      subdivision: text(a.SUBNAME),
      full_cash_value: current?.full_cash_value ?? null,
      limited_property_value: current?.limited_property_value ?? null,
      valuation_year: current?.tax_year ?? null,
      valuations,
      legal_class: text(a.LC_CUR),
      owner_name: text(a.OWNER_NAME),
    },
    original: a,
  };
}
