import { describe, expect, it } from 'vitest';
import { parseCsvOriginal } from '../../src/main/collectors/armls/csv-original.js';
import { ArmlsRowError, mapArmlsRow, parseFeatures } from '../../src/main/collectors/armls/mapping.js';
import { readExportDate, readExportNumber, readSqftRange } from '../../src/main/collectors/armls/values.js';
import { consolePath } from '../../src/main/collectors/import/console-path.js';
import { csvRecords } from '../../src/main/collectors/import/csv-records.js';
import { whyNotCsv } from '../../src/main/collectors/import/not-csv.js';
import { quoteValue } from '../../src/main/collectors/import/quote-value.js';
import { apnOfParcelFile } from '../../src/main/collectors/maricopa/import-files.js';
import { rawPropertyType } from '../../src/main/processing/property-type.js';
import { isActiveListing } from '../../src/main/processing/valuation-facts.js';
import { MARKET_CONDITION_FLAGS, NON_MARKET_FLAGS } from '../../src/shared/valuation/sales-validation.js';
import { armlsFixture, withFeatures } from '../support/armls.js';
import { loadParcelFixtures } from '../support/fixtures.js';

// The real row (../shared/fixtures/armls-export), each case changed to a value form found in the
// real exports of odgsully/Actual (apps/gs-crm/mcao-upload-temp/*.csv), named by its List Number.
const { header, row } = armlsFixture();
const fields = (changes: Record<string, string> = {}) => ({ ...Object.fromEntries(header.map((h, i) => [h, row[i]!])), ...changes });
const realFeatures = row[header.indexOf('Features')]!;
const map = (changes: Record<string, string> = {}) => mapArmlsRow(fields(changes)).data;
const unread = (changes: Record<string, string>) => (map(changes).unread_values as { column: string; reason: string }[]).map((u) => `${u.column}: ${u.reason}`);

