import { RECORD_PHOTO_LIMIT, type PropertyRecord } from '../../shared/contract.js';
import type { RawPropertyData } from '../../shared/schemas/raw-property.js';
import type { StoredRawProperty } from '../db/collections.js';
import type { RawPropertyRepository } from '../db/repositories/raw-properties.js';
import { salesOf } from '../processing/valuation-facts.js';

/** Records of one property the page lists at most (a property has one per source, three today). */
const RECORDS_LIMIT = 10;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The property's records as the property page shows them, the opened one first: `ids` are the
 * processed property's `raw_ids` (or the list row's `records`); a record no longer stored is
 * left out. Each is read without its original payload.
 */
export async function propertyRecords(raw: RawPropertyRepository, opened: StoredRawProperty, ids: readonly string[]): Promise<PropertyRecord[]> {
  const others = [...new Set(ids)].filter((id) => id !== opened._id).slice(0, RECORDS_LIMIT - 1);
  const found = await Promise.all(others.map((id) => raw.getData(id)));
  return [opened, ...found.filter((d): d is StoredRawProperty => d !== null)].map(recordView);
}

/**
 * What the page shows of one record: photos (`photo_urls`, strings only, the first
 * RECORD_PHOTO_LIMIT), sales (`salesOf`: `data.sales`, else `sale_price`/`sale_date`), the sale
 * on record, and the listing (`url` of a Phoenix MLS page, `listing_status`, `list_price`).
 */
export function recordView(d: Pick<StoredRawProperty, '_id' | 'source' | 'source_id' | 'collected_at' | 'price_history'> & { data: RawPropertyData }): PropertyRecord {
  const photos = Array.isArray(d.data.photo_urls) ? d.data.photo_urls.filter((u): u is string => typeof u === 'string' && u !== '') : [];
  return {
    id: d._id,
    source: d.source,
    source_id: d.source_id,
    collected_at: d.collected_at,
    photo_urls: photos.slice(0, RECORD_PHOTO_LIMIT),
    sales: salesOf(d.data, d.source).map((s) => ({ date: s.date, price: s.price, source: s.source ?? d.source })).slice(0, 50),
    sale_price: num(d.data.sale_price),
    sale_date: str(d.data.sale_date),
    listing_url: str(d.data.url),
    listing_status: str(d.data.listing_status),
    list_price: num(d.data.list_price),
    price_history: d.price_history,
  };
}
