import { describe, expect, it } from 'vitest';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { ComparablesIndex } from '../../src/main/processing/comparables-index.js';
import { computeFinancials, financialSettings } from '../../src/main/processing/financials.js';
import { normalize } from '../../src/main/processing/normalize.js';
import { LISTING_STATUSES } from '../../src/main/collectors/listing-fields.js';
import { isActiveListing, sourceDisagreements, valuationFacts } from '../../src/main/processing/valuation-facts.js';
import { settingsSchema } from '../../src/shared/settings.js';
import { findComparables, zipTrend, type CompSale, type CompSubject, type NearbySales } from '../../src/shared/underwriting/comparables.js';
import { chooseValue, type ValueInputs } from '../../src/shared/underwriting/value.js';
import { loadParcelFixtures } from '../support/fixtures.js';

const TODAY = '2026-11-29';
const settings = financialSettings(settingsSchema.parse({}));

// Every real parcel's value as the assessor's 2024 full cash value (valued 2023-01-01): none has a
// sale within 12 months of the analyst's day; the old sales are evidence, never the value.
const EXPECTED_VALUES: Record<string, [number, string | null]> = {
  '501-79-632': [453_300, '2017-11-01'],
  '501-79-677': [367_000, null],
  '501-92-652': [492_800, '2009-07-01'],
  '501-92-824': [339_200, null],
  '501-93-353': [434_200, null],
  '501-93-630': [337_800, '2021-01-01'],
  '501-97-020': [351_500, '2018-10-01'],
  '501-97-195': [395_000, '2016-06-01'],
  '509-10-394': [417_200, null],
  '509-11-040': [321_700, null],
  '509-11-455': [345_000, '2015-02-01'],
  '509-11-600': [380_000, '2012-09-01'],
};

function parcelRecords() {
  return [...loadParcelFixtures()].map(([apn, payload]) => {
    const raw = mapParcel(apn, parcelPayloadSchema.parse(payload));
    return { _id: `maricopa_api:${apn}`, source: raw.source, data: raw.data, collected_at: new Date('2026-11-20T12:00:00Z') };
  });
}

describe('the twelve real parcels', () => {
  const records = parcelRecords();
  const index = new ComparablesIndex([]);

  it.each(Object.entries(EXPECTED_VALUES))('%s is valued on its latest full cash value, not an old sale', (apn, [fcv, saleDate]) => {
    const record = records.find((r) => r._id === `maricopa_api:${apn}`)!;
    const { normalized } = normalize(record);
    const f = computeFinancials({ id: record._id, parcel_number: apn, normalized, facts: valuationFacts([record]) }, index, TODAY, settings);
    expect(f.valuation.value).toMatchObject({ value: fcv, basis: 'assessor_full_cash_value', date: '2023-01-01', estimated: true });
    expect(normalized.pricing).toMatchObject({ list_price: null, value: fcv, value_basis: 'assessor_full_cash_value', value_date: '2023-01-01' });
    expect(normalized.pricing.price_per_sqft).toBeCloseTo(fcv / normalized.details.square_feet!, 2);
    const evidence = f.valuation.value.evidence.join('\n');
    if (saleDate) expect(evidence).toMatch(new RegExp(`sale of \\$[\\d,]+ on ${saleDate} not used: \\d+ months old, more than 12`));
    else expect(evidence).toContain('no sale on record');
    expect(evidence).toContain('tax year 2024, valued as of 2023-01-01');
    expect(f.valuation.comparables_note).toMatch(/no coordinates/);
    // Nothing is a buy candidate on an assessed value at today's rent and rates.
    expect(f.underwriting.result.recommendation).not.toBe('buy candidate');
  });

  it('501-92-652: $492,800 (2024 full cash value), not its 2009 $150,000 sale', () => {
    const record = records.find((r) => r._id === 'maricopa_api:501-92-652')!;
    const { normalized } = normalize(record);
    const f = computeFinancials({ id: record._id, parcel_number: '501-92-652', normalized, facts: valuationFacts([record]) }, index, TODAY, settings);
    expect(f.valuation.value.value).toBe(492_800);
    expect(f.valuation.value.evidence[0]).toBe('sale of $150,000 on 2009-07-01 not used: 208 months old, more than 12');
    // 2,958 sq ft × $1.10 = $3,253.80 → $3,255 a month; tax: no rate for area 891503, so 0.6% of value.
    expect(f.underwriting.inputs.rent).toMatchObject({ monthly: 3255, basis: 'rent_per_sqft' });
    expect(f.underwriting.inputs.tax).toMatchObject({ annual: 2957, basis: 'effective_rate' });
    expect(f.underwriting.result.cap_rate).toBeLessThan(0.06);
  });

  it('uses the tax area rate once one is set: LPV × ratio × rate', () => {
    const record = records.find((r) => r._id === 'maricopa_api:509-11-455')!;
    const { normalized } = normalize(record);
    const s = financialSettings(settingsSchema.parse({ taxRateByArea: { '891503': 11.5 } }));
    const f = computeFinancials({ id: record._id, parcel_number: '509-11-455', normalized, facts: valuationFacts([record]) }, index, TODAY, s);
    // 135,279 × 0.10 × 11.5 / 100 = 1,555.71
    expect(f.underwriting.inputs.tax).toMatchObject({ annual: 1556, basis: 'tax_area_rate' });
  });

  it('a sale inside VALUE_MAX_SALE_AGE_MONTHS is the value; one day more and it is not', () => {
    const record = records.find((r) => r._id === 'maricopa_api:509-11-455')!;
    const facts = valuationFacts([record]);
    const at = (today: string) => computeFinancials({ id: record._id, parcel_number: null, normalized: normalize(record).normalized, facts }, index, today, settings).valuation.value;
    expect(at('2016-02-01')).toMatchObject({ value: 153_000, basis: 'recent_sale', date: '2015-02-01' });
    expect(at('2016-03-01')).toMatchObject({ value: 345_000, basis: 'assessor_full_cash_value' });
  });
});

