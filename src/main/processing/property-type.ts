import type { PROPERTY_TYPES } from '../../shared/schemas/processed-property.js';
import type { RawPropertyData } from '../../shared/schemas/raw-property.js';

export type PropertyType = (typeof PROPERTY_TYPES)[number];

/**
 * ARMLS `Dwelling Type` values (the Arizona Regional MLS's residential field, as its exports and
 * Phoenix MLS Search detail pages write it) and what each is, keyed by dwellingTypeKey.
 *
 * Sources: real exports (odgsully/Actual, `apps/gs-crm/mcao-upload-temp/*.csv`, 2024–2025:
 * `Apartment`, `Townhouse`, `Patio Home`); ARMLS's RETS field `LIST_9` as a public replica of it
 * lists its values (`Single Family - Detached`, `Patio Home`, `Mfg/Mobile Housing`,
 * `Modular/Pre-Fab`, `Gemini/Twin Home`, `Loft Style`, `Apartment Style/Flat`, `Townhouse`); the
 * RESO Data Dictionary's PropertySubType values, which RESO feeds of ARMLS write instead
 * (`Single Family Residence`, `Condominium`, `Townhouse`, `Manufactured Home`, `Manufactured On
 * Land`, `Mobile Home`, `Duplex`, `Triplex`, `Quadruplex`, `Unimproved Land`).
 *
 * `Apartment` (older exports: `Apartment Style/Flat`) is ONE unit with one owner — a condominium
 * flat (the real fixture is a 702 sq ft unit the assessor calls Condominiums) — never an
 * apartment building (those are listed under the `Multiple Dwellings` property type). `Patio
 * Home`, `Gemini/Twin Home` (two homes sharing one wall, each owned with its own lot) and
 * `Modular/Pre-Fab` (RESO StructureType: a modular home is a House, not a manufactured home) are
 * single-family homes; an attached patio or twin home is a townhouse (armlsDwellingType).
 */
export const ARMLS_DWELLING_TYPES: Record<string, PropertyType> = {
  'single family - detached': 'single_family',
  'single family detached': 'single_family',
  'single family residence': 'single_family',
  'patio home': 'single_family',
  'gemini/twin home': 'single_family',
  'modular/pre-fab': 'single_family',
  'apartment': 'condo',
  'apartment style/flat': 'condo',
  'loft style': 'condo',
  'condominium': 'condo',
  'townhouse': 'townhouse',
  'mfg/mobile home': 'mobile_home',
  'mfg/mobile housing': 'mobile_home',
  'manufactured home': 'mobile_home',
  'manufactured on land': 'mobile_home',
  'mobile home': 'mobile_home',
  'multiple dwellings': 'multi_family',
  'duplex': 'multi_family',
  'triplex': 'multi_family',
  'fourplex': 'multi_family',
  'quadruplex': 'multi_family',
  'lots and land': 'land',
  'unimproved land': 'land',
  'land': 'land',
};

/**
 * The table key of a dwelling type as any export spells it: lower case, spaces collapsed and
 * none around `/` or `-` joined words (`Apartment Style / Flat`, `Mfg / Mobile Home`,
 * `Single Family -  Detached` are their table names).
 */
export function dwellingTypeKey(label: string): string {
  const lower = label.trim().toLowerCase();
  // A label written as its table name already is its key: the replaces below leave those as they are.
  if (Object.hasOwn(ARMLS_DWELLING_TYPES, lower)) return lower;
  return lower
    .replace(/\s+/g, ' ')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+-\s*|\s*-\s+/g, ' - ');
}

/** Dwelling types whose `Dwelling Styles` (Attached / Detached / Stacked) decides single home or townhouse. */
const STYLE_DECIDES = new Set(['patio home', 'gemini/twin home', 'townhouse']);

/**
 * An ARMLS dwelling type with its `Dwelling Styles` (`Attached`, `Detached`, `Stacked`: whether
 * the home shares walls), which decides for patio homes, twin homes and townhouses:
 *
 * - a patio or twin home marked `Attached` (13 of the 14 patio homes in the real exports) shares
 *   walls like a townhouse and is one;
 * - a `Townhouse` marked `Detached` shares none and is a single-family home: ARMLS's townhouse
 *   label names the community (a planned development of small lots), the style names the building.
 *   Three of the real export's 57 townhouses (closed-sales-85251-2025.csv) are detached: 6823789
 *   and 6516284 (`Unit Style: No Common Walls`) and 6804177 (a $3.65M home on a 5,290 sq ft lot),
 *   and they sell against detached homes, not against the row houses they would be compared with.
 *
 * Otherwise the table's type: a `Stacked` or `Attached` townhouse stays a townhouse, and a flat
 * (`Apartment`) is a condominium whatever its style (the export's one `Apartment` marked
 * `Detached`, 6811031, is a 702 sq ft unit "All on One Level" with a 76 sq ft share of land).
 * Undefined when the table does not know the label.
 */
export function armlsDwellingType(label: string, style?: string | null): PropertyType | undefined {
  const key = dwellingTypeKey(label);
  const styled = STYLE_DECIDES.has(key) ? style?.trim().toLowerCase() : undefined;
  if (styled === 'attached' && key !== 'townhouse') return 'townhouse';
  if (styled === 'detached' && key === 'townhouse') return 'single_family';
  return ARMLS_DWELLING_TYPES[key];
}

