import { DESIGNATOR_WORDS, DIRECTION_ABBREVIATIONS, DIRECTIONALS, ROUTE_WORDS, STREET_SUFFIXES, SUFFIX_WORDS, UNIT_DESIGNATORS } from './usps-street-words.js';

/**
 * US street addresses as our sources write them, split into street, city, state and ZIP:
 * the assessor's `16225 W GELDING DR SURPRISE 85379` and `4600 N 68TH ST 371 SCOTTSDALE 85251`
 * (no state, no comma, a bare unit number), its search results' `901 S SMITH RD UNIT 1070` (no
 * city, no ZIP), the seed's `123 Main St Phoenix AZ 85031` and the MLS's heading
 * `5219 W EL CAMINITO Drive, Glendale, AZ 85302 / 6937912 (MLS #)`, and the address our ARMLS
 * importer joins from an export's parts (`4620 N 68 ST UNIT 155, Scottsdale, AZ 85251`), and what an
 * analyst pastes: a country at the end (`7014 E Camelback Rd, Scottsdale, AZ 85251, USA`, as Google
 * Maps copies it), line breaks, lower case, doubled commas and spaces (issue 24).
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

/**
 * Place names written as an address's city: Maricopa County's, and Pinal County's that ARMLS
 * lists too (Pinal's assessor writes `39669 N LUKE LN SAN TAN VALLEY, AZ 85140`). Longest first.
 */
const CITIES = [
  'PHOENIX', 'GLENDALE', 'SURPRISE', 'PEORIA', 'MESA', 'TEMPE', 'SCOTTSDALE', 'CHANDLER', 'GILBERT',
  'GOODYEAR', 'AVONDALE', 'BUCKEYE', 'TOLLESON', 'EL MIRAGE', 'SUN CITY', 'SUN CITY WEST', 'SUN LAKES',
  'LITCHFIELD PARK', 'LAVEEN', 'CAVE CREEK', 'FOUNTAIN HILLS', 'PARADISE VALLEY', 'QUEEN CREEK',
  'WICKENBURG', 'YOUNGTOWN', 'ANTHEM', 'NEW RIVER', 'TONOPAH', 'WADDELL', 'GILA BEND', 'GUADALUPE',
  'CAREFREE', 'APACHE JUNCTION', 'RIO VERDE', 'WITTMANN', 'AGUILA', 'MORRISTOWN', 'ARLINGTON',
  'SAN TAN VALLEY', 'GOLD CANYON', 'MARICOPA', 'CASA GRANDE', 'FLORENCE', 'COOLIDGE',
].sort((a, b) => b.length - a.length);
/**
 * `CITIES` as an address ends with them (` PHOENIX`), made once rather than for every address
 * read, grouped by their last word (longest first within each): an address can end with a city
 * only if its own last word is the city's, so each address is held against a few cities, not all.
 */
const CITY_ENDINGS_BY_LAST_WORD = new Map<string, string[]>();
for (const c of CITIES) {
  const last = c.slice(c.lastIndexOf(' ') + 1);
  CITY_ENDINGS_BY_LAST_WORD.set(last, [...(CITY_ENDINGS_BY_LAST_WORD.get(last) ?? []), ` ${c}`]);
}

/**
 * Words taken as a street suffix when reading an address (a bare number after one is a unit;
 * without a comma, the city follows the last one): the common names and every standard
 * abbreviation of Publication 28 appendix C1, and the route words. Spelled-out names such as `VALLEY`, `CREEK` or
 * `RIDGE` are left out here: they begin city names (`SAN TAN VALLEY`) and end street names
 * (`E CAMELBACK RIDGE DR`) too often.
 */
const SUFFIXES = new Set([
  'STREET', 'AVENUE', 'DRIVE', 'LANE', 'ROAD', 'CIRCLE', 'COURT', 'PLACE', 'BOULEVARD', 'PARKWAY', 'TRAIL',
  'TERRACE', 'HIGHWAY', 'COVE', ...Object.values(STREET_SUFFIXES), ...ROUTE_WORDS,
]);
const DIRECTIONS = DIRECTION_ABBREVIATIONS;
/** Words before a route word that make its number a route number (`US HWY 60`, `STATE ROUTE 74`). */
const ROUTE_NUMBER_PREFIXES = new Set(['US', 'SR', 'STATE', 'AZ', 'COUNTY', 'I', 'INTERSTATE']);
/** What a unit may be called: `371`, `245A`, `B12`, `A`, `1070-B`. */
const UNIT_ID = /^[A-Z0-9]+(?:-[A-Z0-9]+)?$/;
/** A bare unit after the street suffix: digits with an optional letter, or a letter with digits. */
const BARE_UNIT = /^(?:\d+[A-Z]?|[A-Z]\d+)$/;

