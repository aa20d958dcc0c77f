import type http from 'node:http';
import { LocalHttpSimulator } from './local-http.js';
import { seededRandom } from './clock.js';

/**
 * A local copy of the Maricopa County Assessor's public parcel layer (ArcGIS REST MapServer,
 * `…/arcgis/rest/services/Parcels/MapServer/0`), speaking its wire format as the ArcGIS REST API
 * reference ("Query (Map Service/Layer)") and public clients of the real layer record it
 * (../shared/SERVICES.md, "parcel layer"). No saved answer of the real layer was found (research of
 * 2026-12-07: code, issue and page corpora), so the shapes come from those sources:
 *
 * - `<layer>?f=json`: the layer's description, `maxRecordCount` 1000 and its `fields`
 *   (the field names public clients query: APN, APN_DASH, PHYSICAL_*, OWNER_NAME, SALE_DATE,
 *   SALE_PRICE, DEED_DATE, LIVING_SPACE, LAND_SIZE, CONST_YEAR, PUC, FCV_/LPV_/LC_/TAX_YR_CUR and
 *   _PREV, SUBNAME, LATITUDE, LONGITUDE).
 * - `<layer>/query`: `where` (comparisons joined by AND, `1=1`), `outFields` (`*` or names),
 *   `orderByFields`, `resultOffset`/`resultRecordCount`, `returnGeometry` (default true, as
 *   ArcGIS's), `outSR` (4326 gives degrees; anything else the layer's Web Mercator), an envelope
 *   `geometry` with `inSR=4326`, `returnCountOnly`, `f=json` (anything else: the HTML query page).
 *   `exceededTransferLimit: true` while records remain after the page.
 * - What the real service refuses, as it refuses it — with HTTP 200 and an error body:
 *   an unknown field in `outFields` fails the whole query (`{"error":{"code":400,"message":"Failed
 *   to execute query.","details":[]}}`, as public clients record it of ArcGIS layers); a missing or
 *   bad `where` gets `{"error":{"code":400,"message":"Unable to complete operation.","details":
 *   ["Unable to perform query operation."]}}`. A `resultRecordCount` above `maxRecordCount` is not
 *   refused: ArcGIS answers at most `maxRecordCount` records with `exceededTransferLimit: true`
 *   (Esri/arcgis-python-api#2027, mjorden/cyclelanes#1; the REST reference: "the maximum value for
 *   this parameter is the value of the layer's maxRecordCount"), so a client that stops on a
 *   page shorter than it asked loses the rest. `largestPageAsked` records what clients asked.
 *
 * It holds the parcels of the ZIP codes given to it, and of each ZIP code from the first time a
 * query or `parcelsOf` names it. Every parcel it serves is invented, deterministic from the seed: APNs in books 900–999 and
 * addresses on `SIM` streets (no real parcel has them), owner `SYNTHETIC OWNER …`, invented
 * coordinates around Phoenix. A real APN never gets a point here.
 */
export type CountyLayerFault =
  /** An ArcGIS error body with HTTP 200 (default code 500, "Error performing query operation"). */
  | { kind: 'error-body'; code?: number; message?: string }
  /** No answer for `delayMs` (a client's time-out fires first). */
  | { kind: 'hang'; delayMs: number }
  | { kind: 'http-503' };

/** A request the simulator received: the path and its query parameters. */
export interface CountyLayerRequest {
  path: string;
  params: Record<string, string>;
}

export interface CountyLayerSimulatorOptions {
  seed?: number;
  /** Parcels of each ZIP code it holds (others get 40–80). */
  parcelsPerZip?: Record<string, number>;
  maxRecordCount?: number;
  /** Added to every answer, in milliseconds (a sync slow enough to watch). */
  latencyMs?: number;
}

type Attributes = Record<string, string | number | null>;

interface Parcel {
  attributes: Attributes;
  /** The parcel's square, in degrees: [west, south, east, north]. */
  box: [number, number, number, number];
}