/**
 * The assessor's property use code (`PropertyUseCode`, four digits, `0131`) grouped by its leading
 * two digits: the Arizona Department of Revenue's property use code scheme (ADOR Property Tax
 * Division, "Property Use Code Manual"), which the Maricopa County Assessor applies. The manual
 * itself could not be read here, so each group below is listed ONLY because real codes of it
 * were seen in the assessor's own published data, with the description the assessor gave them:
 *
 * - `00` vacant land: 0011 "Vacant residential urban subdivided", 0012 (non-subdivided), 0021 and
 *   0022 (vacant commercial), 0031 and 0032 "VACANT INDUSTRIAL URBAN NON-SUBDIVIDED" (assessor
 *   Parcel layer, gis.maricopa.gov IndividualService/Parcel and Parcel_Data_View, as live
 *   captures in public projects record it);
 * - `01` single-family residence: 0131 and 0141 `Single Family Residence` (the twelve real
 *   `/parcel` answers in ../shared/fixtures), 0131 "SFR GRADE 010-3 URBAN SUBDIVIDED", 0151
 *   "SFR GRADE 010-5 URBAN SUBDIVIDED", 0161 "SFR urban subdivided" (Parcel layer): the third
 *   digit is the quality grade, the fourth the location;
 * - `03` multiple family: 0376 "APARTMENTS 100+ UNITS 2 STORY", 0377 "APARTMENTS 100+ UNITS 3 OR
 *   MORE STORY" (Parcel layer; the `/parcel` API names 0377 `Multiple Family Residential`);
 * - `07` condominium: 0735 `Condominiums` (a real `/parcel` answer, unit 371 of Camelback House,
 *   173-35-524, `PropertyType: "Condo"`). Only this code was seen: the rest of the group is
 *   read as condominiums by inference from the scheme's grouping;
 * - `12`, `15`, `20`, `37` commercial: 1210 "STORE & OFFICE OR STORE & APT COMBO", 1511 "OFFICE
 *   BUILDING 1 STORY", 2030 "RESTAURANT FAST FOOD" (Parcel layer), 3740 `Warehouses` (`/parcel`,
 *   legal class 1.12 "COMMERCIAL / OTHER R/P").
 *
 * Not listed, so unknown (null) unless the description says: every other group, including `02`,
 * `08` (mobile homes by the scheme's usual layout, but no Maricopa code was seen, and a mobile
 * home park would not be one home) and the government codes 9400–9780 (federal and municipal,
 * vacant and improved mixed in one group).
 */
export const USE_CODE_GROUPS: Record<string, PropertyType> = {
  '00': 'land',
  '01': 'single_family',
  '03': 'multi_family',
  '07': 'condo',
  '12': 'commercial',
  '15': 'commercial',
  '20': 'commercial',
  '37': 'commercial',
};

/**
 * The type a use code's group gives (`USE_CODE_GROUPS`), or null: for a code of a group not
 * listed, and for anything but one to four digits (`"R1"` is not read as `00R1`, vacant land).
 * A code sent as a number loses its leading zero (`735` is `0735`).
 */
export function useCodeType(useCode: string | null | undefined): PropertyType | null {
  const code = useCode?.trim() ?? '';
  if (!/^\d{1,4}$/.test(code)) return null;
  return USE_CODE_GROUPS[code.padStart(4, '0').slice(0, 2)] ?? null;
}

/** Words of a label or use description, checked in order: the first that appears decides. */
const LABEL_RULES: [RegExp, PropertyType][] = [
  [/town ?house|townhome/i, 'townhouse'],
  [/condo|apartment style|flat\b|loft/i, 'condo'],
  [/duplex|triplex|fourplex|4-plex|multi|apartments\b|apartment complex|apartment building/i, 'multi_family'],
  [/mobile|manufactured|mfg/i, 'mobile_home'],
  [/vacant|\bland\b|\blots?\b|acreage/i, 'land'],
  [/commercial|office|retail|industrial|warehouse|store|restaurant|hotel|motel/i, 'commercial'],
  [/single|detached|patio home|residence|sfr|gemini|twin|modular/i, 'single_family'],
];

/**
 * The property type of a record: an ARMLS dwelling type by the table above (with its dwelling
 * style, `Attached` or `Detached`, when the record has one: armlsDwellingType); else the assessor's
 * use description (its own words, `Condominiums`, `Townhouse`, `Warehouse`) read by the label
 * rules; else the use code's group. A label nothing recognises is `other`; nothing at all, null.
 */
export function propertyTypeOf(label: string | null | undefined, useCode?: string | null, dwellingStyle?: string | null): PropertyType | null {
  const armls = label ? armlsDwellingType(label, dwellingStyle) : undefined;
  if (armls) return armls;
  if (label) for (const [pattern, type] of LABEL_RULES) if (pattern.test(label)) return type;
  const group = useCodeType(useCode);
  if (group) return group;
  return label ? 'other' : null;
}

const label = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The property type of a raw record (either source): its label fields, then the use code. */
export function rawPropertyType(d: RawPropertyData): PropertyType | null {
  return propertyTypeOf(label(d.property_type_label) ?? label(d.property_use) ?? label(d.property_type), label(d.property_use_code), label(d.dwelling_style));
}
