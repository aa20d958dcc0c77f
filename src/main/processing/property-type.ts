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
  return label
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+-\s*|\s*-\s+/g, ' - ');
}

/** Dwelling types whose `Dwelling Styles` (Attached / Detached / Stacked) decides single home or townhouse. */
const STYLE_DECIDES = new Set(['patio home', 'gemini/twin home']);

/**
 * An ARMLS dwelling type with its `Dwelling Styles`: a patio or twin home marked `Attached`
 * (13 of the 14 patio homes in the real exports) shares walls like a townhouse and is one;
 * otherwise the table's type. Undefined when the table does not know the label.
 */
export function armlsDwellingType(label: string, style?: string | null): PropertyType | undefined {
  const key = dwellingTypeKey(label);
  if (STYLE_DECIDES.has(key) && style && /^attached$/i.test(style.trim())) return 'townhouse';
  return ARMLS_DWELLING_TYPES[key];
}

/**
 * The assessor's property use code (`PropertyUseCode`, four digits, `0131`): the Arizona
 * Department of Revenue's property use code scheme, which county assessors publish, grouped by
 * its leading two digits. Source: Arizona Department of Revenue, Assessment Procedures Manual,
 * "Property Use Codes" (the Maricopa County Assessor names each code in `PEPropUseDesc`, e.g.
 * `0131` Single Family Residence). Groups not listed fall back to the description.
 */
export const USE_CODE_GROUPS: Record<string, PropertyType> = {
  '00': 'land', // vacant land
  '01': 'single_family', // single-family residence (0131, 0141, …)
  '02': 'single_family', // rural and agricultural residence
  '03': 'multi_family', // multiple family: apartments, duplexes to complexes
  '07': 'condo', // residential condominiums and townhouses (description tells which)
  '08': 'mobile_home', // mobile and manufactured homes
  '10': 'commercial', '11': 'commercial', '12': 'commercial', '13': 'commercial', '14': 'commercial',
  '15': 'commercial', '16': 'commercial', '17': 'commercial', '18': 'commercial', '19': 'commercial',
  '20': 'commercial', '21': 'commercial', '22': 'commercial', '23': 'commercial', '24': 'commercial',
  '25': 'commercial', '26': 'commercial', '27': 'commercial', '28': 'commercial', '29': 'commercial',
  '30': 'commercial', '31': 'commercial', '32': 'commercial', '33': 'commercial', '34': 'commercial',
  '35': 'commercial', '36': 'commercial', '37': 'commercial', '38': 'commercial', '39': 'commercial',
};

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
 * style, `Attached`, when the record has one); else the assessor's
 * use description (its own words, `Condominiums`, `Townhouse`, `Warehouse`) read by the label
 * rules; else the use code's group. A label nothing recognises is `other`; nothing at all, null.
 */
export function propertyTypeOf(label: string | null | undefined, useCode?: string | null, dwellingStyle?: string | null): PropertyType | null {
  const armls = label ? armlsDwellingType(label, dwellingStyle) : undefined;
  if (armls) return armls;
  if (label) for (const [pattern, type] of LABEL_RULES) if (pattern.test(label)) return type;
  const group = useCode ? USE_CODE_GROUPS[useCode.trim().padStart(4, '0').slice(0, 2)] : undefined;
  if (group) return group;
  return label ? 'other' : null;
}

const label = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The property type of a raw record (either source): its label fields, then the use code. */
export function rawPropertyType(d: RawPropertyData): PropertyType | null {
  return propertyTypeOf(label(d.property_type_label) ?? label(d.property_use) ?? label(d.property_type), label(d.property_use_code), label(d.dwelling_style));
}
