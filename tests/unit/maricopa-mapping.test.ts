import { describe, expect, it } from 'vitest';
import { compactApn, normalizeApn } from '../../src/main/collectors/maricopa/apn.js';
import { assessmentRatio, assessorDate, assessorNumber, deedTypeFlags, lastSale, mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { NON_MARKET_FLAGS } from '../../src/shared/valuation/sales-validation.js';
import { apnInPayload, parcelPayloadSchema, parseSearchResults, readParcelPayload } from '../../src/main/collectors/maricopa/payload.js';
import { normalize } from '../../src/main/processing/normalize.js';
import { loadParcelFixtures } from '../support/fixtures.js';

describe('APNs', () => {
  it.each([
    ['509-11-455', '509-11-455'],
    ['50911455', '509-11-455'],
    ['509.11.455', '509-11-455'],
    [' 509 11 455 ', '509-11-455'],
    ['211-29-043A', '211-29-043A'],
    ['21129043a', '211-29-043A'],
    // Real forms: the assessor's Parcel layer (APN 13031006D, APNDash 130-31-006D), the search API
    // (11202091D, ../shared/SERVICES.md), the Treasurer link in every fixture (Parcel=50179632).
    ['13031006D', '130-31-006D'],
    ['130-31-006D', '130-31-006D'],
    ['11202091D', '112-02-091D'],
    ['50179632', '501-79-632'],
  ])('%s → %s', (input, apn) => expect(normalizeApn(input)).toBe(apn));

  it('refuses what is not an APN', () => {
    expect(() => normalizeApn('5091145')).toThrowError(/not a Maricopa APN/);
    expect(() => normalizeApn('509-11-455BB')).toThrowError(/not a Maricopa APN/);
    expect(compactApn('211-29-043A')).toBe('21129043A');
  });
});

describe('assessor values', () => {
  it.each([
    ['161261      ', 161261],
    ['0.1000', 0.1],
    [345000, 345000],
    ['na', null],
    ['NA', null],
    ['', null],
    [null, null],
    ['abc', null],
  ])('number %j → %j', (input, out) => expect(assessorNumber(input)).toBe(out));

  it('reads MM/DD/YYYY dates only', () => {
    expect(assessorDate('02/01/2015')).toBe('2015-02-01');
    expect(assessorDate('2015-02-01')).toBeNull();
    expect(assessorDate(null)).toBeNull();
  });
});

// Expected values read by hand from each real fixture.
const EXPECTED: Record<string, Record<string, unknown>> = {
  '501-79-632': { address: '15868 W BANFF LN SURPRISE 85379', sale_price: 288816, sale_date: '2017-11-01', square_feet: 2086, lot_size: 7558, year_built: 2017, bath_fixtures: 8, bathrooms: 2.5, garages: 3, pool: true, pool_area_sqft: 336, full_cash_value: 453300, is_rental: false, owner_redacted: true },
  '501-79-677': { address: '15817 W LISBON LN SURPRISE 85379', sale_price: null, sale_date: null, square_feet: 1578, lot_size: 6480, year_built: 2017, garages: 2, pool: false, full_cash_value: 367000, legal_class: '4.2', is_rental: true, rental_registered: true, owner_redacted: false },
  '501-92-652': { address: '15958 W BANFF LN SURPRISE 85379', sale_price: 150000, sale_date: '2009-07-01', square_feet: 2958, bath_fixtures: 10, bathrooms: 3.5, pool: true, pool_area_sqft: 568, full_cash_value: 492800, owner_redacted: true, owner_name: null },
  '501-92-824': { address: '15910 W MAUI LN SURPRISE 85379', sale_price: null, sale_date: null, deed_date: '2003-09-17', square_feet: 1624, year_built: 2002, full_cash_value: 339200, owner_redacted: false },
  '501-93-353': { address: '16236 W CENTRAL ST SURPRISE 85374', sale_price: null, square_feet: 2320, bath_fixtures: 12, bathrooms: 4, pool: true, pool_area_sqft: 400, is_rental: true, rental_registered: true },
  '501-93-630': { address: '16208 W COTTONWOOD ST SURPRISE 85374', sale_price: 285000, sale_date: '2021-01-01', square_feet: 1668, bath_fixtures: 6, bathrooms: 2, pool: false, full_cash_value: 337800 },
  '501-97-020': { sale_price: 222000, sale_date: '2018-10-01', deed_date: '2018-11-02', legal_class: '4.2', is_rental: true, rental_registered: false, owner_redacted: false },
  '501-97-195': { sale_price: 202000, lot_size: 10632, owner_redacted: true, owner_name: null },
  '509-10-394': { address: '16368 W CENTRAL ST SURPRISE 85388', sale_price: null, sale_date: null, square_feet: 2550, garages: 3, legal_class: '4.1', is_rental: false, owner_redacted: true },
  '509-11-040': { sale_price: null, deed_date: null, square_feet: 1401, bath_fixtures: 6, bathrooms: 2, full_cash_value: 321700, is_rental: true, rental_registered: false },
  '509-11-455': { address: '15947 W WINCHCOMB DR SURPRISE 85379', sale_price: 153000, sale_date: '2015-02-01', deed_date: '2015-02-12', square_feet: 1647, lot_size: 5830, year_built: 2003, bath_fixtures: 7, bathrooms: 2.5, garages: 2, pool: false, full_cash_value: 345000, limited_property_value: 135279, valuation_year: 2024, property_use_code: '0131', property_use: 'Single Family Residence', owner_name: 'STEVENS TODD', owner_redacted: false },
  '509-11-600': { address: '16225 W GELDING DR SURPRISE 85379', sale_price: 155000, sale_date: '2012-09-01', square_feet: 2011, limited_property_value: 161261, legal_class: '4.1', is_rental: true, rental_registered: true },
};

describe('mapParcel on the twelve real fixtures', () => {
  const fixtures = loadParcelFixtures();

  it('covers all twelve', () => expect([...fixtures.keys()].sort()).toEqual(Object.keys(EXPECTED).sort()));

  it.each(Object.entries(EXPECTED))('%s', (apn, expected) => {
    const payload = parcelPayloadSchema.parse(fixtures.get(apn));
    const raw = mapParcel(apn.replace(/-/g, ''), payload);
    expect(raw.source).toBe('maricopa_api');
    expect(raw.source_id).toBe(apn);
    expect(raw.data).toMatchObject({ parcel_number: apn, bedrooms: null, ...expected });
    expect(raw.data.bathrooms_estimated).toBe(raw.data.bath_fixtures !== null);
    const original = raw.original as Record<string, unknown>;
    expect(original).not.toHaveProperty('Sketches');
    expect(Object.keys(original).length).toBe(Object.keys(fixtures.get(apn)!).length - 1);
  });

  it.each(Object.keys(EXPECTED))('%s: sales, coordinates, assessment ratio and tax area in the agreed fields', (apn) => {
    const raw = mapParcel(apn, parcelPayloadSchema.parse(fixtures.get(apn)));
    const d = raw.data;
    // Every fixture has a 10% ratio, tax area 891503 and null Geo coordinates.
    expect(d).toMatchObject({ assessment_ratio: 0.1, tax_area_code: '891503', latitude: null, longitude: null });
    // Every real SaleDate is the 1st (the affidavit's month and year): a month-precise sale.
    expect(d.sales).toEqual(d.sale_price ? [{ date: d.sale_date, price: d.sale_price, source: 'maricopa_api', date_precision: 'month', flags: [] }] : []);
  });

  it('reads Geo coordinates as degrees, and a percent ratio as a fraction', () => {
    const payload = parcelPayloadSchema.parse({ ...fixtures.get('509-11-455'), Geo: { lat: '33.6131', long: '-112.4312' } });
    expect(mapParcel('509-11-455', payload).data).toMatchObject({ latitude: 33.6131, longitude: -112.4312 });
    expect(assessmentRatio('10.00')).toBe(0.1);
    expect(assessmentRatio('na')).toBeNull();
  });
});

describe('assessor field semantics (issue 12)', () => {
  const fixtures = loadParcelFixtures();
  /** A real fixture with the residential data changed as the assessor writes other parcels. */
  const variant = (residential: Record<string, unknown>, rest: Record<string, unknown> = {}) => {
    const base = fixtures.get('509-11-455')!;
    return parcelPayloadSchema.parse({ ...base, ...rest, ResidentialPropertyData: { ...(base.ResidentialPropertyData as object), ...residential } });
  };

  it('C07: BathFixtures 0 (a warehouse, an apartment parcel) is unknown, not zero bathrooms', () => {
    const raw = mapParcel('509-11-455', variant({ BathFixtures: '0' }, { PropertyUseCode: '3710', PEPropUseDesc: 'Warehouse' }));
    expect(raw.data).toMatchObject({ bathrooms: null, bathrooms_estimated: false, bath_fixtures: null });
    const { normalized } = normalize({ source: raw.source, data: raw.data });
    expect(normalized.details.bathrooms).toBeNull();
    expect(normalized.details.property_type).toBe('commercial');
  });

  it.each([
    [{ BathFixtures: null }, null],
    [{ BathFixtures: 'na' }, null],
    [{ BathFixtures: 2 }, 0.5],
    [{ BathFixtures: '3   ' }, 1],
    [{ BathFixtures: '7' }, 2.5],
  ])('fixtures %j → %s bathrooms, estimated', (residential, bathrooms) => {
    const raw = mapParcel('509-11-455', variant(residential));
    expect(raw.data.bathrooms).toBe(bathrooms);
    expect(raw.data.bathrooms_estimated).toBe(bathrooms !== null);
  });

  // Real `ResidentialPropertyData` of parcels that are not one dwelling, verbatim from the public
  // repository mborgeson/MaricopaPropertySearch: 132-38-011 (3740 Warehouses,
  // tests/detailed_api_test_results_20250916_110144.json) and a 0377 apartment complex
  // (scripts/detailed_api_sample.json). The assessor still sends the block, with defaults.
  const WAREHOUSE = {
    ConstructionYear: '2000', OriginalConstructionYear: '2000', LotSize: '34083', LivableSpace: null, Detached_Livable_sqft: null,
    Pool: false, NumberOfCoveredPatios: 0, NumberOfUncoveredPatios: 0, NumberOfPatios: 0, PatioType: 'Uncovered',
    ExteriorWalls: 'Concrete Block, Slumpstone', RoofType: '', BathFixtures: 0, Cooling: null, Heating: null, NumberOfGarages: null,
    NumberOfCarports: 0, ParkingDetails: [], ParkingType: null, CoveredParking: false,
  };
  const APARTMENTS = {
    ConstructionYear: '2009', OriginalConstructionYear: '2009', LotSize: '185582', LivableSpace: null, Detached_Livable_sqft: null,
    Pool: false, NumberOfCoveredPatios: 0, NumberOfUncoveredPatios: 0, NumberOfPatios: 0, PatioType: 'Uncovered',
    ExteriorWalls: 'Stud  Eifs (synthetic Stucco)', RoofType: '', BathFixtures: 0, Cooling: null, Heating: null, NumberOfGarages: null,
    NumberOfCarports: 0, ParkingDetails: [], ParkingType: null, CoveredParking: false,
  };

  it.each([
    ['132-38-011, 3740 Warehouses', WAREHOUSE, '3740', 'Warehouses', 34083, 'commercial'],
    ['a 0377 apartment complex', APARTMENTS, '0377', 'Multiple Family Residential', 185582, 'multi_family'],
  ])('%s: no living area, so Pool false, no garages and 0 fixtures are unknown, not a measured none', (_name, residential, code, use, lot, type) => {
    const base = fixtures.get('509-11-455')!;
    const payload = parcelPayloadSchema.parse({ ...base, PropertyUseCode: code, PEPropUseDesc: use, ResidentialPropertyData: residential });
    const raw = mapParcel('509-11-455', payload);
    expect(raw.data).toMatchObject({
      square_feet: null, lot_size: lot, bath_fixtures: null, bathrooms: null, bathrooms_estimated: false,
      garages: null, pool: null, pool_area_sqft: null, roof_type: null, property_use_code: code,
    });
    expect(normalize({ source: raw.source, data: raw.data }).normalized.details.property_type).toBe(type);
  });

  it('a real condominium keeps its lot share as its lot and is typed by its use code', () => {
    // 173-35-524, Camelback House unit 371: 0735 `Condominiums`, `PropertyType: "Condo"`, 702 sq ft,
    // built 1974, 3 fixtures, 1 garage, no pool (odgsully/Actual apps/gs-crm/mozingo-mcao-ex.md, the
    // code written there as the number 735); its lot share 73 sq ft (../shared/SERVICES.md).
    const raw = mapParcel('173-35-524', variant(
      { ConstructionYear: '1974', LotSize: '73', LivableSpace: '702', Pool: false, BathFixtures: '3', NumberOfGarages: '1', RoofType: 'Bu - Built Up' },
      { PropertyUseCode: 735, PEPropUseDesc: 'Condominiums', PropertyType: 'Condo', LotSize: '73' },
    ));
    expect(raw.data).toMatchObject({ property_use_code: '0735', lot_size: 73, square_feet: 702, year_built: 1974, bathrooms: 1, garages: 1, pool: false });
    expect(normalize({ source: raw.source, data: raw.data }).normalized.details).toMatchObject({ property_type: 'condo', lot_sqft: 73 });
  });

  it.each([
    // The assessor's fill for "none recorded" (its Parcel layer writes CONST_YEAR "    " and
    // LIVING_SPACE "0.00" on commercial rows): unknown, never a measured zero.
    [{ ConstructionYear: '    ' }, 'year_built'],
    [{ ConstructionYear: '0' }, 'year_built'],
    [{ LivableSpace: '0.00' }, 'square_feet'],
    [{ LotSize: '0' }, 'lot_size'],
    [{ Pool: '0' }, 'pool_area_sqft'],
  ])('%j: %s is unknown', (residential, field) => {
    const raw = mapParcel('509-11-455', variant(residential, { LotSize: '0' }));
    expect(raw.data[field]).toBeNull();
  });

  it('a dwelling\'s Pool false is no pool, its pool area a pool', () => {
    expect(mapParcel('509-11-455', variant({ Pool: false })).data).toMatchObject({ pool: false, pool_area_sqft: null });
    expect(mapParcel('509-11-455', variant({ Pool: '336' })).data).toMatchObject({ pool: true, pool_area_sqft: 336 });
    expect(mapParcel('509-11-455', variant({ Pool: '0' })).data).toMatchObject({ pool: null, pool_area_sqft: null });
  });

  it('marks the estimate in the normalised record so it is shown as one', () => {
    const raw = mapParcel('509-11-455', variant({}));
    const { normalized } = normalize({ source: raw.source, data: raw.data });
    expect(normalized.details).toMatchObject({ bathrooms: 2.5, bathrooms_estimated: true });
  });
});

describe('what makes a /parcel answer (issue 12)', () => {
  const fixtures = loadParcelFixtures();

  it('every real answer is one, and names its own parcel', () => {
    for (const [apn, payload] of fixtures) {
      expect(() => readParcelPayload(payload)).not.toThrow();
      expect([apn, apnInPayload(payload)]).toEqual([apn, apn]);
    }
  });

  it.each([
    // The tester's case, saved as 501-11-112.json.
    [{ foo: 1 }, 'not a /parcel answer: missing PropertyAddress, Owner, Valuations'],
    [{ PropertyAddress: '1 Main St' }, 'not a /parcel answer: missing Owner, Valuations'],
    // An ASP.NET Web API error object answered with 200, or another endpoint's answer (/search/property/).
    [{ Message: 'An error has occurred.' }, 'not a /parcel answer: missing PropertyAddress, Owner, Valuations'],
    [{ TotalPropertyResults: 0, RealPropertyResults: [] }, 'not a /parcel answer: missing PropertyAddress, Owner, Valuations'],
    [[], 'not a /parcel answer: not a JSON object (an array)'],
    [null, 'not a /parcel answer: not a JSON object (null)'],
    [{ PropertyAddress: 'x', Owner: null, Valuations: 'not-a-list' }, 'not a /parcel answer: Valuations: Invalid input: expected array, received string'],
  ])('refuses %j: %s', (body, message) => expect(() => readParcelPayload(body)).toThrowError(message));

  it('reads the parcel in the Treasurer link, the rental registration and the sketches, and refuses two', () => {
    const base = fixtures.get('501-79-677')!;
    expect(apnInPayload({ TreasurersTransitionUrl: 'https://treasurer.maricopa.gov/parcel/default.aspx?Parcel=13031006D' })).toBe('130-31-006D');
    expect(apnInPayload({ ...base, TreasurersTransitionUrl: undefined })).toBe('501-79-677');
    expect(apnInPayload({ PropertyAddress: 'x' })).toBeNull();
    expect(() => apnInPayload({ ...base, RentalInformation: { ParcelNumber: '50179632' } })).toThrowError(
      'the payload names two parcels: 501-79-677 in TreasurersTransitionUrl, 501-79-632 in RentalInformation.ParcelNumber',
    );
    expect(() => apnInPayload({ TreasurersTransitionUrl: 'https://treasurer.maricopa.gov/parcel/default.aspx?Parcel=5017' })).toThrowError(
      'the payload\'s TreasurersTransitionUrl "5017" is not a Maricopa APN',
    );
  });

  it('a price of 0 is no sale, nor a deed alone', () => {
    const owner = fixtures.get('509-11-455')!.Owner as Record<string, unknown>;
    expect(lastSale(owner as never)).toEqual({ date: '2015-02-01', price: 153000, date_precision: 'month', flags: [] });
    const transfer = mapParcel('509-11-455', parcelPayloadSchema.parse({ ...fixtures.get('509-11-455'), Owner: { ...owner, SalePrice: '0', SaleDate: '03/01/2021' } }));
    expect(transfer.data).toMatchObject({ sale_price: null, sale_date: null, sales: [], deed_date: '2015-02-12' });
    // A quitclaim's recorded price is not a sale's (the tester's QCD "for $10"): kept in the
    // history, flagged, never the seed's sale price.
    for (const DeedType of ['QCD', 'QC', 'Quit Claim Deed']) {
      const quitclaim = mapParcel('509-11-455', parcelPayloadSchema.parse({ ...fixtures.get('509-11-455'), Owner: { ...owner, SalePrice: '10', SaleDate: '10/01/2026', DeedDate: '10/14/2026', DeedType } }));
      expect([DeedType, quitclaim.data.sale_price, quitclaim.data.sales]).toEqual([DeedType, null, [{ date: '2026-10-01', price: 10, source: 'maricopa_api', date_precision: 'month', flags: ['quitclaim'] }]]);
    }
    expect(lastSale({ ...owner, DeedType: 'SD' } as never)).toEqual({ date: '2015-02-01', price: 153000, date_precision: 'month', flags: [] });
    expect(lastSale({ ...owner, DeedType: 'AF' } as never)?.flags).toEqual(['non_sale_deed']);
    // The real 501-97-020: sale 10/2018, its JC deed recorded 11/02/2018: a sale, the deed its own.
    expect(lastSale(fixtures.get('501-97-020')!.Owner as never)).toEqual({ date: '2018-10-01', price: 222000, date_precision: 'month', flags: [] });
    // The owner's latest deed is a quitclaim years after the sale (into a trust): the 2015 sale
    // stays a market sale; a quitclaim recorded within 45 days of the sale's month (February
    // 2015: by April 14) makes it none.
    expect(lastSale({ ...owner, DeedType: 'QCD', DeedDate: '06/20/2019' } as never)?.flags).toEqual([]);
    expect(lastSale({ ...owner, DeedType: 'QCD', DeedDate: '04/14/2015' } as never)?.flags).toEqual(['quitclaim']);
    expect(lastSale({ ...owner, DeedType: 'QCD', DeedDate: '04/15/2015' } as never)?.flags).toEqual([]);
    expect(lastSale({ ...owner, DeedType: 'QCD', DeedDate: null } as never)?.flags).toEqual(['quitclaim']);
    // Deed types: the real WD, SD and JC convey sales and 00 says nothing; every flag is one validation excludes.
    expect(['WD', 'SD', 'JC', '00', 'QCD', 'AF', 'BD'].map((t) => deedTypeFlags(t))).toEqual([[], [], [], [], ['quitclaim'], ['non_sale_deed'], ['non_sale_deed']]);
    expect(['quitclaim', 'non_sale_deed'].every((f) => Object.hasOwn(NON_MARKET_FLAGS, f))).toBe(true);
    // A day other than the 1st is a day.
    expect(lastSale({ ...owner, SaleDate: '02/12/2015' } as never)?.date_precision).toBe('day');
    // Real deeds without a sale: a special warranty deed (SD), 00 and an affidavit (AF).
    for (const apn of ['501-79-677', '501-92-824', '501-93-353']) {
      const d = mapParcel(apn, parcelPayloadSchema.parse(fixtures.get(apn))).data;
      expect([apn, d.deed_date !== null, d.sale_price, d.sales]).toEqual([apn, true, null, []]);
    }
  });
});

describe('parseSearchResults', () => {
  it('accepts each spelling of the results array', () => {
    expect(parseSearchResults({ RealPropertyResults: [{ APN: '50911455', SitusAddress: '15947 W WINCHCOMB DR' }] })).toEqual([
      { apn: '50911455', address: '15947 W WINCHCOMB DR' },
    ]);
    expect(parseSearchResults({ Results: [{ Apn: '509-11-455' }] })).toEqual([{ apn: '509-11-455', address: null }]);
    expect(parseSearchResults({ results: [] })).toEqual([]);
  });

  it('names what it found when the shape is unknown', () => {
    expect(() => parseSearchResults({ Parcels: [], Total: 0 })).toThrowError(/keys found: Parcels, Total/);
    expect(() => parseSearchResults([1])).toThrowError(/got an array/);
    expect(() => parseSearchResults({ results: [{ SitusAddress: 'x' }] })).toThrowError(/results\[0\]: a result without APN/);
  });
});
