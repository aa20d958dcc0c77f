import { qualityFeatures } from './quality-features.js';
import { quoteValue } from '../import/quote-value.js';
import { csvOriginal } from './csv-original.js';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import { isApn, normalizeApn } from '../maricopa/apn.js';
import { fullSizePhoto, listingStatus, lotSqft, totalBathrooms, type ListingStatus } from '../listing-fields.js';
import { armlsFees } from './fees.js';
import { armlsSaleFlags } from './sale-conditions.js';
import {
  ARMLS_STATUS_CODES,
  ArmlsValueError,
  readArizonaPoint,
  readExportDate,
  readExportNumber,
  readSqftRange,
  readTaxYear,
  type UnreadValue,
} from './values.js';

export const ARMLS_SOURCE = 'armls_export' as const;

/** Columns a file must have to be read as an ARMLS export at all. */
export const ARMLS_REQUIRED_COLUMNS = ['List Number', 'House Number', 'Street Name', 'Zip Code', 'Status'] as const;

/** A row that cannot be stored, with the column at fault: reported with its row number. */
export class ArmlsRowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(`${column}: ${message}`);
    this.name = 'ArmlsRowError';
  }
}

/**
 * The `Features` column: `Group|Field|Value` triples separated by `;`
 * (`Association & Fees|HOA Fee|145;Association & Fees|HOA Paid Frequency|Monthly;…`), as a map
 * from `Group|Field` to value. A value may itself contain `|`; the first two parts are the key.
 */
export function parseFeatures(text: string | undefined): Map<string, string> {
  const features = new Map<string, string>();
  if (!text) return features;
  for (const triple of text.split(';')) {
    const parts = triple.split('|');
    if (parts.length < 3) continue;
    features.set(`${parts[0]!.trim()}|${parts[1]!.trim()}`, parts.slice(2).join('|').trim());
  }
  return features;
}

/** Columns whose values must not be kept (ARMLS `DND`: do not disclose), nor phone numbers. */
const PRIVATE_COLUMN = /DND|Phone|Phn|Fax/i;

/**
 * The row as stored in `original`: every column as exported, less the do-not-disclose ones, as
 * parallel arrays (column names hold dots, `Jr. High School`, which a document key may not).
 */
export function publicColumns(row: Record<string, string>): { columns: string[]; values: string[] } {
  const kept = Object.entries(row).filter(([k]) => !PRIVATE_COLUMN.test(k));
  return { columns: kept.map(([k]) => k), values: kept.map(([, v]) => v) };
}

