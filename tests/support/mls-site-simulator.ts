import type http from 'node:http';
import { LocalHttpSimulator } from './local-http.js';

/**
 * How a detail page is written, as public scrapers of the live site recorded it (SERVICES.md):
 * `plain` the labelled page; `live` the heading carrying the MLS number (`… / 6937912 (MLS #)`),
 * no MLS # line, lazy photos (`data-src` over a placeholder) on the Spark CDN as `-t.jpg`
 * thumbnails, the lot only as `Lot Size: 0.15 Acres`, `Full Bathrooms` with `Total Bathrooms`
 * and no half line, a monthly association fee; `gallery` the `- MLS# …` heading, `data-original`
 * and `srcset` photos, `Approx Lot Acres`, Full + Half lines, a yearly fee and a land lease;
 * `flex` ARMLS's own field names (its flexmls RETS labels, the Features of the shared export):
 * `Listing ID`, a UCB status, `# Bathrooms`, `Lot Size: 1/4 Acre`, an `Association & Fees` section
 * of two associations with their `Paid (Freq)` lines, a land-lease Y/N, one-time fees and `Ttl
 * Mthly Fee Equiv`, and Spark's photo sizes (`resize.sparkplatform.com/az/640x480/true/…` in
 * `data-srcset`, `<picture><source>`, `-m.jpg`, a filmstrip thumbnail with `fullsrc`).
 */
export type SimMarkup = 'plain' | 'live' | 'gallery' | 'flex';

export interface SimListing {
  mls: string;
  address: string;
  zip: string;
  price: number;
  beds: number;
  /** Total bathrooms (full + ½ × half). */
  baths: number;
  fullBaths: number;
  halfBaths: number;
  sqft: number;
  /** Lot in sq ft (for the acre variants, the acres shown × 43,560, rounded). */
  lot: number;
  /** Lot in acres as the acre variants show it (2 or 4 decimals). */
  lotAcres: number;
  /** Association fee as the page writes it (the `flex` page's two associations joined), and what it is a month. */
  hoaText: string | null;
  hoaMonthly: number | null;
  landLeaseMonthly: number | null;
  /** The status as the page writes it, and normalised. */
  status: string;
  listingStatus: string;
  markup: SimMarkup;
  year: number;
  garage: number;
  pool: boolean;
  description: string;
  photos: number;
}

const MARKUPS: SimMarkup[] = ['plain', 'live', 'gallery', 'flex'];
/** `Lot Size: 1/4 Acre` in square feet. */
const QUARTER_ACRE = 10_890;
const SPARK_CDN = 'https://cdn.photos.sparkplatform.com/az';
/** Photos in the page before the gallery opens (the live site shows about 7). */
const PHOTOS_IN_PAGE = 7;
const PLACEHOLDER = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

const STREETS = ['W EL CAMINITO Drive', 'N 43RD Avenue', 'W Palm Lane', 'W Thomas Road', 'N 67TH Avenue', 'W Campbell Avenue'];

/** Deterministic active listings for a ZIP code. */
export function listingsFor(zip: string, count: number): SimListing[] {
  return Array.from({ length: count }, (_, i) => {
    const n = Number(zip) * 100 + i;
    const markup = MARKUPS[i % MARKUPS.length]!;
    const fullBaths = 1 + (i % 3);
    const halfBaths = markup === 'plain' ? 0 : 1;
    const sqftLot = 5000 + ((n * 17) % 4000);
    const lotAcres = markup === 'live' ? Number((sqftLot / 43_560).toFixed(2)) : markup === 'flex' ? 0.25 : Number((sqftLot / 43_560).toFixed(4));
    const hoa =
      markup === 'live'
        ? { text: `$${95 + i}/Month`, monthly: 95 + i }
        : markup === 'gallery'
          ? { text: '$1,140/Annually', monthly: 95 }
          : markup === 'flex'
            ? { text: `${95 + i} Monthly + 150 Quarterly`, monthly: 95 + i + 50 }
            : null;
    return {
      mls: String(6_900_000 + (n % 100_000)),
      address: `${1000 + ((n * 37) % 9000)} ${STREETS[i % STREETS.length]}, Phoenix, AZ ${zip}`,
      zip,
      price: 250_000 + ((n * 7919) % 300) * 1000,
      beds: 2 + (i % 4),
      baths: fullBaths + halfBaths / 2,
      fullBaths,
      halfBaths,
      sqft: 1100 + ((n * 13) % 1500),
      lot: markup === 'plain' ? sqftLot : markup === 'flex' ? QUARTER_ACRE : Math.round(lotAcres * 43_560),
      lotAcres,
      hoaText: hoa?.text ?? null,
      hoaMonthly: hoa?.monthly ?? null,
      landLeaseMonthly: markup === 'gallery' ? 138 : markup === 'flex' ? 0 : null,
      status: markup === 'flex' ? 'UCB (Under Contract-Backups)' : 'Active',
      listingStatus: markup === 'flex' ? 'ucb' : 'active',
      markup,
      year: 1960 + (i * 7) % 60,
      garage: i % 3,
      pool: i % 2 === 0,
      description: `Single-level home on a quiet street with ${2 + (i % 4)} bedrooms, updated kitchen and a covered patio.`,
      photos: markup === 'plain' ? 3 + (i % 5) : 9 + i * 4,
    };
  });
}