describe('ARMLS rows', () => {
  it('reads the Features triples, values with a bar kept whole', () => {
    const f = parseFeatures('Association & Fees|HOA Fee|145;Association & Fees|HOA Paid Frequency|Monthly;Odd|Only two;Remarks|Note|a|b');
    expect(f.get('Association & Fees|HOA Fee')).toBe('145');
    expect(f.get('Remarks|Note')).toBe('a|b');
    expect(f.size).toBe(3);
  });

  it('keeps a listed row as a listing: list price, no sale', () => {
    expect(map({ Status: 'A', 'Sold Price': '', 'Close of Escrow Date': '' })).toMatchObject({ listing_status: 'active', list_price: 229000, sale_price: null, sales: [] });
  });

  it('a closed sale is the Sold Price dated by Close of Escrow, never the list or original price', () => {
    // 6811031: listed at 230000, cut to 200000, sold for 187500.
    const data = map({ 'Original List Price': '230000.00', 'List Price': '200000.00', 'Sold Price': '187500.00', 'Close of Escrow Date': '2025-05-02' });
    expect(data).toMatchObject({ sale_price: 187500, sale_date: '2025-05-02', list_price: null, original_list_price: 230000, sales: [{ date: '2025-05-02', price: 187500, source: 'armls_export' }] });
    expect(data.unread_values).toEqual([]);
  });

  it('a closed row without its price is stored and said to be no comparable', () => {
    expect(map({ 'Sold Price': '' })).toMatchObject({ sale_price: null, sales: [] });
    expect(unread({ 'Sold Price': '' })).toEqual(['Sold Price: a closed sale without its price and day is not a comparable']);
  });

  it.each([
    ['215000.00', 215000],
    // Re-saved by Excel (all-scopes.csv): no decimals.
    ['215000', 215000],
    ['$215,000.00', 215000],
    ['1,070', 1070],
  ])('reads the money form %s as %d', (text, value) => expect(map({ 'Sold Price': text }).sale_price).toBe(value));

  // A closed sale at $0 (the tester's `Sold Price` 0.00) is no sale: the row is refused, as for a price that is not one.
  it.each(['0.00', '0', '$0.00'])('refuses the closed sale price %s', (text) => {
    expect(() => mapArmlsRow(fields({ 'Sold Price': text }))).toThrow(new ArmlsRowError('Sold Price', `"${text}": a closed sale at $0 is not a sale`));
    expect(map({ Status: 'A', 'Sold Price': text })).toMatchObject({ listing_status: 'active', sale_price: null, sales: [] });
  });

  it.each(['$1.2M', '215 000', '1,2,3', '0x10', '2e5', 'two hundred'])('refuses the sale price %s, never reads a part of it', (text) => {
    expect(() => mapArmlsRow(fields({ 'Sold Price': text }))).toThrow(new ArmlsRowError('Sold Price', `"${text}" is not a number`));
  });

  it('refuses a negative price or count as negative, not as "not a number"', () => {
    expect(() => mapArmlsRow(fields({ 'Sold Price': '-215000' }))).toThrow(new ArmlsRowError('Sold Price', '"-215000" cannot be negative'));
    expect(map({ '# Bedrooms': '-3' }).bedrooms).toBeNull();
    expect(unread({ '# Bedrooms': '-3' })).toEqual(['# Bedrooms: "-3" cannot be negative']);
  });

  it.each([
    ['2021-04-06', '2021-04-06'],
    ['2025-03-09 21:02:59.817924', '2025-03-09'],
    ['4/6/2021', '2021-04-06'],
    ['04/06/2021', '2021-04-06'],
    // all-scopes.csv, re-saved by Excel: M/D/YY, 00-29 in this century.
    ['9/30/25', '2025-09-30'],
    ['11/1/24', '2024-11-01'],
    ['12/31/99', '1999-12-31'],
    ['4/6/2021 0:00', '2021-04-06'],
    ['3/9/25 9:02 PM', '2025-03-09'],
  ])('reads the date %s as %s', (text, day) => {
    expect(readExportDate(text)).toBe(day);
    expect(map({ 'Close of Escrow Date': text }).sale_date).toBe(day);
  });

  it('says which column holds a bad date; a day not on the calendar is one', () => {
    expect(() => mapArmlsRow(fields({ 'Close of Escrow Date': 'April 6' }))).toThrow(new ArmlsRowError('Close of Escrow Date', '"April 6" is not a date (YYYY-MM-DD, M/D/YYYY or M/D/YY)'));
    expect(() => mapArmlsRow(fields({ 'Close of Escrow Date': '2/30/2025' }))).toThrow(new ArmlsRowError('Close of Escrow Date', '"2/30/2025" is not a day on the calendar'));
    expect(map({ 'List Date': '13/45/2021' }).list_date).toBeNull();
    expect(unread({ 'List Date': '13/45/2021' })).toEqual(['List Date: "13/45/2021" is not a day on the calendar']);
  });

  it.each([
    ['C', 'closed', false],
    ['A', 'active', true],
    // 6778094 and 13 more: a Cancel Date on every L row.
    ['L', 'cancelled', false],
    // 6731703: off market, no cancel date.
    ['E', 'expired', false],
    // 6890865.
    ['W', 'withdrawn', false],
    ['Pending', 'pending', false],
    ['Coming Soon', 'coming_soon', true],
  ])('reads the status %s as %s, for sale: %s', (status, normalized, forSale) => {
    const data = map({ Status: status, 'Sold Price': status === 'C' ? '215000.00' : '' });
    expect(data.listing_status).toBe(normalized);
    expect(isActiveListing(data)).toBe(forSale);
  });

  it('refuses a status ARMLS does not use; an Active row under contract says so', () => {
    expect(() => mapArmlsRow(fields({ Status: 'Z' }))).toThrow(/^Status: "Z" is not an ARMLS status/);
    // 6876292: Status A with `UCB or CCBS: Y`.
    expect(map({ Status: 'A', 'UCB or CCBS': 'Y' })).toMatchObject({ listing_status: 'active', under_contract: true });
    // The same field as ARMLS's RETS resource writes it.
    expect(map({ Status: 'A', 'UCB or CCBS': 'UCB (Under Contract-Backups)' }).under_contract).toBe(true);
    expect(map({ Status: 'A', 'UCB or CCBS': 'No' }).under_contract).toBe(false);
    expect(() => mapArmlsRow(fields({ Status: 'Deleted' }))).toThrow(/^Status: a deleted listing/);
  });

  it('reads a ZIP+4 as its five digits; refuses anything else', () => {
    expect(map({ 'Zip Code': '85251-2042' }).zip).toBe('85251');
    expect(() => mapArmlsRow(fields({ 'Zip Code': '852512042' }))).toThrow(new ArmlsRowError('Zip Code', '"852512042" is not a 5-digit ZIP code'));
  });

  it.each([
    ['173-35-524', '173-35-524'],
    ['17335524', '173-35-524'],
    // 6811031: the parcel letter after a dash.
    ['130-20-103-A', '130-20-103A'],
    ['501-79-632A', '501-79-632A'],
  ])('reads the Assessor Number %s as %s', (text, apn) => expect(map({ 'Assessor Number': text }).parcel_number).toBe(apn));

  it('takes the APN from book, map, parcel and letter when Assessor Number is blank; another county\'s is not a Maricopa APN', () => {
    expect(map({ 'Assessor Number': '' }).parcel_number).toBe('173-35-524');
    expect(map({ 'Assessor Number': '', 'Assessor Parcel Ltr': 'A' }).parcel_number).toBe('173-35-524A');
    expect(map({ 'Assessor Number': '1042-0047-0', "Assessor's Book #": '', 'County Code': 'Pinal' })).toMatchObject({ parcel_number: null, unread_values: [] });
    expect(unread({ 'Assessor Number': '1042-0047-0', "Assessor's Book #": '' })).toEqual(['Assessor Number: "1042-0047-0" is not a Maricopa parcel number (book-map-parcel like 173-35-524)']);
  });

  it('builds the address from its parts: a suffix of dashes is none, unit forms are one', () => {
    // 6831110: `St Suffix: --`.
    expect(map({ 'House Number': '4803', 'Street Name': 'WOODMERE FAIRWAY', 'St Suffix': '--', 'Unit #': '3009' }).address).toBe('4803 N WOODMERE FAIRWAY UNIT 3009, Scottsdale, AZ 85251');
    expect(map({ 'Unit #': 'B138' })).toMatchObject({ unit: 'B138', address: '4600 N 68TH ST UNIT B138, Scottsdale, AZ 85251' });
    expect(map({ 'Unit #': '#371' })).toMatchObject({ unit: '371', address: '4600 N 68TH ST UNIT 371, Scottsdale, AZ 85251' });
  });

  it('never reads a range of square feet as one of its ends nor as its digits run together', () => {
    expect(readSqftRange('1001-1200')).toEqual({ min: 1001, max: 1200 });
    expect(() => readExportNumber('1001-1200')).toThrow('"1001-1200" is not a number');
    expect(map({ 'Approx SQFT': '1001-1200' })).toMatchObject({ square_feet: null, square_feet_range: { min: 1001, max: 1200 } });
    expect(map({ 'Approx SQFT': '1,001 - 1,200' })).toMatchObject({ square_feet: null, square_feet_range: { min: 1001, max: 1200 } });
    expect(unread({ 'Approx SQFT': '1200-1001' })).toEqual(['Approx SQFT: "1200-1001" is not a range of square feet (low-high)']);
    expect(map({ 'Approx SQFT': '1,647' }).square_feet).toBe(1647);
    expect(map({ 'Approx SQFT': '0' }).square_feet).toBeNull();
  });

  it('adds Full + ½ × Half when no total is given, and the acres when no sq ft', () => {
    expect(map({ 'Total Bathrooms': '', 'Full Bathrooms': '2', 'Half Bathrooms': '1', 'Approx Lot SqFt': '', 'Approx Lot Acres': '0.1500' })).toMatchObject({ bathrooms: 2.5, lot_size: 6534 });
    // 6811031: a condo's lot of 76 sq ft, acres 0.0000.
    expect(map({ 'Approx Lot SqFt': '76.00', 'Approx Lot Acres': '0.0000' }).lot_size).toBe(76);
    expect(map({ 'Total Bathrooms': '1.75' }).bathrooms).toBe(1.75);
  });

  it('reads stories and levels; more levels than stories is a slip, reported', () => {
    expect(map()).toMatchObject({ stories: 2, interior_levels: 1 });
    // 6821635: `# of Interior Levels: 22` in a building of 2 stories.
    expect(map({ '# of Interior Levels': '22' }).interior_levels).toBeNull();
    expect(unread({ '# of Interior Levels': '22' })).toEqual(['# of Interior Levels: 22 levels in a building of 2 (Exterior Stories)']);
  });

  it('reads Geo Lat/Geo Lon as an Arizona point: 0 or blank is unknown, a positive longitude or a point elsewhere is refused', () => {
    expect(map()).toMatchObject({ latitude: 33.503355, longitude: -111.935316 });
    expect(map({ 'Geo Lat': '0', 'Geo Lon': '0' })).toMatchObject({ latitude: null, longitude: null, unread_values: [] });
    expect(map({ 'Geo Lat': '', 'Geo Lon': '' })).toMatchObject({ latitude: null, longitude: null, unread_values: [] });
    expect(map({ 'Geo Lon': '111.935316' })).toMatchObject({ latitude: null, longitude: null });
    expect(unread({ 'Geo Lon': '111.935316' })).toEqual(['Geo Lat/Geo Lon: 33.503355, 111.935316 is east of Greenwich: an Arizona longitude is negative (-111.935316?)']);
    expect(unread({ 'Geo Lat': '-111.935316', 'Geo Lon': '33.503355' })).toEqual(['Geo Lat/Geo Lon: -111.935316, 33.503355 is not in Arizona']);
    expect(unread({ 'Geo Lon': '' })).toEqual(['Geo Lat/Geo Lon: 33.503355, blank is half a point']);
    expect(unread({ 'Geo Lat': '40.7128', 'Geo Lon': '-74.0060' })).toEqual(['Geo Lat/Geo Lon: 40.7128, -74.006 is not in Arizona']);
    expect(unread({ 'Geo Lat': '333.5' })).toEqual(['Geo Lat/Geo Lon: 333.5, -111.935316 is not in Arizona']);
  });

  it('reads Taxes for its Tax Year; a year that is not one is unknown, reported', () => {
    expect(map()).toMatchObject({ annual_taxes: 390, taxes_year: 2020 });
    // 6838732: `Tax Year: 202`.
    expect(map({ 'Tax Year': '202', Taxes: '886.00' })).toMatchObject({ annual_taxes: 886, taxes_year: null });
    expect(unread({ 'Tax Year': '202' })).toEqual(['Tax Year: "202" is not a tax year']);
  });

  it('a row without an HOA has a monthly fee of 0, said so; a fee beside "no" is a contradiction, reported', () => {
    // 6818948: `HOA Y/N: N`, no fee.
    const none = realFeatures.replace('HOA Y/N|Y', 'HOA Y/N|N').replace('Association & Fees|HOA Fee|145;', '');
    expect(map({ Features: none })).toMatchObject({ hoa_monthly: 0, hoa_text: 'HOA Y/N: N' });
    // 6858139: `Land Lease Fee Y/N: N` beside `Land Lease Fee: 229`.
    const contradiction = withFeatures(realFeatures, { 'Land Lease Fee Y/N': 'N', 'Land Lease Fee': '229' });
    expect(map({ Features: contradiction }).land_lease_monthly).toBeNull();
    expect(unread({ Features: contradiction })).toEqual(['Features (Association & Fees|Land Lease Fee): Land Lease Fee Y/N is N, yet the fee is 229']);
  });

  it.each([
    // [List Number, fields, hoa_monthly, land_lease_monthly, other_fees_monthly, total_monthly_fees]
    ['6871123', { 'HOA Fee': '3,300', 'HOA Paid Frequency': 'Annually', 'Land Lease Fee Y/N': 'N', 'Land Lease Fee': '0', 'Ttl Mthly Fee Equiv': '275' }, 275, 0, 0, 275],
    ['6810006', { 'HOA Fee': '696', 'HOA Paid Frequency': 'Quarterly', 'Land Lease Fee': '350', 'Ttl Mthly Fee Equiv': '582' }, 232, 350, 0, 582],
    ['6783633', { 'HOA Fee': '588.43', 'HOA 2 Y/N': 'Y', 'HOA 2 Fee': '345.83', 'HOA Paid Frequency 2': 'Monthly', 'Land Lease Fee Y/N': 'N', 'Land Lease Fee': '', 'Ttl Mthly Fee Equiv': '934.26' }, 934.26, 0, 0, 934.26],
    ['6880244', { 'HOA Fee': '984.99', 'Land Lease Fee': '644.55', 'Rec Center Fee Y/N': 'Y', 'Rec Center Fee': '110', 'Rec Center Pd (Freq)': 'Semi-Annually', 'Ttl Mthly Fee Equiv': '1,647.87' }, 984.99, 644.55, 18.33, 1647.87],
  ])('%s: the fees per their frequencies add up to ARMLS\'s monthly total', (_list, changes, hoa, landLease, other, total) => {
    const data = map({ Features: withFeatures(realFeatures, changes) });
    expect(data).toMatchObject({ hoa_monthly: hoa, land_lease_monthly: landLease, other_fees_monthly: other, total_monthly_fees: total, unread_values: [] });
  });

  it('one-time fees are never monthly dues: a capital improvement fee in percent of the price, a transfer fee', () => {
    const features = withFeatures(realFeatures, { 'Cap Improvement/Impact Fee': '0.5', 'Cap Improvement/Impact Fee $/%': '%' });
    expect(map({ Features: features })).toMatchObject({
      hoa_monthly: 145,
      land_lease_monthly: 138,
      one_time_fees: [
        { name: 'Cap Improvement/Impact Fee', amount: 0.5, unit: 'percent_of_price' },
        { name: 'HOA Transfer Fee', amount: 400, unit: 'dollars' },
      ],
    });
    expect(unread({ Features: withFeatures(realFeatures, { 'HOA Paid Frequency': 'Weekly-ish' }) })).toEqual(['Features (Association & Fees|HOA Paid Frequency): "Weekly-ish" is not a frequency']);
    expect(unread({ Features: withFeatures(realFeatures, { 'HOA 2 Y/N': 'Y' }) })).toEqual(['Features (Association & Fees|HOA 2 Fee): HOA 2 Y/N is Y, yet there is no HOA 2 Fee']);
    expect(map({ Features: withFeatures(realFeatures, { 'HOA 2 Y/N': 'Y' }) }).hoa_monthly).toBeNull();
  });

  it('a special assessment in instalments is its own cost, apart from the dues; the dues say what they pay for', () => {
    // 6864846: 375 a month from 2024-11-01 to 2033-12-31 beside dues of 450.
    const features = withFeatures(realFeatures, {
      'HOA Fee': '450',
      'Special Assessment HOA': 'Yes',
      'Special Assessment Amount Owed': '375',
      'Special Assessment Frequency': 'Monthly',
      'Payment Start Date': '2024-11-01',
      'Payment End Date': '2033-12-31',
    });
    expect(map({ Features: features })).toMatchObject({
      hoa_monthly: 450,
      special_assessment: { monthly: 375, text: '375 Monthly', start: '2024-11-01', end: '2033-12-31' },
      hoa_includes: ['Exterior Mnt of Unit', 'Street Maint', 'Front Yard Maint', 'Garbage Collection', 'Blanket Ins Policy', 'Roof Replacement', 'Roof Repair'],
    });
    // 6862286: `Special Assessment HOA: Yes` with nothing owed.
    expect(map({ Features: withFeatures(realFeatures, { 'Special Assessment HOA': 'Yes', 'Special Assessment Amount Owed': '0', 'Special Assessment Frequency': 'Monthly' }) }).special_assessment).toBeNull();
  });

  it('keeps the full-size photo, never the 300 px one the export links (Spark Uri300)', () => {
    // The real row's `Photo URL` is Spark's 300 px rendition of the photo.
    expect(map().photo_urls).toEqual(['http://cdn.photos.sparkplatform.com/az/20210115062540930001000000-o.jpg']);
  });

  it('a rental is neither a sale nor an asking price', () => {
    expect(map({ 'Property Type': 'Rental', 'Sold Price': '2350.00' })).toMatchObject({ sale_price: null, sales: [], list_price: null, rent_price: 2350 });
  });

  it('finds columns by name in any order; an unknown column is kept in the original only; a missing optional one is unknown', () => {
    const reversed = Object.fromEntries([...Object.entries(fields()).reverse(), ['Virtual Tour URL', 'https://example.com/tour']]);
    const input = mapArmlsRow(reversed);
    expect(input.data).toEqual(map());
    const original = parseCsvOriginal(input.original);
    expect(original.values[original.columns.indexOf('Virtual Tour URL')]).toBe('https://example.com/tour');
    const { 'Geo Lat': _lat, 'Geo Lon': _lon, 'Approx Lot Acres': _acres, ...fewer } = fields();
    expect(mapArmlsRow(fewer).data).toMatchObject({ latitude: null, longitude: null, lot_size: 738, unread_values: [] });
  });

  it('types dwellings by the ARMLS table and, for patio and twin homes, their style', () => {
    // 13 of the 14 real patio homes are `Dwelling Styles: Attached`.
    expect(rawPropertyType(map({ 'Dwelling Type': 'Patio Home', 'Dwelling Styles': 'Attached' }))).toBe('townhouse');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Patio Home', 'Dwelling Styles': 'Detached' }))).toBe('single_family');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Apartment', 'Dwelling Styles': 'Stacked' }))).toBe('condo');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Apartment Style / Flat' }))).toBe('condo');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Mfg / Mobile Home' }))).toBe('mobile_home');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Manufactured Home' }))).toBe('mobile_home');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Single Family -  Detached' }))).toBe('single_family');
    expect(rawPropertyType(map({ 'Dwelling Type': '', 'Property Type': 'Lots and Land' }))).toBe('land');
  });

  it('a Townhouse marked Detached is a single-family home; attached or stacked it stays a townhouse; a flat stays a condo', () => {
    // Real rows of closed-sales-85251-2025.csv: 6823789 and 6516284 (No Common Walls), 6804177.
    expect(rawPropertyType(map({ 'Dwelling Type': 'Townhouse', 'Dwelling Styles': 'Detached' }))).toBe('single_family');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Townhouse', 'Dwelling Styles': ' detached ' }))).toBe('single_family');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Townhouse', 'Dwelling Styles': 'Attached' }))).toBe('townhouse');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Townhouse', 'Dwelling Styles': 'Stacked' }))).toBe('townhouse');
    expect(rawPropertyType(map({ 'Dwelling Type': 'Townhouse', 'Dwelling Styles': '' }))).toBe('townhouse');
    // 6811031: an `Apartment` marked Detached, a 702 sq ft flat with a 76 sq ft share of land.
    expect(rawPropertyType(map({ 'Dwelling Type': 'Apartment', 'Dwelling Styles': 'Detached' }))).toBe('condo');
  });
});