/**
 * One row of an ARMLS CSV export (SOURCE.md of `../shared/fixtures/armls-export`) as a raw
 * property, in the field names the listing collector and the valuation read. Columns are found by
 * name, so their order does not matter; a column the export lacks is unknown; columns we do not
 * read are kept in `original` only.
 *
 * - `parcel_number` from `Assessor Number` (`173-35-524`, `17335524`, `130-20-103-A`), else book,
 *   map, parcel and letter columns: the exact join to the assessor's record; `address` from its
 *   parts (a part of only dashes, `St Suffix: --`, is none), `Unit #` as `UNIT <n>`;
 * - `listing_status` from `Status`: the export's one-letter codes (ARMLS_STATUS_CODES), else by
 *   name; `under_contract` from `UCB or CCBS` (`Y`, or as ARMLS's RETS field writes it, `UCB
 *   (Under Contract-Backups)`: an Active listing under contract);
 * - a closed sale: `sale_price` / `sale_date` and `sales: [{date, price, source, date_precision,
 *   flags}]` from `Sold Price` dated to the day by `Close of Escrow Date` (comparables), flagged
 *   with what the row says of the sale's conditions (armlsSaleFlags: fractional, timeshare,
 *   seller concession, …), which sales validation reads; `list_price` only while not sold (the asking
 *   price), `original_list_price` always; a rental (`Property Type` naming a rental or lease, or
 *   `Status` `Leased`) is never a sale nor an asking price: its prices are rents (`rent_price`,
 *   dollars a month), and a closed rental is a lease dated `lease_date` (leaseOf): rent evidence;
 * - `square_feet` from `Approx SQFT`, or `square_feet_range: {min, max}` when it is a range; the
 *   lot in sq ft from `Approx Lot SqFt`, else `Approx Lot Acres` × 43,560; `bathrooms`:
 *   `Total Bathrooms`, else Full + ½ × Half; `stories` (`Exterior Stories`, the building's) and
 *   `interior_levels` (`# of Interior Levels`, the home's);
 * - `latitude` / `longitude` in degrees, none when 0 or blank; `annual_taxes` (dollars) for
 *   `taxes_year`;
 * - from `Features` (fees.ts): `hoa_monthly` (both HOAs), `land_lease_monthly`,
 *   `other_fees_monthly` (recreation centre, PAD), in dollars a month with their text;
 *   `total_monthly_fees` (ARMLS's `Ttl Mthly Fee Equiv`); `one_time_fees` (never monthly);
 *   `special_assessment` (instalments a month, with their start and end); `hoa_includes`;
 *   the condition and quality facts of `quality-features.ts` (`remodeled_year`, `view`,
 *   `premium_finishes`, `amenity_building`);
 * - the listing before a sale: `list_date`, `original_list_price`, `under_contract_date` and, for a
 *   closed sale, `last_list_price` (the asking price it sold under: the valuation's sale-to-list ratio);
 *
 * Throws ArmlsRowError naming the column when the row cannot be stored: no MLS number, street or
 * ZIP (`85251`, or ZIP+4 `85251-4156` read as its five digits), a status ARMLS does not use or a
 * deleted listing, a closed sale's price or day that is not one (a price of $0 is none). Any other value
 * that cannot be read is left unknown and listed in `unread_values` (column, value, reason), which
 * the import reports with the row's number.
 */
