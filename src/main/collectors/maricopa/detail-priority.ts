import { monthsBefore } from '../../../shared/underwriting/stats.js';
import type { ListingStatus } from '../listing-fields.js';

/**
 * Where the assessor API's budget (60 requests a minute) goes first, and when a fetched parcel is
 * due again. Pure: no clock or I/O of its own.
 *
 * Order (issue #22): the parcels the analyst is looking at now (listed for sale, or a saved
 * search's match), then those sold in the last 12 months (the comparables' evidence), then the
 * rest by the age of what we hold (never fetched first, then the oldest). Within a tier the
 * order asked is kept. A sync with a `--limit` therefore spends its calls where they matter.
 */

/** A listing status that means the home is for sale now (or about to be, or under contract). */
const FOR_SALE: ReadonlySet<ListingStatus> = new Set(['active', 'coming_soon', 'ucb', 'ccbs', 'active_under_contract', 'pending']);

/** Whether a listing status means the home is on the market now (`active`, `pending`, under contract, coming soon). */
export function isForSale(status: unknown): boolean {
  return typeof status === 'string' && FOR_SALE.has(status as ListingStatus);
}

/** What the database knows of one parcel that decides its place in the order. */
export interface ParcelStanding {
  /** A record of it (MLS page, ARMLS row) is listed for sale now (`isForSale`). */
  listed: boolean;
  /** A saved search's last check matched one of its records. */
  savedSearchMatch: boolean;
  /** The latest sale any record of it carries (`YYYY-MM-DD`), or null. */
  lastSaleDate: string | null;
  /** When the assessor API's record of it was last collected, or null (never). */
  assessorCollectedAt: Date | null;
}

/** A stored record as `standingsOf` reads it (`RawPropertyRepository.ofParcels`). */
export interface ParcelRecord {
  _id: string;
  source: string;
  collected_at: Date;
  data: { parcel_number?: unknown; listing_status?: unknown; sale_date?: unknown; sales?: unknown };
}

/**
 * Each APN's standing from its stored records: listed if any record is for sale now, a saved
 * search's match if any record's id is in `watchedIds` (the searches' last matches), its latest
 * sale over every record (`sale_date` and `sales[].date`), and when the assessor API's record
 * (`maricopa_api`) was collected.
 */
export function standingsOf(records: readonly ParcelRecord[], watchedIds: ReadonlySet<string>): Map<string, ParcelStanding> {
  const out = new Map<string, ParcelStanding>();
  for (const r of records) {
    const apn = r.data.parcel_number;
    if (typeof apn !== 'string') continue;
    const s = out.get(apn) ?? { listed: false, savedSearchMatch: false, lastSaleDate: null, assessorCollectedAt: null };
    if (isForSale(r.data.listing_status)) s.listed = true;
    if (watchedIds.has(r._id)) s.savedSearchMatch = true;
    for (const date of saleDatesOf(r.data)) if (s.lastSaleDate === null || date > s.lastSaleDate) s.lastSaleDate = date;
    if (r.source === 'maricopa_api' && (s.assessorCollectedAt === null || r.collected_at > s.assessorCollectedAt)) s.assessorCollectedAt = r.collected_at;
    out.set(apn, s);
  }
  return out;
}

/** The `YYYY-MM-DD` sale dates a record carries (`sale_date`, and each of `sales`). */
function saleDatesOf(data: ParcelRecord['data']): string[] {
  const day = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : null);
  const dates: string[] = [];
  const own = day(data.sale_date);
  if (own) dates.push(own);
  if (Array.isArray(data.sales)) {
    for (const sale of data.sales as unknown[]) {
      const d = sale && typeof sale === 'object' ? day((sale as { date?: unknown }).date) : null;
      if (d) dates.push(d);
    }
  }
  return dates;
}

/** The tiers, first spent first. */
export const DETAIL_TIERS = ['watched', 'recently_sold', 'oldest_data'] as const;
export type DetailTier = (typeof DETAIL_TIERS)[number];

/** How many months back a sale makes a parcel `recently_sold`: 12, the comparables' window (Fannie Mae Selling Guide B4-1.3-08). */
export const RECENT_SALE_MONTHS = 12;

/** One parcel in the order: its APN and its tier. */
export interface OrderedParcel {
  apn: string;
  tier: DetailTier;
}

/**
 * The APNs in the order the budget is spent (see the module's note), each with its tier.
 * `standings` lacks an APN the database holds nothing of: `oldest_data`, never fetched (first in
 * its tier). `today` is `YYYY-MM-DD` (Phoenix).
 */
export function detailOrder(apns: readonly string[], standings: ReadonlyMap<string, ParcelStanding>, today: string): OrderedParcel[] {
  const since = monthsBefore(today, RECENT_SALE_MONTHS);
  const ranked = apns.map((apn, index) => {
    const s = standings.get(apn);
    const tier: DetailTier = s && (s.listed || s.savedSearchMatch) ? 'watched' : s?.lastSaleDate && s.lastSaleDate >= since ? 'recently_sold' : 'oldest_data';
    // Never fetched sorts before any date; the oldest first.
    const age = tier === 'oldest_data' ? (s?.assessorCollectedAt?.getTime() ?? Number.NEGATIVE_INFINITY) : 0;
    return { apn, tier, rank: DETAIL_TIERS.indexOf(tier), age, index };
  });
  ranked.sort((a, b) => a.rank - b.rank || a.age - b.age || a.index - b.index);
  return ranked.map(({ apn, tier }) => ({ apn, tier }));
}

/** How many parcels of each tier an order holds. */
export function tierCounts(order: readonly OrderedParcel[]): Record<DetailTier, number> {
  const counts: Record<DetailTier, number> = { watched: 0, recently_sold: 0, oldest_data: 0 };
  for (const p of order) counts[p.tier] += 1;
  return counts;
}

/**
 * The cache lifetime of one parcel's answer, milliseconds: between half and all of `ttlMs`, at a
 * point fixed by the APN (FNV-1a hash), so the parcels fetched on one morning fall due on
 * different days of the next week and the refresh rolls instead of expiring all at once (the
 * jittered TTL that keeps a cache from expiring in one stampede). The same APN always gets the
 * same lifetime, so a re-run is predictable.
 */
export function rollingTtlMs(apn: string, ttlMs: number): number {
  return Math.round(ttlMs * (0.5 + 0.5 * hashFraction(apn)));
}

/** A fraction in [0, 1) from a string (32-bit FNV-1a). */
function hashFraction(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}