/**
 * An MLS number written into a listing heading: `/ 6937912 (MLS #)`, `- MLS# 6937912`,
 * `(MLS #6937912)`, `MLS Number: 6937912`, `ARMLS #6937912`. Never part of the address.
 */
const MLS_TAIL = /\s*(?:[/|–—-]\s*)?(?:\(?\s*(?:AR)?MLS\s*(?:#|NO\.?|NUMBER)?\s*:?\s*#?\s*\d{5,}\s*\)?|\d{5,}\s*\(\s*(?:AR)?MLS\s*#?\s*\))\s*$/i;
/** The same label written before the address (`MLS #6937912 - 5219 W El Caminito Dr, …`). */
const MLS_HEAD = /^\s*\(?\s*(?:AR)?MLS\s*(?:#|NO\.?|NUMBER)?\s*:?\s*#?\s*\d{5,}\s*\)?\s*(?:[/|–—:-]\s*)?/i;
/** A ZIP at the end: five digits, or a ZIP+4 with its hyphen or without (`85006-1234`, `850061234`). */
const ZIP_AT_END = /(?:^|[\s,])(\d{5})(?:-?\d{4})?$/;
const STATE_AT_END = /(?:^|[,\s]+)(AZ|ARIZ|ARIZONA)\.?$/i;
/**
 * The country a pasted address ends with (`…, AZ 85251, USA`, as Google Maps copies it; `United
 * States`, `U.S.A.`, `US`): taken off when a comma, a ZIP or the state stands before it, so it is
 * never read as the city.
 */
const COUNTRY_AT_END = /[,\s]+(?:U\.?S\.?A\.?|U\.?S\.?|UNITED STATES(?: OF AMERICA)?)$/i;
const BEFORE_COUNTRY = /(?:\b\d{5}(?:-?\d{4})?|\bAZ|\bARIZ|\bARIZONA)\.?$/i;

/** A listing heading without the MLS number written into it (`…, AZ 85302 / 6937912 (MLS #)`). */
export function withoutMlsNumber(text: string): string {
  const collapsed = collapseSpaces(text).trim();
  // Both labels spell `MLS`: most addresses have none, and are spared the two long patterns.
  if (!/MLS/i.test(collapsed)) return collapsed;
  return collapsed.replace(MLS_TAIL, '').replace(MLS_HEAD, '').trim();
}

/** Whitespace other than a single space: two in a row, or a tab, line break, no-break space… */
const UNCOLLAPSED_SPACE = /\s\s|[^\S ]/;
/** Whitespace other than the plain space. */
const OTHER_SPACE = /[^\S ]/;

/**
 * The text with every run of whitespace written as one space (`replace(/\s+/g, ' ')`), given
 * back as it is when it has none to collapse: the replace rewrote every space of every address.
 */
function collapseSpaces(text: string): string {
  return UNCOLLAPSED_SPACE.test(text) ? text.replace(/\s+/g, ' ') : text;
}

/**
 * The words of a text, split at any whitespace (`replace(/\s+/g, ' ').trim().split(' ')`
 * without empty words), splitting at plain spaces alone when it has no other whitespace.
 */
function wordsOf(text: string): string[] {
  const words = (OTHER_SPACE.test(text) ? text.replace(/\s+/g, ' ') : text).split(' ');
  return words.includes('') ? words.filter(Boolean) : words;
}

/** Split an address into street (with its unit), city, state and ZIP. Never throws. */
export function parseAddress(input: string | null | undefined): ParsedAddress {
  const empty: ParsedAddress = { street: null, city: null, state: null, zip: null };
  if (!input) return empty;
  // A line break pasted from a letter or a page separates parts as a comma does.
  const lines = input.includes('\n') || input.includes('\r') ? input.replace(/\s*[\r\n]+\s*/g, ', ') : input;
  let rest = withoutCountry(withoutPlaceholders(withoutMlsNumber(lines)).replace(/[,\s]+$/, ''));
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
  const parts = splitUnit(street.replace(/,/g, ' '));
  const display = parts.base ? titleStreet(parts.base) + (parts.unit ? ` Unit ${parts.unit}` : '') : null;
  return { street: display, city: city ? titleCase(city) : null, state, zip };
}

/**
 * The text without words that are only dashes: an ARMLS export writes `--` in `St Suffix` for a
 * street that has no suffix (real rows for `4803 N WOODMERE FAIRWAY`, odgsully/Actual
 * apps/gs-crm/mcao-upload-temp/1mi-allcomps.csv), which our importer joins into the address.
 */
function withoutPlaceholders(text: string): string {
  // Without a dash there is no placeholder, and splitting and joining would give the text back.
  if (!/[-–—]/.test(text)) return text;
  return text
    .split(' ')
    .filter((w) => !/^[-–—]+$/.test(w))
    .join(' ');
}

/** The text without the country it ends with (`COUNTRY_AT_END`), and without the commas left before it. */
function withoutCountry(text: string): string {
  const m = COUNTRY_AT_END.exec(text);
  if (!m) return text;
  const before = text.slice(0, m.index);
  return m[0].includes(',') || BEFORE_COUNTRY.test(before.trim()) ? before.replace(/[,\s]+$/, '') : text;
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
  const ending = CITY_ENDINGS_BY_LAST_WORD.get(upper.slice(upper.lastIndexOf(' ') + 1))?.find((c) => upper.endsWith(c));
  if (ending) return { street: rest.slice(0, rest.length - ending.length).trim(), city: ending.slice(1) };
  const words = rest.split(' ');
  const suffixAt = findLastIndex(words, (w, i) => i > 0 && SUFFIXES.has(bare(w)));
  if (suffixAt < 0) return splitAfterUnit(words) ?? { street: rest, city: null };
  let end = suffixAt + 1;
  if (/^\d+$/.test(words[end] ?? '') && isRouteNumber(words, end)) end += 1;
  if (end < words.length && DIRECTIONS.has(bare(words[end]!))) end += 1;
  end += unitWordsAt(words, end);
  return end < words.length ? { street: words.slice(0, end).join(' '), city: words.slice(end).join(' ') } : { street: rest, city: null };
}

/**
 * A street with no suffix split before a city we do not list, after its unit: `9015 E VIA LINDA
 * 999 NOWHERE` or `… STE 999 NOWHERE`. Null when no unit stands before other words.
 */
function splitAfterUnit(words: string[]): { street: string; city: string } | null {
  for (let at = 2; at < words.length - 1; at += 1) {
    if (!hasStreetName(words, at)) continue;
    const marked = isUnitDesignator(words[at]) || words[at]!.startsWith('#') || isBareUnitAfterName(words.slice(0, at + 1), at);
    const n = marked ? unitWordsAt(words, at) : 0;
    if (n > 0 && at + n < words.length) return { street: words.slice(0, at + n).join(' '), city: words.slice(at + n).join(' ') };
  }
  return null;
}

/** How many words at `at` spell a unit (`UNIT 371`, `UNIT # 371`, `# 371`, `#371`, `371`, `245A`): 0 to 3. */
function unitWordsAt(words: string[], at: number): number {
  const w = words[at];
  if (w === undefined) return 0;
  const word = bare(w);
  if (/^#[A-Z0-9-]+$/.test(word)) return 1;
  if (isUnitDesignator(word) && words[at + 1] === '#' && isId(words[at + 2])) return 3;
  if ((isUnitDesignator(word) || word === '#') && isId(words[at + 1])) return 2;
  if (BARE_UNIT.test(word) && !isRouteNumber(words, at)) return 1;
  return 0;
}

/** Whether a word is a unit's id (`UNIT_ID`), with or without a `#` before it. */
function isId(x: string | undefined): boolean {
  return x !== undefined && UNIT_ID.test(bare(x).replace(/^#/, ''));
}

/**
 * Whether the number at `at` names a road (`US HWY 60`, `W HWY 60`, `STATE ROUTE 74`) rather
 * than a unit after a named highway (`N BLACK CANYON HWY 12`, read like `N 68TH ST 371`).
 */
function isRouteNumber(words: string[], at: number): boolean {
  const route = words[at - 1];
  if (route === undefined || !ROUTE_WORDS.has(bare(route))) return false;
  const before = words[at - 2];
  return before === undefined || ROUTE_NUMBER_PREFIXES.has(bare(before)) || DIRECTIONS.has(bare(before)) || /^\d/.test(before);
}

function isUnitPart(text: string): boolean {
  const words = text.split(' ');
  return unitWordsAt(words, 0) === words.length || /^#\s*[A-Z0-9-]+$/i.test(text);
}

function isUnitDesignator(word: string | undefined): boolean {
  if (word === undefined) return false;
  const upper = word.toUpperCase();
  // Most words carry none of `.#,`: looked up as they are.
  const plain = upper.includes('.') || upper.includes('#') || upper.includes(',') ? upper.replace(/[.#,]/g, '') : upper;
  return DESIGNATOR_WORDS.has(plain);
}

/** The text's last word: what follows its last space or comma (the text's last split on them), without an array of them all. */
function lastWord(text: string): string | undefined {
  return /[^\s,]*$/.exec(text.trim())![0];
}

/**
 * A street split into the street itself and its unit, whichever way the unit was written:
 * `4600 N 68TH ST UNIT 371`, `… APT 371`, `… STE 371`, `… #371`, `… # 371` and `… ST 371` all
 * give `{ base: '4600 N 68TH ST', unit: '371' }`; `7430 E CHAPARRAL RD 245A` gives unit `245A`.
 * A bare trailing number counts as a unit after a street suffix (any of Publication 28 appendix
 * C1, spelled out or abbreviated, as listings spell `Drive` out) or after the name of a street
 * with no suffix (`9015 E VIA LINDA 999`, `isBareUnitAfterName`), never as a route's number
 * (`US HWY 60`, `W US 60`). `UNIT # 371` gives unit `371` too. A designator right after the
 * house number and directional is the street's name (`100 E UNIT RD`), not a unit.
 */
export function splitUnit(street: string): { base: string; unit: string | null } {
  const words = wordsOf(street);
  // Words split at single spaces and nothing else: joined again, they are the street as it came.
  let joinedLength = words.length - 1;
  for (const w of words) joinedLength += w.length;
  const asWritten = joinedLength === street.length;
  // A unit is one to three words that end the street (unitWordsAt): none starts before the last three.
  for (let at = Math.max(1, words.length - 3); at < words.length; at += 1) {
    // A unit follows a street that has a name: `100 E UNIT RD` is a street named Unit, not unit RD of `100 E`.
    if (!hasStreetName(words, at)) continue;
    const previous = bare(words[at - 1]!);
    const afterStreet = SUFFIX_WORDS.has(previous) || (DIRECTIONS.has(previous) && at >= 2 && SUFFIX_WORDS.has(bare(words[at - 2]!)));
    const designated = isUnitDesignator(words[at]) || words[at]!.startsWith('#');
    if (!afterStreet && !designated && !isBareUnitAfterName(words, at)) continue;
    const n = unitWordsAt(words, at);
    if (n === 0 || at + n !== words.length) continue;
    const unit = words.slice(at, at + n).at(-1)!.toUpperCase().replace(/^#/, '');
    return { base: words.slice(0, at).join(' '), unit };
  }
  return { base: asWritten ? street : words.join(' '), unit: null };
}

/**
 * Whether the words before `at` are a house number and a street name: a word after the number
 * that is neither a directional nor a fraction (`9015 E VIA LINDA`; not `100 E`, not `123 1/2 N`).
 */
function hasStreetName(words: string[], at: number): boolean {
  const first = words[0]?.charCodeAt(0) ?? NaN;
  if (!(first >= 48 && first <= 57)) return true;
  for (let i = 1; i < at; i += 1) if (!DIRECTIONS.has(bare(words[i]!)) && !(words[i]!.includes('/') && FRACTION.test(words[i]!))) return true;
  return false;
}

/**
 * A bare unit after a street written with no suffix, as the assessor writes Scottsdale's
 * `9015 E VIA LINDA 999` (a unit of `9015 E VIA LINDA STE 999`): the last word, digits with an
 * optional letter or a letter with digits, after a name word (not a directional, a number, a
 * designator or a route prefix: `W US 60`, `N SR 51` and `I 17` name roads).
 */
function isBareUnitAfterName(words: string[], at: number): boolean {
  if (at !== words.length - 1 || at < 2 || !BARE_UNIT.test(bare(words[at]!))) return false;
  const previous = bare(words[at - 1]!);
  return /^[A-Z]{2,}$/.test(previous) && !DIRECTIONS.has(previous) && !isUnitDesignator(previous) && !ROUTE_NUMBER_PREFIXES.has(previous) && !isRouteNumber(words, at);
}

/** The word in upper case without a period or comma after it (`Dr.` → `DR`). */
function bare(word: string): string {
  const upper = word.toUpperCase();
  const last = upper.charCodeAt(upper.length - 1);
  return last === 46 || last === 44 ? upper.slice(0, -1) : upper;
}

function findLastIndex<T>(xs: T[], test: (x: T, i: number) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i -= 1) if (test(xs[i]!, i)) return i;
  return -1;
}

/**
 * Each word's first letter in capitals, the rest lower case: as `/\b([a-z])/g` upper-casing the
 * lower-case text, written as a loop (a replace with a function per letter cost the normaliser a
 * tenth of its time). A letter begins a word when nothing of `[A-Za-z0-9_]` stands before it.
 */
function titleCase(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let from = 0;
  for (let i = 0; i < lower.length; i += 1) {
    const c = lower.charCodeAt(i);
    if (c < 97 || c > 122 || (i > 0 && isWordChar(lower.charCodeAt(i - 1)))) continue;
    out += lower.slice(from, i) + String.fromCharCode(c - 32);
    from = i + 1;
  }
  return from === 0 ? lower : out + lower.slice(from);
}

/** A character of `\w` without the `u` flag: `[A-Za-z0-9_]`. */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

/** Route prefixes written in capitals (`US HWY 60`, `SR 87`). */
const ROUTE_PREFIXES = new Set(['US', 'SR']);

/**
 * `16225 W GELDING DR` → `16225 W Gelding Dr`: directions, routes and unit letters stay upper
 * case; `N.` and `Rd.` lose their periods, as Publication 28 writes standardized addresses.
 */
function titleStreet(text: string): string {
  return text
    .split(' ')
    .map((word) => {
      const w = word.endsWith('.') ? word.slice(0, -1) : word;
      const first = w.charCodeAt(0);
      const digit = first >= 48 && first <= 57;
      if (digit && /^\d+(ST|ND|RD|TH)$/i.test(w)) return w.toLowerCase();
      const upper = w.toUpperCase();
      return digit || first === 35 || DIRECTIONS.has(upper) || ROUTE_PREFIXES.has(upper) ? upper : titleCase(w);
    })
    .join(' ');
}

/**
 * A key two sources' records of one property share: number, street and unit in upper case,
 * letters and digits only, the unit as `#<id>` whatever designator was written, and the ZIP:
 * `4600 N 68TH ST #371|85251` for both `4600 N 68TH ST 371 SCOTTSDALE 85251` and
 * `4600 N 68TH ST UNIT 371, SCOTTSDALE, AZ 85251`. Null without a street or a ZIP.
 *
 * The street is written the USPS way (Publication 28): the suffix as its appendix C1 standard
 * abbreviation (`Drive` → `DR`, `Point` → `PT`), a spelled-out directional before or after the
 * name abbreviated (section 233: `NORTH` → `N`), a designator kept before the unit (`BUILDING 5`
 * → `BLDG 5`) as its appendix C2 abbreviation, a route word before its number abbreviated
 * (`STATE ROUTE 87` → `STATE RTE 87`, as a public list of Arizona addresses writes it). Two slips seen in real ARMLS rows (odgsully/Actual
 * apps/gs-crm/mcao-upload-temp/all-scopes.csv, parcels 173-35-361 and 173-35-603, whose
 * neighbours the assessor writes `4620 N 68TH ST 174`) are undone so the key is the assessor's:
 * a numbered street written without its ordinal (`Street Name` `68` → `68TH`, as the assessor
 * writes `68TH ST` and `23RD AVE`; Publication 28 §235 leaves numbered names as the ZIP+4 file
 * has them) and a post-directional that repeats the pre-directional (`4610 N 68 ST N` →
 * `4610 N 68TH ST`; a different one, as in Salt Lake City's `842 E 1700 S` of appendix D2, stays).
 */
export function addressKey(address: ParsedAddress): string | null {
  if (!address.street || !address.zip) return null;
  const { base, unit } = splitUnit(address.street);
  const words = base
    .toUpperCase()
    .split(' ')
    // Most words are letters and digits already: only the others are rewritten.
    .map((w) => (!NOT_ALPHANUMERIC.test(w) || (w.includes('/') && FRACTION.test(w)) ? w : w.replace(/[^A-Z0-9]/g, '')))
    .filter(Boolean);
  // A fractional house number (`123 1/2`, Publication 28 §232) is one number: the directional follows it.
  if (/^\d+\/\d+$/.test(words[1] ?? '')) words.splice(0, 2, `${words[0]} ${words[1]}`);
  return `${canonicalStreet(words).join(' ')}${unit ? ` #${unitKey(unit)}` : ''}|${address.zip}`;
}

/** A character a key's word drops; a fraction (`1/2`), which a key keeps whole. */
const NOT_ALPHANUMERIC = /[^A-Z0-9]/;
const FRACTION = /^\d+\/\d+$/;

/**
 * A unit as keys write it: a hyphen between its letters and digits dropped (`1-A` is `1A`,
 * `A-12` is `A12`: one unit written two ways), one between digits kept (`1-2` is not `12`).
 */
function unitKey(unit: string): string {
  return unit.replace(/(?<=\d)-(?=[A-Z])|(?<=[A-Z])-(?=\d)/gi, '');
}

/**
 * Suffix names abbreviated wherever they stand, as keys have been written since the first
 * release (`4248 N PARKWAY AVE` → `4248 N PKWY AVE`): kept so stored keys stay the same.
 * Publication 28 §234.2 would spell the first of two suffix words out; either way both sources'
 * spellings meet.
 */
const ABBREVIATED_ANYWHERE = new Set(['STREET', 'AVENUE', 'DRIVE', 'LANE', 'ROAD', 'CIRCLE', 'COURT', 'PLACE', 'BOULEVARD', 'PARKWAY', 'TRAIL', 'TERRACE', 'HIGHWAY', 'COVE']);

/** The words of a street (number first, no unit) written as `addressKey` writes them. */
function canonicalStreet(words: string[]): string[] {
  const last = words.length - 1;
  const postDirectional = last >= 3 && (DIRECTIONS.has(words[last]!) || Object.hasOwn(DIRECTIONALS, words[last]!)) && SUFFIX_WORDS.has(words[last - 1]!);
  const suffixAt = postDirectional ? last - 1 : last;
  const canonical = words.map((w, i) => {
    const directional = (i === 1 && suffixAt - i >= 2) || (postDirectional && i === last);
    if (directional && Object.hasOwn(DIRECTIONALS, w)) return DIRECTIONALS[w]!;
    if (i === suffixAt && i >= 2) return STREET_SUFFIXES[w] ?? w;
    if (ABBREVIATED_ANYWHERE.has(w) || (ROUTE_WORDS.has(w) && /^\d+$/.test(words[i + 1] ?? ''))) return STREET_SUFFIXES[w] ?? w;
    if (i >= 2 && i < last) return UNIT_DESIGNATORS[w] ?? (/^\d+$/.test(w) && SUFFIX_WORDS.has(words[i + 1]!) ? ordinal(w) : w);
    return w;
  });
  const repeated = postDirectional && canonical[last] === canonical[1];
  return repeated ? canonical.slice(0, last) : canonical;
}

/** `68` → `68TH`, `1` → `1ST`, `2` → `2ND`, `3` → `3RD`, `11`–`13` → `11TH`–`13TH`. */
function ordinal(number: string): string {
  const n = Number(number);
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const ending = teen ? 'TH' : ({ 1: 'ST', 2: 'ND', 3: 'RD' } as Record<number, string>)[n % 10] ?? 'TH';
  return `${number}${ending}`;
}