describe('valuation facts from several records', () => {
  it('prefers an active listing over a closed one, pools the sales once each, and reads the agreed fields', () => {
    const at = new Date('2026-11-20T12:00:00Z');
    const closed = { _id: 'armls:1', source: 'armls', collected_at: at, data: { list_price: 229_000, listing_status: 'C', sales: [{ date: '2026-04-06', price: 215_000, source: 'armls' }], annual_taxes: 390, taxes_year: 2020, hoa_monthly: 145, land_lease_monthly: 138, latitude: 33.503355, longitude: -111.935316 } };
    const active = { _id: 'phoenix_mls:2', source: 'phoenix_mls', collected_at: at, data: { list_price: 240_000 } };
    const assessor = { _id: 'maricopa_api:173-35-524', source: 'maricopa_api', collected_at: at, data: { sale_price: 215_000, sale_date: '2026-04-06', full_cash_value: 201_000, valuation_year: 2026 } };
    const f = valuationFacts([closed, active, assessor]);
    expect(f).toMatchObject({ listPrice: 240_000, listingActive: true, listedOn: '2026-11-20', annualTaxes: 390, taxesYear: 2020, hoaMonthly: 145, landLeaseMonthly: 138, latitude: 33.503355, longitude: -111.935316, fullCashValue: 201_000 });
    expect(f.sales).toEqual([{ date: '2026-04-06', price: 215_000, source: 'armls' }]);
    // Without the live listing, the closed one is passed over for its recent sale.
    const g = valuationFacts([closed, assessor]);
    expect(chooseValue({ listPrice: g.listPrice, listingActive: g.listingActive, listedOn: g.listedOn, sales: g.sales, comparableEstimate: null, fullCashValue: g.fullCashValue, valuationYear: g.valuationYear, today: TODAY, maxSaleAgeMonths: 12 })).toMatchObject({
      value: 215_000,
      basis: 'recent_sale',
      date: '2026-04-06',
      evidence: ['listing price $229,000 not used: the listing is not active', 'sale of $215,000 on 2026-04-06, 7 months ago'],
    });
  });
});

describe('listings still for sale', () => {
  it('reads every normalised status the collectors write, for sale or not', () => {
    const forSale = new Set(['active', 'coming_soon', 'ucb', 'ccbs', 'active_under_contract']);
    for (const status of LISTING_STATUSES) expect([status, isActiveListing({ listing_status: status })]).toEqual([status, forSale.has(status)]);
    // A live page of the MLS site without a status is a search result for active listings.
    expect(isActiveListing({})).toBe(true);
  });
});

