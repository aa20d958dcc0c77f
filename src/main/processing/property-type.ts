import type { PROPERTY_TYPES } from '../../shared/schemas/processed-property.js';
import type { RawPropertyData } from '../../shared/schemas/raw-property.js';

export type PropertyType = (typeof PROPERTY_TYPES)[number];

/** Label words, checked in order: the first that appears in a label decides. */
const LABEL_RULES: [RegExp, PropertyType][] = [
  [/town ?house|townhome/i, 'townhouse'],
  [/condo|apartment style|flat/i, 'condo'],
  [/duplex|triplex|fourplex|4-plex|multi|apartment/i, 'multi_family'],
  [/mobile|manufactured|mfg/i, 'mobile_home'],
  [/vacant|land|lot\b|acreage/i, 'land'],
  [/commercial|office|retail|industrial|warehouse/i, 'commercial'],
  [/single|detached|patio home|residence|sfr|gemini|twin/i, 'single_family'],
];

/**
 * The property type from the assessor's use description and code or the MLS's label. The
 * assessor's codes: 00xx vacant land, 01xx single-family residential (Maricopa property use
 * codes); the description wins when both are present.
 */
export function propertyTypeOf(label: string | null | undefined, useCode?: string | null): PropertyType | null {
  if (label) for (const [pattern, type] of LABEL_RULES) if (pattern.test(label)) return type;
  if (useCode) {
    if (/^00/.test(useCode)) return 'land';
    if (/^01/.test(useCode)) return 'single_family';
  }
  return label ? 'other' : null;
}

const label = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The property type of a raw record (either source): its label fields, then the use code. */
export function rawPropertyType(d: RawPropertyData): PropertyType | null {
  return propertyTypeOf(label(d.property_type_label) ?? label(d.property_use) ?? label(d.property_type), label(d.property_use_code));
}
