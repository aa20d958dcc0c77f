/**
 * Listing fields as the MLS writes them, on its detail pages and in its CSV exports, read into
 * numbers with their units: prices, bathrooms, lots, association fees, statuses and photos.
 * One reading for both sources, so a value means the same wherever it came from.
 */

/** Square feet in an acre (US survey definition). */
export const SQFT_PER_ACRE = 43_560;

/** A value read, or why it was not: the reason names what was wrong with the text. */
export type Reading<T> = { ok: true; value: T } | { ok: false; reason: string };

const SCALES: Record<string, number> = { K: 1e3, THOUSAND: 1e3, M: 1e6, MM: 1e6, MIL: 1e6, MILLION: 1e6, B: 1e9, BILLION: 1e9 };

/**
 * A dollar amount: `$365,000`, `229000.00`, `$1.2M` (1,200,000), `$350K` (350,000), `$1.25
 * Million` (1,250,000). Anything else (words, two numbers, a range, a rent `$2,100/mo`, a
 * negative) is none, never a part of it read as the whole: `$1.2M` is never 1.2.
 * `dollarsRefusal` says why a text is none.
 */
export function parseDollars(text: string | null | undefined): number | null {
  if (!text) return null;
  const m = /^\s*(?:USD\s*)?\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(K|MM|M|B|thousand|million|mil\.?|billion)?\s*(?:USD)?\s*$/i.exec(text);
  if (!m) return null;
  const scale = m[2] ? SCALES[m[2].toUpperCase().replace('.', '')]! : 1;
  const value = Number(m[1]!.replace(/,/g, '')) * scale;
  return Number.isFinite(value) ? Math.round(value * 100) / 100 : null;
}

/**
 * Why a price text is not a dollar amount, for the message that refuses it: a price withheld
 * (`Price Upon Request`, `Call for Price`), a rent (`$2,100/mo`: a lease listing's monthly rent,
 * never a sale price), a range (`$350,000 - $375,000`), else that it cannot be read.
 */
export function dollarsRefusal(text: string): string {
  if (!/\d/.test(text) && /request|call|contact|tbd|auction|negotiable|withheld/i.test(text)) return 'states no price';
  if (/\d\s*(?:\/|per|a|each)\s*(?:mo\b|mos\b|month|mnth|wk|week)/i.test(text)) return 'is a rent per period, not a sale price';
  if (/\d\s*(?:-|–|—|to)\s*\$?\s*\d/i.test(text)) return 'is a range, not one amount';
  return 'cannot be read';
}

const NUMBER = /(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)/g;
/** Two numbers joined as a fraction or a range (`3/4`, `10,001-15,000`, `1 to 2`). */
const FRACTION_OR_RANGE = /\d\s*(?:\/|-|–|—|\bto\b)\s*\.?\d/i;

/**
 * A plain count or measure: `1,647`, `2.50`, `702.00 sq ft`, `approx. 3.5 (per tax records)`.
 * None when there is no number, and none when the text holds more than one (`3/4 Bath`,
 * `10,001-15,000`, `2 Full / 1 Half`): its first number is not the value; none for a negative.
 * `numberRefusal` says why.
 */
