import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { detectChallenge } from '../../src/main/collectors/phoenix-mls/crawler.js';
import { identityFor, uaPlatform } from '../../src/main/collectors/phoenix-mls/consistent-identity.js';
import { fullSizePhoto, largestOfSrcset } from '../../src/main/collectors/listing-fields.js';
import { listingData, parseDetailPage, parseResultsPage } from '../../src/main/collectors/phoenix-mls/parse-pages.js';
import { PageStore } from '../../src/main/collectors/phoenix-mls/page-store.js';
import { formatSelectorReport, testSelectors } from '../../src/main/collectors/phoenix-mls/selector-tester.js';
import { loadSelectors } from '../../src/main/collectors/phoenix-mls/selectors.js';

const selectors = loadSelectors();
const detail = `<html><body><h1>5219 W EL CAMINITO Drive, Glendale, AZ 85302</h1><button class="view-photos">View Photos (2)</button>
<img class="listing-photo" src="https://cdn.example/p/1.jpg"><img class="listing-photo" src="/p/2.jpg">
<section class="detail-section"><ul><li>MLS #: 6937912</li><li>Status: Active</li><li>List Price: $365,000</li></ul></section>
<section class="detail-section"><ul><li># Bedrooms: 3</li><li>Full Bathrooms: 2</li><li>Half Bathrooms: 1</li><li>Approx SQFT: 1,647</li><li>Approx Lot SqFt: 7,200</li><li>Year Built: 2003</li></ul></section>
<section class="detail-section"><ul><li>Private Pool Y/N: Y</li><li>Garage Spaces: 2</li></ul></section>
<div class="public-remarks">  Block home,
 sparkling pool. </div></body></html>`;

describe('MLS detail pages', () => {
  it('reads every field from the Label: value lines, as numbers, booleans and URLs', () => {
    const p = parseDetailPage(detail, 'https://phoenixmlssearch.com/mls/x-mls_6937912/', selectors);
    expect(p.values).toEqual({
      address: '5219 W EL CAMINITO Drive, Glendale, AZ 85302',
      mls_number: '6937912',
      status: 'Active',
      list_price: 365000,
      bedrooms: 3,
      bathrooms: 2,
      half_bathrooms: 1,
      square_feet: 1647,
      lot_size: 7200,
      year_built: 2003,
      pool: true,
      garage_spaces: 2,
      description: 'Block home, sparkling pool.',
      photo_urls: ['https://cdn.example/p/1.jpg', 'https://phoenixmlssearch.com/p/2.jpg'],
      photo_count: 2,
    });
    expect(p.missingRequired).toEqual([]);
    const fees = /fee|frequency|_yn$/;
    expect(p.missing.filter((f) => !fees.test(f))).toEqual([
      'ucb_or_ccbs',
      'total_bathrooms',
      'three_quarter_bathrooms',
      'lot_acres',
      'lot_text',
      'lot_area',
      'lot_area_units',
      'property_type_label',
      'parcel_number',
      'taxes',
      'tax_year',
    ]);
    expect(p.missing.filter((f) => fees.test(f))).toHaveLength(13);
    expect(listingData(p)).toMatchObject({ bathrooms: 2.5, full_bathrooms: 2, half_bathrooms: 1, lot_size: 7200, listing_status: 'active', photo_count: 2 });
  });

  it('names the required fields a page lacks', () => {
    const p = parseDetailPage(detail.replace('List Price', 'Asking Amount'), 'https://x/', selectors);
    expect(p.missingRequired).toEqual(['list_price']);
  });

  it('reads the results page: links, the next page and the stated total', () => {
    const html = `<p id="search-summary">1,204 matches found</p><a href="/mls/a-mls_1/">A</a><a href="/mls/b-mls_2/">B</a><a href="/mls/a-mls_1/">A again</a><a rel="next" href="/mls/search/?Page=2">Next</a>`;
    expect(parseResultsPage(html, 'https://s.example/mls/search/?Page=1', selectors)).toEqual({
      links: ['https://s.example/mls/a-mls_1/', 'https://s.example/mls/b-mls_2/'],
      next: 'https://s.example/mls/search/?Page=2',
      total: 1204,
    });
  });

  it('refuses a selector override that breaks the set, saying which key', () => {
    expect(() => loadSelectors({ required: ['price'] })).toThrow(/^MLS selectors: required\.0: /);
    expect(loadSelectors({ labels: { list_price: ['Asking Amount'] } }).labels.bedrooms).toEqual(['# Bedrooms', 'Bedrooms', '# of Bedrooms']);
  });
});

