import { csvOriginal } from './csv-original.js';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import { normalizeApn } from '../maricopa/apn.js';
import { listingStatus, lotSqft, monthlyFee, totalBathrooms } from '../listing-fields.js';

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
 * property, in the field names the listing collector and the valuation read:
 *
 * - `parcel_number` from `Assessor Number` (else book, map, parcel and letter columns): the exact
 *   join to the assessor's record; `address` from its parts, `Unit #` as `UNIT <n>`;
 * - `listing_status` normalised from `Status` (`C` closed, `A` active, …);
 * - a closed sale: `sale_price` / `sale_date` and `sales: [{date, price, source}]` from
 *   `Sold Price` and `Close of Escrow Date` (comparables); `list_price` only while listed;
 * - `bathrooms`: `Total Bathrooms`, else Full + ½ × Half; `lot_size` in sq ft from `Approx Lot
 *   SqFt`, else `Approx Lot Acres` × 43,560;
 * - `latitude` / `longitude` in degrees; `annual_taxes` (dollars) for `taxes_year`;
 * - `hoa_monthly` / `land_lease_monthly` in dollars a month with their text, from `Features`.
 *
 * Throws ArmlsRowError naming the column when a required value is missing or a number is not one.
 */
export function mapArmlsRow(row: Record<string, string>): RawPropertyInput {
  const get = (column: string): string | null => {
    const v = row[column];
    return v === undefined || v.trim() === '' ? null : v.trim();
  };
  const number = (column: string): number | null => {
    const v = get(column);
    if (v === null) return null;
    const n = Number(v.replace(/[$,]/g, ''));
    if (!Number.isFinite(n)) throw new ArmlsRowError(column, `"${v}" is not a number`);
    return n;
  };
  const date = (column: string): string | null => {
    const v = get(column);
    if (v === null) return null;
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$/.exec(v) ?? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
    if (!m) throw new ArmlsRowError(column, `"${v}" is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
    return m.length === 2 ? m[1]! : `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
  };

  const listNumber = get('List Number');
  if (!listNumber) throw new ArmlsRowError('List Number', 'missing');
  if (!/^\d+$/.test(listNumber)) throw new ArmlsRowError('List Number', `"${listNumber}" is not an MLS number`);
  const house = get('House Number');
  const streetName = get('Street Name');
  if (!house || !streetName) throw new ArmlsRowError(house ? 'Street Name' : 'House Number', 'missing: a row without a street address cannot be matched');
  const zip = get('Zip Code');
  if (!zip || !/^\d{5}$/.test(zip)) throw new ArmlsRowError('Zip Code', zip ? `"${zip}" is not a 5-digit ZIP code` : 'missing');

  const unit = get('Unit #');
  const street = [house, get('Compass'), streetName, get('St Suffix'), get('St Dir Sfx')].filter(Boolean).join(' ');
  const city = get('City/Town Code');
  const address = `${street}${unit ? ` UNIT ${unit}` : ''}, ${city ? `${city}, ` : ''}${get('State/Province') ?? 'AZ'} ${zip}`;

  const status = get('Status');
  const normalizedStatus = listingStatus(status);
  const closed = normalizedStatus === 'closed';
  const soldPrice = number('Sold Price');
  const closeDate = date('Close of Escrow Date');
  const latitude = number('Geo Lat');
  const longitude = number('Geo Lon');
  if (latitude !== null && (latitude < -90 || latitude > 90)) throw new ArmlsRowError('Geo Lat', `${latitude} is not a latitude`);
  if (longitude !== null && (longitude < -180 || longitude > 180)) throw new ArmlsRowError('Geo Lon', `${longitude} is not a longitude`);

  const features = parseFeatures(row.Features);
  const feature = (key: string) => features.get(`Association & Fees|${key}`) ?? null;
  const hoaFee = feature('HOA Fee');
  const hoa = feature('HOA Y/N') === 'N' ? { monthly: 0, text: 'HOA Y/N: N' } : monthlyFee(hoaFee, feature('HOA Paid Frequency'));
  const landLease = feature('Land Lease Fee Y/N') === 'N' ? null : monthlyFee(feature('Land Lease Fee'), feature('Land Lease Pd (Freq)'));
  const garages = features.get('Parking Spaces|Garage Spaces');
  const photo = get('Photo URL');

  return {
    source: ARMLS_SOURCE,
    source_id: listNumber,
    data: {
      mls_number: listNumber,
      parcel_number: parcelNumberOf(get),
      address,
      zip,
      unit,
      status,
      listing_status: normalizedStatus,
      list_price: closed ? null : number('List Price'),
      original_list_price: number('Original List Price'),
      sale_price: closed ? soldPrice : null,
      sale_date: closed ? closeDate : null,
      sales: closed && soldPrice !== null && closeDate !== null ? [{ date: closeDate, price: soldPrice, source: ARMLS_SOURCE }] : [],
      list_date: date('List Date'),
      days_on_market: number('Days on Market'),
      bedrooms: number('# Bedrooms'),
      bathrooms: totalBathrooms({ total: number('Total Bathrooms'), full: number('Full Bathrooms'), half: number('Half Bathrooms') }),
      full_bathrooms: number('Full Bathrooms'),
      half_bathrooms: number('Half Bathrooms'),
      square_feet: number('Approx SQFT'),
      lot_size: lotSqft({ sqft: number('Approx Lot SqFt'), acres: number('Approx Lot Acres') }),
      year_built: intOrNull(number('Year Built')),
      pool: yesNo(get('Private Pool Y/N')),
      garage_spaces: garages === undefined || garages === '' || !Number.isFinite(Number(garages)) ? null : Number(garages),
      property_type_label: get('Dwelling Type'),
      listing_property_type: get('Property Type'),
      latitude,
      longitude,
      annual_taxes: number('Taxes'),
      taxes_year: intOrNull(number('Tax Year')),
      hoa_monthly: hoa?.monthly ?? null,
      hoa_text: hoa?.text ?? hoaFee,
      land_lease_monthly: landLease?.monthly ?? null,
      land_lease_text: landLease?.text ?? feature('Land Lease Fee'),
      total_monthly_fees: feature('Ttl Mthly Fee Equiv') === null ? null : Number(feature('Ttl Mthly Fee Equiv')),
      ownership: get('Ownership'),
      subdivision: get('Subdivision'),
      description: get('Public Remarks'),
      photo_urls: photo ? [photo] : [],
    },
    original: csvOriginal(publicColumns(row)),
  };
}

/** `Assessor Number` in Maricopa form, else from book/map/parcel columns; null when neither reads. */
function parcelNumberOf(get: (column: string) => string | null): string | null {
  const direct = get('Assessor Number');
  const parts = [get("Assessor's Book #"), get("Assessor's Map #"), get("Assessor's Parcel #")].map((p) => (p === null ? null : Number(p)));
  const candidates = [direct];
  if (parts.every((p) => p !== null && Number.isInteger(p))) {
    const [book, map, parcel] = parts as number[];
    candidates.push(`${String(book).padStart(3, '0')}-${String(map).padStart(2, '0')}-${String(parcel).padStart(3, '0')}${get('Assessor Parcel Ltr') ?? ''}`);
  }
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return normalizeApn(candidate);
    } catch {
      // Not a Maricopa parcel number (another county's): matched by address instead.
    }
  }
  return null;
}

function intOrNull(n: number | null): number | null {
  return n === null ? null : Math.trunc(n);
}

function yesNo(v: string | null): boolean | null {
  if (v === null) return null;
  return /^y/i.test(v) ? true : /^n/i.test(v) ? false : null;
}