describe('sources that disagree', () => {
  it('names the field, the sources and the values; estimated bathrooms do not count', () => {
    const at = new Date();
    const mls = { _id: 'phoenix_mls:1', source: 'phoenix_mls', collected_at: at, data: { square_feet: 1900, year_built: 2003, lot_size: 5800, bedrooms: 3, bathrooms: 2 } };
    const assessor = { _id: 'maricopa_api:1', source: 'maricopa_api', collected_at: at, data: { square_feet: 1647, year_built: 2003, lot_size: 5830, bathrooms: 3.5, bathrooms_estimated: true } };
    expect(sourceDisagreements([mls, assessor])).toEqual(['living area: phoenix_mls 1900 vs maricopa_api 1647']);
    expect(sourceDisagreements([{ ...mls, data: { ...mls.data, square_feet: 1650, year_built: 2005 } }, assessor])).toEqual(['year built: phoenix_mls 2005 vs maricopa_api 2003']);
    expect(sourceDisagreements([assessor])).toEqual([]);
  });

  it('holds no two sources to the lot of a condo, a townhouse or a mobile home (a share of land, or a park space)', () => {
    const at = new Date();
    const listing = (label: string) => ({ _id: 'armls_export:1', source: 'armls_export', collected_at: at, data: { property_type_label: label, lot_size: 738 } });
    const assessor = { _id: 'maricopa_api:1', source: 'maricopa_api', collected_at: at, data: { lot_size: 73 } };
    expect(sourceDisagreements([listing('Single Family - Detached'), assessor])).toEqual(['lot: armls_export 738 vs maricopa_api 73']);
    for (const label of ['Apartment', 'Townhouse', 'Mfg/Mobile Home']) expect(sourceDisagreements([listing(label), assessor])).toEqual([]);
  });
});

describe('value order', () => {
  const base: ValueInputs = {
    listPrice: null, listingActive: false, listedOn: null, sales: [], comparableEstimate: null,
    fullCashValue: 300_000, valuationYear: 2026, today: TODAY, maxSaleAgeMonths: 12,
  };
  it.each([
    ['an active listing first', { listPrice: 350_000, listingActive: true, listedOn: '2026-11-20', sales: [{ date: '2026-10-01', price: 340_000 }] }, 350_000, 'active_listing', '2026-11-20'],
    ['a closed listing is not a value', { listPrice: 350_000, listingActive: false, listedOn: '2026-11-20' }, 300_000, 'assessor_full_cash_value', '2025-01-01'],
    ['then the latest recent sale', { sales: [{ date: '2026-01-10', price: 320_000 }, { date: '2026-06-10', price: 330_000 }] }, 330_000, 'recent_sale', '2026-06-10'],
    ['then comparables', { sales: [{ date: '2024-06-10', price: 250_000 }], comparableEstimate: { value: 310_000, date: '2026-09-01', count: 4, step: 2 } }, 310_000, 'comparable_sales', '2026-09-01'],
    ['then the full cash value', {}, 300_000, 'assessor_full_cash_value', '2025-01-01'],
  ] as const)('%s', (_name, change, value, basis, date) => {
    expect(chooseValue({ ...base, ...change })).toMatchObject({ value, basis, date });
  });
  it('no value at all says so', () => {
    expect(chooseValue({ ...base, fullCashValue: null })).toMatchObject({ value: null, basis: null, date: null });
  });
  // The tester's case: an ARMLS row closing 2027-05-01 at $300,000 imported on 2026-11-29.
  it('a sale dated after today is no value, and the evidence says so', () => {
    const future = { date: '2027-05-01', price: 300_000, source: 'armls_export' };
    expect(chooseValue({ ...base, fullCashValue: 280_000, sales: [future] })).toEqual({
      value: 280_000, basis: 'assessor_full_cash_value', date: '2025-01-01', estimated: true,
      evidence: ['a sale dated 2027-05-01, after today, is not used ($300,000, armls_export)', 'fewer than 3 comparable sales', 'assessor full cash value $280,000 for tax year 2026, valued as of 2025-01-01'],
    });
    // An earlier sale within the year is still the value; tomorrow is after today, today is not.
    expect(chooseValue({ ...base, sales: [future, { date: '2026-08-01', price: 310_000 }] })).toMatchObject({ value: 310_000, basis: 'recent_sale', date: '2026-08-01' });
    expect(chooseValue({ ...base, sales: [{ date: '2026-11-30', price: 310_000 }] }).basis).toBe('assessor_full_cash_value');
    expect(chooseValue({ ...base, sales: [{ date: TODAY, price: 310_000 }] })).toMatchObject({ value: 310_000, basis: 'recent_sale', date: TODAY });
  });
  // The tester's case: a quitclaim "for $10" a month ago, and an ARMLS row sold at 10.00.
  it('a nominal price is no value, and the evidence says so; a market sale beside it still is', () => {
    const nominal = { date: '2026-10-01', price: 10 };
    expect(chooseValue({ ...base, fullCashValue: 280_000, sales: [nominal] })).toEqual({
      value: 280_000, basis: 'assessor_full_cash_value', date: '2025-01-01', estimated: true,
      evidence: ['a sale of $10 on 2026-10-01 is not used: a nominal price, not a market sale', 'fewer than 3 comparable sales', 'assessor full cash value $280,000 for tax year 2026, valued as of 2025-01-01'],
    });
    expect(chooseValue({ ...base, sales: [nominal, { date: '2026-06-01', price: 305_000 }] })).toMatchObject({ value: 305_000, basis: 'recent_sale', date: '2026-06-01' });
    expect(chooseValue({ ...base, sales: [{ date: '2026-10-01', price: 999 }] }).basis).toBe('assessor_full_cash_value');
    expect(chooseValue({ ...base, sales: [{ date: '2026-10-01', price: 1_000 }] }).basis).toBe('recent_sale');
  });
});

