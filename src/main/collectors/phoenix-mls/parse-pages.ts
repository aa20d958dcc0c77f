import * as cheerio from 'cheerio';
import type { MlsField, SelectorSet } from './selectors.js';

/** What a detail page gave, field by field, as text and as the value stored. */
export interface DetailParse {
  values: Partial<Record<MlsField, unknown>>;
  /** The text each found field came from (what the selector tester shows). */
  found: Partial<Record<MlsField, string>>;
  /** Fields the page did not give (required ones make the page fail). */
  missing: MlsField[];
  missingRequired: MlsField[];
}

const NUMBER_FIELDS = new Set<MlsField>(['list_price', 'bedrooms', 'bathrooms', 'half_bathrooms', 'square_feet', 'lot_size', 'year_built', 'garage_spaces']);

function toNumber(text: string): number | null {
  const m = /-?[\d,]*\.?\d+/.exec(text.replace(/\$/g, ''));
  if (!m) return null;
  const n = Number(m[0].replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

function clean(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Parse a detail page's HTML with the selector set. */
export function parseDetailPage(html: string, pageUrl: string, selectors: SelectorSet): DetailParse {
  const $ = cheerio.load(html);
  const found: Partial<Record<MlsField, string>> = {};
  const values: Partial<Record<MlsField, unknown>> = {};

  const address = clean($(selectors.detail_address).first().text());
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
  const description = clean($(selectors.description).first().text());
  if (description) found.description = description;
  const photos = $(selectors.photos)
    .map((_, el) => $(el).attr('src') ?? '')
    .get()
    .filter(Boolean)
    .map((src) => new URL(src, pageUrl).href);
  if (photos.length > 0) found.photo_urls = `${photos.length} photos`;

  for (const [field, text] of Object.entries(found) as [MlsField, string][]) {
    if (field === 'photo_urls') values.photo_urls = photos;
    else if (field === 'pool') values.pool = /^(y|yes|true)\b/i.test(text);
    else if (NUMBER_FIELDS.has(field)) {
      const n = toNumber(text);
      if (n === null) delete found[field];
      else values[field] = n;
    } else values[field] = text;
  }
  if (typeof values.bathrooms === 'number' && typeof values.half_bathrooms === 'number') values.bathrooms += values.half_bathrooms * 0.5;
  const missing = (Object.keys(selectors.labels) as MlsField[]).concat(['address', 'description', 'photo_urls']).filter((f, i, all) => all.indexOf(f) === i && !(f in found));
  return { values, found, missing, missingRequired: selectors.required.filter((f) => !(f in found)) };
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
