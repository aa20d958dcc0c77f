import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadParcelFixtures } from './fixtures.js';
import { seededRandom } from './clock.js';
import { echoedHeadersPage, echoPage, type Spelling } from './echoed-headers.js';

/**
 * A local Maricopa County Assessor API speaking the real wire format (../shared/SERVICES.md):
 * `/parcel/<apn>` serves the twelve real fixtures and generated parcels, `/search/property/?q=`
 * pages 25 results at a time, a wrong token gets the real HTTP 500 HTML answer, and faults are
 * injected on demand. Everything generated is deterministic from the seed.
 */
export type Fault =
  | { kind: '429'; retryAfterSec?: number }
  | { kind: '503' }
  | { kind: 'cloudflare403' }
  | { kind: 'malformed' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'not-json' }
  /** A 200 JSON answer that is not a parcel (an error object, another endpoint's answer, `{"foo":1}`). */
  | { kind: 'other-json'; body: unknown }
  /**
   * A gateway's error page that echoes the request headers (the token among them), as debugging
   * proxies and some Cloudflare/nginx pages do, in `spelling` (default as sent: `echoPage`).
   */
  | { kind: 'echo-headers'; status?: number; spelling?: Spelling }
  /**
   * A web application firewall's 403 page naming what its rule matched, the token (as
   * ModSecurity's "Matched Data: … found within REQUEST_HEADERS:authorization"), in `spelling`.
   */
  | { kind: 'waf-match'; spelling: Spelling; status?: number };

export interface SimRequest {
  path: string;
  at: number;
  authorized: boolean;
}

const UNAUTHORIZED_BODY = '[search]:Unauthorized access! Please contact support.';
const PAGE_SIZE = 25;
const STREETS = ['ELM', 'PALM', 'MESQUITE', 'SAGUARO', 'OCOTILLO', 'CAMELBACK', 'INDIAN SCHOOL', 'THOMAS', 'MCDOWELL', 'VAN BUREN'];
const SUFFIXES = ['ST', 'AVE', 'DR', 'LN', 'RD', 'WAY'];

export interface MaricopaSimulatorOptions {
  token?: string;
  seed?: number;
  /** Added to every answer, in milliseconds. */
  latencyMs?: number;
}

export class MaricopaSimulator {
  readonly token: string;
  readonly requests: SimRequest[] = [];
  private readonly seed: number;
  private readonly fixtures = loadParcelFixtures();
  private readonly parcels = new Map<string, Record<string, unknown>>();
  private readonly zips = new Map<string, string[]>();
  private readonly faults: { fault: Fault; match: RegExp; remaining: number }[] = [];
  private server?: http.Server;
  latencyMs: number;
  baseUrl = '';

  constructor(options: MaricopaSimulatorOptions = {}) {
    this.token = options.token ?? 'sim-token-0123456789';
    this.seed = options.seed ?? 1;
    this.latencyMs = options.latencyMs ?? 0;
    for (const [apn, payload] of this.fixtures) {
      this.parcels.set(apn, structuredClone(payload));
      const zip = /(\d{5})\s*$/.exec(String(payload.PropertyAddress))?.[1];
      if (zip) this.zips.set(zip, [...(this.zips.get(zip) ?? []), apn]);
    }
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** The next `times` requests whose path matches `match` get `fault`. */
  inject(fault: Fault, times = 1, match: RegExp = /./): void {
    this.faults.push({ fault, match, remaining: times });
  }

  /** The APNs a search for `zip` returns, in order. */
  apnsOfZip(zip: string): string[] {
    if (!this.zips.has(zip) || !this.generated(zip)) this.generateZip(zip);
    return this.zips.get(zip)!;
  }

  /** Change a parcel as the assessor would (a new sale, say). */
  mutateParcel(apn: string, change: (payload: Record<string, unknown>) => void): void {
    const payload = this.parcels.get(apn);
    if (!payload) throw new Error(`simulator has no parcel ${apn}`);
    change(payload);
  }

  parcelRequests(): string[] {
    return this.requests.filter((r) => r.path.startsWith('/parcel/')).map((r) => r.path);
  }

  /** Requests per endpoint (`/parcel`, `/parcel/residential-details`, `/parcel/valuations`, `/search/property`), the APN left out. */
  requestsByEndpoint(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const r of this.requests) {
      const path = r.path.split('?')[0]!.replace(/\/$/, '');
      const endpoint = path.startsWith('/parcel/') ? path.replace(/^\/parcel\/[^/]+/, '/parcel') : path;
      counts[endpoint] = (counts[endpoint] ?? 0) + 1;
    }
    return counts;
  }