// A subject at a known spot and sales at known distances north (+) or south (−), east or west.
const MILE_LAT = 1 / 69.0934; // degrees of latitude in one mile (great circle, R = 6,371 km)
const SUBJECT_AT = { lat: 33.5, lon: -112.1 };
const MILE_LON = MILE_LAT / Math.cos((SUBJECT_AT.lat * Math.PI) / 180);
const subject: CompSubject = { property_id: 'maricopa_api:100-00-001', parcel_number: '100-00-001', ...SUBJECT_AT, square_feet: 1600, year_built: 2000, property_type: 'single_family' };

function sale(name: string, north: number, east: number, change: Partial<CompSale> = {}): CompSale {
  return {
    property_id: `maricopa_api:${name}`, parcel_number: name, address: name, zip: '85031',
    lat: SUBJECT_AT.lat + north * MILE_LAT, lon: SUBJECT_AT.lon + east * MILE_LON,
    date: '2026-09-15', price: 320_000, square_feet: 1600, year_built: 2000, property_type: 'single_family', source: 'maricopa_api',
    ...change,
  };
}

const A = sale('A', 0.2, 0, { price: 320_000 }); // $200/sq ft
const B = sale('B', -0.4, 0, { price: 336_000, square_feet: 1680 }); // $200/sq ft, +5% area
const C = sale('C', 0, 0.3, { property_type: 'condo' }); // another type
const D = sale('D', 0.45, 0, { date: '2025-08-01', price: 304_000 }); // 16 months old: $190
const E = sale('E', 0, -0.3, { square_feet: 2400 }); // +50% area
const F = sale('F', 0.8, 0, { price: 352_000 }); // $220
const G = sale('G', -1.5, 0, { year_built: 1978, price: 288_000 }); // 22 years older: $180
const H = sale('H', 0, 0.1, { price: 328_000 }); // $205
const SELF = sale('100-00-001', 0, 0); // the subject's own sale
const SAME_PARCEL = { ...sale('100-00-001', 0, 0), property_id: 'armls:99' }; // its ARMLS record

/** The same search by brute force: every sale, distance by haversine. */
function scan(sales: CompSale[]): NearbySales {
  return (lat, lon, radius, accept, limit) =>
    sales
      .map((s) => {
        const toRad = Math.PI / 180;
        const h = Math.sin(((s.lat! - lat) * toRad) / 2) ** 2 + Math.cos(lat * toRad) * Math.cos(s.lat! * toRad) * Math.sin(((s.lon! - lon) * toRad) / 2) ** 2;
        return { sale: s, distance_miles: (2 * 6371 * Math.asin(Math.sqrt(h))) / 1.609344 };
      })
      .filter((x) => x.distance_miles <= radius && accept(x.sale))
      .sort((a, b) => a.distance_miles - b.distance_miles)
      .slice(0, limit);
}

