import { describe, expect, it } from 'vitest';
import { detectChallenge } from '../../src/main/collectors/phoenix-mls/crawler.js';
import { identityFor, uaPlatform } from '../../src/main/collectors/phoenix-mls/consistent-identity.js';
import { parseDetailPage, parseResultsPage } from '../../src/main/collectors/phoenix-mls/parse-pages.js';
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
      bathrooms: 2.5,
      half_bathrooms: 1,
      square_feet: 1647,
      lot_size: 7200,
      year_built: 2003,
      pool: true,
      garage_spaces: 2,
      description: 'Block home, sparkling pool.',
      photo_urls: ['https://cdn.example/p/1.jpg', 'https://phoenixmlssearch.com/p/2.jpg'],
    });
    expect(p.missingRequired).toEqual([]);
    expect(p.missing).toEqual(['property_type_label']);
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