/** A detail page as the live site writes it (issue 12): `lines` are its `Label: value` lines. */
function livePage(heading: string, lines: string[], photos = ''): string {
  return `<html><head><title>${heading}</title></head><body><h1>${heading}</h1>${photos}<section class="detail-section"><ul>${lines.map((l) => `<li>${l}</li>`).join('')}</ul></section></body></html>`;
}
const URL_6937912 = 'https://phoenixmlssearch.com/mls/5219-W-EL-CAMINITO-Drive-Glendale-AZ-85302-mls_6937912/';
const read = (lines: string[], photos = '', heading = '5219 W EL CAMINITO Drive, Glendale, AZ 85302 / 6937912 (MLS #)') =>
  listingData(parseDetailPage(livePage(heading, ['List Price: $365,000', ...lines], photos), URL_6937912, selectors));

describe('MLS detail pages as the live site writes them', () => {
  it('C03: takes the MLS number from the heading, not into the address, and the ZIP as a standalone token', () => {
    const data = read([]);
    expect(data).toMatchObject({ mls_number: '6937912', address: '5219 W EL CAMINITO Drive, Glendale, AZ 85302' });
    expect(read([], '', '5219 W EL CAMINITO Drive, Glendale, AZ 85302 - MLS# 6937912')).toMatchObject({ mls_number: '6937912', address: '5219 W EL CAMINITO Drive, Glendale, AZ 85302' });
    // No number on the page at all: the URL's `-mls_6937912`.
    expect(read([], '', '5219 W EL CAMINITO Drive, Glendale, AZ 85302').mls_number).toBe('6937912');
    // A label wins over everything.
    expect(read(['MLS #: 6999999']).mls_number).toBe('6999999');
  });

  it.each([
    // C06: the total is the total; the half is in it already.
    [['Total Bathrooms: 2.50', 'Half Bathrooms: 1'], 2.5],
    [['Full Bathrooms: 2', 'Total Bathrooms: 2.50'], 2.5],
    [['Full Bathrooms: 2', 'Half Bathrooms: 1'], 2.5],
    [['Full Bathrooms: 2', 'Half Bathrooms: 1', 'Total Bathrooms: 2.5'], 2.5],
    [['Full Bathrooms: 3'], 3],
    [['Total Bathrooms: 1.00'], 1],
    [['Total Bathrooms: approx. 3.5 (per tax records)'], 3.5],
    [['Half Bathrooms: 1'], null],
    [[], null],
  ])('bathrooms from %j → %s', (lines, bathrooms) => expect(read(lines).bathrooms).toBe(bathrooms));

  it.each([
    [['Approx Lot SqFt: 7,200'], 7200],
    [['Lot Size: 0.15 Acres'], 6534],
    [['Approx Lot Acres: 0.0170'], 741],
    [['Lot Size: 6,534 SqFt'], 6534],
    [['Approx Lot SqFt: 738.00', 'Approx Lot Acres: 0.0170'], 738],
    [[], null],
  ])('lot from %j → %s sq ft', (lines, lot) => expect(read(lines).lot_size).toBe(lot));

  it.each([
    ['Association Fee: $95/Month', 95],
    ['Association Fee: $1,140/Annually', 95],
    ['Association Fee: $285/Quarterly', 95],
    ['HOA Fee: $150/month', 150],
    ['HOA Fees: $1,200/year', 100],
    ['Association Fee: No Fees', 0],
    ['Association Fee: $300/Semi-Annually', 50],
    ['Association Fee: $95', null],
  ])('HOA %s → %s a month, with the text as received', (line, monthly) => {
    const data = read([line]);
    expect(data.hoa_monthly).toBe(monthly);
    expect(data.hoa_text).toBe(line.slice(line.indexOf(':') + 1).trim());
  });

  it('reads the land-lease fee and the frequency field to a monthly figure', () => {
    expect(read(['Land Lease Fee: $138/Month', 'HOA Fee: 145', 'HOA Paid Frequency: Monthly'])).toMatchObject({ land_lease_monthly: 138, land_lease_text: '$138/Month', hoa_monthly: 145, hoa_text: '145 Monthly' });
  });

  it('stores the real photo URL of a lazy image, never its placeholder, full size on the Spark CDN', () => {
    const photos = [
      '<img class="listing-photo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://cdn.photos.sparkplatform.com/az/20210115062540930001000000-t.jpg">',
      '<img class="listing-photo" src="/img/placeholder.png" data-original="https://cdn.photos.sparkplatform.com/az/20210115062540930002000000-t.jpg">',
      '<img class="listing-photo" src="/img/blank.gif" data-lazy-src="https://cdn.photos.sparkplatform.com/az/20210115062540930003000000-t.jpg">',
      '<img class="listing-photo" src="/img/loading.svg" srcset="https://cdn.example/p/4-320.jpg 320w, https://cdn.example/p/4-1024.jpg 1024w">',
      '<img class="listing-photo" src="/img/placeholder.png">',
      '<button class="view-photos">View Photos (43)</button>',
    ].join('');
    const data = read([], photos);
    expect(data.photo_urls).toEqual([
      'https://cdn.photos.sparkplatform.com/az/20210115062540930001000000-o.jpg',
      'https://cdn.photos.sparkplatform.com/az/20210115062540930002000000-o.jpg',
      'https://cdn.photos.sparkplatform.com/az/20210115062540930003000000-o.jpg',
      'https://cdn.example/p/4-1024.jpg',
    ]);
    expect(data.photo_count).toBe(43);
  });

  it.each([
    ['$1.2M', 1_200_000],
    ['$350K', 350_000],
    ['$365,000', 365_000],
    ['229000.00', 229_000],
  ])('reads the price %s as %s', (text, price) => {
    expect(listingData(parseDetailPage(livePage('x', [`List Price: ${text}`]), URL_6937912, selectors)).list_price).toBe(price);
  });

  it('refuses a price it cannot read, never a part of it, and says why', () => {
    const p = parseDetailPage(livePage('x', ['List Price: $1.2 Bn or best offer']), URL_6937912, selectors);
    expect(p.missingRequired).toEqual(['list_price']);
    expect(p.unreadable).toEqual(['list_price: "$1.2 Bn or best offer" cannot be read']);
  });

  it.each([
    ['Active', 'active'],
    ['Coming Soon', 'coming_soon'],
    ['Pending', 'pending'],
    ['UCB', 'ucb'],
    ['Under Contract - Taking Backups', 'ucb'],
    ['CCBS', 'ccbs'],
    ['Contingent - Contract But Still Seeking', 'ccbs'],
    ['Closed', 'closed'],
    ['Something else', null],
  ])('status %s → %s, the text kept', (text, status) => {
    const data = read([`Status: ${text}`]);
    expect(data).toMatchObject({ status: text, listing_status: status });
  });

  it('reads the APN line (the exact join to the assessor), dwelling type and taxes', () => {
    expect(read(['Assessor Number: 173-35-524', 'Dwelling Type: Apartment', 'Taxes: $390.00', 'Tax Year: 2020'])).toMatchObject({
      parcel_number: '173-35-524',
      property_type_label: 'Apartment',
      annual_taxes: 390,
      taxes_year: 2020,
    });
  });
});

