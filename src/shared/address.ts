/**
 * US street addresses as our sources write them, split into street, city, state and ZIP:
 * the assessor's `16225 W GELDING DR SURPRISE 85379` (no state, no comma), the seed's
 * `123 Main St Phoenix AZ 85031` and the MLS's `5219 W EL CAMINITO Drive, Glendale, AZ 85302`.
 *
 * Written here because the parsers on npm split on commas and need the state: without either,
 * the city is found from the Maricopa County place names below, else as the words after the
 * last street suffix.
 */
export interface ParsedAddress {
  street: string | null;
  city: string | null;
  state: string | null;
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
const DIRECTIONS = new Set(['N', 'S', 'E', 'W', 'NE', 'NW', 'SE', 'SW']);
const ZIP_AT_END = /[,\s]*(\d{5})(?:-\d{4})?\s*$/;
const STATE_AT_END = /[,\s]+(AZ|ARIZONA)\.?\s*$/i;

export function parseAddress(input: string | null | undefined): ParsedAddress {
  const empty: ParsedAddress = { street: null, city: null, state: null, zip: null };
  if (!input) return empty;
  let rest = input.replace(/\s+/g, ' ').trim();
  if (rest === '') return empty;

  const zipMatch = ZIP_AT_END.exec(rest);
  const zip = zipMatch ? zipMatch[1]! : null;
  if (zipMatch) rest = rest.slice(0, zipMatch.index);
  const stateMatch = STATE_AT_END.exec(rest);
  let state: string | null = stateMatch ? 'AZ' : null;
  if (stateMatch) rest = rest.slice(0, stateMatch.index);
  // Arizona ZIP codes are 850xx-865xx: a ZIP there states the state.
  if (!state && zip && /^8(5\d|6[0-5])/.test(zip)) state = 'AZ';
  rest = rest.replace(/[,\s]+$/, '');

  let street: string;
  let city: string | null = null;
  const comma = rest.lastIndexOf(',');
  if (comma >= 0) {
    street = rest.slice(0, comma);
    city = rest.slice(comma + 1).trim() || null;
  } else {
    const upper = rest.toUpperCase();
    const known = CITIES.find((c) => upper.endsWith(` ${c}`));
    if (known) {
      street = rest.slice(0, rest.length - known.length - 1);
      city = known;
    } else {
      const words = rest.split(' ');
      const suffixAt = findLastIndex(words, (w, i) => i > 0 && SUFFIXES.has(w.toUpperCase().replace(/\.$/, '')));
      if (suffixAt >= 0 && suffixAt < words.length - 1) {
        street = words.slice(0, suffixAt + 1).join(' ');
        city = words.slice(suffixAt + 1).join(' ');
      } else street = rest;
    }
  }
  return { street: titleStreet(street.trim()) || null, city: city ? titleCase(city) : null, state, zip };
}

function findLastIndex<T>(xs: T[], test: (x: T, i: number) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i -= 1) if (test(xs[i]!, i)) return i;
  return -1;
}

function titleCase(text: string): string {
  return text.toLowerCase().replace(/\b([a-z])/g, (c) => c.toUpperCase());
}

/** `16225 W GELDING DR` → `16225 W Gelding Dr`: directions and unit letters stay upper case. */
function titleStreet(text: string): string {
  return text
    .split(' ')
    .map((w) => {
      if (/^\d+(ST|ND|RD|TH)$/i.test(w)) return w.toLowerCase();
      return DIRECTIONS.has(w.toUpperCase()) || /^\d/.test(w) || /^#/.test(w) ? w.toUpperCase() : titleCase(w);
    })
    .join(' ');
}

/** A key two sources' records of one property share: street, number and ZIP, letters only. */
export function addressKey(address: ParsedAddress): string | null {
  if (!address.street || !address.zip) return null;
  const street = address.street
    .toUpperCase()
    .split(' ')
    .map((w) => w.replace(/[^A-Z0-9]/g, ''))
    .map((w) => SUFFIX_CANON[w] ?? w)
    .filter(Boolean)
    .join(' ');
  return `${street}|${address.zip}`;
}

const SUFFIX_CANON: Record<string, string> = {
  STREET: 'ST', AVENUE: 'AVE', DRIVE: 'DR', LANE: 'LN', ROAD: 'RD', CIRCLE: 'CIR', COURT: 'CT', PLACE: 'PL',
  BOULEVARD: 'BLVD', PARKWAY: 'PKWY', TRAIL: 'TRL', TERRACE: 'TER', HIGHWAY: 'HWY', COVE: 'CV',
};
