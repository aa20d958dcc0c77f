import { describe, expect, it } from 'vitest';
import { addressKey, parseAddress, splitUnit } from '../../src/shared/address.js';
import { loadParcelFixtures } from '../support/fixtures.js';

/**
 * The real forms our sources write (issue 12). `parse-address` 1.1.2 and `addresser` 1.1.22 were
 * run on this table: the first reads `68TH ST 371 SCOTTSDALE` as the street, `23RD AVE 100` as
 * the street name and every assessor address without its city; the second throws on any address
 * without a state. Hence our own parser, held to this table.
 */
describe('parseAddress: the real forms', () => {
  it.each([
    // C01: the assessor's condo with a bare unit number, and a listing's spelling of the same unit.
    ['4600 N 68TH ST 371 SCOTTSDALE 85251', { street: '4600 N 68th St Unit 371', city: 'Scottsdale', state: 'AZ', zip: '85251' }],
    ['4600 N 68TH ST UNIT 371, SCOTTSDALE, AZ 85251', { street: '4600 N 68th St Unit 371', city: 'Scottsdale', state: 'AZ', zip: '85251' }],
    ['4600 N 68TH ST APT 371 SCOTTSDALE AZ 85251', { street: '4600 N 68th St Unit 371', city: 'Scottsdale', state: 'AZ', zip: '85251' }],
    ['4600 N 68th St #371, Scottsdale, AZ 85251', { street: '4600 N 68th St Unit 371', city: 'Scottsdale', state: 'AZ', zip: '85251' }],
    ['4600 N 68TH ST STE 371, SCOTTSDALE, AZ 85251-1234', { street: '4600 N 68th St Unit 371', city: 'Scottsdale', state: 'AZ', zip: '85251' }],
    // The assessor's search results: unit, no city, no ZIP; the unit stays in the street.
    ['901 S SMITH RD UNIT 1070', { street: '901 S Smith Rd Unit 1070', city: null, state: null, zip: null }],
    ['901 S SMITH RD 1070', { street: '901 S Smith Rd Unit 1070', city: null, state: null, zip: null }],
    ['901 S SMITH RD, UNIT 1070', { street: '901 S Smith Rd Unit 1070', city: null, state: null, zip: null }],
    ['901 S SMITH RD UNIT 10700', { street: '901 S Smith Rd Unit 10700', city: null, state: null, zip: null }],
    // Lettered and numbered units before the city.
    ['7430 E CHAPARRAL RD 245A SCOTTSDALE, AZ 85250', { street: '7430 E Chaparral Rd Unit 245A', city: 'Scottsdale', state: 'AZ', zip: '85250' }],
    ['1515 N 23RD AVE 100 PHOENIX, AZ 85021', { street: '1515 N 23rd Ave Unit 100', city: 'Phoenix', state: 'AZ', zip: '85021' }],
    // C03: the MLS heading carries the MLS number, which is not part of the address.
    ['5219 W EL CAMINITO Drive, Glendale, AZ 85302 / 6937912 (MLS #)', { street: '5219 W El Caminito Drive', city: 'Glendale', state: 'AZ', zip: '85302' }],
    ['5219 W EL CAMINITO Drive, Glendale, AZ 85302 - MLS# 6937912', { street: '5219 W El Caminito Drive', city: 'Glendale', state: 'AZ', zip: '85302' }],
    ['5219 W EL CAMINITO Drive, Glendale, AZ 85302 (MLS #6937912)', { street: '5219 W El Caminito Drive', city: 'Glendale', state: 'AZ', zip: '85302' }],
    // A highway number is not a unit; a city the list does not know is found after the unit.
    ['21000 W US HWY 60 WICKENBURG 85390', { street: '21000 W US Hwy 60', city: 'Wickenburg', state: 'AZ', zip: '85390' }],
    ['310 S 4TH ST 1105 NOWHERE 85004', { street: '310 S 4th St Unit 1105', city: 'Nowhere', state: 'AZ', zip: '85004' }],
  ])('%s', (input, expected) => expect(parseAddress(input)).toEqual(expected));

  it('reads every real assessor PropertyAddress with its city and a standalone ZIP', () => {
    const fixtures = loadParcelFixtures();
    expect(fixtures.size).toBe(12);
    for (const [, payload] of fixtures) {
      const text = (payload as { PropertyAddress: string }).PropertyAddress;
      const parsed = parseAddress(text);
      const [, number, zip] = /^(\d+) .* (\d{5})$/.exec(text)!;
      expect(parsed.street!.startsWith(`${number} W `), text).toBe(true);
      expect(parsed).toMatchObject({ city: 'Surprise', state: 'AZ', zip });
      expect(splitUnit(parsed.street!).unit, text).toBeNull();
    }
  });

  it('never takes a ZIP from the digits of a longer number', () => {
    expect(parseAddress('5219 W EL CAMINITO Drive, Glendale, AZ 85302 / 6937912 (MLS #)').zip).toBe('85302');
    expect(parseAddress('1 W ELM ST 693791').zip).toBeNull();
  });
});

describe('addressKey: one property, one key', () => {
  it('gives one key to every spelling of one condo unit (C01)', () => {
    const spellings = [
      '4600 N 68TH ST 371 SCOTTSDALE 85251',
      '4600 N 68TH ST UNIT 371, SCOTTSDALE, AZ 85251',
      '4600 N 68TH STREET APT 371, Scottsdale, AZ 85251',
      '4600 N 68th St # 371 Scottsdale AZ 85251',
      '4600 N 68th St #371, Scottsdale, AZ 85251',
      '4600 N 68TH ST STE 371 SCOTTSDALE 85251',
    ];
    const keys = new Set(spellings.map((s) => addressKey(parseAddress(s))));
    expect([...keys]).toEqual(['4600 N 68TH ST #371|85251']);
  });

  it('keeps units apart and units apart from the building', () => {
    const key = (s: string) => addressKey(parseAddress(s));
    expect(key('4600 N 68TH ST 372 SCOTTSDALE 85251')).not.toBe(key('4600 N 68TH ST 371 SCOTTSDALE 85251'));
    expect(key('4600 N 68TH ST SCOTTSDALE 85251')).toBe('4600 N 68TH ST|85251');
    expect(key('7430 E CHAPARRAL RD 245A SCOTTSDALE, AZ 85250')).toBe(key('7430 E Chaparral Road Unit 245A, Scottsdale, AZ 85250'));
  });

  it('gives the same key to both spellings of one address, and none without a ZIP', () => {
    expect(addressKey(parseAddress('5219 W EL CAMINITO DR GLENDALE 85302'))).toBe(addressKey(parseAddress('5219 W El Caminito Drive, Glendale, AZ 85302 - MLS# 6937912')));
    expect(addressKey(parseAddress('901 S SMITH RD UNIT 1070'))).toBeNull();
  });
});