describe('the conditions of a closed sale, as flags of its sales entry', () => {
  const flags = (changes: Record<string, string>, features = '') => (map({ ...changes, Features: `${realFeatures};${features}` }).sales as { flags: string[] }[])[0]!.flags;

  it('the real row carries none, and its sale is dated to the day', () => {
    expect(map().sales).toEqual([{ date: '2021-04-06', price: 215000, source: 'armls_export', date_precision: 'day', flags: [] }]);
  });

  it('a fractional share and a timeshare (6818948: Co-Ownership Y, Ownership Timeshare)', () => {
    expect(flags({ 'Co-Ownership (Fractional) Agreement YN': 'Y' })).toEqual(['fractional']);
    expect(flags({ 'Co-Ownership (Fractional) Agreement YN': 'N' })).toEqual([]);
    expect(flags({ Ownership: 'Timeshare' })).toEqual(['timeshare']);
    expect(flags({ 'Week Avail Timeshare': '12' })).toEqual(['timeshare']);
    expect(flags({ 'Week Avail Timeshare': 'Weeks 10-12' })).toEqual(['timeshare']);
    // Five ordinary real rows write 0.00.
    expect(flags({ 'Week Avail Timeshare': '0.00' })).toEqual([]);
  });

  it('special listing conditions, an auction and a seller concession: market sales, noted', () => {
    expect(flags({}, 'Special Listing Cond|Short Sale|Yes')).toEqual(['short_sale']);
    expect(flags({}, 'Special Listing Cond|Lender Owned/REO|Yes')).toEqual(['reo']);
    expect(flags({}, 'Special Listing Cond|Probate/Estate|Yes')).toEqual(['probate']);
    expect(flags({}, 'Special Listing Cond|Equitable Interest|Yes')).toEqual(['equitable_interest']);
    expect(flags({}, 'Special Listing Cond|Owner/Agent|Yes')).toEqual(['owner_agent']);
    expect(flags({}, 'Special Listing Cond|Short Sale|No')).toEqual([]);
    expect(flags({}, 'Special Listing Cond|N/A|Yes;Special Listing Cond|Age Restricted (See Remarks)|Yes')).toEqual([]);
    expect(flags({ Auction: 'Yes' })).toEqual(['auction']);
    expect(flags({}, 'Sold Info|Seller Concession to Buyer|10,000')).toEqual(['seller_concession']);
    expect(flags({}, 'Sold Info|Seller Concession to Buyer|2.5')).toEqual(['seller_concession']);
    expect(flags({}, 'Sold Info|Seller Concession to Buyer|0')).toEqual([]);
  });

  it('writes only flags sales validation knows', () => {
    const all = flags({ 'Co-Ownership (Fractional) Agreement YN': 'Y', Ownership: 'Timeshare', Auction: 'Yes' }, ['Short Sale', 'Lender Owned/REO', 'Probate/Estate', 'Equitable Interest', 'Owner/Agent'].map((c) => `Special Listing Cond|${c}|Yes`).join(';') + ';Sold Info|Seller Concession to Buyer|500');
    expect(all).toHaveLength(9);
    for (const flag of all) expect([flag, Object.hasOwn(NON_MARKET_FLAGS, flag) || Object.hasOwn(MARKET_CONDITION_FLAGS, flag)]).toEqual([flag, true]);
  });
});