  private generatedZips = new Set<string>();
  private generated(zip: string): boolean {
    return this.generatedZips.has(zip);
  }

  private generateZip(zip: string): void {
    this.generatedZips.add(zip);
    const random = seededRandom(this.seed * 100_003 + Number(zip));
    const count = 30 + Math.floor(random() * 40);
    const book = 100 + (Number(zip) % 400);
    const apns = this.zips.get(zip) ?? [];
    for (let i = 0; i < count; i += 1) {
      const apn = `${book}-${String(10 + Math.floor(i / 100)).padStart(2, '0')}-${String(i % 1000).padStart(3, '0')}`;
      this.parcels.set(apn, generateParcel(apn, zip, random));
      apns.push(apn);
    }
    this.zips.set(zip, apns);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const authorized = req.headers.authorization === this.token;
    this.requests.push({ path: `${url.pathname}${url.search}`, at: performance.now(), authorized });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    if (!authorized) return send(res, 500, UNAUTHORIZED_BODY, 'text/html; charset=utf-8');
    const injected = this.faults.find((f) => f.remaining > 0 && f.match.test(url.pathname + url.search));
    if (injected) {
      injected.remaining -= 1;
      const { fault } = injected;
      switch (fault.kind) {
        case '429':
          res.setHeader('retry-after', String(fault.retryAfterSec ?? 1));
          return send(res, 429, '<html><body>Too Many Requests</body></html>', 'text/html');
        case '503':
          return send(res, 503, '<html><body><h1>503 Service Unavailable</h1></body></html>', 'text/html');
        case 'cloudflare403':
          return send(res, 403, '<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked</body></html>', 'text/html');
        case 'malformed':
          return send(res, 200, '{"PropertyAddress": "1 W ELM ST PHOENIX 85031", "Valuations": "not-a-list"', 'application/json');
        case 'not-json':
          return send(res, 200, '<html>maintenance</html>', 'text/html');
        case 'other-json':
          return send(res, 200, JSON.stringify(fault.body), 'application/json; charset=utf-8');
        case 'echo-headers': {
          const page = echoedHeadersPage(req, fault.status ?? 502, fault.spelling);
          return send(res, fault.status ?? 502, page.body, page.contentType);
        }
        case 'waf-match': {
          const page = echoPage(`Matched Data: ${req.headers.authorization ?? ''} found within REQUEST_HEADERS:authorization`, fault.status ?? 403, fault.spelling);
          return send(res, fault.status ?? 403, page.body, page.contentType);
        }
        case 'slow':
          await new Promise((r) => setTimeout(r, fault.delayMs));
          break;
      }
    }

    // A part of the parcel on its own, as a public client of the API reads it: the `Valuations`
    // array, the `ResidentialPropertyData` object.
    const part = /^\/parcel\/([0-9A-Za-z-]+)\/(valuations|residential-details)\/?$/.exec(url.pathname);
    if (part) {
      const apn = dashed(part[1]!);
      const payload = apn ? this.parcels.get(apn) : undefined;
      if (!payload) return send(res, 404, '', 'text/html');
      const body = part[2] === 'valuations' ? payload.Valuations : payload.ResidentialPropertyData;
      return send(res, 200, JSON.stringify(body ?? null), 'application/json; charset=utf-8');
    }
    const parcel = /^\/parcel\/([0-9A-Za-z-]+)\/?$/.exec(url.pathname);
    if (parcel) {
      const apn = dashed(parcel[1]!);
      const payload = apn ? this.parcels.get(apn) : undefined;
      if (!payload) return send(res, 404, '', 'text/html');
      return send(res, 200, JSON.stringify(payload), 'application/json; charset=utf-8');
    }
    if (url.pathname === '/search/property/' || url.pathname === '/search/property') {
      const q = (url.searchParams.get('q') ?? '').trim();
      const page = Math.max(1, Number(url.searchParams.get('page') ?? '1') || 1);
      const apns = /^\d{5}$/.test(q) ? this.apnsOfZip(q) : [...this.parcels.keys()].filter((apn) => String(this.parcels.get(apn)!.PropertyAddress).includes(q.toUpperCase()));
      const slice = apns.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      return send(
        res,
        200,
        JSON.stringify({
          TotalPropertyResults: apns.length,
          RealPropertyResults: slice.map((apn) => ({
            APN: apn,
            Ownership: 'NA',
            SitusAddress: String(this.parcels.get(apn)!.PropertyAddress).replace(/\s+\S+\s+\d{5}$/, ''),
            SitusCity: 'PHOENIX',
            SitusZip: q,
            PropertyType: 'Residential',
          })),
        }),
        'application/json; charset=utf-8',
      );
    }
    send(res, 404, '<html>Not Found</html>', 'text/html');
  }
}

