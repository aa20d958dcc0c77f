import { z } from 'zod';
import type { RawPropertyData } from '../../shared/schemas/raw-property.js';
import { RentMarket, type RentComparableLease } from '../../shared/valuation/rent-model.js';
import type { RawPropertyRepository } from '../db/repositories/raw-properties.js';
import { rawPropertyType } from './property-type.js';

/**
 * What makes a stored record a lease: an ARMLS rental row that was leased (the mapping writes
 * `listing_status: closed`, `rent_price` in dollars a month and `lease_date` from its Close of
 * Escrow Date: collectors/armls/mapping.ts, leaseOf). An active rental's asked rent is not one.
 */
const leaseFieldsSchema = z.object({
  listing_status: z.literal('closed'),
  rent_price: z.number().positive().finite(),
  lease_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

/**
 * The rent evidence of one stored raw record (`{_id, source, data}`): one RentComparableLease
 * (rent in dollars a month, dated by the lease day, with the home's facts as the record gives
 * them; unknown facts null) when the record is an executed lease, else none. Facts of the wrong
 * type are unknown, never a reason to drop the lease; the assessor's full cash value is not on a
 * rental row (null).
 */
export function rentCandidatesOf(doc: { _id: string; source: string; data: RawPropertyData }): RentComparableLease[] {
  const lease = leaseFieldsSchema.safeParse(doc.data);
  if (!lease.success) return [];
  const d = doc.data;
  return [
    {
      lease_id: `${doc._id}|${lease.data.lease_date}`,
      date: lease.data.lease_date,
      rent: lease.data.rent_price,
      source: doc.source,
      property_id: doc._id,
      parcel_number: str(d.parcel_number),
      address: str(d.address),
      zip: str(d.zip),
      city: str(d.city),
      subdivision: str(d.subdivision),
      lat: num(d.latitude),
      lon: num(d.longitude),
      property_type: rawPropertyType(d),
      dwelling_style: str(d.dwelling_style),
      square_feet: num(d.square_feet),
      bedrooms: num(d.bedrooms),
      bathrooms: num(d.bathrooms),
      year_built: num(d.year_built),
      lot_size: num(d.lot_size),
      pool: bool(d.pool),
      garage_spaces: num(d.garage_spaces),
      hoa_monthly: num(d.hoa_monthly),
      land_lease_monthly: num(d.land_lease_monthly),
      interior_levels: num(d.interior_levels),
      full_cash_value: null,
      fcv_tax_year: null,
    },
  ];
}

/** The rent market of every lease stored (`withLeases`): what the pipeline estimates rent from. */
export async function loadRentMarket(raw: Pick<RawPropertyRepository, 'withLeases'>): Promise<RentMarket> {
  return new RentMarket((await raw.withLeases()).flatMap(rentCandidatesOf));
}