/** A page's parse and stored data together: the value and, when unknown, why. */
const readWithReasons = (lines: string[], photos = '', url = URL_6937912, heading = '5219 W EL CAMINITO Drive, Glendale, AZ 85302') => {
  const parse = parseDetailPage(livePage(heading, ['List Price: $365,000', ...lines], photos), url, selectors);
  return { parse, data: listingData(parse) };
};
const SPARK_ID = '20210115062540930001000000';
/** The stored `field` of a page of `lines`, and the one reason it gives when the value is unknown. */
function expectReading(lines: string[], field: string, value: number | null, reason: string | null) {
  const { parse, data } = readWithReasons(lines);
  expect(data[field]).toBe(value);
  expect(parse.unreadable).toEqual(reason ? [reason] : []);
}

describe('MLS detail pages: the real variants of each field (issue 12, second pass)', () => {
  // ARMLS names the total `# Bathrooms` (its flexmls RETS field labels); `Master Bathroom: 3/4 Bath
  // Master Bdrm` is a feature of the shared ARMLS export, never a count.
  it.each([
    [['# Bathrooms: 2.5'], 2.5, null],
    [['Baths: 2.5'], 2.5, null],
    [['Full Bathrooms: 0', 'Half Bathrooms: 1'], 0.5, null],
    [['Master Bathroom: 3/4 Bath Master Bdrm', 'Full Bathrooms: 2'], 2, null],
    [['Bathrooms: 2 Full / 1 Half'], null, 'total_bathrooms: "2 Full / 1 Half" holds more than one number'],
    [['Total Bathrooms: 3/4'], null, 'total_bathrooms: "3/4" is a fraction or a range, not one number'],
    [['Total Bathrooms: -1'], null, 'total_bathrooms: "-1" cannot be read'],
  ])('bathrooms from %j → %s', (lines, bathrooms, reason) => {
    expectReading(lines, 'bathrooms', bathrooms, reason);
  });

  // The flexmls IDX plugin's labels of Spark's standard fields (wp-plugins/flexmls-idx
  // pages/listing-details.php): `# of Bathrooms` (BathsTotal), `# of Full Baths`, `# of Half
  // Baths`, `# of 3/4 Baths`. A total that counts halves whole is RESO's BathroomsTotalInteger.
  it.each([
    [['# of Bathrooms: 2.5', '# of Full Baths: 2', '# of Half Baths: 1'], 2.5, null],
    [['# of Bathrooms: 2.5', '# of Full Baths: 1', '# of 3/4 Baths: 1', '# of Half Baths: 1'], 2.5, null],
    [['# of Bathrooms: 1.5', '# of Full Baths: 1', '# of 3/4 Baths: 1', '# of Half Baths: 1'], 1.5, null],
    [['# of Full Baths: 1', '# of 3/4 Baths: 1', '# of Half Baths: 1'], null, 'total_bathrooms: 1 full may or may not hold the 1 three-quarter: no total states which'],
    [['# of 3/4 Baths: 1'], 1, null],
    [['Total Bathrooms: 3', 'Full Bathrooms: 2', 'Half Bathrooms: 1'], 2.5, null],
    [['Total Bathrooms: 4', 'Full Bathrooms: 2', 'Half Bathrooms: 1'], null, 'total_bathrooms: 4 total disagrees with 2 full and 1 half'],
    [['# of Bathrooms: ********'], null, 'total_bathrooms: "********" is withheld by the MLS'],
  ])('bathrooms from the flexmls labels %j → %s', (lines, bathrooms, reason) => {
    expectReading(lines, 'bathrooms', bathrooms, reason);
  });

  // RESO's LotSizeArea + LotSizeUnits pair, and LotSizeAcres / LotSizeSquareFeet, as flexmls labels them.
  it.each([
    [['Lot Size Area: 0.15', 'Lot Size Units: Acres'], 6534, null],
    [['Lot Size Area: 10,019', 'Lot Size Units: Square Feet'], 10_019, null],
    [['Lot Size Area: 10,019'], null, 'lot_area: "10,019" has no unit (acres or square feet)'],
    [['Lot Size Acres: 0.25'], 10_890, null],
    [['Lot Size Square Feet: 7,200'], 7200, null],
  ])('lot from the flexmls labels %j → %s sq ft', (lines, lot, reason) => {
    expectReading(lines, 'lot_size', lot, reason);
  });

  // `Lot Size` must name its unit; ARMLS's `Apx Lot Size Range` brackets are ranges, not sizes.
  it.each([
    [['Lot Size: 1/4 Acre'], 10_890, null],
    [['Lot Size: 0.15 acres'], 6534, null],
    [['Lot Size: 6,534 sq ft'], 6534, null],
    [['Lot Size: 10,019 SqFt'], 10_019, null],
    [['Lot Size: 0.23 Acres (10,019 SqFt)'], 10_019, null],
    [['Lot Size: 7200'], null, 'lot_text: "7200" has no unit (acres or square feet)'],
    [['Lot Size: 10,001-15,000 SqFt'], null, 'lot_text: "10,001-15,000 SqFt" is a range, not a lot size'],
    [['Approx Lot SqFt: 10,001-15,000'], null, 'lot_size: "10,001-15,000" is a range, not a lot size'],
    [['Approx Lot Acres: 0.0170'], 741, null],
  ])('lot from %j → %s sq ft', (lines, lot, reason) => {
    expectReading(lines, 'lot_size', lot, reason);
  });

  // Frequencies as the RESO Data Dictionary's FeeFrequency lookup defines them (Bi-Monthly every
  // other month, Semi-Monthly twice a month, One Time not recurring, Seasonal no fixed count).
  it.each([
    ['$95/mo', 95],
    ['$95 per month', 95],
    ['$95 Mo.', 95],
    ['$190/Bi-Monthly', 95],
    ['$50/Semi-Monthly', 100],
    ['$40/Bi-Weekly', 86.67],
    ['$20/Weekly', 86.67],
    ['$1,140/Annually', 95],
  ])('HOA %s → %s a month', (fee, monthly) => {
    expect(readWithReasons([`Association Fee: ${fee}`]).data).toMatchObject({ hoa_monthly: monthly, hoa_text: fee });
  });

  it.each([
    ['Association Fee: $500 One Time', 'hoa_fee: "$500 One Time" is a one-time fee, not a monthly one'],
    ['Association Fee: $600 Seasonal', 'hoa_fee: "$600 Seasonal" is seasonal: the payments a year are not stated'],
    ['Association Fee: $50/Month and $30/Month', 'hoa_fee: "$50/Month and $30/Month" holds more than one amount'],
    ['Association Fee: $95', 'hoa_fee: "$95" has no frequency (monthly is not assumed)'],
  ])('refuses %s as a monthly fee, saying why', (line, reason) => {
    const { parse, data } = readWithReasons([line]);
    expect(data.hoa_monthly).toBeNull();
    expect(data.hoa_text).toBe(line.slice(line.indexOf(':') + 1).trim());
    expect(parse.unreadable).toEqual([reason]);
  });

  // ARMLS's `Association & Fees` fields (flexmls RETS labels; the shared export's Features).
  it('sums every association, each with its own frequency, and keeps one-time fees apart', () => {
    const { parse, data } = readWithReasons([
      'HOA Y/N: Y',
      'HOA Fee: 95',
      'HOA Paid (Freq): Monthly',
      'HOA 2 Fee: 150',
      'HOA 2 Paid (Freq): Quarterly',
      'Cap Imprv/Impact Fee: 500',
      'HOA Transfer Fee: 400',
      'Ttl Mthly Fee Equiv: 145',
    ]);
    expect(parse.unreadable).toEqual([]);
    expect(data).toMatchObject({
      hoa_monthly: 145,
      hoa_text: '95 Monthly + 150 Quarterly',
      total_monthly_fees: 145,
      one_time_fees: [
        { fee: 'capital_improvement', dollars: 500, text: '500' },
        { fee: 'transfer', dollars: 400, text: '400' },
      ],
    });
  });

  it('reads the fields under their ARMLS group label (`Association & Fees: HOA Fee: 95`)', () => {
    const { data } = readWithReasons(['Association & Fees: HOA Fee: 95', 'Association & Fees: HOA Paid (Freq): Semi-Annually']);
    expect(data).toMatchObject({ hoa_monthly: 15.83, hoa_text: '95 Semi-Annually' });
  });

  it('is unknown, never a part, when one association cannot be read', () => {
    const { parse, data } = readWithReasons(['HOA Fee: 95', 'HOA Paid (Freq): Monthly', 'HOA 2 Fee: 150']);
    expect(data).toMatchObject({ hoa_monthly: null, hoa_text: '95 Monthly + 150' });
    expect(parse.unreadable).toEqual(['hoa2_fee: "150" has no frequency (monthly is not assumed)']);
  });

  it.each([
    [['Association: Yes', 'Association Fee: 95', 'Association Fee Frequency: Monthly', 'Association Fee 2: 300', 'Association Fee 2 Frequency: Annually'], { hoa_monthly: 120, hoa_text: '95 Monthly + 300 Annually' }, []],
    [['Land Lease: Yes', 'Land Lease Fee: 1,656', 'Land Lease Fee Frequency: Annually'], { land_lease_monthly: 138, land_lease_text: '1,656 Annually' }, []],
    [['Land Lease: $138/Month'], { land_lease_monthly: 138, land_lease_text: '$138/Month' }, []],
    [['HOA Y/N: N'], { hoa_monthly: 0, hoa_text: 'HOA Y/N: N' }, []],
    [['HOA Y/N: Y'], { hoa_monthly: null, hoa_text: null }, ['hoa_fee: HOA Y/N is Y, yet there is no HOA Fee']],
    [['Land Lease Fee: 138', 'Land Lease Pd (Freq): Monthly'], { land_lease_monthly: 138, land_lease_text: '138 Monthly' }, []],
    [['Land Lease Fee Y/N: N'], { land_lease_monthly: 0, land_lease_text: 'Land Lease Fee Y/N: N' }, []],
    [['Land Lease Fee Y/N: Y'], { land_lease_monthly: null, land_lease_text: null }, ['land_lease_fee: Land Lease Fee Y/N is Y, yet there is no Land Lease Fee']],
  ])('the Y/N fields: %j', (lines, expected, reasons) => {
    const { parse, data } = readWithReasons(lines);
    expect(data).toMatchObject(expected);
    expect(parse.unreadable).toEqual(reasons);
  });

  it.each([
    ['$1,250,000', 1_250_000],
    ['$1.25 Million', 1_250_000],
    ['$1.25 Mil', 1_250_000],
  ])('reads the price %s as %s', (text, price) => {
    const p = parseDetailPage(livePage('x', [`List Price: ${text}`]), URL_6937912, selectors);
    expect(p.values.list_price).toBe(price);
  });

  it.each([
    ['Price Upon Request', 'states no price'],
    ['$2,100/mo', 'is a rent per period, not a sale price'],
    ['$2,100 per month', 'is a rent per period, not a sale price'],
    ['$350,000 - $375,000', 'is a range, not one amount'],
  ])('refuses the price %s: it %s', (text, reason) => {
    const p = parseDetailPage(livePage('x', [`List Price: ${text}`]), URL_6937912, selectors);
    expect(p.missingRequired).toEqual(['list_price']);
    expect(p.unreadable).toEqual([`list_price: ${JSON.stringify(text)} ${reason}`]);
  });

  // ARMLS statuses (armls.com: CCBS = Contract Contingent on Buyer Sale) and RESO StandardStatus.
  it.each([
    ['UCB (Under Contract-Backups)', 'ucb'],
    ['CCBS (Contract Contingent on Buyer Sale)', 'ccbs'],
    ['Active Under Contract', 'active_under_contract'],
    ['ActiveUnderContract', 'active_under_contract'],
    ['Hold', 'temp_off_market'],
    ['TOM', 'temp_off_market'],
    ['Temp Off Market', 'temp_off_market'],
    ['Canceled', 'cancelled'],
    ['Cancelled', 'cancelled'],
    ['Expired', 'expired'],
    ['Withdrawn', 'withdrawn'],
    ['Delete', 'deleted'],
    ['Incomplete', 'incomplete'],
    ['Active - Price Reduced', null],
  ])('status %s → %s', (text, status) => {
    expect(readWithReasons([`Status: ${text}`]).data).toMatchObject({ status: text, listing_status: status });
  });

  // Spark's photo sizes (the Spark API's listing example): UriThumb `-t`, Uri300 without a suffix,
  // Uri640…1280 on resize.sparkplatform.com, UriLarge `-o`; the live site's `-m` and `-l`.
  it('stores the original of every Spark photo size, from srcset, data-srcset and <picture>', () => {
    const spark = (id: number) => `${SPARK_ID.slice(0, -2)}${String(id).padStart(2, '0')}`;
    const photos = [
      `<img class="listing-photo" src="https://cdn.photos.sparkplatform.com/az/${spark(1)}-m.jpg">`,
      `<img class="listing-photo" src="https://cdn.photos.sparkplatform.com/az/${spark(2)}-l.jpg">`,
      `<img class="listing-photo" src="http://cdn.photos.sparkplatform.com/az/${spark(3)}.jpg">`,
      `<img class="listing-photo" src="/img/blank.gif" data-srcset="https://cdn.resize.sparkplatform.com/az/640x480/true/${spark(4)}-o.jpg 640w, https://cdn.resize.sparkplatform.com/az/1280x1024/true/${spark(4)}-o.jpg 1280w">`,
      `<picture><source type="image/webp" srcset="https://img.example/w_320,h_240/5.webp 1x, https://img.example/w_1024,h_768/5.webp 2x"><img class="listing-photo" src="data:image/gif;base64,R0lGOD"></picture>`,
    ].join('');
    expect(readWithReasons([], photos).data.photo_urls).toEqual([
      `https://cdn.photos.sparkplatform.com/az/${spark(1)}-o.jpg`,
      `https://cdn.photos.sparkplatform.com/az/${spark(2)}-o.jpg`,
      `http://cdn.photos.sparkplatform.com/az/${spark(3)}-o.jpg`,
      `https://cdn.photos.sparkplatform.com/az/${spark(4)}-o.jpg`,
      'https://img.example/w_1024,h_768/5.webp',
    ]);
  });

  // ARMLS's `UCB or CCBS` field (a column of the shared export) refines an Active status.
  it.each([
    [['Status: Active', 'UCB or CCBS: CCBS'], 'ccbs'],
    [['Status: A', 'UCB or CCBS: UCB'], 'ucb'],
    [['Status: Pending', 'UCB or CCBS: UCB'], 'pending'],
    [['Status: Active', 'UCB or CCBS: '], 'active'],
  ])('status from %j → %s', (lines, status) => {
    expect(readWithReasons(lines).data.listing_status).toBe(status);
  });

  it('takes the full-size photo a flexmls filmstrip names in `fullsrc`', () => {
    const photos = `<img class="listing-photo" src="https://cdn.photos.sparkplatform.com/az/${SPARK_ID}-t.jpg" fullsrc="https://cdn.photos.sparkplatform.com/az/${SPARK_ID}-o.jpg" width="65">`;
    expect(readWithReasons([], photos).data.photo_urls).toEqual([`https://cdn.photos.sparkplatform.com/az/${SPARK_ID}-o.jpg`]);
  });

  it('takes the widest srcset candidate, by width or by density', () => {
    expect(largestOfSrcset('a.jpg 1x, b.jpg 2x')).toBe('b.jpg');
    expect(largestOfSrcset('a.jpg, b.jpg 1.5x')).toBe('b.jpg');
    expect(largestOfSrcset('a.jpg 1024w, b.jpg 2x, c.jpg 640w')).toBe('a.jpg');
    expect(fullSizePhoto('https://cdn.example/p/1-t.jpg')).toBe('https://cdn.example/p/1-t.jpg');
  });

  it.each([
    [['MLS #: 6937912 (ARMLS)'], '6937912'],
    [['Listing ID: 6937912'], '6937912'],
    [['MLS# 6937912'], '6937912'],
  ])('the MLS number from %j', (lines, mls) => {
    expect(readWithReasons(lines, '', 'https://phoenixmlssearch.com/listing/x/').data.mls_number).toBe(mls);
  });

  it('refuses a Spark system key as the MLS number and takes the URL', () => {
    const { parse, data } = readWithReasons(['Listing ID: 20160416190535185409000000']);
    expect(data.mls_number).toBe('6937912');
    expect(parse.unreadable).toEqual(['mls_number: "20160416190535185409000000" is a 26-digit system key, not an MLS number']);
  });
});

