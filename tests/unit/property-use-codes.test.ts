import { describe, expect, it } from 'vitest';
import { mapParcel, useCodeText } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { propertyTypeOf, rawPropertyType, useCodeType } from '../../src/main/processing/property-type.js';
import { loadParcelFixtures } from '../support/fixtures.js';

/**
 * Real Maricopa County Assessor use codes, each with the description the assessor published for it
 * and where it was seen:
 * - API: a real `/parcel/<apn>` answer (../shared/fixtures; 0377 and 3740 in the public repository
 *   mborgeson/MaricopaPropertySearch, scripts/detailed_api_sample.json and
 *   tests/detailed_api_test_results_20250916_110144.json; 0735 for 173-35-524 in odgsully/Actual,
 *   apps/gs-crm/mozingo-mcao-ex.md);
 * - GIS: a row of the assessor's Parcel layer (gis.maricopa.gov IndividualService/Parcel and
 *   Parcel_Data_View), as live captures in public projects record it.
 */
const REAL_CODES: [code: string, description: string, seen: string, type: string | null][] = [
  ['0011', 'Vacant residential urban subdivided', 'GIS 164-03-125', 'land'],
  ['0032', 'VACANT INDUSTRIAL URBAN NON-SUBDIVIDED', 'GIS 101-14-008S', 'land'],
  ['0131', 'Single Family Residence', 'API fixtures', 'single_family'],
  ['0131', 'SFR GRADE 010-3 URBAN SUBDIVIDED', 'GIS 110-11-022', 'single_family'],
  ['0141', 'Single Family Residence', 'API 501-92-652, 501-92-824', 'single_family'],
  ['0151', 'SFR GRADE 010-5 URBAN SUBDIVIDED', 'GIS 172-19-009', 'single_family'],
  ['0161', 'SFR urban subdivided', 'GIS 164-03-124', 'single_family'],
  ['0376', 'APARTMENTS 100+ UNITS 2 STORY', 'GIS 102-21-023H', 'multi_family'],
  ['0377', 'Multiple Family Residential', 'API', 'multi_family'],
  ['0377', 'APARTMENTS 100+ UNITS 3 OR MORE STORY', 'GIS 102-15-006B', 'multi_family'],
  ['0735', 'Condominiums', 'API 173-35-524', 'condo'],
  ['1210', 'STORE & OFFICE OR STORE & APT COMBO', 'GIS 112-21-057', 'commercial'],
  ['1511', 'OFFICE BUILDING 1 STORY', 'GIS 128-43-002B', 'commercial'],
  ['2030', 'RESTAURANT FAST FOOD', 'GIS 118-26-024E', 'commercial'],
  ['3740', 'Warehouses', 'API 132-38-011', 'commercial'],
];

describe('property type from the assessor use code (issue 12)', () => {
  it.each(REAL_CODES)('%s %s (%s) → %s, from the description and from the code alone', (code, description, _seen, type) => {
    expect(propertyTypeOf(description, code)).toBe(type);
    expect(propertyTypeOf(null, code)).toBe(type);
  });

  it.each([
    // Government codes mix vacant and improved land in one group: the description decides.
    ['9700', 'Municipal vacant land', 'land'],
    ['9780', 'Municipal miscellaneous improved property', 'other'],
  ])('%s %s: no group type; the description gives %s', (code, description, type) => {
    expect(useCodeType(code)).toBeNull();
    expect(propertyTypeOf(description, code)).toBe(type);
  });

  it.each([
    ['0810', 'mobile homes by the scheme, but no Maricopa code seen'],
    ['0213', 'group 02 not seen'],
    ['1100', 'group 11 not seen'],
    ['R1', 'not digits (never read as 00R1, vacant land)'],
    ['01311', 'five digits'],
    ['', 'empty'],
  ])('%s is unknown (%s)', (code) => expect(useCodeType(code)).toBeNull());

  it('reads a code sent as a number with its leading zeros back', () => {
    expect(useCodeText(735)).toBe('0735');
    expect(useCodeText('0131')).toBe('0131');
    expect(useCodeText(1.5)).toBeNull();
    expect(useCodeType('735')).toBe('condo');
  });

  it('types every real fixture parcel by its PropertyUseCode and by its record', () => {
    const fixtures = loadParcelFixtures();
    expect(fixtures.size).toBe(12);
    for (const [apn, payload] of fixtures) {
      const raw = mapParcel(apn, parcelPayloadSchema.parse(payload));
      expect([apn, raw.data.property_use_code]).toEqual([apn, ['501-92-652', '501-92-824'].includes(apn) ? '0141' : '0131']);
      expect(useCodeType(raw.data.property_use_code as string)).toBe('single_family');
      expect(rawPropertyType(raw.data)).toBe('single_family');
    }
  });
});
