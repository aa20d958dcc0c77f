import { z } from 'zod';
import { parseAddress } from '../../shared/address.js';
import type { RawPropertyData } from '../../shared/schemas/raw-property.js';
import type { PropertyFeatures, SaleCandidate } from '../../shared/valuation/types.js';
import { rawPropertyType } from './property-type.js';

/** A stored raw record as sales validation reads it (the projection of `RawPropertiesRepository.withSales`). */
export interface SaleRecordDoc {
  _id: string;
  source: string;
  data: RawPropertyData;
  summary: { address: string | null; zip: string | null };
}

/**
 * One `data.sales` entry as the collectors write it: `date` `YYYY-MM-DD`, `price` dollars, the
 * `source` that recorded it, how precise the date is (`month` for the assessor's affidavit month,
 * else the day) and the sale's flags (`fractional`, `quitclaim`, `seller_concession`, …).
 */
const saleEntrySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  price: z.number().positive(),
  source: z.string().optional(),
  date_precision: z.enum(['day', 'month']).optional(),
  flags: z.array(z.string()).optional(),
});

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const positive = (v: unknown): number | null => {
  const n = num(v);
  return n !== null && n > 0 ? n : null;
};
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Types whose "lot" is a share of common land, not a lot of their own (`sourceDisagreements` reads them so too). */
const SHARED_LAND_TYPES: ReadonlySet<string> = new Set(['condo', 'townhouse']);

/**
 * The facts of the property a stored raw record describes, as the valuation compares them (null
 * where the record does not say):
 *
 * - `address` and `zip` from the summary (the collector's own, else the data's), `city` from the
 *   data, else read from the address; `subdivision` (ARMLS `Subdivision`, the assessor's
 *   `SubdivisionName`);
 * - `lat`/`lon` both or neither; `property_type` by rawPropertyType (the ARMLS dwelling type and
 *   style, else the assessor's use); `dwelling_style`;
 * - `square_feet`, `lot_size` in sq ft (none for a condo or townhouse, whose "lot" is its share
 *   of the common land), `year_built` as a whole year, `bedrooms`, `bathrooms`, `pool`,
 *   `garage_spaces` (ARMLS `garage_spaces`, the assessor's `garages`), `interior_levels`;
 *   a measure of 0 or less is unknown;
 * - `hoa_monthly` and `land_lease_monthly` in dollars a month;
 * - `full_cash_value` (dollars) with `fcv_tax_year`, the assessor's `valuation_year`;
 *   `annual_taxes` (dollars a year, a listing's stated tax bill);
 * - the MLS's condition and quality facts (`remodeled_year`, `view`, `premium_finishes`,
 *   `amenity_building`: `collectors/armls/quality-features.ts`).
 */
export function featuresOf(doc: SaleRecordDoc): PropertyFeatures {
  const d = doc.data;
  const lat = num(d.latitude);
  const lon = num(d.longitude);
  const hasPoint = lat !== null && lon !== null;
  const address = doc.summary.address ?? str(d.address);
  const type = rawPropertyType(d);
  const year = positive(d.year_built);
  return {
    property_id: doc._id,
    parcel_number: str(d.parcel_number),
    address,
    zip: doc.summary.zip ?? str(d.zip),
    city: str(d.city) ?? parseAddress(address).city,
    subdivision: str(d.subdivision),
    lat: hasPoint ? lat : null,
    lon: hasPoint ? lon : null,
    property_type: type,
    dwelling_style: str(d.dwelling_style),
    square_feet: positive(d.square_feet),
    bedrooms: num(d.bedrooms),
    bathrooms: positive(d.bathrooms),
    year_built: year === null ? null : Math.trunc(year),
    lot_size: type !== null && SHARED_LAND_TYPES.has(type) ? null : positive(d.lot_size),
    pool: typeof d.pool === 'boolean' ? d.pool : null,
    garage_spaces: num(d.garage_spaces) ?? num(d.garages),
    hoa_monthly: num(d.hoa_monthly),
    land_lease_monthly: num(d.land_lease_monthly),
    interior_levels: positive(d.interior_levels),
    full_cash_value: positive(d.full_cash_value),
    fcv_tax_year: num(d.valuation_year),
    annual_taxes: positive(d.annual_taxes),
    remodeled_year: positive(d.remodeled_year),
    view: typeof d.view === 'boolean' ? d.view : null,
    premium_finishes: typeof d.premium_finishes === 'boolean' ? d.premium_finishes : null,
    amenity_building: typeof d.amenity_building === 'boolean' ? d.amenity_building : null,
  };
}

/**
 * Every sale a stored raw record carries, as candidates for sales validation (`validateSales`),
 * each with the record's facts (featuresOf): the `data.sales` entries that are well formed (a
 * day, a positive price: an entry that is not is skipped, never guessed), with their source
 * (the record's when the entry names none), date precision (`day` when unsaid) and flags, the
 * non-market ones included, so that validation keeps them in the history with their reasons;
 * a record without `sales` gives the seed's `sale_price`/`sale_date`, a day.
 */
export function saleCandidatesOf(doc: SaleRecordDoc): SaleCandidate[] {
  const d = doc.data;
  const property = featuresOf(doc);
  if (Array.isArray(d.sales)) {
    return d.sales.flatMap((entry) => {
      const parsed = saleEntrySchema.safeParse(entry);
      if (!parsed.success) return [];
      const s = parsed.data;
      return [{ price: s.price, date: s.date, date_precision: s.date_precision ?? 'day', source: s.source ?? doc.source, flags: s.flags ?? [], property }];
    });
  }
  const price = positive(d.sale_price);
  const date = str(d.sale_date);
  if (price === null || date === null || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return [];
  return [{ price, date, date_precision: 'day', source: doc.source, flags: [], property }];
}