const LAYER_PATH = '/arcgis/rest/services/Parcels/MapServer/0';
const STREETS = ['SIM ELM', 'SIM PALM', 'SIM MESQUITE', 'SIM SAGUARO', 'SIM OCOTILLO', 'SIM PALO VERDE'];
const SUFFIXES = ['ST', 'AVE', 'DR', 'LN', 'RD', 'WAY'];

/** The layer's fields (name and ArcGIS type), in the order its `?f=json` lists them. */
const FIELDS: [string, string][] = [
  ['OBJECTID', 'esriFieldTypeOID'],
  ['APN', 'esriFieldTypeString'],
  ['APN_DASH', 'esriFieldTypeString'],
  ['PHYSICAL_ADDRESS', 'esriFieldTypeString'],
  ['PHYSICAL_STREET_NUM', 'esriFieldTypeString'],
  ['PHYSICAL_STREET_DIR', 'esriFieldTypeString'],
  ['PHYSICAL_STREET_NAME', 'esriFieldTypeString'],
  ['PHYSICAL_STREET_TYPE', 'esriFieldTypeString'],
  ['PHYSICAL_CITY', 'esriFieldTypeString'],
  ['PHYSICAL_ZIP', 'esriFieldTypeString'],
  ['OWNER_NAME', 'esriFieldTypeString'],
  ['SALE_DATE', 'esriFieldTypeString'],
  ['SALE_PRICE', 'esriFieldTypeDouble'],
  ['DEED_DATE', 'esriFieldTypeDate'],
  ['DEED_NUMBER', 'esriFieldTypeString'],
  ['LIVING_SPACE', 'esriFieldTypeDouble'],
  ['LAND_SIZE', 'esriFieldTypeDouble'],
  ['CONST_YEAR', 'esriFieldTypeSmallInteger'],
  ['PUC', 'esriFieldTypeString'],
  ['FCV_CUR', 'esriFieldTypeDouble'],
  ['LPV_CUR', 'esriFieldTypeDouble'],
  ['LC_CUR', 'esriFieldTypeString'],
  ['TAX_YR_CUR', 'esriFieldTypeSmallInteger'],
  ['FCV_PREV', 'esriFieldTypeDouble'],
  ['LPV_PREV', 'esriFieldTypeDouble'],
  ['TAX_YR_PREV', 'esriFieldTypeSmallInteger'],
  ['SUBNAME', 'esriFieldTypeString'],
  ['LATITUDE', 'esriFieldTypeDouble'],
  ['LONGITUDE', 'esriFieldTypeDouble'],
  ['Shape_Length', 'esriFieldTypeDouble'],
  ['Shape_Area', 'esriFieldTypeDouble'],
];

const WHERE_ERROR = { code: 400, message: 'Unable to complete operation.', details: ['Unable to perform query operation.'] };
const QUERY_ERROR = { code: 400, message: 'Failed to execute query.', details: [] as string[] };

export class CountyLayerSimulator extends LocalHttpSimulator {
  readonly requests: CountyLayerRequest[] = [];
  /** The largest `resultRecordCount` any query asked for (0 before one did). */
  largestPageAsked = 0;
  readonly maxRecordCount: number;
  latencyMs: number;
  private readonly seed: number;
  private readonly parcelsPerZip: Record<string, number>;
  private readonly zips = new Map<string, Parcel[]>();
  private readonly removedFields = new Set<string>();
  private readonly faults: { fault: CountyLayerFault; when: (params: Record<string, string>) => boolean; remaining: number }[] = [];