export function parseNumber(text: string | null | undefined): number | null {
  if (!text) return null;
  const numbers = text.replace(/\$/g, '').match(NUMBER) ?? [];
  // A count or measure is never negative: `-2` is refused, not read as 2.
  if (numbers.length !== 1 || /(?:^|[^\w.])-\s*\.?\d/.test(text)) return null;
  const n = Number(numbers[0]!.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** Why a count or measure cannot be read, for the message that refuses it. */
export function numberRefusal(text: string): string {
  if (FRACTION_OR_RANGE.test(text)) return 'is a fraction or a range, not one number';
  if ((text.match(NUMBER) ?? []).length > 1) return 'holds more than one number';
  return 'cannot be read';
}

/** The bathroom counts a source states; each null or absent when not stated. */
export interface BathroomParts {
  total?: number | null;
  full?: number | null;
  half?: number | null;
  /** Three-quarter baths (shower, no tub): RESO `BathroomsThreeQuarter`, flexmls `# of 3/4 Baths`. */
  threeQuarter?: number | null;
}

/**
 * Bathrooms as ARMLS counts them: `Total Bathrooms` = full + ½ × half, a three-quarter bath
 * counting whole (the shared ARMLS export's condo, whose one bathroom is a `3/4 Bath Master
 * Bdrm`, has Total Bathrooms 1.00). The stated total when there is one (never adding the half
 * again), else full + ½ × half; a half without a full count is no total.
 *
 * When the total and the parts are stated they must agree: a total that counts each half bath
 * whole (RESO `BathroomsTotalInteger`, "the simple sum of the number of bathrooms": 2 full + 1
 * half = 3) gives ARMLS's 2.5; any other disagreement is refused. Three-quarter baths: RESO's
 * `BathroomsFull` counts "full and ¾ bathrooms" (schema.org numberOfFullBathrooms, after RESO),
 * so a full count may or may not hold the `# of 3/4 Baths` beside it: the stated total decides,
 * and without one the two readings are refused. `none` when nothing is stated.
 */
export function readTotalBathrooms(parts: BathroomParts): Reading<number> | { ok: false; reason: 'none' } {
  const { total, full, half, threeQuarter } = parts;
  const halves = half ?? 0;
  const quarters = threeQuarter ?? 0;
  // Each reading of the parts: its total in ARMLS's way, and counting halves whole.
  const readings =
    typeof full === 'number'
      ? [{ armls: full + quarters + 0.5 * halves, whole: full + quarters + halves }, ...(quarters > 0 ? [{ armls: full + 0.5 * halves, whole: full + halves }] : [])]
      : quarters > 0
        ? [{ armls: quarters + 0.5 * halves, whole: quarters + halves }]
        : [];
  if (typeof total !== 'number') {
    if (readings.length === 0) return { ok: false, reason: 'none' };
    if (readings.length > 1) return { ok: false, reason: `${full} full may or may not hold the ${quarters} three-quarter: no total states which` };
    return { ok: true, value: readings[0]!.armls };
  }
  if (readings.length === 0 || typeof half !== 'number' || readings.some((r) => r.armls === total)) return { ok: true, value: total };
  const whole = readings.find((r) => halves > 0 && r.whole === total);
  if (whole) return { ok: true, value: whole.armls };
  return { ok: false, reason: `${total} total disagrees with ${full ?? 0} full${quarters ? `, ${quarters} three-quarter` : ''} and ${halves} half` };
}

/** `readTotalBathrooms`'s value, or none when nothing is stated or the counts disagree. */
export function totalBathrooms(parts: BathroomParts): number | null {
  const total = readTotalBathrooms(parts);
  return total.ok ? total.value : null;
}

const UNIT_NUMBER = String.raw`(\d+\s*\/\s*\d+|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)`;
const ACRES = new RegExp(`${UNIT_NUMBER}\\s*(?:acres?|ac)\\b\\.?`, 'gi');
const SQUARE_FEET = new RegExp(`${UNIT_NUMBER}\\s*(?:sq\\.?\\s*f(?:ee|oo)?t\\.?|sqft|square\\s+f(?:ee|oo)?t|s\\.?f\\.?)(?![a-z])`, 'gi');

/** `0.15`, `6,534`, or a fraction `1/4` as its value. */
function unitNumber(text: string): number {
  const fraction = /^(\d+)\s*\/\s*(\d+)$/.exec(text);
  return fraction ? Number(fraction[1]) / Number(fraction[2]) : Number(text.replace(/,/g, ''));
}

/**
 * A lot size as written on a page, in square feet: `0.15 Acres` (× 43,560, rounded to the
 * square foot), `1/4 Acre` (10,890), `6,534 SqFt`, `6534 sq ft`, `Lot Size: 10,019 SqFt`; both
 * units (`0.15 Acres (6,534 SqFt)`) give the square feet, the exact figure. `bareUnit` is the
 * unit a bare number is in (`Approx Lot Acres: 0.0170` is acres); without it a bare number is
 * refused: `Lot Size: 7200` may be square feet or acres. A range (`10,001-15,000`; ARMLS keeps
 * such brackets in its `Apx Lot Size Range` field) is refused: it is a bracket, not a size.
 */
export function readLotSize(text: string, bareUnit?: 'acres' | 'sqft'): Reading<number> {
  const t = text.replace(/\s+/g, ' ').trim();
  const sqft = [...t.matchAll(SQUARE_FEET)].map((m) => unitNumber(m[1]!));
  const acres = [...t.matchAll(ACRES)].map((m) => unitNumber(m[1]!));
  const numbers = t.match(NUMBER) ?? [];
  if (/\d\s*(?:-|–|—|\bto\b)\s*\.?\d/i.test(t) && sqft.length + acres.length < 2) return { ok: false, reason: 'is a range, not a lot size' };
  if (sqft.length > 1 || acres.length > 1) return { ok: false, reason: 'holds more than one size' };
  const value = sqft.length === 1 ? sqft[0]! : acres.length === 1 ? Math.round(acres[0]! * SQFT_PER_ACRE) : null;
  if (value === null) {
    if (numbers.length !== 1 || /\d\s*\/\s*\d/.test(t)) return { ok: false, reason: numbers.length === 0 ? 'has no number' : 'holds more than one number' };
    if (!bareUnit) return { ok: false, reason: 'has no unit (acres or square feet)' };
    const n = Number(numbers[0]!.replace(/,/g, ''));
    return n > 0 ? { ok: true, value: bareUnit === 'acres' ? Math.round(n * SQFT_PER_ACRE) : n } : { ok: false, reason: 'is not a positive size' };
  }
  return Number.isFinite(value) && value > 0 ? { ok: true, value } : { ok: false, reason: 'is not a positive size' };
}

/**
 * The lot in square feet: `Approx Lot SqFt` when stated, else acres × 43,560 (rounded to the
 * square foot), else a `Lot Size` text read by `readLotSize` (its unit must be written).
 */
export function lotSqft(parts: { sqft?: number | null; acres?: number | null; text?: string | null }): number | null {
  if (typeof parts.sqft === 'number' && parts.sqft > 0) return parts.sqft;
  if (typeof parts.acres === 'number' && parts.acres > 0) return Math.round(parts.acres * SQFT_PER_ACRE);
  if (parts.text) {
    const lot = readLotSize(parts.text);
    return lot.ok ? lot.value : null;
  }
  return null;
}

/**
 * Payments a year for each fee frequency of the RESO Data Dictionary's `FeeFrequency` lookup
 * (the values of `AssociationFeeFrequency`: Annually, Semi-Annually, Quarterly, Bi-Monthly =
 * every other month, Monthly, Semi-Monthly = twice a month, Bi-Weekly = every other week,
 * Weekly, Daily), as ARMLS (`HOA Paid (Freq): Monthly`) and listing pages write them
 * (`/Month`, `/mo`, `per month`, `Mo.`, `/yr`, `/Qtr`). Most specific first.
 */
const PAYMENTS_PER_YEAR: [RegExp, number][] = [
  [/^(?:semi-?\s*annual(?:ly)?|bi-?annual(?:ly)?|half[-\s]?year(?:ly)?|twice a year)$/, 2],
  [/^(?:semi-?\s*monthly|twice a month)$/, 24],
  [/^(?:bi-?\s*monthly|every (?:other|2|two) months?)$/, 6],
  [/^(?:bi-?\s*weekly|every (?:other|2|two) weeks?)$/, 26],
  [/^(?:annual(?:ly)?|annum|year(?:ly)?|yrs?)$/, 1],
  [/^(?:quarter(?:ly)?|qtr|qtrly)$/, 4],
  [/^(?:month(?:ly)?|mo|mos|mthly|mnthly|mon)$/, 12],
  [/^(?:week(?:ly)?|wk)$/, 52],
  [/^(?:daily|day)$/, 365],
];

/**
 * Payments a year of a frequency as written (`Monthly`, `/mo`, `per month`, `Mo.`, `a year`),
 * or undefined: the whole text must be one frequency (`Weekly-ish` or `Monthly?` is none).
 */
function paymentsPerYear(when: string): number | undefined {
  const word = when
    .toLowerCase()
    .replace(/^(?:\/|per\b|an?\b|each\b)\s*/, '')
    .replace(/\.$/, '')
    .trim();
  return PAYMENTS_PER_YEAR.find(([pattern]) => pattern.test(word))?.[1];
}

/**
 * RESO `FeeFrequency` values that are no number of payments a year: `One Time` (not a recurring
 * fee: ARMLS writes its one-time fees, `Cap Imprv/Impact Fee` and `HOA Transfer Fee`, apart)
 * and `Seasonal` (payments a year not stated).
 */
const NOT_RECURRING: [RegExp, string][] = [
  [/one[-\s]?time|once\b|\btransfer\b|impact fee|cap(?:ital)? imp/i, 'is a one-time fee, not a monthly one'],
  [/seasonal/i, 'is seasonal: the payments a year are not stated'],
];

/** A fee as a monthly figure, with the text as received. */
export interface MonthlyFee {
  /** Dollars a month; 0 when the source says there is none (`No Fees`). */
  monthly: number;
  text: string;
}

/**
 * An association (or land-lease) fee as dollars a month, or why it is unknown. `$95/Month` 95,
 * `$1,140/Annually` 95, `$285/Quarterly` 95, `$150/month`, `$95/mo`, `$95 per month`, `$1,200/year`
 * 100, `$300/Semi-Annually` 50, `$190/Bi-Monthly` 95, `No Fees` / `None` / `N` 0. `frequency` is
 * the separate frequency field (`HOA Paid (Freq): Monthly`). Refused, with the reason: an amount
 * with no frequency (never guessed monthly), a one-time or seasonal fee, a `Y` with no amount,
 * two amounts in one text (`$50/Month and $30/Month`: each association is its own field), a
 * negative amount (`-50`, `$-50`: never read as 50).
 */
export function readMonthlyFee(text: string | null | undefined, frequency?: string | null): Reading<MonthlyFee> {
  const raw = (text ?? '').replace(/\s+/g, ' ').trim();
  if (!raw) return { ok: false, reason: 'is empty' };
  const period = frequency?.replace(/\s+/g, ' ').trim() || null;
  const received = period ? `${raw} ${period}` : raw;
  if (/^(no|n|none|no fees?|n\/?a|0|0\.00|\$0(\.00)?)$/i.test(raw)) return { ok: true, value: { monthly: 0, text: received } };
  if (/(?:^|[\s$(])-\s*\$?\s*\.?\d/.test(raw)) return { ok: false, reason: 'is negative: a fee is never' };
  const amounts = [...raw.matchAll(/\$?\s*((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)/g)];
  if (amounts.length === 0) return { ok: false, reason: /^(y|yes)$/i.test(raw) ? 'says there is a fee but not how much' : 'has no amount' };
  if (amounts.length > 1) return { ok: false, reason: 'holds more than one amount' };
  const amount = amounts[0]!;
  const dollars = Number(amount[1]!.replace(/,/g, ''));
  const when = period ?? raw.slice(amount.index! + amount[0].length).trim();
  const refusal = NOT_RECURRING.find(([pattern]) => pattern.test(when));
  if (refusal) return { ok: false, reason: refusal[1] };
  const perYear = paymentsPerYear(when);
  if (perYear === undefined) return { ok: false, reason: when ? `has a frequency that is not one (${JSON.stringify(when)})` : 'has no frequency (monthly is not assumed)' };
  return { ok: true, value: { monthly: Math.round(((dollars * perYear) / 12) * 100) / 100, text: received } };
}

/** `readMonthlyFee`'s value, or none when it refuses the text. */
export function monthlyFee(text: string | null | undefined, frequency?: string | null): MonthlyFee | null {
  const fee = readMonthlyFee(text, frequency);
  return fee.ok ? fee.value : null;
}

/**
 * The status vocabulary a listing may carry, normalised: ARMLS's statuses (Coming Soon, Active,
 * UCB, CCBS, Pending, Closed, Temp Off Market, Expired, Cancelled, Withdrawn) and the RESO
 * `StandardStatus` values that have no ARMLS twin (`active_under_contract`, `deleted`,
 * `incomplete`).
 */
export const LISTING_STATUSES = [
  'active',
  'coming_soon',
  'ucb',
  'ccbs',
  'active_under_contract',
  'pending',
  'closed',
  'temp_off_market',
  'expired',
  'cancelled',
  'withdrawn',
  'deleted',
  'incomplete',
] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

/**
 * Statuses by name, abbreviation and the one-letter code of ARMLS exports (`Status: C`), most
 * specific first. ARMLS: UCB (Under Contract - Backups) and CCBS (Contract Contingent on Buyer
 * Sale, a sub-status of Active for sellers taking backups: armls.com, "New MLS status: CCBS");
 * TOM (Temp Off Market); AWC (Active With Contingency, ARMLS's status before UCB/CCBS). RESO Data
 * Dictionary `StandardStatus`: Active Under Contract (an offer accepted, still on market: what
 * UCB and CCBS are, but the page does not say which), Hold (off market for now, to return: ARMLS's
 * Temp Off Market), Canceled, Delete, Incomplete; and Closed, which RESO defines as "the purchase
 * agreement has been fulfilled or the lease agreement has been executed": a rental's `Leased` (or `Rented`) is closed.
 */
const STATUS_WORDS: [RegExp, ListingStatus][] = [
  [/coming\s*soon/i, 'coming_soon'],
  [/^(u|ucb)\b|under contract.*back ?ups?|taking back ?ups/i, 'ucb'],
  [/^active[\s-]*under[\s-]*contract$|^activeundercontract$|^awc\b|active with contingency/i, 'active_under_contract'],
  [/^ccbs\b|contingent/i, 'ccbs'],
  [/^(c|closed|sold|leased|rented)$|^closed\b|^sold\b/i, 'closed'],
  [/^(p|pending)$|^pending\b/i, 'pending'],
  [/^(t|tom|hold)$|temp(orarily|orary)?\.?\s*off/i, 'temp_off_market'],
  [/^(x|expired)$/i, 'expired'],
  [/^cancel+ed$/i, 'cancelled'],
  [/^withdrawn$/i, 'withdrawn'],
  [/^delete(d)?$/i, 'deleted'],
  [/^incomplete$/i, 'incomplete'],
  [/^(a|active)$/i, 'active'],
];

/** A status as one of LISTING_STATUSES; none when the text is not one of them. */
export function listingStatus(text: string | null | undefined): ListingStatus | null {
  if (!text) return null;
  const t = text.replace(/\s+/g, ' ').trim();
  return STATUS_WORDS.find(([pattern]) => pattern.test(t))?.[1] ?? null;
}

/**
 * The full-size URL of a Spark Platform photo. Spark serves each photo (a 26-digit id) as
 * `photos.sparkplatform.com/<mls>/<id>-t.jpg` (UriThumb), `<id>.jpg` (Uri300: 300 px wide, the
 * `Photo URL` of ARMLS exports), `resize.sparkplatform.com/<mls>/640x480/true/<id>-o.jpg`
 * (Uri640 … Uri1280) and `photos.sparkplatform.com/<mls>/<id>-o.jpg` (UriLarge, the original):
 * the Spark API's listing example (sparkapi/spark_api). Pages add the `cdn.` host prefix and
 * the `-m` / `-l` sizes (bananahana720/PHX-houses-Dec-2025 maps `-t`, `-m`, `-l` to `-o`).
 * Every such URL gives the original; other URLs are returned as they are.
 */
export function fullSizePhoto(url: string): string {
  const m = /^(https?:\/\/)(cdn\.)?(photos|resize)\.sparkplatform\.com\/([a-z0-9]+)\/(?:\d+x\d+\/(?:true|false)\/)?(\d{20,})(?:-[tmlo])?\.(jpe?g|png|webp)(\?.*)?$/i.exec(url);
  if (!m) return url;
  const [, scheme, cdn, host, mls, id, ext, query] = m;
  if (host!.toLowerCase() === 'resize' && !/\/\d+x\d+\/(?:true|false)\//i.test(url)) return url;
  return `${scheme}${cdn ?? ''}photos.sparkplatform.com/${mls}/${id}-o.${ext}${query ?? ''}`;
}

/** A URL that is a placeholder, never a photo: a data URI, a blank or spinner image. */
export function isPlaceholderPhoto(url: string): boolean {
  return /^data:/i.test(url) || /(placeholder|blank|spacer|loading|lazy|spinner|pixel|transparent)[^/]*\.(gif|png|svg|jpe?g|webp)(\?|$)/i.test(url) || /\.svg(\?|$)/i.test(url);
}

/**
 * The largest candidate of a `srcset`: `a.jpg 320w, b.jpg 1024w` → `b.jpg`, `a.jpg 1x, b.jpg
 * 2x` → `b.jpg`; a candidate without a descriptor is 1x. Candidates are split as the HTML
 * standard's srcset parsing does (WHATWG HTML, "parse a srcset attribute"): a URL runs to the
 * next space, so a URL may hold commas (`…/w_320,h_240/a.jpg 320w`). Width and density
 * descriptors are not comparable: a set that mixes them gives its widest `w` candidate.
 */
export function largestOfSrcset(srcset: string): string | null {
  const candidates: { url: string; size: number; unit: string }[] = [];
  let i = 0;
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i]!)) i++;
    const start = i;
    while (i < srcset.length && !/\s/.test(srcset[i]!)) i++;
    let url = srcset.slice(start, i);
    let descriptor = '';
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      const end = srcset.indexOf(',', i);
      descriptor = srcset.slice(i, end < 0 ? srcset.length : end).trim();
      i = end < 0 ? srcset.length : end + 1;
    }
    if (!url) continue;
    const d = /^(\d+(?:\.\d+)?)([wx])$/i.exec(descriptor);
    candidates.push({ url, size: d ? Number(d[1]) : 1, unit: d ? d[2]!.toLowerCase() : 'x' });
  }
  const widths = candidates.filter((c) => c.unit === 'w');
  const pool = widths.length > 0 ? widths : candidates;
  return pool.reduce<(typeof candidates)[number] | null>((best, c) => (!best || c.size > best.size ? c : best), null)?.url ?? null;
}

