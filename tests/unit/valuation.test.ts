import { describe, expect, it } from 'vitest';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { computeFinancials, financialSettings } from '../../src/main/processing/financials.js';
import { valuationMarketOf } from '../../src/main/processing/market-sales.js';
import { normalize } from '../../src/main/processing/normalize.js';
import { subjectFeatures } from '../../src/main/processing/subject-features.js';
import { LISTING_STATUSES } from '../../src/main/collectors/listing-fields.js';
import { isActiveListing, sourceDisagreements, valuationFacts, type ValuationRecord } from '../../src/main/processing/valuation-facts.js';
import { settingsSchema } from '../../src/shared/settings.js';
import { zipTrend } from '../../src/shared/underwriting/comparables.js';
import { loadParcelFixtures } from '../support/fixtures.js';

const TODAY = '2026-11-29';
const settings = financialSettings(settingsSchema.parse({}));

// Every real parcel's 2024 full cash value (valued 2023-01-01) and its last recorded sale: none
// sold in the 36 months the valuation takes as evidence, so each is valued at its full cash value,
// unadjusted (no sales to measure the ZIP's sale-to-FCV ratio), with a wide range.
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

function parcelRecords(): ValuationRecord[] {
  return [...loadParcelFixtures()].map(([apn, payload]) => {
    const raw = mapParcel(apn, parcelPayloadSchema.parse(payload));
    return { _id: `maricopa_api:${apn}`, source: raw.source, data: raw.data, collected_at: new Date('2026-11-20T12:00:00Z') };
  });
}

/** The stored form the market reads (`withSales`' projection). */
const stored = (r: ValuationRecord) => ({ _id: r._id, source: r.source, data: r.data, summary: { address: (r.data.address as string | undefined) ?? null, zip: (r.data.zip as string | undefined) ?? null } });

function financialsOf(record: ValuationRecord, records: readonly ValuationRecord[], today = TODAY, s = settings) {
  const { normalized } = normalize(record);
  const market = valuationMarketOf(records.map(stored), today);
  return { normalized, f: computeFinancials({ id: record._id, features: subjectFeatures([record]), normalized, facts: valuationFacts([record]) }, market, today, s) };
}

describe('the twelve real parcels', () => {
  const records = parcelRecords();

  it.each(Object.entries(EXPECTED_VALUES))('%s is valued at its full cash value, unadjusted and said so, never an old sale', (apn) => {
    const [fcv, saleDate] = EXPECTED_VALUES[apn]!;
    const record = records.find((r) => r._id === `maricopa_api:${apn}`)!;
    const { normalized, f } = financialsOf(record, records);
    expect(f.valuation.appraisal).toMatchObject({ value: fcv, basis: 'assessor_full_cash_value', date: '2023-01-01', estimated: true, confidence: 'low' });
    expect(f.valuation.value).toMatchObject({ value: fcv, basis: 'assessor_full_cash_value', date: '2023-01-01', estimated: true });
    expect(normalized.pricing).toMatchObject({ list_price: null, value: fcv, value_basis: 'assessor_full_cash_value', value_date: '2023-01-01' });
    expect(normalized.pricing.price_per_sqft).toBeCloseTo(fcv / normalized.details.square_feet!, 2);
    const a = f.valuation.appraisal!;
    expect(a.low! / fcv).toBeLessThan(0.7);
    expect(a.high! / fcv).toBeGreaterThan(1.4);
    const evidence = a.evidence.join('\n');
    expect(evidence).toContain('no validated market sale known in the 36 months to 2026-11-29');
    expect(evidence).toContain("not adjusted: no sales to measure the ZIP's sale-to-FCV ratio");
    expect(evidence).toContain('for tax year 2024 (valued 2023-01-01)');
    if (saleDate) expect(evidence).not.toContain(saleDate);
    expect(f.valuation.comparables_note).toMatch(/no coordinates/);
    // Not for sale: the underwriting prices the purchase at the value, and says so.
    expect(f.underwriting.inputs).toMatchObject({ price: fcv, price_basis: 'value', value: fcv });
    expect(f.underwriting.result.recommendation).not.toBe('buy candidate');
  });

  it('501-92-652: $492,800 (2024 full cash value), not its 2009 $150,000 sale', () => {
    const record = records.find((r) => r._id === 'maricopa_api:501-92-652')!;
    const { f } = financialsOf(record, records);
    expect(f.valuation.value.value).toBe(492_800);
    // 2,958 sq ft × $1.10 = $3,253.80 → $3,255 a month; tax: no rate for area 891503, so 0.6% of value.
    expect(f.underwriting.inputs.tax).toMatchObject({ annual: 2957, basis: 'effective_rate' });
    expect(f.underwriting.result.cap_rate).toBeLessThan(0.06);
  });

  it('uses the tax area rate once one is set: LPV × ratio × rate', () => {
    const record = records.find((r) => r._id === 'maricopa_api:509-11-455')!;
    const { f } = financialsOf(record, records, TODAY, financialSettings(settingsSchema.parse({ taxRateByArea: { '891503': 11.5 } })));
    // 135,279 × 0.10 × 11.5 / 100 = 1,555.71
    expect(f.underwriting.inputs.tax).toMatchObject({ annual: 1556, basis: 'tax_area_rate' });
  });

  it('values a parcel from its own sale while that sale is evidence, and from its full cash value once it is too old', () => {
    const record = records.find((r) => r._id === 'maricopa_api:509-11-455')!;
    // A year after its $153,000 sale of 2015-02-01 the sale is the one sale known: its $/sq ft.
    const soon = financialsOf(record, [record], '2016-02-01').f.valuation.appraisal!;
    expect(soon).toMatchObject({ value: 153_000, basis: 'area_sales', date: '2016-02-01' });
    expect(soon.comparables[0]).toMatchObject({ price: 153_000, date: '2015-02-01', reasons: expect.arrayContaining(["the subject's own earlier sale"]) });
    // Past 36 months it is history, not evidence.
    expect(financialsOf(record, [record], '2018-03-01').f.valuation.appraisal).toMatchObject({ value: 345_000, basis: 'assessor_full_cash_value' });
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

describe('the asking price is the price, not the value', () => {
  it('underwrites an active listing at its asking price and values it by the model, list ÷ value apart', () => {
    const records = parcelRecords();
    const parcel = records.find((r) => r._id === 'maricopa_api:509-11-455')!;
    const listed: ValuationRecord = { ...parcel, _id: 'phoenix_mls:1', source: 'phoenix_mls', data: { ...parcel.data, list_price: 389_900, listing_status: 'active' } };
    const { f } = financialsOf(listed, records);
    expect(f.underwriting.inputs).toMatchObject({ price: 389_900, price_basis: 'asking_price', value: 345_000 });
    expect(f.valuation.value.basis).not.toBe('active_listing');
    expect(f.valuation.value.value).toBe(345_000);
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
    // A nominal price is no sale: it is not in either window.
    expect(zipTrend([...recent, ...previous, at('2026-10-01', 0.01), at('2026-10-02', 0.01)], TODAY)).toMatchObject({ recent_sales: 5, previous_sales: 5, recent_median_ppsf: 211 });
  });
});
