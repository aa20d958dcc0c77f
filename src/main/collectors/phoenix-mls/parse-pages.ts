import * as cheerio from 'cheerio';
import { withoutMlsNumber } from '../../../shared/address.js';
import { normalizeApn } from '../maricopa/apn.js';
import {
  dollarsRefusal,
  fullSizePhoto,
  isPlaceholderPhoto,
  largestOfSrcset,
  listingStatus,
  mlsNumberFromHeading,
  mlsNumberFromUrl,
  numberRefusal,
  parseDollars,
  parseNumber,
  readLotSize,
  readMlsNumber,
  readTotalBathrooms,
  totalBathrooms,
  type Reading,
} from '../listing-fields.js';
import { FEE_TEXT_FIELDS, readFees } from './fees.js';
import type { MlsField, SelectorSet } from './selectors.js';

/** What a detail page gave, field by field, as text and as the value read from it. */
export interface DetailParse {
  values: Partial<Record<MlsField, unknown>>;
  /** The text each found field came from (what the selector tester shows). */
  found: Partial<Record<MlsField, string>>;
  /** Fields the page did not give, or gave in a form that cannot be read (required ones make the page fail). */
  missing: MlsField[];
  missingRequired: MlsField[];
  /** Why a field the page has could not be read (`list_price: "$1.2 Bn" is not a dollar amount`). */
  unreadable: string[];
}

/** Fields read as plain numbers (counts and measures). */
const NUMBER_FIELDS = new Set<MlsField>(['bedrooms', 'bathrooms', 'total_bathrooms', 'half_bathrooms', 'three_quarter_bathrooms', 'square_feet', 'lot_area', 'year_built', 'garage_spaces', 'tax_year']);
/** Fields read as dollar amounts (`$1.2M` is 1,200,000, never 1.2). */
const DOLLAR_FIELDS = new Set<MlsField>(['list_price', 'taxes', 'total_monthly_fees']);
/** Fields kept as text and read together (fees: an amount and its frequency are two lines). */
const TEXT_FIELDS = new Set<MlsField>(FEE_TEXT_FIELDS);

/**
 * Attributes lazy-loading scripts put the real image URL in, most specific first; `src` last.
 * `fullsrc`: the flexmls IDX plugin's filmstrip (`<img src=UriThumb fullsrc=UriLarge>`,
 * wp-plugins/flexmls-idx pages/listing-details.php).
 */
const PHOTO_ATTRIBUTES = ['fullsrc', 'data-src', 'data-original', 'data-lazy-src', 'data-lazy', 'data-full', 'src'];
const PHOTO_SRCSETS = ['data-srcset', 'srcset', 'data-lazy-srcset'];
const read = <T,>(value: T | null, reason: string): Reading<T> => (value === null ? { ok: false, reason } : { ok: true, value });

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** One field's text read into its value, or why it cannot be read as that field. */
function readField(field: MlsField, text: string): Reading<unknown> {
  // Flexmls masks a field the MLS withholds from the public as asterisks (its IDX plugin's
  // `is_not_blank_or_restricted`): no value, whatever the field.
  if (/^\*{3,}$/.test(text)) return { ok: false, reason: 'is withheld by the MLS' };
  if (field === 'pool') return read(/^(y|yes|true)\b/i.test(text) ? true : /^(n|no|false)\b/i.test(text) ? false : null, 'is not yes or no');
  if (field === 'parcel_number') {
    try {
      return { ok: true, value: normalizeApn(text) };
    } catch {
      return { ok: false, reason: 'is not an APN' };
    }
  }
  if (field === 'mls_number') return readMlsNumber(text);
  // `Approx Lot SqFt` is square feet and `Approx Lot Acres` acres when bare; `Lot Size` must say which.
  if (field === 'lot_size') return readLotSize(text, 'sqft');
  if (field === 'lot_acres') return readLotSize(text, 'acres');
  if (field === 'lot_text') return readLotSize(text);
  if (DOLLAR_FIELDS.has(field)) return read(parseDollars(text), dollarsRefusal(text));
  if (NUMBER_FIELDS.has(field)) return read(parseNumber(text), numberRefusal(text));
  return { ok: true, value: text };
}

/** Each photo's real URL: the lazy attribute over a placeholder `src`, full size on the Spark CDN. */
function photoUrls($: cheerio.CheerioAPI, selector: string, pageUrl: string): string[] {
  const urls: string[] = [];
  $(selector).each((_, el) => {
    const img = $(el);
    // A `<picture>` offers its sizes in `<source srcset>` beside the `<img>` (WHATWG HTML).
    const sources = img.parent('picture').children('source').toArray().map((s) => $(s));
    const candidates = [
      ...PHOTO_ATTRIBUTES.slice(0, -1).map((a) => img.attr(a)),
      ...[img, ...sources].flatMap((node) =>
        PHOTO_SRCSETS.map((a) => {
          const set = node.attr(a);
          return set ? (largestOfSrcset(set) ?? undefined) : undefined;
        }),
      ),
      img.attr('src'),
    ];
    const real = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '' && !isPlaceholderPhoto(c.trim()));
    if (!real) return;
    try {
      urls.push(fullSizePhoto(new URL(real.trim(), pageUrl).href));
    } catch {
      // Not a URL at all: no photo.
    }
  });
  return [...new Set(urls)];
}