describe('assessor file names', () => {
  it.each([
    ['501-79-632.json', '501-79-632'],
    ['509-11-455_sales_and_deed_data.json', '509-11-455'],
    ['50911455.json', '509-11-455'],
    ['211-29-043A.json', '211-29-043A'],
    ['130-20-103-A.json', '130-20-103A'],
    ['501-79-632 (1).json', '501-79-632'],
    ['/saved/parcels/501.79.632.json', '501-79-632'],
  ])('%s is parcel %s', (name, apn) => expect(apnOfParcelFile(name, {})).toBe(apn));

  it('refuses a name that does not start with a whole APN, unless the payload carries one', () => {
    expect(() => apnOfParcelFile('501-79-6321.json', {})).toThrow(/does not start with one/);
    expect(() => apnOfParcelFile('notes.json', {})).toThrow(/does not start with one/);
    expect(apnOfParcelFile('notes.json', { APN: '50179632' })).toBe('501-79-632');
  });

  it('takes the parcel the payload names over the file name, and refuses a name naming another', () => {
    const parcels = loadParcelFixtures();
    // The tester's case: the real answer of 501-79-677 saved as 130-20-103-A.json.
    expect(() => apnOfParcelFile('130-20-103-A.json', parcels.get('501-79-677')!)).toThrowError(
      '501-79-677 in the payload, 130-20-103A in the file name: rename the file or check that it holds the right parcel',
    );
    expect(apnOfParcelFile('509-11-455_sales_and_deed_data.json', parcels.get('509-11-455')!)).toBe('509-11-455');
    expect(apnOfParcelFile('50179677.json', parcels.get('501-79-677')!)).toBe('501-79-677');
    expect(apnOfParcelFile('saved-parcel.json', parcels.get('501-79-677')!)).toBe('501-79-677');
  });
});