  constructor(options: CountyLayerSimulatorOptions = {}) {
    super();
    this.seed = options.seed ?? 1;
    this.parcelsPerZip = options.parcelsPerZip ?? {};
    this.maxRecordCount = options.maxRecordCount ?? 1000;
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** The layer's URL (the `COUNTY_LAYER_URL` setting), without `/query`. */
  get layerUrl(): string {
    return `${this.baseUrl}${LAYER_PATH}`;
  }

  /** The attributes of every parcel of `zip`, ordered by APN. */
  parcelsOf(zip: string): Attributes[] {
    return this.parcelsOfZip(zip).map((p) => p.attributes);
  }

  /**
   * Add an invented parcel with the APN of another simulator's invented parcel (to merge with
   * its `/parcel` record): `apn` in `509-11-455` form, in `zip`. Refuses an APN of a real fixture's
   * book (501, 509, 173): those are real parcels, which get no invented point.
   */
  addParcel(apn: string, zip: string): Attributes {
    if (/^(501|509|173)-/.test(apn)) throw new Error(`${apn} is a real parcel: the simulator invents no coordinates for it`);
    const parcels = this.parcelsOfZip(zip);
    const parcel = inventParcel(apn, zip, seededRandom(this.seed * 7919 + hash(apn)));
    parcels.push(parcel);
    parcels.sort((a, b) => String(a.attributes.APN).localeCompare(String(b.attributes.APN)));
    return parcel.attributes;
  }

  /** Change a parcel as the county would (a new sale, say). */
  mutateParcel(apn: string, change: (attributes: Attributes) => void): void {
    for (const parcels of this.zips.values()) {
      const parcel = parcels.find((p) => p.attributes.APN_DASH === apn);
      if (parcel) return change(parcel.attributes);
    }
    throw new Error(`simulator has no parcel ${apn}`);
  }

  /** The layer as the county might republish it: `field` gone from its description and its answers. */
  removeField(field: string): void {
    this.removedFields.add(field);
  }

  /**
   * The next `times` queries for which `when` holds (their parameters; default every query)
   * get `fault`. `pageAt(offset)` matches the page query at that offset.
   */
  inject(fault: CountyLayerFault, times = 1, when: (params: Record<string, string>) => boolean = () => true): void {
    this.faults.push({ fault, when, remaining: times });
  }

  /** Queries that were pages (not counts), in order. */
  pageRequests(): CountyLayerRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/query') && r.params.returnCountOnly !== 'true');
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const params = Object.fromEntries(url.searchParams);
    this.requests.push({ path: url.pathname, params });
    void this.answer(url.pathname, params, res);
  }

