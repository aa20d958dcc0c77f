/**
 * Words of a recorded subdivision or condominium plat name that say which plat, phase or
 * amendment it is, not which community: `OPTIMA CAMELVIEW VILLAGE CONDOMINIUM 2ND AMD` and
 * `OPTIMA CAMELVIEW VILLAGE` are one complex, as are `VILLA MONTEREY UNIT 3-A` and `Villa
 * Monterey 2` (Maricopa County Recorder plat names, as ARMLS exports carry them in `Subdivision`).
 */
const PLAT_WORDS = new Set([
  'CONDOMINIUM', 'CONDOMINIUMS', 'CONDO', 'CONDOS', 'AMD', 'AMENDED', 'AMENDMENT', 'REPLAT', 'RESUB', 'RESUBDIVISION',
  'PHASE', 'PH', 'UNIT', 'UNITS', 'PLAT', 'TRACT', 'LOT', 'LOTS', 'PARCEL', 'TOWNHOUSES', 'TOWNHOMES', 'HOMES',
  'THE', 'AT', 'OF', 'AND', 'CO', 'MCR', 'BLK', 'BLOCK', 'NO', 'SEC', 'SECTION', 'CORR', 'CORRECTED', 'ADDITION', 'ADD',
]);

/**
 * The community a subdivision name belongs to: upper case, punctuation gone, plat words, numbers,
 * ordinals (`2ND`, `1STAMD`) and single letters dropped. Null when nothing is left.
 */
export function subdivisionKey(name: string | null | undefined): string | null {
  if (!name) return null;
  // The valuation asks for the key of every sale's subdivision each time it builds a feature row
  // (issue #22), and a market has a few thousand names: each is worked out once.
  const known = KEYS.get(name);
  if (known !== undefined) return known;
  if (KEYS.size >= MAX_KEYS) KEYS.clear();
  const key = keyOf(name);
  KEYS.set(name, key);
  return key;
}

/** Names already keyed, and how many are kept before starting over (a bound on memory). */
const KEYS = new Map<string, string | null>();
const MAX_KEYS = 50_000;

function keyOf(name: string): string | null {
  const words = name
    .toUpperCase()
    .replace(/[^A-Z0-9 ]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '' && !PLAT_WORDS.has(w) && !/\d/.test(w) && w.length > 1);
  return words.length === 0 ? null : words.join(' ');
}