describe('ARMLS messages: what and where, never the file', () => {
  it('names the bad value of a point, not "blank"', () => {
    expect(unread({ 'Geo Lat': 'abc' })).toEqual(['Geo Lat/Geo Lon: Geo Lat "abc" is not a number']);
    expect(unread({ 'Geo Lon': 'W111.9' })).toEqual(['Geo Lat/Geo Lon: Geo Lon "W111.9" is not a number']);
  });

  it('lists every status code it accepts, and reads P, U, T and X', () => {
    expect(() => mapArmlsRow(fields({ Status: 'Z' }))).toThrow(
      new ArmlsRowError('Status', '"Z" is not an ARMLS status (one of the codes A, C, E, L, P, T, U, W, X, or a name such as Active, Pending, UCB, CCBS, Coming Soon, Closed, Expired, Cancelled, Withdrawn)'),
    );
    const status = (s: string) => map({ Status: s, 'Sold Price': '' }).listing_status;
    expect(['P', 'U', 'T', 'X'].map(status)).toEqual(['pending', 'ucb', 'temp_off_market', 'expired']);
  });

  it('a UCB, CCBS or Active Under Contract status is under contract, whatever the UCB or CCBS column says', () => {
    for (const s of ['UCB', 'U', 'CCBS', 'Active Under Contract']) expect(map({ Status: s, 'Sold Price': '', 'UCB or CCBS': '' }).under_contract, s).toBe(true);
    expect(map({ Status: 'P', 'Sold Price': '', 'UCB or CCBS': '' }).under_contract).toBe(false);
  });

  it('quotes at most 40 characters of a value, its control and format characters escaped', () => {
    expect(quoteValue('MARICOPA_API_TOKEN="abc"')).toBe('"MARICOPA_API_TOKEN=\\"abc\\""');
    expect(quoteValue('a\u0007b\u001b[2J\r\n\t\u202ec\\')).toBe('"a\\u0007b\\u001b[2J\\r\\n\\t\\u202ec\\\\"');
    expect(quoteValue('x'.repeat(41))).toBe(`"${'x'.repeat(40)}…"`);
    expect(quoteValue('😀'.repeat(40))).toBe(`"${'😀'.repeat(40)}"`);
    expect(() => mapArmlsRow(fields({ 'Zip Code': `${'8'.repeat(60)}\u0000` }))).toThrow(new ArmlsRowError('Zip Code', `"${'8'.repeat(40)}…" is not a 5-digit ZIP code`));
  });
});

