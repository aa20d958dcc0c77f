/**
 * Listing fields as the MLS writes them, on its detail pages and in its CSV exports, read into
 * numbers with their units: prices, bathrooms, lots, association fees, statuses and photos.
 * One reading for both sources, so a value means the same wherever it came from.
 */

/** Square feet in an acre (US survey definition). */
export const SQFT_PER_ACRE = 43_560;

const SCALES: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9 };

/**
 * A dollar amount: `$365,000`, `229000.00`, `$1.2M` (1,200,000), `$350K` (350,000). Anything
 * else (words, two numbers, a negative) is none, never a part of it read as the whole: `$1.2M`
 * is never 1.2.
 */
export function parseDollars(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^\s*(?:USD\s*)?\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(K|M|MM|B)?\s*(?:USD)?\s*$/i.exec(text);
  if (!m) return null;
  const scale = m[2] ? SCALES[m[2].toUpperCase().slice(0, 1)]! : 1;
  const value = Number(m[1]!.replace(/,/g, '')) * scale;
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null;
}

/** A plain count or measure: `1,647`, `2.50`, `702.00 sq ft`; none when there is no number. */
export function parseNumber(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)/.exec(text.replace(/\$/g, ''));
  if (!m) return null;
  const n = Number(m[0].replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/**
 * Bathrooms as ARMLS counts them: `Total Bathrooms` = full + ½ × half. The total when the
 * source states one (never adding the half again), else full + ½ × half, else none. A half
 * without a full count is not a total. Null when nothing is stated.
 */
export function totalBathrooms(parts: { total?: number | null; full?: number | null; half?: number | null }): number | null {
  if (typeof parts.total === 'number') return parts.total;
  if (typeof parts.full === 'number') return parts.full + 0.5 * (parts.half ?? 0);
  return null;
}

/**
 * The lot in square feet: `Approx Lot SqFt` when stated, else acres × 43,560 (rounded to the
 * square foot). `text` reads a `Lot Size` line: `0.15 Acres`, `6,534 SqFt`, `6534 sq ft`.
 */
export function lotSqft(parts: { sqft?: number | null; acres?: number | null; text?: string | null }): number | null {
  if (typeof parts.sqft === 'number' && parts.sqft > 0) return parts.sqft;
  if (typeof parts.acres === 'number' && parts.acres > 0) return Math.round(parts.acres * SQFT_PER_ACRE);
  if (parts.text) {
    const n = parseNumber(parts.text);
    if (n === null || n <= 0) return null;
    if (/\bac(?:re)?s?\b/i.test(parts.text)) return Math.round(n * SQFT_PER_ACRE);
    return n;
  }
  return null;
}

/** Payments a year for each way ARMLS and listing pages name a fee's frequency. */
const PAYMENTS_PER_YEAR: [RegExp, number][] = [
  [/semi-?annual|semi-?annually|bi-?annual/i, 2],
  [/annual|year|yr\b|per\s*yr/i, 1],
  [/quarter|qtr/i, 4],
  [/bi-?month/i, 6],
  [/month|mo\b|mthly/i, 12],
];

/** A fee as a monthly figure, with the text as received. */
export interface MonthlyFee {
  /** Dollars a month; 0 when the source says there is none (`No Fees`). */
  monthly: number;
  text: string;
}

/**
 * An association (or land-lease) fee as dollars a month: `$95/Month` 95, `$1,140/Annually` 95,
 * `$285/Quarterly` 95, `$150/month`, `$1,200/year` 100, `No Fees` 0. `frequency` is the separate
 * frequency field of an export (`HOA Paid Frequency: Monthly`). None when the amount or its
 * frequency cannot be read (an amount with no frequency is not guessed).
 */
export function monthlyFee(text: string | null | undefined, frequency?: string | null): MonthlyFee | null {
  if (!text) return null;
  const raw = text.replace(/\s+/g, ' ').trim();
  const received = frequency ? `${raw} ${frequency.trim()}` : raw;
  if (/^(no|none|no fees?|n\/?a|0|\$0(\.00)?)$/i.test(raw)) return { monthly: 0, text: received };
  const amount = /\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)/.exec(raw);
  if (!amount) return null;
  const dollars = Number(amount[1]!.replace(/,/g, ''));
  const period = (frequency ?? raw.slice(amount.index + amount[0].length)).trim();
  const perYear = PAYMENTS_PER_YEAR.find(([pattern]) => pattern.test(period))?.[1];
  if (perYear === undefined) return null;
  return { monthly: Math.round(((dollars * perYear) / 12) * 100) / 100, text: received };
}