  private async answer(path: string, params: Record<string, string>, res: http.ServerResponse): Promise<void> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    if (path === LAYER_PATH || path === `${LAYER_PATH}/`) {
      if (params.f !== 'json' && params.f !== 'pjson') return send(res, 200, '<html><body>Layer: Parcels (ID: 0)</body></html>', 'text/html');
      return json(res, this.layerInfo());
    }
    if (path !== `${LAYER_PATH}/query`) return send(res, 404, '<html><body>Error: Not Found</body></html>', 'text/html');
    if (params.f !== 'json' && params.f !== 'pjson') return send(res, 200, '<html><body>Query: Parcels (ID: 0)</body></html>', 'text/html');
    const injected = this.faults.find((f) => f.remaining > 0 && f.when(params));
    if (injected) {
      injected.remaining -= 1;
      const { fault } = injected;
      switch (fault.kind) {
        case 'error-body':
          return json(res, { error: { code: fault.code ?? 500, message: fault.message ?? 'Error performing query operation', details: [] } });
        case 'http-503':
          return send(res, 503, '<html><body><h1>503 Service Unavailable</h1></body></html>', 'text/html');
        case 'hang':
          await new Promise((r) => setTimeout(r, fault.delayMs));
          if (!res.writableEnded && !res.destroyed) res.destroy();
          return;
      }
    }
    json(res, this.query(params));
  }

  private fieldNames(): string[] {
    return FIELDS.map(([name]) => name).filter((name) => !this.removedFields.has(name));
  }

  private layerInfo(): Record<string, unknown> {
    return {
      currentVersion: 10.91,
      id: 0,
      name: 'Parcels',
      type: 'Feature Layer',
      geometryType: 'esriGeometryPolygon',
      sourceSpatialReference: { wkid: 102100, latestWkid: 3857 },
      displayField: 'APN',
      maxRecordCount: this.maxRecordCount,
      supportedQueryFormats: 'JSON, geoJSON, PBF',
      advancedQueryCapabilities: { supportsPagination: true, supportsOrderBy: true, supportsDistinct: true, supportsQueryWithResultType: true },
      fields: FIELDS.filter(([name]) => !this.removedFields.has(name)).map(([name, type]) => ({ name, type, alias: name, ...(type === 'esriFieldTypeString' && { length: 100 }) })),
    };
  }

  private query(params: Record<string, string>): Record<string, unknown> {
    const fields = this.fieldNames();
    const where = parseWhere(params.where, new Set(fields));
    if (!where) return { error: WHERE_ERROR };
    const outFields = (params.outFields ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    if (params.returnCountOnly !== 'true' && outFields.some((f) => f !== '*' && !fields.includes(f))) return { error: QUERY_ERROR };
    const envelope = readEnvelope(params);
    if (envelope === 'bad') return { error: WHERE_ERROR };
    // A ZIP code's parcels exist from the first time it is named (in a query or by parcelsOf).
    for (const [, zip] of (params.where ?? '').matchAll(/PHYSICAL_ZIP\s*=\s*'(\d{5})'/gi)) this.parcelsOfZip(zip!);
    const matches = [...this.allParcels()].filter((p) => where(p.attributes) && (!envelope || intersects(p.box, envelope)));
    if (params.returnCountOnly === 'true') return { count: matches.length };
    const order = (params.orderByFields ?? 'OBJECTID').trim().split(/\s+/);
    if (!fields.includes(order[0]!)) return { error: QUERY_ERROR };
    const descending = /^desc$/i.test(order[1] ?? '');
    matches.sort((a, b) => compare(a.attributes[order[0]!], b.attributes[order[0]!]) * (descending ? -1 : 1));
    const offset = Math.max(0, Number(params.resultOffset ?? 0) || 0);
    const asked = Number(params.resultRecordCount ?? this.maxRecordCount) || this.maxRecordCount;
    this.largestPageAsked = Math.max(this.largestPageAsked, asked);
    const count = Math.min(asked, this.maxRecordCount);
    const page = matches.slice(offset, offset + count);
    const names = outFields.includes('*') ? fields : outFields;
    const geometry = params.returnGeometry !== 'false';
    const degrees = params.outSR === '4326';
    return {
      displayFieldName: 'APN',
      fieldAliases: Object.fromEntries(names.map((n) => [n, n])),
      ...(geometry && { geometryType: 'esriGeometryPolygon', spatialReference: degrees ? { wkid: 4326, latestWkid: 4326 } : { wkid: 102100, latestWkid: 3857 } }),
      fields: names.map((name) => ({ name, type: FIELDS.find(([n]) => n === name)![1], alias: name })),
      features: page.map((p) => ({
        attributes: Object.fromEntries(names.map((n) => [n, p.attributes[n] ?? null])),
        ...(geometry && { geometry: { rings: [ring(p.box, degrees)] } }),
      })),
      ...(offset + page.length < matches.length && { exceededTransferLimit: true }),
    };
  }

  private *allParcels(): Iterable<Parcel> {
    for (const zip of Object.keys(this.parcelsPerZip)) this.parcelsOfZip(zip);
    for (const parcels of this.zips.values()) yield* parcels;
  }

  private parcelsOfZip(zip: string): Parcel[] {
    let parcels = this.zips.get(zip);
    if (!parcels) {
      const random = seededRandom(this.seed * 100_003 + Number(zip));
      const count = this.parcelsPerZip[zip] ?? 40 + Math.floor(random() * 41);
      const book = 900 + (Number(zip) % 100);
      parcels = Array.from({ length: count }, (_, i) => inventParcel(`${book}-${String(10 + Math.floor(i / 1000)).padStart(2, '0')}-${String(i % 1000).padStart(3, '0')}`, zip, random));
      this.zips.set(zip, parcels);
    }
    return parcels;
  }
}

