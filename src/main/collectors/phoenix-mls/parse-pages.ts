import * as cheerio from 'cheerio';
import { withoutMlsNumber } from '../../../shared/address.js';
import { normalizeApn } from '../maricopa/apn.js';
import {
  fullSizePhoto,
  isPlaceholderPhoto,
  largestOfSrcset,
  listingStatus,
  lotSqft,
  mlsNumberFromHeading,
  mlsNumberFromUrl,
  monthlyFee,
  parseDollars,
  parseNumber,
  totalBathrooms,
} from '../listing-fields.js';
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
const NUMBER_FIELDS = new Set<MlsField>(['bedrooms', 'bathrooms', 'total_bathrooms', 'half_bathrooms', 'square_feet', 'lot_size', 'year_built', 'garage_spaces', 'tax_year']);
/** Fields read as dollar amounts (`$1.2M` is 1,200,000, never 1.2). */
const DOLLAR_FIELDS = new Set<MlsField>(['list_price', 'taxes']);

/** Attributes lazy-loading scripts put the real image URL in, most specific first; `src` last. */
const PHOTO_ATTRIBUTES = ['data-src', 'data-original', 'data-lazy-src', 'data-lazy', 'data-full', 'src'];
const PHOTO_SRCSETS = ['data-srcset', 'srcset', 'data-lazy-srcset'];

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** One field's text read into its value; null when the text cannot be read as that field. */
function readField(field: MlsField, text: string): unknown {
  if (field === 'pool') return /^(y|yes|true)\b/i.test(text) ? true : /^(n|no|false)\b/i.test(text) ? false : null;
  if (field === 'parcel_number') {
    try {
      return normalizeApn(text);
    } catch {
      return null;
    }
  }
  if (field === 'lot_acres') return lotSqft({ text: /sq\s*\.?\s*f(ee)?t|sf\b/i.test(text) ? text : `${text} acres` });
  if (DOLLAR_FIELDS.has(field)) return parseDollars(text);
  if (NUMBER_FIELDS.has(field)) return parseNumber(text);
  return text;
}

/** Each photo's real URL: the lazy attribute over a placeholder `src`, full size on the Spark CDN. */
function photoUrls($: cheerio.CheerioAPI, selector: string, pageUrl: string): string[] {
  const urls: string[] = [];
  $(selector).each((_, el) => {
    const img = $(el);
    const candidates = [
      ...PHOTO_ATTRIBUTES.slice(0, -1).map((a) => img.attr(a)),
      ...PHOTO_SRCSETS.map((a) => {
        const set = img.attr(a);
        return set ? (largestOfSrcset(set) ?? undefined) : undefined;
      }),
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

  const lines = new Map<string, string>();
  $(selectors.detail_lines).each((_, el) => {
    const text = clean($(el).text());
    const colon = text.indexOf(':');
    if (colon > 0) lines.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
  });
  for (const [field, labels] of Object.entries(selectors.labels) as [MlsField, string[]][]) {
    for (const label of labels) {
      const value = lines.get(label.toLowerCase());
      if (value !== undefined && value !== '') {
        found[field] = value;
        break;
      }
    }
  }
  // The MLS number from its label, else the heading or title (`… / 6937912 (MLS #)`), else the URL.
  if (!found.mls_number) {
    const fromPage = mlsNumberFromHeading(heading) ?? mlsNumberFromHeading(clean($('title').first().text())) ?? mlsNumberFromUrl(pageUrl);
    if (fromPage) found.mls_number = fromPage;
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
    else if (field === 'hoa_fee' || field === 'hoa_frequency' || field === 'land_lease_fee') values[field] = text;
    else {
      const value = readField(field, text);
      if (value === null) {
        unreadable.push(`${field}: ${JSON.stringify(text)} cannot be read`);
        delete found[field];
      } else values[field] = value;
    }
  }
  const missing = (Object.keys(selectors.labels) as MlsField[]).concat(['address', 'description', 'photo_urls', 'photo_count']).filter((f, i, all) => all.indexOf(f) === i && !(f in found));
  return { values, found, missing, missingRequired: selectors.required.filter((f) => !(f in found)), unreadable };
}

/**
 * A parsed page's fields as a listing's raw data, in the names the pipeline and the valuation
 * read: `bathrooms` is the total (Total Bathrooms, else Full + ½ × Half: never a half counted
 * twice); `lot_size` in sq ft (Approx Lot SqFt, else Lot Size / Approx Lot Acres × 43,560);
 * `hoa_monthly` and `land_lease_monthly` in dollars a month with `hoa_text` / `land_lease_text`
 * as received; `listing_status` normalised beside the status text; `annual_taxes` in dollars for
 * `taxes_year`.
 */
export function listingData(parse: DetailParse): Record<string, unknown> {
  const v = parse.values;
  const num = (field: MlsField) => (typeof v[field] === 'number' ? (v[field] as number) : null);
  const text = (field: MlsField) => (typeof v[field] === 'string' ? (v[field] as string) : null);
  const hoa = monthlyFee(text('hoa_fee'), text('hoa_frequency'));
  const landLease = monthlyFee(text('land_lease_fee'));
  return {
    mls_number: v.mls_number === undefined ? null : String(v.mls_number),
    parcel_number: text('parcel_number'),
    address: text('address'),
    list_price: num('list_price'),
    status: text('status'),
    listing_status: listingStatus(text('status')),
    bedrooms: num('bedrooms'),
    bathrooms: totalBathrooms({ total: num('total_bathrooms'), full: num('bathrooms'), half: num('half_bathrooms') }),
    full_bathrooms: num('bathrooms'),
    half_bathrooms: num('half_bathrooms'),
    square_feet: num('square_feet'),
    lot_size: lotSqft({ sqft: num('lot_size') }) ?? num('lot_acres'),
    year_built: num('year_built'),
    pool: typeof v.pool === 'boolean' ? v.pool : null,
    garage_spaces: num('garage_spaces'),
    property_type_label: text('property_type_label'),
    hoa_monthly: hoa?.monthly ?? null,
    hoa_text: hoa?.text ?? text('hoa_fee'),
    land_lease_monthly: landLease?.monthly ?? null,
    land_lease_text: landLease?.text ?? text('land_lease_fee'),
    annual_taxes: num('taxes'),
    taxes_year: num('tax_year'),
    description: text('description'),
    photo_urls: Array.isArray(v.photo_urls) ? (v.photo_urls as string[]) : [],
    photo_count: num('photo_count'),
  };
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