const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
const slug = (l: SimListing) => `${l.address.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '')}-mls_${l.mls}`;
const money = (n: number) => `$${n.toLocaleString('en-US')}`;

/**
 * A `flex` photo in one of Spark's sizes: a resized set in `data-srcset`, a `<picture>`, a
 * `-m.jpg`, and the flexmls IDX filmstrip's thumbnail with the original in `fullsrc`.
 */
function flexPhoto(id: string, k: number): string {
  const resized = (size: string) => `${SPARK_CDN.replace('cdn.photos.', 'cdn.resize.')}/${size}/true/${id}-o.jpg`;
  if (k % 4 === 0) return `<img class="listing-photo" src="${PLACEHOLDER}" data-srcset="${resized('640x480')} 640w, ${resized('1280x1024')} 1280w" alt="Photo ${k + 1}">`;
  if (k % 4 === 1) return `<picture><source srcset="${resized('640x480')} 1x, ${resized('1280x1024')} 2x"><img class="listing-photo" src="/img/loading.gif" alt="Photo ${k + 1}"></picture>`;
  if (k % 4 === 2) return `<img class="listing-photo" src="${SPARK_CDN}/${id}-m.jpg" alt="Photo ${k + 1}">`;
  return `<img class="listing-photo" src="${SPARK_CDN}/${id}-t.jpg" fullsrc="${SPARK_CDN}/${id}-o.jpg" width="65" alt="Photo ${k + 1}">`;
}

/** The `flex` page's `Association & Fees` section: two associations, no land lease, one-time fees, ARMLS's total. */
function flexFees(l: SimListing): string {
  const first = l.hoaMonthly! - 50;
  const lines = [
    'HOA Y/N: Y',
    `HOA Fee: ${first}`,
    'HOA Paid (Freq): Monthly',
    'HOA 2 Fee: 150',
    'HOA 2 Paid (Freq): Quarterly',
    'Land Lease Fee Y/N: N',
    'Cap Imprv/Impact Fee: 500',
    'HOA Transfer Fee: 400',
    `Ttl Mthly Fee Equiv: ${l.hoaMonthly}`,
  ];
  return `<section class="detail-section"><h2>Association &amp; Fees</h2><ul>${lines.map((x) => `<li>${x}</li>`).join('')}</ul></section>`;
}

export interface MlsSiteOptions {
  listingsPerZip?: number;
  pageSize?: number;
  /** After this many pages in one session (cookie) a CAPTCHA interstitial comes, once. */
  captchaAfter?: number;
  captchaKind?: 'recaptcha' | 'hcaptcha' | 'turnstile';
  /** Verifies a CAPTCHA token (the 2captcha simulator's). */
  verifyToken?: (token: string) => boolean;
  /** Source addresses the firewall has banned (a proxy binding to 127.0.0.3 comes from there). */
  banned?: string[];
  /** MLS numbers rendered in the markup variant that renames the list price label. */
  variantMls?: string[];
  /** Most requests a second before 429. */
  maxPerSecond?: number;
}

/**
 * The Phoenix MLS Search site as the collector meets it: a search page, result pages ("N matches
 * found", 10 a page, next links), detail pages of `Label: value` lines in sections with photos;
 * a firewall that answers non-browser clients and banned addresses with a 403 block page; a
 * CAPTCHA interstitial whose token is verified against 2captcha; rate limiting; and a markup
 * variant for some listings that breaks the list-price label.
 */
export class MlsSiteSimulator extends LocalHttpSimulator {
  readonly listings = new Map<string, SimListing[]>();
  readonly requests: { path: string; from: string; status: number; session: string | null; userAgent: string; clientHints: string | null }[] = [];
  /** What pages' scripts saw of the browser (`navigator`), sent back with sendBeacon. */
  readonly beacons: { userAgent: string; platform: string; webdriver: boolean; brands: string }[] = [];
  private readonly sessionPages = new Map<string, number>();
  private readonly cleared = new Set<string>();
  private readonly recent: number[] = [];
  readonly siteKey = '6LcSimSiteKey000000000000000000000000000';

  constructor(readonly options: MlsSiteOptions = {}) {
    super();
  }