export function mapArmlsRow(row: Record<string, string>): RawPropertyInput {
  const get = (column: string): string | null => {
    const v = row[column]?.trim();
    return v === undefined || v === '' || /^-+$/.test(v) ? null : v;
  };
  const unread: UnreadValue[] = [];
  /** The column read by `read`; when it cannot be, the row is refused (`critical`) or the value unknown. */
  const value = <T>(column: string, read: (text: string) => T, critical = false): T | null => {
    const text = get(column);
    if (text === null) return null;
    try {
      return read(text);
    } catch (error) {
      if (!(error instanceof ArmlsValueError)) throw error;
      if (critical) throw new ArmlsRowError(column, error.message);
      unread.push({ column, value: text, reason: error.message });
      return null;
    }
  };
  const number = (column: string, critical = false) => value(column, (t) => readExportNumber(t), critical);
  /** A count or measure where 0 means the export does not know it (`Approx SQFT: 0`). */
  const measure = (column: string) => {
    const n = number(column);
    return n === 0 ? null : n;
  };
  const date = (column: string, critical = false) => value(column, readExportDate, critical);

  const listNumber = get('List Number');
  if (!listNumber) throw new ArmlsRowError('List Number', 'missing');
  if (!/^\d+$/.test(listNumber)) throw new ArmlsRowError('List Number', `${quoteValue(listNumber)} is not an MLS number`);
  const house = get('House Number');
  const streetName = get('Street Name');
  if (!house || !streetName) throw new ArmlsRowError(house ? 'Street Name' : 'House Number', 'missing: a row without a street address cannot be matched');
  const zipText = get('Zip Code');
  const zip = zipText === null ? null : /^(\d{5})(?:-\d{4})?$/.exec(zipText)?.[1];
  if (!zip) throw new ArmlsRowError('Zip Code', zipText ? `${quoteValue(zipText)} is not a 5-digit ZIP code` : 'missing');

  const unit = get('Unit #')?.replace(/^(?:#|unit\b|apt\b|ste\b)\s*/i, '') || null;
  const street = [house, get('Compass'), streetName, get('St Suffix'), get('St Dir Sfx')].filter(Boolean).join(' ');
  const city = get('City/Town Code');
  const address = `${street}${unit ? ` UNIT ${unit}` : ''}, ${city ? `${city}, ` : ''}${get('State/Province') ?? 'AZ'} ${zip}`;

  const status = get('Status');
  const normalizedStatus = armlsStatus(status);
  const rental = /rent|lease/i.test(get('Property Type') ?? '') || /^(leased|rented)$/i.test(status ?? '');
  const closed = normalizedStatus === 'closed' && !rental;
  const soldPrice = number('Sold Price', closed);
  // A closed sale at $0 records no sale (a price not entered, a transfer without consideration):
  // refused like any other closed-sale price that is not one, never a $0 comparable.
  if (closed && soldPrice === 0) throw new ArmlsRowError('Sold Price', `"${get('Sold Price')}": a closed sale at $0 is not a sale`);
  const closeDate = date('Close of Escrow Date', closed);
  if (closed && (soldPrice === null || closeDate === null)) {
    const column = soldPrice === null ? 'Sold Price' : 'Close of Escrow Date';
    unread.push({ column, value: '', reason: 'a closed sale without its price and day is not a comparable' });
  }
  const listPrice = number('List Price', !closed && !rental);
  const lease = rental ? leaseOf(soldPrice, listPrice, normalizedStatus === 'closed' ? closeDate : null, normalizedStatus, unread) : null;
  const point = readPoint(get('Geo Lat'), get('Geo Lon'), unread);
  const sqftIsRange = /\d\s*(?:-|–|to)\s*\d/i.test(get('Approx SQFT') ?? '');
  const sqftRange = value('Approx SQFT Range', readSqftRange) ?? (sqftIsRange ? value('Approx SQFT', readSqftRange) : null);
  const yearBuilt = value('Year Built', readYearBuilt);
  const stories = measure('Exterior Stories');
  const levels = plausibleLevels(measure('# of Interior Levels'), stories, unread);

  const features = parseFeatures(row.Features);
  const fees = armlsFees(features, unread);
  const garages = features.get('Parking Spaces|Garage Spaces');
  const photo = get('Photo URL');
  const full = number('Full Bathrooms');
  const half = number('Half Bathrooms');

  return {
    source: ARMLS_SOURCE,
    source_id: listNumber,
    data: {
      mls_number: listNumber,
      parcel_number: parcelNumberOf(get, unread),
      address,
      zip,
      unit,
      status,
      listing_status: normalizedStatus,
      under_contract: UNDER_CONTRACT.has(normalizedStatus) || (normalizedStatus === 'active' && /^(y|ucb|ccbs)\b/i.test(get('UCB or CCBS') ?? '')),
      list_price: closed || rental ? null : listPrice,
      original_list_price: rental ? null : number('Original List Price'),
      sale_price: closed ? soldPrice : null,
      sale_date: closed ? closeDate : null,
      sales: closed && soldPrice !== null && closeDate !== null ? [{ date: closeDate, price: soldPrice, source: ARMLS_SOURCE, date_precision: 'day', flags: armlsSaleFlags(get, features) }] : [],
      ...(lease && { rent_price: lease.rent, lease_date: lease.date }),
      list_date: date('List Date'),
      days_on_market: number('Days on Market'),
      bedrooms: number('# Bedrooms'),
      bathrooms: totalBathrooms({ total: measure('Total Bathrooms'), full, half }),
      full_bathrooms: full,
      half_bathrooms: half,
      square_feet: sqftIsRange ? null : measure('Approx SQFT'),
      ...(sqftRange && { square_feet_range: sqftRange }),
      lot_size: lotSqft({ sqft: measure('Approx Lot SqFt'), acres: measure('Approx Lot Acres') }),
      year_built: yearBuilt,
      stories,
      interior_levels: levels,
      pool: yesNo(get('Private Pool Y/N')),
      garage_spaces: garages === undefined || garages === '' || !Number.isFinite(Number(garages)) ? null : Number(garages),
      property_type_label: get('Dwelling Type') ?? (get('Property Type') === 'Residential' ? null : get('Property Type')),
      dwelling_style: get('Dwelling Styles'),
      listing_property_type: get('Property Type'),
      latitude: point?.latitude ?? null,
      longitude: point?.longitude ?? null,
      annual_taxes: number('Taxes'),
      taxes_year: value('Tax Year', (t) => readTaxYear(t)),
      hoa_monthly: fees.hoa?.monthly ?? null,
      hoa_text: fees.hoa?.text ?? features.get('Association & Fees|HOA Fee') ?? null,
      land_lease_monthly: fees.landLease?.monthly ?? null,
      land_lease_text: fees.landLease?.text ?? features.get('Association & Fees|Land Lease Fee') ?? null,
      other_fees_monthly: fees.otherMonthly,
      total_monthly_fees: fees.totalMonthly,
      one_time_fees: fees.oneTime,
      special_assessment: fees.specialAssessment,
      hoa_includes: fees.includes,
      ownership: get('Ownership'),
      subdivision: get('Subdivision'),
      under_contract_date: date('Under Contract Date'),
      last_list_price: closed ? listPrice : null,
      ...qualityFeatures(features),
      description: get('Public Remarks'),
      photo_urls: photo ? [fullSizePhoto(photo)] : [],
      unread_values: unread,
    },
    original: csvOriginal(publicColumns(row)),
  };
}

/**
 * A rental row's rent and lease day. Its prices are dollars a month: the leased rent (`Sold
 * Price`) when there is one, else the asked rent (`List Price`); $0 is none. A closed rental
 * (`C`, `Leased`: RESO's Closed, "the lease agreement has been executed") is a lease, dated by
 * its `Close of Escrow Date`; one without its rent or day is reported as no rent comparable. A
 * "rent" above $100,000 a month is a sale price in a rental row: none, reported.
 */
function leaseOf(sold: number | null, list: number | null, closeDate: string | null, status: ListingStatus, unread: UnreadValue[]): { rent: number | null; date: string | null } {
  let rent = sold || list || null;
  if (rent !== null && rent > MAX_MONTHLY_RENT) {
    unread.push({ column: sold ? 'Sold Price' : 'List Price', value: String(rent), reason: `$${rent.toLocaleString('en-US')} is not a monthly rent` });
    rent = null;
  }
  const leased = status === 'closed';
  if (leased && (rent === null || closeDate === null)) {
    unread.push({ column: rent === null ? 'Sold Price' : 'Close of Escrow Date', value: '', reason: 'a lease without its monthly rent and day is not a rent comparable' });
  }
  return { rent, date: leased ? closeDate : null };
}

/** Dollars a month above which a rental row's price is not a rent. */
const MAX_MONTHLY_RENT = 100_000;

/**
 * Statuses of a listing under contract while still on the market: UCB (Under Contract - Backups),
 * CCBS (Contract Contingent on Buyer Sale) and RESO's Active Under Contract (listing-fields.ts,
 * STATUS_WORDS, with their sources). A row with one of them IS under contract, whatever its
 * `UCB or CCBS` column says.
 */
const UNDER_CONTRACT: ReadonlySet<ListingStatus> = new Set(['ucb', 'ccbs', 'active_under_contract']);

/** `Status` read as a code or a name; null when it is neither. */
function readStatus(status: string): ListingStatus | null {
  return ARMLS_STATUS_CODES[status.toUpperCase()] ?? listingStatus(status);
}

/** The one-letter codes `Status` accepts (`A, C, E, L, P, T, U, W, X`), found by reading each letter: never a list that drifts from what is read. */
export const ACCEPTED_STATUS_CODES: readonly string[] = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter((c) => readStatus(c) !== null);

/** `Status` as one of LISTING_STATUSES: its ARMLS code, else its name; refused when neither. */
function armlsStatus(status: string | null): ListingStatus {
  if (status === null) throw new ArmlsRowError('Status', 'missing');
  if (/^deleted$/i.test(status)) throw new ArmlsRowError('Status', 'a deleted listing: its contract was never valid (RESO StandardStatus "Delete")');
  const read = readStatus(status);
  if (read === null) {
    throw new ArmlsRowError('Status', `${quoteValue(status)} is not an ARMLS status (one of the codes ${ACCEPTED_STATUS_CODES.join(', ')}, or a name such as Active, Pending, UCB, CCBS, Coming Soon, Closed, Expired, Cancelled, Withdrawn)`);
  }
  return read;
}

/**
 * `Geo Lat` / `Geo Lon` (their texts, null when blank) as an Arizona point; a point that is not
 * one is unknown and reported, naming the value at fault (`Geo Lat "abc" is not a number`).
 */
function readPoint(latText: string | null, lonText: string | null, unread: UnreadValue[]): { latitude: number; longitude: number } | null {
  const degrees = (column: string, text: string | null) => {
    try {
      return text === null ? null : readExportNumber(text, { signed: true });
    } catch (error) {
      if (error instanceof ArmlsValueError) throw new ArmlsValueError(`${column} ${error.message}`);
      throw error;
    }
  };
  try {
    return readArizonaPoint(degrees('Geo Lat', latText), degrees('Geo Lon', lonText));
  } catch (error) {
    if (!(error instanceof ArmlsValueError)) throw error;
    unread.push({ column: 'Geo Lat/Geo Lon', value: `${latText ?? ''}, ${lonText ?? ''}`, reason: error.message });
    return null;
  }
}

/** A year a home was built: four digits, 1800 to two years ahead (homes sold before they are built). */
function readYearBuilt(text: string): number {
  const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(year >= 1800 && year <= new Date().getUTCFullYear() + 2)) throw new ArmlsValueError(`${quoteValue(text)} is not a year`);
  return year;
}

/**
 * A home's levels: never more than the building's stories (a real row has 22 levels in a
 * two-story building, a slip for 2): unknown and reported when it is.
 */
function plausibleLevels(levels: number | null, stories: number | null, unread: UnreadValue[]): number | null {
  if (levels === null || stories === null || levels <= stories) return levels;
  unread.push({ column: '# of Interior Levels', value: String(levels), reason: `${levels} levels in a building of ${stories} (Exterior Stories)` });
  return null;
}

/**
 * `Assessor Number` in Maricopa form (`173-35-524`, `17335524`, `130-20-103-A` → `130-20-103A`),
 * else from the book/map/parcel/letter columns (`173.00`, `35.00`, `524.00`). Null when neither
 * reads; reported when the row is in Maricopa County (another county's number is not one).
 */
function parcelNumberOf(get: (column: string) => string | null, unread: UnreadValue[]): string | null {
  const direct = get('Assessor Number');
  const parts = [get("Assessor's Book #"), get("Assessor's Map #"), get("Assessor's Parcel #")].map((p) => (p === null ? null : Number(p)));
  const candidates = [direct];
  if (parts.every((p) => p !== null && Number.isInteger(p))) {
    const [book, map, parcel] = parts as number[];
    candidates.push(`${String(book).padStart(3, '0')}-${String(map).padStart(2, '0')}-${String(parcel).padStart(3, '0')}${get('Assessor Parcel Ltr') ?? ''}`);
  }
  for (const candidate of candidates) if (candidate && isApn(candidate)) return normalizeApn(candidate);
  const county = get('County Code');
  if (direct !== null && (county === null || /^maricopa$/i.test(county))) {
    unread.push({ column: 'Assessor Number', value: direct, reason: `${quoteValue(direct)} is not a Maricopa parcel number (book-map-parcel like 173-35-524)` });
  }
  return null;
}

function yesNo(v: string | null): boolean | null {
  if (v === null) return null;
  return /^y/i.test(v) ? true : /^n/i.test(v) ? false : null;
}