/** Parse a detail page's HTML with the selector set. */
export function parseDetailPage(html: string, pageUrl: string, selectors: SelectorSet): DetailParse {
  const $ = cheerio.load(html);
  const found: Partial<Record<MlsField, string>> = {};
  const values: Partial<Record<MlsField, unknown>> = {};
  const unreadable: string[] = [];

  const heading = clean($(selectors.detail_address).first().text());
  const address = withoutMlsNumber(heading);
  if (address) found.address = address;

  // `Label: value` lines. A label may carry its group, as ARMLS names its fields (`Association &
  // Fees: HOA Fee: 145`): the line then answers to the whole label and to the label after the
  // group (`HOA Fee`); a line of its own label wins over such an inner one.
  const lines = new Map<string, string>();
  const inner = new Map<string, string>();
  const unlabelled: string[] = [];
  $(selectors.detail_lines).each((_, el) => {
    const text = clean($(el).text());
    const colons = [...text.matchAll(/:/g)].map((m) => m.index!).filter((i) => i > 0);
    if (colons.length === 0) unlabelled.push(text);
    colons.forEach((colon, k) => {
      const label = text.slice(0, colon).trim().toLowerCase();
      if (!lines.has(label)) lines.set(label, text.slice(colon + 1).trim());
      if (k > 0) {
        const after = text.slice(colons[k - 1]! + 1, colon).trim().toLowerCase();
        if (!inner.has(after)) inner.set(after, text.slice(colon + 1).trim());
      }
    });
  });
  for (const [label, value] of inner) if (!lines.has(label)) lines.set(label, value);
  for (const [field, labels] of Object.entries(selectors.labels) as [MlsField, string[]][]) {
    for (const label of labels) {
      const value = lines.get(label.toLowerCase());
      if (value !== undefined && value !== '') {
        found[field] = value;
        break;
      }
    }
  }
  const description = clean($(selectors.description).first().text());
  if (description) found.description = description;
  const photos = photoUrls($, selectors.photos, pageUrl);
  if (photos.length > 0) found.photo_urls = `${photos.length} photos: ${photos[0]}`;
  const stated = /\((\d+)\)/.exec(clean($(selectors.photo_count).first().text()))?.[1];
  if (stated) found.photo_count = stated;

  for (const [field, text] of Object.entries(found) as [MlsField, string][]) {
    if (field === 'photo_urls') values.photo_urls = photos;
    else if (field === 'photo_count') values.photo_count = Number(text);
    else if (TEXT_FIELDS.has(field) && !/^\*{3,}$/.test(text)) values[field] = text;
    else {
      const value = readField(field, text);
      if (!value.ok) {
        unreadable.push(`${field}: ${JSON.stringify(text)} ${value.reason}`);
        delete found[field];
      } else values[field] = value.value;
    }
  }
  // The MLS number from its label, else (no label, or one that is no MLS number) the heading,
  // title or an unlabelled line (`… / 6937912 (MLS #)`, `MLS# 6937912`), else the URL.
  if (values.mls_number === undefined) {
    const texts = [heading, clean($('title').first().text()), ...unlabelled];
    const fromPage = texts.map(mlsNumberFromHeading).find((n) => n !== null) ?? mlsNumberFromUrl(pageUrl);
    if (fromPage) found.mls_number = values.mls_number = fromPage;
  }
  const bathrooms = readTotalBathrooms(bathroomParts(values));
  if (!bathrooms.ok && bathrooms.reason !== 'none') unreadable.push(`total_bathrooms: ${bathrooms.reason}`);
  const lot = lotFromArea(values);
  if (lot && !lot.ok) unreadable.push(`lot_area: ${JSON.stringify([found.lot_area, found.lot_area_units].filter(Boolean).join(' '))} ${lot.reason}`);
  unreadable.push(...readFees(values).unreadable);
  const missing = (Object.keys(selectors.labels) as MlsField[]).concat(['address', 'description', 'photo_urls', 'photo_count']).filter((f, i, all) => all.indexOf(f) === i && !(f in found));
  return { values, found, missing, missingRequired: selectors.required.filter((f) => !(f in found)), unreadable };
}