describe('CSV records', () => {
  const records = async (text: string, size = 3) => {
    async function* chunks() {
      for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    }
    const out = [];
    for await (const r of csvRecords(chunks())) out.push(r);
    return out;
  };

  it('counts lines as an editor does: a CRLF inside a quoted value is one line break, kept as it is', async () => {
    for (const nl of ['\r\n', '\n', '\r']) {
      const r = await records(`a,b${nl}1,"x${nl}y${nl}z"${nl}2,3${nl}${nl}4,5${nl}`);
      expect(r.map((x) => [x.line, x.endLine]), JSON.stringify(nl)).toEqual([[1, 1], [2, 4], [5, 5], [7, 7]]);
      expect(r[1]!.fields[1]).toBe(`x${nl}y${nl}z`);
    }
  });

  it('gives the field and line of each fault: a stray quote, text after a closing quote, an unclosed quote where it opened', async () => {
    expect((await records('K="abc"x\nB=2\n'))[0]!.error).toEqual({ fault: 'quote_inside_value', field: 0, line: 1, opened: null });
    const [, stray, after] = await records('a,b\n1,"He said "hi" there"\n2,3\n');
    expect(stray).toMatchObject({ fields: ['1', 'He said "hi" there'], line: 2, error: { fault: 'text_after_closing_quote', field: 1, line: 2, opened: 2 } });
    expect(after).toMatchObject({ fields: ['2', '3'], line: 3, error: null });
    const [, open] = await records('a,b\r\n1,"x\r\n2,3\r\n4,5\r\n');
    expect(open).toMatchObject({ line: 2, endLine: 4, error: { fault: 'unclosed_quote', field: 1, line: 2, opened: 2 } });
    expect((await records('a,b\n1,"He said ""hi"""\n"",x\n"a"'))).toMatchObject([{ fields: ['a', 'b'] }, { fields: ['1', 'He said "hi"'] }, { fields: ['', 'x'] }, { fields: ['a'], error: null }]);
  });
});