/** The MLS number in a detail page URL (`/mls/5219-W-EL-CAMINITO-Drive-Glendale-AZ-85302-mls_6937912/`). */
export function mlsNumberFromUrl(url: string): string | null {
  return /-mls_(\d+)\/?(?:[?#].*)?$/i.exec(url)?.[1] ?? null;
}

/**
 * The MLS number written in a heading, title or unlabelled line: `… / 6937912 (MLS #)`,
 * `… - MLS# 6937912`, `MLS #: 6937912`, `Listing ID: 6937912`.
 */
export function mlsNumberFromHeading(text: string): string | null {
  return (
    /(?:MLS|Listing\s*ID|List(?:ing)?\s*(?:Number|No\.?|#))\s*(?:#|NO\.?|NUMBER)?\s*:?\s*#?\s*(\d{5,})/i.exec(text)?.[1] ??
    /(\d{5,})\s*\(\s*MLS\s*#?\s*\)/i.exec(text)?.[1] ??
    null
  );
}

/**
 * An MLS number as a label gives it: `6937912`, `#6937912`, `6937912 (ARMLS)`. ARMLS numbers
 * are 7 digits (`List Number` 6181273 in the shared export, 6937912 on the site); one number of
 * 5 to 8 digits is taken. Refused: none, two numbers, or a 26-digit Spark key (`Internal
 * Listing ID` / RESO `ListingKey` 20160416190535185409000000: the system's id, not the MLS
 * number, which RESO calls `ListingId`).
 */
export function readMlsNumber(text: string): Reading<string> {
  const numbers = text.match(/\d+/g) ?? [];
  if (numbers.length !== 1) return { ok: false, reason: numbers.length === 0 ? 'has no number' : 'holds more than one number' };
  const n = numbers[0]!;
  if (n.length > 8) return { ok: false, reason: `is a ${n.length}-digit system key, not an MLS number` };
  if (n.length < 5) return { ok: false, reason: 'is too short for an MLS number' };
  return { ok: true, value: n };
}