describe('the selector tester on pages of the real variants', () => {
  it('reports each field found, missing and unreadable, with the reason', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mls-pages-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const store = new PageStore(dir);
    store.save('https://s.example/mls/a-mls_6937912/', livePage('A', ['List Price: $365,000', 'HOA Fee: 95', 'HOA Paid (Freq): Monthly', 'HOA 2 Fee: 150', 'Lot Size: 1/4 Acre']));
    store.save('https://s.example/mls/b-mls_6937913/', livePage('B', ['List Price: Price Upon Request', 'HOA Fee: $95', 'Lot Size: 7200']));
    const report = testSelectors(selectors, store);
    expect(report).toMatchObject({ pages: 2, usable: 1 });
    const field = (name: string) => report.fields.find((f) => f.field === name);
    expect(field('list_price')).toMatchObject({ found: 1, missing: 1, unreadable: 1, reason: 'list_price: "Price Upon Request" states no price' });
    expect(field('lot_text')).toMatchObject({ found: 1, missing: 1, unreadable: 1, reason: 'lot_text: "7200" has no unit (acres or square feet)' });
    expect(field('hoa2_fee')).toMatchObject({ found: 1, unreadable: 1, reason: 'hoa2_fee: "150" has no frequency (monthly is not assumed)' });
    expect(field('hoa_fee')).toMatchObject({ found: 2, unreadable: 1, reason: 'hoa_fee: "$95" has no frequency (monthly is not assumed)' });
    expect(formatSelectorReport(report)).toContain('       unreadable on 1: lot_text: "7200" has no unit (acres or square feet)');
  });
});