/** An invented parcel of `zip` in the layer's shape: numbers as numbers, dates as the layer writes them, some values missing. */
function inventParcel(apn: string, zip: string, random: () => number): Parcel {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const kind = random();
  const vacant = kind < 0.04;
  const condo = !vacant && kind < 0.12;
  const sqft = vacant ? 0 : 700 + Math.floor(random() * 2300);
  const year = vacant ? 0 : 1950 + Math.floor(random() * 74);
  const lot = condo ? 70 + Math.floor(random() * 10) : 4000 + Math.floor(random() * 8000);
  const fcv = vacant ? 40_000 + Math.floor(random() * 60_000) : Math.round((sqft * (150 + random() * 150)) / 100) * 100;
  const saleYear = 2001 + Math.floor(random() * 25);
  const saleMonth = 1 + Math.floor(random() * 12);
  const hasSale = random() > 0.2;
  // The affidavit's month is written as the 1st; a few parcels carry a day.
  const saleDay = random() < 0.15 ? 2 + Math.floor(random() * 26) : 1;
  const number = String(1000 + Math.floor(random() * 9000));
  const street = pick(STREETS);
  const suffix = pick(SUFFIXES);
  const center = zipCenter(zip);
  const lat = center[1] + (random() - 0.5) * 0.04;
  const lon = center[0] + (random() - 0.5) * 0.04;
  const half = 0.00025;
  return {
    box: [lon - half, lat - half, lon + half, lat + half],
    attributes: {
      OBJECTID: hash(apn),
      APN: apn.replace(/-/g, ''),
      APN_DASH: apn,
      PHYSICAL_ADDRESS: `${number} W ${street} ${suffix}   PHOENIX  ${zip}`,
      PHYSICAL_STREET_NUM: number,
      PHYSICAL_STREET_DIR: 'W',
      PHYSICAL_STREET_NAME: street,
      PHYSICAL_STREET_TYPE: suffix,
      PHYSICAL_CITY: 'PHOENIX',
      PHYSICAL_ZIP: zip,
      OWNER_NAME: `SYNTHETIC OWNER ${apn}`,
      SALE_DATE: hasSale ? `${String(saleMonth).padStart(2, '0')}/${String(saleDay).padStart(2, '0')}/${saleYear}` : null,
      SALE_PRICE: hasSale ? Math.round(fcv * (0.7 + random() * 0.4)) : null,
      DEED_DATE: hasSale ? Date.UTC(saleYear, saleMonth - 1, Math.min(28, saleDay + 10)) : null,
      DEED_NUMBER: hasSale ? `${saleYear}${String(Math.floor(random() * 1e7)).padStart(7, '0')}` : null,
      LIVING_SPACE: sqft,
      LAND_SIZE: lot,
      CONST_YEAR: year,
      PUC: vacant ? '0011' : condo ? '0735' : pick(['0131', '0131', '0141']),
      FCV_CUR: fcv,
      LPV_CUR: Math.round(fcv * 0.62),
      LC_CUR: random() < 0.2 ? '4.2' : '3.1',
      TAX_YR_CUR: 2026,
      FCV_PREV: Math.round(fcv * 0.95),
      LPV_PREV: Math.round(fcv * 0.59),
      TAX_YR_PREV: 2025,
      SUBNAME: `SIM SUBDIVISION ${1 + Math.floor(random() * 20)}`,
      LATITUDE: Number(lat.toFixed(6)),
      LONGITUDE: Number(lon.toFixed(6)),
      Shape_Length: 220,
      Shape_Area: lot,
    },
  };
}