function send(res: http.ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function dashed(apn: string): string | undefined {
  const m = /^(\d{3})-?(\d{2})-?(\d{3})([A-Za-z]?)$/.exec(apn);
  return m ? `${m[1]}-${m[2]}-${m[3]}${m[4]!.toUpperCase()}` : undefined;
}

/** A fraction in [0, 1) from `text` (FNV-1a, salted), the same every time. */
function fraction(text: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h / 2 ** 32;
}

/** A parcel in the real payload's shape: numbers as padded strings, `"na"`, nulls, rentals. */
function generateParcel(apn: string, zip: string, random: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const sqft = 900 + Math.floor(random() * 2200);
  const year = 1955 + Math.floor(random() * 65);
  const lot = 4000 + Math.floor(random() * 8000);
  const fcv = Math.round((sqft * (150 + random() * 120)) / 100) * 100;
  const hasSale = random() > 0.25;
  const redacted = random() < 0.1;
  const rental = random() < 0.2;
  const saleYear = 2000 + Math.floor(random() * 24);
  const address = `${1000 + Math.floor(random() * 9000)} W ${pick(STREETS)} ${pick(SUFFIXES)} PHOENIX ${zip}`;
  return {
    MCR: String(Math.floor(random() * 90000)),
    PropertyAddress: address,
    LotSize: String(lot),
    IsResidential: true,
    PropertyType: 'Residential',
    PropertyUseCode: '0131',
    PEPropUseDesc: 'Single Family Residence',
    IsRental: rental,
    // Every real answer links to the Treasurer's page of the parcel, its APN compact at the end.
    TreasurersTransitionUrl: `https://treasurer.maricopa.gov/parcel/default.aspx?Parcel=${apn.replace(/-/g, '')}`,
    ...(rental && { RentalInformation: { ParcelNumber: apn.replace(/-/g, ''), SitusAddress: address, OwnerName: 'SIM RENTALS LLC' } }),
    Owner: redacted
      ? { Ownership: 'NA', MailingAddress1: 'NA', SalePrice: hasSale ? String(Math.round(fcv * 0.8)) : null, SaleDate: hasSale ? `0${1 + Math.floor(random() * 9)}/01/${saleYear}` : null, DeedDate: null }
      : {
          Ownership: `OWNER ${apn}`,
          Redacted: false,
          SalePrice: hasSale ? String(Math.round(fcv * 0.8)) : null,
          SaleDate: hasSale ? `0${1 + Math.floor(random() * 9)}/01/${saleYear}` : null,
          DeedDate: hasSale ? `0${1 + Math.floor(random() * 9)}/15/${saleYear}` : null,
        },
    Valuations: [2024, 2023, 2022, 2021].map((taxYear, i) => ({
      TaxYear: String(taxYear),
      FullCashValue: String(Math.round(fcv * (1 - i * 0.06))),
      LimitedPropertyValue: `${Math.round(fcv * 0.45 * (1 - i * 0.05))}`.padEnd(12, ' '),
      LegalClassificationCode: rental ? '4.2 ' : '3.1 ',
      AssessedFCV: 'na',
    })),
    ResidentialPropertyData: {
      ConstructionYear: String(year),
      LotSize: String(lot),
      LivableSpace: String(sqft),
      Pool: random() < 0.3 ? String(300 + Math.floor(random() * 300)) : false,
      BathFixtures: String(3 + Math.floor(random() * 9)),
      NumberOfGarages: String(Math.floor(random() * 4)),
      RoofType: pick(['Ct - Concrete Tile', 'Bu - Built Up', 'As - Asphalt Shingle']),
      ExteriorWalls: pick(['Fw - Frame Wood', 'Fs - Frame Stucco', 'Bl - Block']),
      Cooling: 'RF - REFRIGERATION',
    },
    // Inside the Phoenix metro area, as `Geo` carries them (strings, like the other numbers); from
    // a hash of the APN, so the random sequence of the other fields stays as it was.
    Geo: { lat: (33.35 + fraction(apn, 1) * 0.35).toFixed(6), long: (-112.3 + fraction(apn, 2) * 0.4).toFixed(6), address },
    Sketches: { TotalPages: 1, Pages: [{ Sketch: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' }] },
  };
}
