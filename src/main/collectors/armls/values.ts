/**
 * Values of an ARMLS (Flexmls) CSV export's columns as they come in real exports, read into
 * numbers, days and statuses — or refused with the reason. The forms are those of real exports
 * kept in a public repository (odgsully/Actual, `apps/gs-crm/mcao-upload-temp/*.csv` and
 * `ref/examples/mozingo-mls-ex.csv`, 190 rows exported 2021–2025): as downloaded (ISO days,
 * `229000.00`, every field quoted) and as re-saved by Excel (`9/30/25`, `305000`, unquoted).
 */
import type { ListingStatus } from '../listing-fields.js';
import { quoteValue } from '../import/quote-value.js';

/**
 * A value of a row left unknown because it cannot be read, kept on the stored record
 * (`unread_values`) and reported with the row's number by the import.
 */
export interface UnreadValue {
  column: string;
  value: string;
  reason: string;
}

/** A value of a column that cannot be read as what the column holds, with the reason. */
export class ArmlsValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArmlsValueError';
  }
}

/** `229000.00`, `229000`, `$229,000.00`, `1,110`; commas only as thousands separators. */
const UNSIGNED = /^\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)$/;

/**
 * An amount or a count as an export writes it: digits with an optional `$`, thousands commas and
 * decimals (`$1,470.36`). Anything else — words, `1.2M`, `1,2,3`, `0x10`, `1e5`, a range — is
 * refused (ArmlsValueError), never read in part. `signed` admits a leading `-` (longitudes);
 * without it a negative number (`-3` bedrooms) is refused as one: it cannot be negative.
 */
export function readExportNumber(text: string, options: { signed?: boolean } = {}): number {
  const negative = text.startsWith('-');
  const m = UNSIGNED.exec(negative ? text.slice(1).trim() : text);
  if (!m) throw new ArmlsValueError(`${quoteValue(text)} is not a number`);
  if (negative && options.signed !== true) throw new ArmlsValueError(`${quoteValue(text)} cannot be negative`);
  const n = Number(m[1]!.replace(/,/g, ''));
  return negative ? -n : n;
}

/** `1001-1200` or `1,001 - 1,200`: a size given as a range of square feet, low then high. */
const RANGE = /^((?:\d{1,3}(?:,\d{3})+|\d+))\s*(?:-|–|to)\s*((?:\d{1,3}(?:,\d{3})+|\d+))$/i;

/**
 * A living area written as a range (`1001-1200`: the "Approx SQFT Range" form of ARMLS, a field
 * of its RETS resource beside `Approx SQFT`): `{ min, max }` in sq ft, or null when the text is
 * not a range. Never one of its ends read as the area, nor its digits run together (10011200).
 */
export function readSqftRange(text: string): { min: number; max: number } | null {
  const m = RANGE.exec(text.trim());
  if (!m) return null;
  const [min, max] = [Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, ''))];
  if (!(min < max)) throw new ArmlsValueError(`${quoteValue(text)} is not a range of square feet (low-high)`);
  return { min, max };
}

/**
 * The century of a two-digit year as Excel reads one, which re-saves an export's days as
 * `M/D/YY`: 00–29 are 2000–2029, 30–99 are 1930–1999 (Microsoft, "How Excel works with two-digit
 * year numbers", the default 2029 cutoff).
 */
function fullYear(yy: string): number {
  const y = Number(yy);
  return y < 30 ? 2000 + y : 1900 + y;
}

/**
 * A day as an export writes one, as `YYYY-MM-DD`: `2021-04-06` (with or without a time after it,
 * `2025-03-09 21:02:59.817924`), `4/6/2021`, `04/06/2021`, or `9/30/25` (re-saved by Excel, its
 * two-digit-year rule), either with Excel's time after it (`4/6/2021 0:00`, `3/9/25 9:02 PM`).
 * A day that is not on the calendar (`2/30/2025`) or any other form is refused.
 */
export function readExportDate(text: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+Z?)?$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[AP]M)?)?$/i.exec(text);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : us
      ? [us[3]!.length === 2 ? fullYear(us[3]!) : Number(us[3]), Number(us[1]), Number(us[2])]
      : [NaN, NaN, NaN];
  if (Number.isNaN(year)) throw new ArmlsValueError(`${quoteValue(text)} is not a date (YYYY-MM-DD, M/D/YYYY or M/D/YY)`);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ArmlsValueError(`${quoteValue(text)} is not a day on the calendar`);
  }
  return date.toISOString().slice(0, 10);
}

/**
 * A tax year: four digits from 1900 to next year. Real exports hold a typing slip (`202` for
 * 2020-something): refused, never read as the year 202.
 */
export function readTaxYear(text: string, today: Date = new Date()): number {
  const year = /^\d{4}(?:\.0+)?$/.test(text) ? Math.trunc(Number(text)) : NaN;
  if (!(year >= 1900 && year <= today.getUTCFullYear() + 1)) throw new ArmlsValueError(`${quoteValue(text)} is not a tax year`);
  return year;
}

/**
 * Arizona's extent in WGS 84 degrees (U.S. Census Bureau, TIGER/Line state boundaries: latitude
 * 31.332 to 37.004 N, longitude 109.045 to 114.818 W), rounded outward.
 */
const ARIZONA = { south: 31.3, north: 37.1, west: -114.9, east: -109.0 } as const;

/**
 * `Geo Lat` / `Geo Lon` as a point, or null when the export has none: blank, or 0 (a listing
 * never placed on the map). A point outside Arizona — a longitude written without its minus
 * sign (`111.93`: west of Greenwich is negative), lat and lon swapped, a slip of a digit — is
 * refused: an ARMLS listing is in Arizona.
 */
export function readArizonaPoint(lat: number | null, lon: number | null): { latitude: number; longitude: number } | null {
  if ((lat === null || lat === 0) && (lon === null || lon === 0)) return null;
  if (lat === null || lon === null || lat === 0 || lon === 0) throw new ArmlsValueError(`${lat ?? 'blank'}, ${lon ?? 'blank'} is half a point`);
  if (lon > 0 && -lon >= ARIZONA.west && -lon <= ARIZONA.east) {
    throw new ArmlsValueError(`${lat}, ${lon} is east of Greenwich: an Arizona longitude is negative (${-lon}?)`);
  }
  if (lat < ARIZONA.south || lat > ARIZONA.north || lon < ARIZONA.west || lon > ARIZONA.east) {
    throw new ArmlsValueError(`${lat}, ${lon} is not in Arizona`);
  }
  return { latitude: lat, longitude: lon };
}

/**
 * ARMLS's one-letter `Status` codes of its CSV exports, each read from the dates real rows carry:
 * `A` (no off-market day) active; `C` (Sold Price and Close of Escrow Date on every row) closed;
 * `L` (a Cancel Date on every row, and only on these) cancelled; `E` (off market, no cancel
 * day) expired; `W` withdrawn. `P`, `U` and `T` are read by name (Pending, UCB, Temp Off Market)
 * as `listingStatus` reads them; no real export at hand shows them.
 */
export const ARMLS_STATUS_CODES: Record<string, ListingStatus> = {
  A: 'active',
  C: 'closed',
  L: 'cancelled',
  E: 'expired',
  W: 'withdrawn',
};