describe('files that are not a CSV export', () => {
  it.each([
    ['an empty file', Buffer.alloc(0), 'x.csv is empty'],
    ['UTF-16 with its BOM (Excel "Unicode Text")', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('List Number\tStatus\r\n', 'utf16le')]), 'x.csv is UTF-16 text (as Excel saves "Unicode Text"), not a CSV file'],
    ['UTF-16 without a BOM', Buffer.from('List Number,Status\r\n', 'utf16le'), 'x.csv is UTF-16 text'],
    ['a PNG image', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), 'x.csv is not a text file (it holds binary data), not a CSV file'],
    ['an .xlsx workbook', Buffer.from('504b030414000600080000002100', 'hex'), 'x.csv is a ZIP archive (an Excel .xlsx workbook is one), not a CSV file'],
    ['JSON', Buffer.from('{"a":1}'), 'x.csv holds JSON, not a CSV file'],
    ['a JSON array', Buffer.from('[{"List Number":"6181273"}]'), 'x.csv holds JSON, not a CSV file'],
    ['Excel\'s XML Spreadsheet 2003', Buffer.from('<?xml version="1.0"?>\r\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'), 'x.csv holds HTML or XML'],
    ['a saved web page', Buffer.from('\uFEFF<!DOCTYPE html><html><table><tr><td>List Number</td>'), 'x.csv holds HTML or XML'],
    ['semicolons after a UTF-8 BOM', Buffer.from('\uFEFFList Number;Status;Zip Code\r\n'), 'x.csv is separated by semicolons'],
    ['semicolons', Buffer.from('"List Number";"Status"\r\n"6181273";"C"\r\n'), 'x.csv is separated by semicolons, not commas, not a CSV file'],
    ['tabs', Buffer.from('List Number\tStatus\r\n6181273\tC\r\n'), 'x.csv is separated by tabs, not commas, not a CSV file'],
  ])('refuses %s, saying so', (_, head, message) => {
    expect(whyNotCsv(head, 'x.csv')).toContain(message);
  });

  it('takes the real export as CSV', () => {
    expect(whyNotCsv(Buffer.from(`${header.map((h) => `"${h}"`).join(',')}\r\n`), 'x.csv')).toBeNull();
  });
});

describe('a path typed in the console', () => {
  it('takes a full path, Explorer\'s "Copy as path" quotes and a file URL; refuses a relative path and ~', () => {
    expect(consolePath('/home/me/Downloads/export.csv', 'file')).toEqual({ path: '/home/me/Downloads/export.csv' });
    expect(consolePath('"/home/me/My Exports/export.csv"', 'file')).toEqual({ path: '/home/me/My Exports/export.csv' });
    expect(consolePath('file:///home/me/My%20Exports/export.csv', 'file')).toEqual({ path: '/home/me/My Exports/export.csv' });
    expect(consolePath('Downloads/export.csv', 'file')).toEqual({
      error: '"Downloads/export.csv" is a relative path, which the server would read from its own folder: give the full path of the file on this computer (starting with / , or with a drive such as C:\\ on Windows).',
    });
    expect(consolePath('~/Downloads/export.csv', 'file')).toEqual({
      error: '"~/Downloads/export.csv" starts with ~, which only a shell turns into your home folder: give the full path of the file on this computer.',
    });
  });
});