  zip(zip: string): SimListing[] {
    let l = this.listings.get(zip);
    if (!l) {
      l = listingsFor(zip, this.options.listingsPerZip ?? 12);
      this.listings.set(zip, l);
    }
    return l;
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const from = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '';
    const session = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? null;
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      this.requests.push({ path: url.pathname + url.search, from, status, session, userAgent: req.headers['user-agent'] ?? '', clientHints: (req.headers['sec-ch-ua'] as string | undefined) ?? null });
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(html);
    };
    if (url.pathname === '/favicon.ico') return send(404, '');
    if (url.pathname === '/beacon' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        try {
          this.beacons.push(JSON.parse(body) as MlsSiteSimulator['beacons'][number]);
        } catch {
          // not ours
        }
        res.writeHead(204).end();
      });
      return;
    }

    // The firewall: browsers navigate (Sec-Fetch-Dest: document, a Chrome user agent); scripts do not.
    const browser = req.headers['sec-fetch-dest'] !== undefined && /Chrome\//.test(req.headers['user-agent'] ?? '');
    if (!browser || this.options.banned?.includes(from)) {
      return send(403, page('Access denied', '<h1 id="block-title">Access denied</h1><p class="block-reason">Your request was blocked by the web application firewall.</p>'));
    }
    const now = Date.now();
    this.recent.push(now);
    while (this.recent.length && this.recent[0]! < now - 1000) this.recent.shift();
    if (this.recent.length > (this.options.maxPerSecond ?? 50)) return send(429, page('Too Many Requests', '<h1>Too many requests</h1>'), { 'retry-after': '1' });

    const sid = session ?? `s${Math.random().toString(36).slice(2, 10)}`;
    const cookie: Record<string, string> = session ? {} : { 'set-cookie': `sid=${sid}; Path=/; HttpOnly` };

    if (url.pathname === '/captcha/verify' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const token = form.get('g-recaptcha-response') ?? form.get('h-captcha-response') ?? form.get('cf-turnstile-response') ?? '';
        const back = form.get('return') ?? '/';
        if (this.options.verifyToken?.(token)) {
          this.cleared.add(sid);
          return send(302, '', { location: back, ...cookie });
        }
        send(403, page('Verification failed', '<h1 id="captcha-failed">The CAPTCHA was not solved.</h1>'), cookie);
      });
      return;
    }

    // A CAPTCHA interstitial once per session, after a few pages.
    const seen = (this.sessionPages.get(sid) ?? 0) + 1;
    this.sessionPages.set(sid, seen);
    if (this.options.captchaAfter !== undefined && seen > this.options.captchaAfter && !this.cleared.has(sid)) {
      const kind = this.options.captchaKind ?? 'recaptcha';
      const widget = { recaptcha: ['g-recaptcha', 'g-recaptcha-response'], hcaptcha: ['h-captcha', 'h-captcha-response'], turnstile: ['cf-turnstile', 'cf-turnstile-response'] }[kind];
      return send(
        200,
        page(
          'Just a moment...',
          `<h1>Please verify you are a human</h1><form id="challenge-form" method="POST" action="/captcha/verify"><div class="${widget[0]}" data-sitekey="${this.siteKey}"></div><textarea name="${widget[1]}" style="display:none"></textarea><input type="hidden" name="return" value="${url.pathname}${url.search}"></form>`,
        ),
        cookie,
      );
    }

    if (url.pathname === '/simple-search/') {
      return send(200, page('Simple Search', '<input type="text" placeholder="Enter an Address, City, Zip or MLS#"><div role="tree"></div>'), cookie);
    }
    if (url.pathname === '/mls/search/') {
      const zip = url.searchParams.get('PostalCode') ?? '';
      const size = this.options.pageSize ?? 10;
      const n = Number(url.searchParams.get('Page') ?? 1);
      const all = /^\d{5}$/.test(zip) ? this.zip(zip) : [];
      const items = all.slice((n - 1) * size, n * size);
      const next = n * size < all.length ? `<a rel="next" href="/mls/search/?OrderBy=-ListPrice&StandardStatus%5B%5D=Active&Limit=${size}&PostalCode=${zip}&Page=${n + 1}">Next</a>` : '';
      const cards = items.map((l) => `<div class="listing-card"><a href="/mls/${slug(l)}/">${l.address}</a><span class="price">${money(l.price)}</span></div>`).join('');
      const probe = `<script>navigator.sendBeacon('/beacon', JSON.stringify({ userAgent: navigator.userAgent, platform: navigator.platform, webdriver: navigator.webdriver, brands: JSON.stringify(navigator.userAgentData && navigator.userAgentData.brands) }));</script>`;
      return send(200, page('Search results', `<p id="search-summary">${all.length} matches found</p><div class="results">${cards}</div>${next}${probe}`), cookie);
    }
    const detail = /^\/mls\/.+-mls_(\d+)\/$/.exec(url.pathname);
    if (detail) {
      const l = [...this.listings.values()].flat().find((x) => x.mls === detail[1]);
      if (!l) return send(404, page('Not found', '<h1>Listing not found</h1>'), cookie);
      const variant = this.options.variantMls?.includes(l.mls);
      const priceLabel = variant ? 'Asking Amount' : 'List Price';
      const [street, ...rest] = l.address.split(', ');
      // Spark photo ids are 26 digits (`20210115062540930001000000`).
      const photoId = (k: number) => `2021${l.mls}${String(k + 1).padStart(3, '0')}000000000000`;
      const shown = Array.from({ length: Math.min(l.photos, l.markup === 'plain' ? l.photos : PHOTOS_IN_PAGE) }, (_, k) => k);
      const photos = shown
        .map((k) =>
          l.markup === 'plain'
            ? `<img class="listing-photo" src="https://cdn.example/photos/${l.mls}/${k + 1}.jpg" alt="Photo ${k + 1}">`
            : l.markup === 'live'
              ? `<img class="listing-photo lazyload" src="${PLACEHOLDER}" data-src="${SPARK_CDN}/${photoId(k)}-t.jpg" alt="Photo ${k + 1}">`
              : l.markup === 'flex'
                ? flexPhoto(photoId(k), k)
                : k % 2 === 0
                ? `<img class="listing-photo" src="/img/placeholder.png" data-original="${SPARK_CDN}/${photoId(k)}-t.jpg" alt="Photo ${k + 1}">`
                : `<img class="listing-photo" src="/img/loading.gif" srcset="${SPARK_CDN}/${photoId(k)}-t.jpg 320w, ${SPARK_CDN}/${photoId(k)}-o.jpg 1024w" alt="Photo ${k + 1}">`,
        )
        .join('');
      const heading = l.markup === 'live' ? `${l.address} / ${l.mls} (MLS #)` : l.markup === 'gallery' ? `${l.address} - MLS# ${l.mls}` : `${street}, ${rest.join(', ')}`;
      const mlsLine = l.markup === 'plain' ? `<li>MLS #: ${l.mls}</li>` : l.markup === 'flex' ? `<li>Listing ID: ${l.mls}</li>` : '';
      const baths =
        l.markup === 'live'
          ? `<li>Full Bathrooms: ${l.fullBaths}</li><li>Total Bathrooms: ${l.baths.toFixed(2)}</li>`
          : l.markup === 'gallery'
            ? `<li>Full Bathrooms: ${l.fullBaths}</li><li>Half Bathrooms: ${l.halfBaths}</li>`
            : l.markup === 'flex'
              ? `<li># Bathrooms: ${l.baths}</li><li>Master Bathroom: 3/4 Bath Master Bdrm</li>`
              : `<li>Full Bathrooms: ${l.fullBaths}</li>`;
      const lot =
        l.markup === 'live'
          ? `<li>Lot Size: ${l.lotAcres} Acres</li>`
          : l.markup === 'gallery'
            ? `<li>Approx Lot Acres: ${l.lotAcres.toFixed(4)}</li>`
            : l.markup === 'flex'
              ? '<li>Lot Size: 1/4 Acre</li>'
              : `<li>Approx Lot SqFt: ${l.lot.toLocaleString('en-US')}</li>`;
      const fees =
        l.markup === 'flex'
          ? ''
          : [l.hoaText ? `<li>Association Fee: ${l.hoaText}</li>` : '', l.landLeaseMonthly ? `<li>Land Lease Fee: $${l.landLeaseMonthly}/Month</li>` : ''].join('');
      const associationSection = l.markup === 'flex' ? flexFees(l) : '';
      return send(
        200,
        page(
          l.markup === 'plain' ? l.address : heading,
          `<h1>${heading}</h1><button class="view-photos">View Photos (${l.photos})</button>${photos}
<section class="detail-section"><h2>Contract Information</h2><ul>${mlsLine}<li>Status: ${l.status}</li><li>${priceLabel}: ${money(l.price)}</li></ul></section>
<section class="detail-section"><h2>General Property Description</h2><ul><li>Dwelling Type: Single Family - Detached</li><li># Bedrooms: ${l.beds}</li>${baths}<li>Approx SQFT: ${l.sqft.toLocaleString('en-US')}</li>${lot}<li>Year Built: ${l.year}</li></ul></section>
<section class="detail-section"><h2>Features</h2><ul><li>Private Pool Y/N: ${l.pool ? 'Y' : 'N'}</li>${fees}</ul></section>${associationSection}
<section class="detail-section"><h2>Parking Spaces</h2><ul><li>Garage Spaces: ${l.garage}</li></ul></section>
<div class="public-remarks">${l.description}</div>`,
        ),
        cookie,
      );
    }
    send(404, page('Not found', '<h1>Not found</h1>'), cookie);
  }
}