/**
 * A parsed page's fields as a listing's raw data, in the names the pipeline and the valuation
 * read: `bathrooms` is the total (Total Bathrooms, else Full + ½ × Half: never a half counted
 * twice); `lot_size` in sq ft (Approx Lot SqFt, else Approx Lot Acres × 43,560, else a Lot Size
 * with its unit); `hoa_monthly` (every association summed) and `land_lease_monthly` in dollars
 * a month with `hoa_text` / `land_lease_text` as received (`fees.ts`), `one_time_fees` apart,
 * `total_monthly_fees` as ARMLS states it (`Ttl Mthly Fee Equiv`); `listing_status` normalised
 * beside the status text; `annual_taxes` in dollars for `taxes_year`; `unreadable`: why each
 * field the page states is unknown.
 */
export function listingData(parse: DetailParse): Record<string, unknown> {
  const v = parse.values;
  const num = (field: MlsField) => (typeof v[field] === 'number' ? (v[field] as number) : null);
  const text = (field: MlsField) => (typeof v[field] === 'string' ? (v[field] as string) : null);
  const fees = readFees(v);
  return {
    mls_number: v.mls_number === undefined ? null : String(v.mls_number),
    parcel_number: text('parcel_number'),
    address: text('address'),
    list_price: num('list_price'),
    status: text('status'),
    listing_status: statusOf(text('status'), text('ucb_or_ccbs')),
    bedrooms: num('bedrooms'),
    bathrooms: totalBathrooms(bathroomParts(v)),
    full_bathrooms: num('bathrooms'),
    half_bathrooms: num('half_bathrooms'),
    three_quarter_bathrooms: num('three_quarter_bathrooms'),
    square_feet: num('square_feet'),
    lot_size: num('lot_size') ?? num('lot_acres') ?? num('lot_text') ?? readingValue(lotFromArea(v)),
    year_built: num('year_built'),
    pool: typeof v.pool === 'boolean' ? v.pool : null,
    garage_spaces: num('garage_spaces'),
    property_type_label: text('property_type_label'),
    hoa_monthly: fees.hoa?.monthly ?? null,
    hoa_text: fees.hoa?.text ?? fees.hoaStated,
    land_lease_monthly: fees.landLease?.monthly ?? null,
    land_lease_text: fees.landLease?.text ?? text('land_lease_fee'),
    one_time_fees: fees.oneTime,
    total_monthly_fees: num('total_monthly_fees'),
    annual_taxes: num('taxes'),
    taxes_year: num('tax_year'),
    description: text('description'),
    photo_urls: Array.isArray(v.photo_urls) ? (v.photo_urls as string[]) : [],
    photo_count: num('photo_count'),
    unreadable: parse.unreadable,
  };
}

const numberOf = (values: Partial<Record<MlsField, unknown>>, field: MlsField) => (typeof values[field] === 'number' ? (values[field] as number) : null);
const readingValue = <T,>(reading: Reading<T> | null): T | null => (reading?.ok ? reading.value : null);

function bathroomParts(values: Partial<Record<MlsField, unknown>>) {
  return { total: numberOf(values, 'total_bathrooms'), full: numberOf(values, 'bathrooms'), half: numberOf(values, 'half_bathrooms'), threeQuarter: numberOf(values, 'three_quarter_bathrooms') };
}

/**
 * The lot from RESO's pair `LotSizeArea` + `LotSizeUnits` (flexmls `Lot Size Area: 0.15`,
 * `Lot Size Units: Acres`); null when the page has no area. An area without its units is refused.
 */
function lotFromArea(values: Partial<Record<MlsField, unknown>>): Reading<number> | null {
  const area = numberOf(values, 'lot_area');
  if (area === null) return null;
  const units = typeof values.lot_area_units === 'string' ? values.lot_area_units : '';
  return readLotSize(`${area} ${units}`.trim());
}

/**
 * The normalised status: ARMLS keeps UCB and CCBS apart from `Status` in its `UCB or CCBS` field
 * (a column of its exports, a field of its flexmls feed), a sub-status of Active: an Active
 * listing with `UCB or CCBS: CCBS` is CCBS.
 */
function statusOf(status: string | null, subStatus: string | null): ReturnType<typeof listingStatus> {
  const main = listingStatus(status);
  const sub = listingStatus(subStatus);
  return main === 'active' && (sub === 'ucb' || sub === 'ccbs') ? sub : main;
}

/** A results page: the detail links on it, the next page's URL, and the total the site states. */
export function parseResultsPage(html: string, pageUrl: string, selectors: SelectorSet): { links: string[]; next: string | null; total: number | null } {
  const $ = cheerio.load(html);
  const links = [...new Set($(selectors.result_link).map((_, el) => $(el).attr('href') ?? '').get().filter(Boolean).map((h) => new URL(h, pageUrl).href))];
  const nextHref = $(selectors.next_page).first().attr('href');
  const countText = clean($(selectors.results_count).first().text());
  const m = new RegExp(selectors.results_count_pattern, 'i').exec(countText);
  return { links, next: nextHref ? new URL(nextHref, pageUrl).href : null, total: m ? Number(m[1]!.replace(/,/g, '')) : null };
}
