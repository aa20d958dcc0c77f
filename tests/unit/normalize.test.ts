import { describe, expect, it } from 'vitest';
import { addressKey, parseAddress } from '../../src/shared/address.js';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { mergeNormalized, normalize } from '../../src/main/processing/normalize.js';
import { propertyTypeOf } from '../../src/main/processing/property-type.js';
import { loadParcelFixtures } from '../support/fixtures.js';
import { mlsListing } from '../support/seed.js';

describe('parseAddress', () => {
  it.each([
    ['16225 W GELDING DR SURPRISE 85379', { street: '16225 W Gelding Dr', city: 'Surprise', state: 'AZ', zip: '85379' }],
    ['123 Main St Phoenix AZ 85031', { street: '123 Main St', city: 'Phoenix', state: 'AZ', zip: '85031' }],
    ['5219 W EL CAMINITO Drive, Glendale, AZ 85302', { street: '5219 W El Caminito Drive', city: 'Glendale', state: 'AZ', zip: '85302' }],
    ['1234 W FOO ST SUN CITY WEST 85375', { street: '1234 W Foo St', city: 'Sun City West', state: 'AZ', zip: '85375' }],
    ['99 N 7TH AVE PHOENIX 85007-1234', { street: '99 N 7th Ave', city: 'Phoenix', state: 'AZ', zip: '85007' }],
    ['4410 E ROSE LN PARADISE 85253', { street: '4410 E Rose Ln', city: 'Paradise', state: 'AZ', zip: '85253' }],
    ['1 W ELM ST 85031', { street: '1 W Elm St', city: null, state: 'AZ', zip: '85031' }],
    ['', { street: null, city: null, state: null, zip: null }],
  ])('%s', (input, expected) => expect(parseAddress(input)).toEqual(expected));

  it('gives the same key to both spellings of one address', () => {
    expect(addressKey(parseAddress('5219 W EL CAMINITO DR GLENDALE 85302'))).toBe(addressKey(parseAddress('5219 W El Caminito Drive, Glendale, AZ 85302')));
    expect(addressKey(parseAddress('no zip'))).toBeNull();
  });
});

describe('propertyTypeOf', () => {
  it.each([
    ['Single Family Residence', '0131', 'single_family'],
    ['Single Family - Detached', null, 'single_family'],
    ['Townhouse', null, 'townhouse'],
    ['Apartment Style/Flat', null, 'condo'],
    ['Condominium', null, 'condo'],
    ['Duplex', null, 'multi_family'],
    ['Mfg/Mobile Housing', null, 'mobile_home'],
    // C05: an ARMLS `Apartment` is one condominium unit, not a multi-family building.
    ['Apartment', null, 'condo'],
    ['Patio Home', null, 'single_family'],
    ['Gemini/Twin Home', null, 'single_family'],
    ['Loft Style', null, 'condo'],
    ['Modular/Pre-Fab', null, 'single_family'],
    ['Mfg/Mobile Home', null, 'mobile_home'],
    ['Multiple Dwellings', null, 'multi_family'],
    // The assessor's own use descriptions, then its use-code groups.
    ['Condominiums', '0710', 'condo'],
    ['Townhouse', '0710', 'townhouse'],
    ['Apartments', '0377', 'multi_family'],
    ['Warehouse', '3710', 'commercial'],
    [null, '0377', 'multi_family'],
    // Groups no real Maricopa code was seen in are unknown, not guessed (property-use-codes.test.ts).
    [null, '0810', null],
    [null, '1100', null],
    [null, '9999', null],
    ['Vacant Land', null, 'land'],
    [null, '0013', 'land'],
    [null, '0141', 'single_family'],
    ['Something new', null, 'other'],
    [null, null, null],
  ])('%s / %s → %s', (label, code, type) => expect(propertyTypeOf(label, code)).toBe(type));
});

describe('normalize', () => {

  it('normalises every real assessor fixture, with no list price (a parcel is not a listing)', () => {
    for (const [apn, payload] of loadParcelFixtures()) {
      const raw = mapParcel(apn, parcelPayloadSchema.parse(payload));
      const { normalized, address_key } = normalize({ source: raw.source, data: raw.data });
      expect(normalized.address.state).toBe('AZ');
      expect(normalized.address.zip).toMatch(/^85\d{3}$/);
      expect(normalized.address.city).toBe('Surprise');
      expect(normalized.details.property_type).toBe('single_family');
      expect(normalized.details.bedrooms).toBeNull();
      // The value comes later, from the valuation step; an old sale is never a price.
      expect(normalized.pricing).toEqual({ list_price: null, price_per_sqft: null, value: null, value_basis: null, value_date: null });
      expect(address_key).toMatch(/\|85\d{3}$/);
    }
  });

  it("keeps a listing's asking price as its list price", () => {
    const { normalized } = normalize({ source: 'phoenix_mls', data: mlsListing('1').data });
    expect(normalized.pricing).toMatchObject({ list_price: 365000 });
    expect(normalized.details).toMatchObject({ bedrooms: 3, bathrooms: 2, property_type: 'single_family' });
  });

  it('merges two sources field by field, recording each source', () => {
    const mls = { ...normalize({ source: 'phoenix_mls', data: { ...mlsListing('1').data, year_built: null, square_feet: 1600 } }), source: 'phoenix_mls' };
    const assessor = { ...normalize({ source: 'maricopa_api', data: { address: '5219 W EL CAMINITO DR GLENDALE 85302', square_feet: 1540, year_built: 1979, sale_price: 150000, bathrooms: 2.5 } }), source: 'maricopa_api' };
    const merged = mergeNormalized([mls, assessor]);
    expect(merged.normalized.details).toMatchObject({ bedrooms: 3, bathrooms: 2, square_feet: 1540, year_built: 1979 });
    expect(merged.normalized.pricing).toMatchObject({ list_price: 365000 });
    expect(merged.field_sources).toMatchObject({ details: { bedrooms: 'phoenix_mls', square_feet: 'maricopa_api', year_built: 'maricopa_api' }, pricing: { list_price: 'phoenix_mls' } });
  });
});