describe('challenges', () => {
  it.each([
    ['<div class="g-recaptcha" data-sitekey="k1"></div>', { type: 'captcha', kind: 'recaptcha', siteKey: 'k1', field: 'g-recaptcha-response' }],
    ['<div class="h-captcha" data-sitekey="k2"></div>', { type: 'captcha', kind: 'hcaptcha', siteKey: 'k2', field: 'h-captcha-response' }],
    ['<div class="cf-turnstile" data-sitekey="k3"></div>', { type: 'captcha', kind: 'turnstile', siteKey: 'k3', field: 'cf-turnstile-response' }],
    ['<h1>Listing</h1>', { type: 'content' }],
  ])('%s', (html, expected) => {
    expect(detectChallenge(html, 200)).toEqual(expected);
  });

  it('knows a block page, a refusal and a failed proxy', () => {
    expect(detectChallenge('<title>Access denied</title><h1 id="block-title">Access denied</h1>', 200)).toMatchObject({ type: 'blocked' });
    expect(detectChallenge('<title>x</title>', 403)).toEqual({ type: 'blocked', reason: 'blocked by the site (HTTP 403: x)' });
    expect(detectChallenge('<pre>Connection Refused</pre>', 594)).toEqual({ type: 'blocked', reason: 'HTTP 594 (Connection Refused)' });
  });
});

describe('the browser identity', () => {
  it('matches the running browser and OS', () => {
    expect(uaPlatform('linux', 'x64')).toEqual({ ua: 'X11; Linux x86_64', navigator: 'Linux x86_64', hint: 'Linux' });
    expect(uaPlatform('darwin', 'arm64').navigator).toBe('MacIntel');
    const id = identityFor('156.0.8078.108', uaPlatform('linux', 'x64'));
    expect(id.userAgent).toBe('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36');
    expect(id.headers['sec-ch-ua']).toBe('"Chromium";v="156", "Not:A-Brand";v="24", "Google Chrome";v="156"');
    expect(id.headers['sec-ch-ua-platform']).toBe('"Linux"');
  });
});