/** The status vocabulary a listing may carry, normalised. */
export const LISTING_STATUSES = ['active', 'coming_soon', 'ucb', 'ccbs', 'pending', 'closed', 'temp_off_market', 'expired', 'cancelled', 'withdrawn'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/**
 * ARMLS statuses by name and by the one-letter code of its exports (`Status: C`): Active,
 * Coming Soon, UCB (Under Contract - Taking Backups), CCBS (Contingent - Contract But Still
 * Seeking), Pending, Closed (Sold), Temp Off Market, Expired, Cancelled, Withdrawn.
 */
const STATUS_WORDS: [RegExp, ListingStatus][] = [
  [/^(a|active)$/i, 'active'],
  [/coming\s*soon/i, 'coming_soon'],
  [/^(u|ucb)$|under contract.*back ?up|taking back ?ups/i, 'ucb'],
  [/^ccbs$|contingent/i, 'ccbs'],
  [/^(p|pending)$|^pending\b/i, 'pending'],
  [/^(c|closed|sold)$|^closed\b|^sold\b/i, 'closed'],
  [/^(t)$|temp(orarily)?\s*off/i, 'temp_off_market'],
  [/^(x|expired)$/i, 'expired'],
  [/^cancel+ed$/i, 'cancelled'],
  [/^withdrawn$/i, 'withdrawn'],
];

/** A status as one of LISTING_STATUSES; none when the text is not one of them. */
export function listingStatus(text: string | null | undefined): ListingStatus | null {
  if (!text) return null;
  const t = text.replace(/\s+/g, ' ').trim();
  return STATUS_WORDS.find(([pattern]) => pattern.test(t))?.[1] ?? null;
}

/**
 * The full-size URL of a Spark Platform CDN photo: the site shows thumbnails
 * (`cdn.photos.sparkplatform.com/az/<id>-t.jpg`) and the same path with `-o.jpg` is the
 * original. Other URLs are returned as they are.
 */
export function fullSizePhoto(url: string): string {
  return /(^|\/\/)cdn\.photos\.sparkplatform\.com\//i.test(url) ? url.replace(/-t\.(jpe?g|png|webp)(\?.*)?$/i, '-o.$1$2') : url;
}

/** A URL that is a placeholder, never a photo: a data URI, a blank or spinner image. */
export function isPlaceholderPhoto(url: string): boolean {
  return /^data:/i.test(url) || /(placeholder|blank|spacer|loading|lazy|spinner|pixel|transparent)[^/]*\.(gif|png|svg|jpe?g|webp)(\?|$)/i.test(url) || /\.svg(\?|$)/i.test(url);
}

/** The largest candidate of a `srcset` (`a.jpg 320w, b.jpg 1024w` → `b.jpg`). */
export function largestOfSrcset(srcset: string): string | null {
  let best: { url: string; size: number } | null = null;
  for (const part of srcset.split(',')) {
    const [url, descriptor] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = descriptor ? parseFloat(descriptor) : 1;
    if (!best || size > best.size) best = { url, size: Number.isFinite(size) ? size : 1 };
  }
  return best?.url ?? null;
}

/** The MLS number in a detail page URL (`/mls/5219-W-EL-CAMINITO-Drive-Glendale-AZ-85302-mls_6937912/`). */
export function mlsNumberFromUrl(url: string): string | null {
  return /-mls_(\d+)\/?(?:[?#].*)?$/i.exec(url)?.[1] ?? null;
}

/** The MLS number written in a heading or title: `… / 6937912 (MLS #)`, `… - MLS# 6937912`. */
export function mlsNumberFromHeading(text: string): string | null {
  return /MLS\s*(?:#|NO\.?|NUMBER)?\s*:?\s*#?\s*(\d{5,})/i.exec(text)?.[1] ?? /(\d{5,})\s*\(\s*MLS\s*#?\s*\)/i.exec(text)?.[1] ?? null;
}