describe('comparables on a known geometry', () => {
  it.each([
    ['three within half a mile: step 1', [A, B, C, E, H, F, SELF, SAME_PARCEL], 1, ['H', 'A', 'B'], 200 * 1600],
    ['two within half a mile, the third at 0.8 mi: step 2', [A, B, C, E, F, SELF], 2, ['A', 'B', 'F'], 200 * 1600],
    ['an older sale and an older house only at step 4', [A, D, G, C, E], 4, ['A', 'D', 'G'], 190 * 1600],
    ['fewer than three even at step 4: no estimate', [A, C, E], 4, ['A'], null],
  ] as const)('%s', (_name, sales, step, names, estimate) => {
    for (const nearby of [new ComparablesIndex([...sales]).nearby, scan([...sales])]) {
      const r = findComparables(subject, nearby, TODAY);
      expect(r.step).toBe(step);
      expect(r.comparables.map((c) => c.address)).toEqual(names);
      expect(r.estimate).toBe(estimate);
    }
  });

  it('lists each comparable with its distance, date, price and price per sq ft', () => {
    const r = findComparables(subject, new ComparablesIndex([A, B, F]).nearby, TODAY);
    expect(r.comparables[0]).toEqual({ address: 'A', parcel_number: 'A', distance_miles: 0.2, date: '2026-09-15', price: 320_000, square_feet: 1600, price_per_sqft: 200, year_built: 2000, source: 'maricopa_api' });
    expect(r.comparables.map((c) => c.distance_miles)).toEqual([0.2, 0.4, 0.8]);
    expect(r).toMatchObject({ median_price_per_sqft: 200, date: '2026-09-15' });
  });

  it('values a parcel with no recent sale on its comparables, before the full cash value', () => {
    const record = parcelRecords().find((r) => r._id === 'maricopa_api:509-11-455')!;
    record.data = { ...record.data, latitude: SUBJECT_AT.lat, longitude: SUBJECT_AT.lon };
    const { normalized } = normalize(record);
    normalized.address.zip = '85031';
    const near = [A, B, H].map((s) => ({ ...s, square_feet: 1647, price: s.price / 1600 * 1647, year_built: 2003 }));
    const f = computeFinancials({ id: record._id, parcel_number: '509-11-455', normalized, facts: valuationFacts([record]) }, new ComparablesIndex(near), TODAY, settings);
    expect(f.valuation.value).toMatchObject({ basis: 'comparable_sales', value: 337_600, date: '2026-09-15' });
    expect(f.valuation.comparables?.step).toBe(1);
  });

  it('takes no sale dated after today as a comparable, as the value does not', () => {
    const future = sale('FUTURE', 0.1, 0, { date: '2027-05-01', price: 300_000 });
    const found = findComparables(subject, scan([A, B, future]), TODAY);
    expect(found.comparables.map((c) => c.address)).toEqual(['A', 'B']);
    expect(found.estimate).toBeNull();
  });

  it('takes no nominal price as a comparable, nor into the ZIP trend', () => {
    const nominal = sale('NOMINAL', 0.1, 0, { price: 10 });
    const found = findComparables(subject, scan([A, B, nominal]), TODAY);
    expect(found.comparables.map((c) => c.address)).toEqual(['A', 'B']);
    const at = (date: string, price: number) => ({ date, price, square_feet: 1000 });
    const recent = ['2026-06-10', '2026-07-10', '2026-08-10', '2026-09-10', '2026-11-28'].map((d) => at(d, 210_000));
    const previous = ['2025-11-29', '2025-12-15', '2026-02-01', '2026-04-01', '2026-05-28'].map((d) => at(d, 200_000));
    expect(zipTrend([...recent, ...previous, at('2026-10-01', 10), at('2026-10-02', 10)], TODAY)).toMatchObject({ recent_sales: 5, previous_sales: 5, recent_median_ppsf: 210 });
  });
});

describe('ZIP trend from sales', () => {
  const at = (date: string, ppsf: number) => ({ date, price: ppsf * 1000, square_feet: 1000 });
  it('compares the medians of the last six months and the six before, with the sample sizes', () => {
    const recent = [210, 212, 208, 215, 211].map((p, i) => at(['2026-06-10', '2026-07-10', '2026-08-10', '2026-09-10', '2026-11-28'][i]!, p));
    const previous = [200, 199, 202, 201, 198].map((p, i) => at(['2025-11-29', '2025-12-15', '2026-02-01', '2026-04-01', '2026-05-28'][i]!, p));
    // Older than twelve months: in neither window.
    previous.push(at('2025-11-28', 100));
    expect(zipTrend([...recent, ...previous], TODAY)).toEqual({ trend: 'appreciating', recent_sales: 5, previous_sales: 5, recent_median_ppsf: 211, previous_median_ppsf: 200, change: 0.055 });
    expect(zipTrend([...recent.slice(0, 4), ...previous], TODAY)).toMatchObject({ trend: 'insufficient_data', recent_sales: 4, previous_sales: 5 });
    expect(zipTrend([...recent.map((s) => ({ ...s, price: s.price * 0.95 })), ...previous], TODAY).trend).toBe('stable');
  });
});
