/**
 * US street addresses as our sources write them, split into street, city, state and ZIP:
 * the assessor's `16225 W GELDING DR SURPRISE 85379` and `4600 N 68TH ST 371 SCOTTSDALE 85251`
 * (no state, no comma, a bare unit number), its search results' `901 S SMITH RD UNIT 1070` (no
 * city, no ZIP), the seed's `123 Main St Phoenix AZ 85031` and the MLS's heading
 * `5219 W EL CAMINITO Drive, Glendale, AZ 85302 / 6937912 (MLS #)`.
 *
 * Written here because the parsers on npm do not read these forms: `parse-address` 1.1.2 puts
 * the city and a bare unit into the street when there is no comma and state
 * (`68TH ST 371 SCOTTSDALE`), and `addresser` 1.1.22 throws on any address without a state
 * (tests/unit/address.test.ts holds the table of real forms both were tried on). Without a comma
 * the city is found from the Maricopa County place names below, else as the words after the
 * street suffix and any unit.
 */
export interface ParsedAddress {
  /** Number, street and unit, the unit written `Unit <id>` whatever designator the source used. */
  street: string | null;
  city: string | null;
  state: string | null;
  /** Five digits (a ZIP+4's extension dropped): a standalone token, never digits of a longer number. */
  zip: string | null;
}

const CITIES = [
  'PHOENIX', 'GLENDALE', 'SURPRISE', 'PEORIA', 'MESA', 'TEMPE', 'SCOTTSDALE', 'CHANDLER', 'GILBERT',
  'GOODYEAR', 'AVONDALE', 'BUCKEYE', 'TOLLESON', 'EL MIRAGE', 'SUN CITY', 'SUN CITY WEST', 'SUN LAKES',
  'LITCHFIELD PARK', 'LAVEEN', 'CAVE CREEK', 'FOUNTAIN HILLS', 'PARADISE VALLEY', 'QUEEN CREEK',
  'WICKENBURG', 'YOUNGTOWN', 'ANTHEM', 'NEW RIVER', 'TONOPAH', 'WADDELL', 'GILA BEND', 'GUADALUPE',
  'CAREFREE', 'APACHE JUNCTION', 'RIO VERDE', 'WITTMANN', 'AGUILA', 'MORRISTOWN', 'ARLINGTON',
].sort((a, b) => b.length - a.length);

const SUFFIXES = new Set([
  'ST', 'STREET', 'AVE', 'AVENUE', 'DR', 'DRIVE', 'LN', 'LANE', 'RD', 'ROAD', 'WAY', 'CIR', 'CIRCLE',
  'CT', 'COURT', 'PL', 'PLACE', 'BLVD', 'BOULEVARD', 'PKWY', 'PARKWAY', 'TRL', 'TRAIL', 'TER',
  'TERRACE', 'LOOP', 'PATH', 'PASS', 'RUN', 'HWY', 'HIGHWAY', 'CV', 'COVE', 'SQ', 'XING', 'ALY',
]);
/** Suffixes a route number follows (`US HWY 60`): a number after them is not a unit. */
const NUMBERED_ROUTES = new Set(['HWY', 'HIGHWAY']);
const DIRECTIONS = new Set(['N', 'S', 'E', 'W', 'NE', 'NW', 'SE', 'SW']);
/** USPS secondary unit designators (Publication 28, appendix C2) our sources use. */
const UNIT_DESIGNATORS = new Set(['UNIT', 'APT', 'APARTMENT', 'STE', 'SUITE', 'BLDG', 'BUILDING', 'SPC', 'SPACE', 'LOT', 'NO', 'NUMBER', 'RM', 'ROOM', 'TRLR', 'FL', 'FLOOR']);
/** What a unit may be called: `371`, `245A`, `B12`, `A`, `1070-B`. */
const UNIT_ID = /^[A-Z0-9]+(?:-[A-Z0-9]+)?$/;
/** A bare unit after the street suffix: digits with an optional letter, or a letter with digits. */
const BARE_UNIT = /^(?:\d+[A-Z]?|[A-Z]\d+)$/;

/**
 * An MLS number written into a listing heading: `/ 6937912 (MLS #)`, `- MLS# 6937912`,
 * `(MLS #6937912)`, `MLS Number: 6937912`. Never part of the address.
 */
