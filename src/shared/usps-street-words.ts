/**
 * The words of a US delivery address line as USPS Publication 28 (Postal Addressing Standards)
 * names them: street suffixes (appendix C1), directionals (section 233) and secondary unit
 * designators (appendix C2), each with its standard abbreviation. Used to read an address and to
 * build the key two sources' spellings of one address share.
 */

/**
 * Street suffixes, the primary name → the Postal Service standard abbreviation (Publication 28,
 * appendix C1, "Street Suffix Abbreviations"). Suffixes whose standard form is the word itself
 * (`WAY`, `LOOP`, `PASS`, `RUN`, `PATH`, `ROW`, `WALK`, `MALL`, `OVAL`, `PARK`, `PIKE`) map to
 * themselves so that either spelling is known as a suffix.
 */
export const STREET_SUFFIXES: Readonly<Record<string, string>> = {
  ALLEY: 'ALY', ANNEX: 'ANX', ARCADE: 'ARC', AVENUE: 'AVE', BEND: 'BND', BLUFF: 'BLF',
  BOULEVARD: 'BLVD', BRANCH: 'BR', BRIDGE: 'BRG', BROOK: 'BRK', BYPASS: 'BYP', CANYON: 'CYN',
  CAUSEWAY: 'CSWY', CENTER: 'CTR', CIRCLE: 'CIR', CLIFF: 'CLF', CLUB: 'CLB', COMMON: 'CMN',
  CORNER: 'COR', COURSE: 'CRSE', COURT: 'CT', COURTS: 'CTS', COVE: 'CV', CREEK: 'CRK',
  CRESCENT: 'CRES', CREST: 'CRST', CROSSING: 'XING', CURVE: 'CURV', DALE: 'DL', DRIVE: 'DR',
  ESTATE: 'EST', ESTATES: 'ESTS', EXPRESSWAY: 'EXPY', EXTENSION: 'EXT', FIELD: 'FLD', FLAT: 'FLT',
  FOREST: 'FRST', FORK: 'FRK', FREEWAY: 'FWY', GARDEN: 'GDN', GARDENS: 'GDNS', GATEWAY: 'GTWY',
  GLEN: 'GLN', GREEN: 'GRN', GROVE: 'GRV', HARBOR: 'HBR', HAVEN: 'HVN', HEIGHTS: 'HTS',
  HIGHWAY: 'HWY', HILL: 'HL', HILLS: 'HLS', HOLLOW: 'HOLW', JUNCTION: 'JCT', KNOLL: 'KNL',
  LAKE: 'LK', LAKES: 'LKS', LANDING: 'LNDG', LANE: 'LN', LOOP: 'LOOP', MALL: 'MALL', MANOR: 'MNR',
  MEADOW: 'MDW', MEADOWS: 'MDWS', MOUNTAIN: 'MTN', OVAL: 'OVAL', PARK: 'PARK', PARKWAY: 'PKWY',
  PASS: 'PASS', PASSAGE: 'PSGE', PATH: 'PATH', PIKE: 'PIKE', PLACE: 'PL', PLAZA: 'PLZ',
  POINT: 'PT', PRAIRIE: 'PR', RANCH: 'RNCH', RIDGE: 'RDG', ROAD: 'RD', ROUTE: 'RTE', ROW: 'ROW',
  RUN: 'RUN', SQUARE: 'SQ', STREET: 'ST', SUMMIT: 'SMT', TERRACE: 'TER', TRACE: 'TRCE',
  TRAIL: 'TRL', TURNPIKE: 'TPKE', VALLEY: 'VLY', VIEW: 'VW', VILLAGE: 'VLG', VISTA: 'VIS',
  WALK: 'WALK', WAY: 'WAY',
};

/** Every spelling `STREET_SUFFIXES` knows as a suffix: primary names and standard abbreviations. */
export const SUFFIX_WORDS: ReadonlySet<string> = new Set([...Object.keys(STREET_SUFFIXES), ...Object.values(STREET_SUFFIXES)]);

/**
 * Suffixes a route number follows (`US HWY 60`, `STATE ROUTE 74`, `LOOP 101`): a number after
 * them names the road, it is not a unit.
 */
export const ROUTE_WORDS: ReadonlySet<string> = new Set(['HWY', 'HIGHWAY', 'RTE', 'ROUTE', 'FWY', 'FREEWAY', 'EXPY', 'EXPRESSWAY', 'TPKE', 'TURNPIKE', 'LOOP']);

/** Directionals, spelled out → abbreviated (Publication 28, section 233). */
export const DIRECTIONALS: Readonly<Record<string, string>> = {
  NORTH: 'N', SOUTH: 'S', EAST: 'E', WEST: 'W', NORTHEAST: 'NE', NORTHWEST: 'NW', SOUTHEAST: 'SE', SOUTHWEST: 'SW',
};

/** The abbreviated directionals. */
export const DIRECTION_ABBREVIATIONS: ReadonlySet<string> = new Set(Object.values(DIRECTIONALS));

/**
 * Secondary unit designators, name → standard abbreviation (Publication 28, appendix C2, those
 * that take a number), plus `#` and the `NO`/`NUMBER` some listings write. Mobile-home parks use
 * `SPC`/`SPACE`, `LOT` and `TRLR`.
 */
export const UNIT_DESIGNATORS: Readonly<Record<string, string>> = {
  APARTMENT: 'APT', BUILDING: 'BLDG', DEPARTMENT: 'DEPT', FLOOR: 'FL', HANGAR: 'HNGR', LOT: 'LOT',
  NUMBER: 'NO', PIER: 'PIER', ROOM: 'RM', SLIP: 'SLIP', SPACE: 'SPC', SUITE: 'STE', TRAILER: 'TRLR',
  UNIT: 'UNIT',
};

/** Every spelling `UNIT_DESIGNATORS` knows: names and standard abbreviations. */
export const DESIGNATOR_WORDS: ReadonlySet<string> = new Set([...Object.keys(UNIT_DESIGNATORS), ...Object.values(UNIT_DESIGNATORS)]);