/** An invented point for a ZIP code, inside the Phoenix area (33.35–33.75 N, 112.35–111.95 W). */
function zipCenter(zip: string): [number, number] {
  const h = hash(zip);
  return [-112.35 + ((h % 1000) / 1000) * 0.4, 33.35 + ((Math.floor(h / 1000) % 1000) / 1000) * 0.4];
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/** A box as a clockwise ring (ArcGIS's outer rings), in degrees or Web Mercator metres (EPSG:3857). */
function ring([w, s, e, n]: [number, number, number, number], degrees: boolean): number[][] {
  const p = (x: number, y: number) => (degrees ? [x, y] : [(x * Math.PI * 6378137) / 180, Math.log(Math.tan(Math.PI / 4 + (y * Math.PI) / 360)) * 6378137]);
  return [p(w, s), p(w, n), p(e, n), p(e, s), p(w, s)];
}

type Envelope = [number, number, number, number];

/** An envelope `geometry` (`w,s,e,n` or JSON `{xmin,…}`) in degrees (`inSR=4326`); none without one; `bad` for one that cannot be read. */
function readEnvelope(params: Record<string, string>): Envelope | null | 'bad' {
  if (!params.geometry) return null;
  if ((params.geometryType ?? 'esriGeometryEnvelope') !== 'esriGeometryEnvelope' || (params.inSR ?? '4326') !== '4326') return 'bad';
  let values: number[];
  try {
    const parsed: unknown = JSON.parse(params.geometry);
    values = typeof parsed === 'object' && parsed !== null ? ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => Number((parsed as Record<string, unknown>)[k])) : [NaN];
  } catch {
    values = params.geometry.split(',').map(Number);
  }
  return values.length === 4 && values.every(Number.isFinite) ? (values as Envelope) : 'bad';
}

function intersects(box: Envelope, env: Envelope): boolean {
  return box[0] <= env[2] && box[2] >= env[0] && box[1] <= env[3] && box[3] >= env[1];
}

const COMPARISON = /^(?:UPPER\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)|([A-Za-z_][A-Za-z0-9_]*))\s*(=|<>|>=|<=|>|<|LIKE)\s*('(?:[^']|'')*'|-?\d+(?:\.\d+)?)$/i;

/**
 * A `where` as a test of a parcel's attributes, or null when the layer would refuse it: missing,
 * empty, naming a field it has not, or beyond what this copy reads (comparisons of a field, or
 * `UPPER(field)`, with a literal, joined by AND; `1=1`).
 */
function parseWhere(where: string | undefined, fields: Set<string>): ((a: Attributes) => boolean) | null {
  if (where === undefined || where.trim() === '') return null;
  const tests: ((a: Attributes) => boolean)[] = [];
  for (const term of where.trim().split(/\s+AND\s+/i)) {
    if (/^1\s*=\s*1$/.test(term.trim())) continue;
    const m = COMPARISON.exec(term.trim());
    if (!m) return null;
    const field = (m[1] ?? m[2])!;
    if (!fields.has(field)) return null;
    const upper = m[1] !== undefined;
    const op = m[3]!.toUpperCase();
    const literal: string | number = m[4]!.startsWith("'") ? m[4]!.slice(1, -1).replace(/''/g, "'") : Number(m[4]);
    tests.push((a) => {
      let value = a[field] ?? null;
      if (value === null) return false;
      if (upper) value = String(value).toUpperCase();
      if (op === 'LIKE') return new RegExp(`^${String(literal).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`).test(String(value));
      const c = typeof literal === 'number' ? Number(value) - literal : String(value).localeCompare(literal);
      return op === '=' ? c === 0 : op === '<>' ? c !== 0 : op === '>' ? c > 0 : op === '<' ? c < 0 : op === '>=' ? c >= 0 : c <= 0;
    });
  }
  return (a) => tests.every((t) => t(a));
}

function send(res: http.ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

/** A JSON answer; ArcGIS sends its errors this way too, with HTTP 200. */
function json(res: http.ServerResponse, body: unknown): void {
  send(res, 200, JSON.stringify(body), 'application/json; charset=utf-8');
}

/** `when` for `inject`: the page query at `offset`. */
export function pageAt(offset: number): (params: Record<string, string>) => boolean {
  return (params) => params.returnCountOnly !== 'true' && Number(params.resultOffset ?? 0) === offset;
}
