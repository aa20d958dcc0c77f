import { describe, expect, it } from 'vitest';
import { detectChallenge } from '../../src/main/collectors/phoenix-mls/crawler.js';
import { identityFor, uaPlatform } from '../../src/main/collectors/phoenix-mls/consistent-identity.js';
import { listingData, parseDetailPage, parseResultsPage } from '../../src/main/collectors/phoenix-mls/parse-pages.js';
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
    expect(p.missing).toEqual(['total_bathrooms', 'lot_acres', 'property_type_label', 'parcel_number', 'hoa_fee', 'hoa_frequency', 'land_lease_fee', 'taxes', 'tax_year']);
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
    expect(loadSelectors({ labels: { list_price: ['Asking Amount'] } }).labels.bedrooms).toEqual(['# Bedrooms', 'Bedrooms']);
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