const MLS_TAIL = /\s*(?:[/|–—-]\s*)?(?:\(?\s*MLS\s*(?:#|NO\.?|NUMBER)?\s*:?\s*#?\s*\d{5,}\s*\)?|\d{5,}\s*\(\s*MLS\s*#?\s*\))\s*$/i;
const ZIP_AT_END = /(?:^|[\s,])(\d{5})(?:-\d{4})?$/;
const STATE_AT_END = /(?:^|[,\s]+)(AZ|ARIZONA)\.?$/i;

/** A listing heading without the MLS number written into it (`…, AZ 85302 / 6937912 (MLS #)`). */
export function withoutMlsNumber(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(MLS_TAIL, '').trim();
}

/** Split an address into street (with its unit), city, state and ZIP. Never throws. */
export function parseAddress(input: string | null | undefined): ParsedAddress {
  const empty: ParsedAddress = { street: null, city: null, state: null, zip: null };
  if (!input) return empty;
  let rest = input.replace(/\s+/g, ' ').trim().replace(MLS_TAIL, '').replace(/[,\s]+$/, '');
  if (rest === '') return empty;

  let zip: string | null = null;
  const zipMatch = ZIP_AT_END.exec(rest);
  if (zipMatch && !isUnitDesignator(lastWord(rest.slice(0, zipMatch.index)))) {
    zip = zipMatch[1]!;
    rest = rest.slice(0, zipMatch.index).replace(/[,\s]+$/, '');
  }
  const stateMatch = STATE_AT_END.exec(rest);
  let state: string | null = null;
  if (stateMatch && rest.slice(0, stateMatch.index).trim() !== '') {
    state = 'AZ';
    rest = rest.slice(0, stateMatch.index).replace(/[,\s]+$/, '');
  }
  // Arizona ZIP codes are 850xx-865xx: a ZIP there states the state.
  if (!state && zip && /^8(5\d|6[0-5])/.test(zip)) state = 'AZ';

  const { street, city } = splitCity(rest);
  const parts = splitUnit(street);
  const display = parts.base ? titleStreet(parts.base) + (parts.unit ? ` Unit ${parts.unit}` : '') : null;
  return { street: display, city: city ? titleCase(city) : null, state, zip };
}

/** The street (with its unit) and the city, from what is left once ZIP and state are gone. */
function splitCity(rest: string): { street: string; city: string | null } {
  const comma = rest.lastIndexOf(',');
  if (comma >= 0) {
    const tail = rest.slice(comma + 1).trim();
    // `901 S SMITH RD, UNIT 1070`: a unit after the comma, not a city.
    if (tail === '' || isUnitPart(tail)) return { street: rest.replace(/,\s*/g, ' ').trim(), city: null };
    return { street: rest.slice(0, comma).trim(), city: tail };
  }
  const upper = rest.toUpperCase();
  const known = CITIES.find((c) => upper.endsWith(` ${c}`));
  if (known) return { street: rest.slice(0, rest.length - known.length - 1).trim(), city: known };
  const words = rest.split(' ');
  const suffixAt = findLastIndex(words, (w, i) => i > 0 && SUFFIXES.has(bare(w)));
  if (suffixAt < 0) return { street: rest, city: null };
  let end = suffixAt + 1;
  if (end < words.length && DIRECTIONS.has(bare(words[end]!))) end += 1;
  end += unitWordsAt(words, end, words[suffixAt]!);
  return end < words.length ? { street: words.slice(0, end).join(' '), city: words.slice(end).join(' ') } : { street: rest, city: null };
}

/** How many words at `at` spell a unit (`UNIT 371`, `# 371`, `#371`, `371`, `245A`): 0, 1 or 2. */
function unitWordsAt(words: string[], at: number, suffix: string): number {
  const w = words[at];
  if (w === undefined) return 0;
  const word = w.toUpperCase().replace(/\.$/, '');
  if (/^#[A-Z0-9-]+$/.test(word)) return 1;
  if ((isUnitDesignator(word) || word === '#') && words[at + 1] !== undefined && UNIT_ID.test(words[at + 1]!.toUpperCase().replace(/^#/, ''))) return 2;
  if (BARE_UNIT.test(word) && !NUMBERED_ROUTES.has(bare(suffix))) return 1;
  return 0;
}

function isUnitPart(text: string): boolean {
  const words = text.split(' ');
  return unitWordsAt(words, 0, '') === words.length || /^#\s*[A-Z0-9-]+$/i.test(text);
}

function isUnitDesignator(word: string | undefined): boolean {
  return word !== undefined && UNIT_DESIGNATORS.has(word.toUpperCase().replace(/[.#]/g, ''));
}

function lastWord(text: string): string | undefined {
  return text.trim().split(/[\s,]+/).at(-1);
}

/**
 * A street split into the street itself and its unit, whichever way the unit was written:
 * `4600 N 68TH ST UNIT 371`, `… APT 371`, `… STE 371`, `… #371`, `… # 371` and `… ST 371` all
 * give `{ base: '4600 N 68TH ST', unit: '371' }`; `7430 E CHAPARRAL RD 245A` gives unit `245A`.
 * A bare trailing number counts as a unit only after a street suffix (and not after `HWY`).
 */
export function splitUnit(street: string): { base: string; unit: string | null } {
  const words = street.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  for (let at = 1; at < words.length; at += 1) {
    const previous = bare(words[at - 1]!);
    const afterStreet = SUFFIXES.has(previous) || (DIRECTIONS.has(previous) && at >= 2 && SUFFIXES.has(bare(words[at - 2]!)));
    const designated = isUnitDesignator(words[at]) || words[at]!.startsWith('#');
    if (!afterStreet && !designated) continue;
    const n = unitWordsAt(words, at, afterStreet ? (SUFFIXES.has(previous) ? previous : bare(words[at - 2]!)) : '');
    if (n === 0 || at + n !== words.length) continue;
    const unit = words.slice(at, at + n).at(-1)!.toUpperCase().replace(/^#/, '');
    return { base: words.slice(0, at).join(' '), unit };
  }
  return { base: words.join(' '), unit: null };
}

function bare(word: string): string {
  return word.toUpperCase().replace(/[.,]$/, '');
}

function findLastIndex<T>(xs: T[], test: (x: T, i: number) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i -= 1) if (test(xs[i]!, i)) return i;
  return -1;
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b([a-z])/g, (c) => c.toUpperCase());
}

/** Route prefixes written in capitals (`US HWY 60`, `SR 87`). */
const ROUTE_PREFIXES = new Set(['US', 'SR']);

/** `16225 W GELDING DR` → `16225 W Gelding Dr`: directions, routes and unit letters stay upper case. */
function titleStreet(text: string): string {
  return text
    .split(' ')
    .map((w) => {
      if (/^\d+(ST|ND|RD|TH)$/i.test(w)) return w.toLowerCase();
      return DIRECTIONS.has(w.toUpperCase()) || ROUTE_PREFIXES.has(w.toUpperCase()) || /^\d/.test(w) || /^#/.test(w) ? w.toUpperCase() : titleCase(w);
    })
    .join(' ');
}

/**
 * A key two sources' records of one property share: street and number (suffixes abbreviated,
 * letters and digits only), the unit as `#<id>` whatever designator was written, and the ZIP:
 * `4600 N 68TH ST #371|85251` for both `4600 N 68TH ST 371 SCOTTSDALE 85251` and
 * `4600 N 68TH ST UNIT 371, SCOTTSDALE, AZ 85251`. Null without a street or a ZIP.
 */
export function addressKey(address: ParsedAddress): string | null {
  if (!address.street || !address.zip) return null;
  const { base, unit } = splitUnit(address.street);
  const street = base
    .toUpperCase()
    .split(' ')
    .map((w) => w.replace(/[^A-Z0-9]/g, ''))
    .map((w) => SUFFIX_CANON[w] ?? w)
    .filter(Boolean)
    .join(' ');
  return `${street}${unit ? ` #${unit}` : ''}|${address.zip}`;
}

const SUFFIX_CANON: Record<string, string> = {
  STREET: 'ST', AVENUE: 'AVE', DRIVE: 'DR', LANE: 'LN', ROAD: 'RD', CIRCLE: 'CIR', COURT: 'CT', PLACE: 'PL',
  BOULEVARD: 'BLVD', PARKWAY: 'PKWY', TRAIL: 'TRL', TERRACE: 'TER', HIGHWAY: 'HWY', COVE: 'CV',
};
