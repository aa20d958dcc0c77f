import { z } from 'zod';
import { quoteValue } from '../import/quote-value.js';
import { OPTIONAL_FIELDS, REQUIRED_FIELDS } from './layer-fields.js';
import { geometrySchema, parcelAttributesSchema, type Geometry, type ParcelFeature } from './payload.js';

/** The layer's fields an import reads, in the order the sync asks for them (layer-fields.ts). */
export const FILE_FIELDS: readonly string[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS];

/**
 * Fields the layer sends as numbers (ArcGIS `esriFieldTypeDouble`, `SmallInteger`, and `Date` as
 * epoch milliseconds): a CSV gives them as text, and a plain number there (`537200`, `-112.07`)
 * is read as the number the layer's JSON sends, so a parcel stored from a file and from the layer
 * is the same record, its original included. Other text (`"     537,200"`, `05/01/2019`) is kept
 * as written and read by the mapping as the layer's own text is.
 */
const NUMERIC_FIELDS = new Set(['SALE_PRICE', 'DEED_DATE', 'LIVING_SPACE', 'LAND_SIZE', 'CONST_YEAR', 'FCV_CUR', 'LPV_CUR', 'TAX_YR_CUR', 'FCV_PREV', 'LPV_PREV', 'TAX_YR_PREV', 'LATITUDE', 'LONGITUDE']);

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

/** A feature or row that cannot be stored: the field (`APN`, `geometry`) and why, for `feature 12: APN: …`. */
export class ParcelFileRowError extends Error {
  override readonly name = 'ParcelFileRowError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/**
 * A file whose coordinates are not WGS 84 degrees: a projected system such as Arizona State Plane
 * Central (EPSG:2223, NAD83 feet; the county's shapefile is EPSG:2868, NAD83(HARN) feet), whose
 * x and y run to hundreds of thousands of feet. The import stops: every parcel of it would lack
 * its point, and reprojection is left to GIS tools that do it exactly (see CRS_ADVICE).
 */
export class ProjectedFileError extends Error {
  override readonly name = 'ProjectedFileError';
}

/** How to turn the county's shapefile (or any parcel file) into GeoJSON in WGS 84, with GDAL's ogr2ogr. */
export const CONVERT_WITH_GDAL = 'convert it with GDAL: ogr2ogr -f GeoJSON -t_srs EPSG:4326 parcels.geojson Parcels.shp';

/** How to get a parcel file in WGS 84, said with each refusal of another system. */
export const CRS_ADVICE = `export it again in WGS 84 (EPSG:4326): the county portal's GeoJSON download is in WGS 84, or ${CONVERT_WITH_GDAL}`;

/** Known names of coordinate systems in parcel files, for messages. */
const KNOWN_SYSTEMS: Record<string, string> = {
  '2223': 'NAD83 / Arizona Central (ft), Arizona State Plane',
  '2868': 'NAD83(HARN) / Arizona Central (ft), Arizona State Plane',
  '26949': 'NAD83 / Arizona Central (m), Arizona State Plane',
  '3857': 'Web Mercator',
  '102100': 'Web Mercator',
};

/**
 * Why a GeoJSON `crs` member (GeoJSON 2008, 3: `{"type":"name","properties":{"name":"EPSG:2223"}}`
 * or `urn:ogc:def:crs:EPSG::2223`) names a system other than WGS 84 longitude/latitude, or null
 * when it names WGS 84 (`urn:ogc:def:crs:OGC:1.3:CRS84`, `EPSG:4326`) or is absent (RFC 7946, 4:
 * a GeoJSON file is WGS 84). A `crs` that names nothing readable is refused too.
 */
export function foreignCrs(crs: unknown): string | null {
  if (crs === null || crs === undefined) return null;
  const name = (crs as { properties?: { name?: unknown } }).properties?.name;
  if (typeof name !== 'string') return `its "crs" names no coordinate system this import reads (${quoteValue(JSON.stringify(crs), 80)})`;
  if (/CRS84$/i.test(name) || /(?:^|:)4326$/.test(name)) return null;
  const code = /(?:EPSG|ESRI)?:{1,2}(\d{4,6})$/i.exec(name)?.[1];
  const known = code ? KNOWN_SYSTEMS[code] : undefined;
  return `its coordinates are in ${quoteValue(name, 80)}${known ? ` (${known})` : ''}, not WGS 84 longitude/latitude`;
}

/** Degrees of longitude and latitude, or a projected system's feet or metres. */
function inDegrees(x: number, y: number): boolean {
  return Math.abs(x) <= 180 && Math.abs(y) <= 90;
}

/** Throws ProjectedFileError when `x`/`y` are not degrees; `what` says where they come from. */
function requireDegrees(x: number, y: number, what: string): void {
  if (!inDegrees(x, y)) throw new ProjectedFileError(`${what} (${x}, ${y}) is not a longitude and latitude: the file is in a projected coordinate system (Arizona State Plane feet, EPSG:2223 or 2868, runs to hundreds of thousands)`);
}

/** The attribute value schema's message for a field, as `SALE_PRICE: …`. */
function attributesOf(values: Record<string, unknown>): ParcelFeature['attributes'] {
  const parsed = parcelAttributesSchema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? 'properties');
  const value = values[field];
  if (field === 'APN' && (value === undefined || value === null || value === '')) throw new ParcelFileRowError(field, `the parcel number is ${value === undefined ? 'missing' : 'empty'}`);
  const got = Array.isArray(value) ? 'a list' : typeof value === 'object' && value !== null ? 'an object' : quoteValue(String(value));
  throw new ParcelFileRowError(field, field === 'APN' ? `the parcel number is ${got}, not text` : `${got}, where the layer has text, a number or nothing`);
}

/** The layer's fields of `properties` (FILE_FIELDS, those it has), others left out as the sync leaves them out of `outFields`. */
function layerFields(properties: Record<string, unknown>, read: (field: string, value: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FILE_FIELDS) if (field in properties) out[field] = read(field, properties[field]);
  return out;
}

/** A GeoJSON geometry (RFC 7946, 3.1) as the layer's ArcGIS geometry: a Point as x/y, a Polygon's rings, a MultiPolygon's rings (its first polygon's outer ring first). */
function arcgisGeometry(geometry: unknown): Geometry | null {
  if (geometry === null || geometry === undefined) return null;
  const g = geometry as { type?: unknown; coordinates?: unknown };
  let candidate: unknown;
  if (g.type === 'Point' && Array.isArray(g.coordinates)) candidate = { x: g.coordinates[0], y: g.coordinates[1] };
  else if (g.type === 'Polygon') candidate = { rings: g.coordinates };
  else if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) candidate = { rings: (g.coordinates as unknown[]).flat(1) };
  else throw new ParcelFileRowError('geometry', `a ${typeof g.type === 'string' ? quoteValue(g.type) : 'geometry without a type'}, where a parcel has a Point, Polygon or MultiPolygon`);
  const parsed = geometrySchema.safeParse(candidate);
  if (!parsed.success) throw new ParcelFileRowError('geometry', `its coordinates are not numbers in [x, y] pairs (${parsed.error.issues[0]!.message})`);
  const first = 'rings' in parsed.data ? (parsed.data.rings as number[][][])[0]?.[0] : [parsed.data.x as number, parsed.data.y as number];
  if (first) requireDegrees(first[0]!, first[1]!, 'its first point');
  return parsed.data;
}

const featureShape = z.looseObject({ type: z.literal('Feature'), properties: z.record(z.string(), z.unknown()).nullable().optional(), geometry: z.unknown().optional() });

/**
 * One GeoJSON Feature of the county's parcel file as the layer's ArcGIS feature, for
 * mapCountyFeature: its `properties` (the layer's field names) limited to the fields the sync asks
 * for, its geometry as ArcGIS's (arcgisGeometry). Throws ParcelFileRowError naming the field, and
 * ProjectedFileError for coordinates that are not degrees.
 */
export function featureFromGeoJson(value: unknown): ParcelFeature {
  const shape = featureShape.safeParse(value);
  if (!shape.success) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? `an object of type ${quoteValue(String((value as { type?: unknown }).type ?? 'none'))}` : `a ${typeof value}`;
    throw new ParcelFileRowError('type', `${what}, not a GeoJSON Feature`);
  }
  const properties = shape.data.properties;
  if (!properties) throw new ParcelFileRowError('properties', 'none: the parcel\'s fields (APN, PHYSICAL_ADDRESS, …) are missing');
  const attributes = attributesOf(layerFields(properties, (_field, v) => v));
  checkPointFields(attributes);
  return { attributes, geometry: arcgisGeometry(shape.data.geometry) };
}

/**
 * One CSV row of the parcel file (the layer's field names in its header) as the layer's
 * feature: an empty value is none (null, as the layer sends it), a plain number in a numeric
 * field (NUMERIC_FIELDS) a number, any other text kept as written. Throws as featureFromGeoJson.
 */
export function featureFromCsvRow(row: Record<string, string>): ParcelFeature {
  const attributes = attributesOf(
    layerFields(row, (field, v) => {
      const text = String(v).trim();
      if (text === '') return null;
      return NUMERIC_FIELDS.has(field) && PLAIN_NUMBER.test(text) ? Number(text) : String(v);
    }),
  );
  checkPointFields(attributes);
  return { attributes, geometry: null };
}

/** LATITUDE/LONGITUDE that are numbers must be degrees (a projected file writes feet there). */
function checkPointFields(a: ParcelFeature['attributes']): void {
  if (typeof a.LATITUDE === 'number' && typeof a.LONGITUDE === 'number' && a.LATITUDE !== 0) requireDegrees(a.LONGITUDE, a.LATITUDE, 'its LONGITUDE/LATITUDE');
}

/** The layer's required fields (REQUIRED_FIELDS) missing from a file's fields (its CSV header, or its first feature's properties). */
export function missingFields(fields: Iterable<string>): string[] {
  const have = new Set(fields);
  return REQUIRED_FIELDS.filter((f) => !have.has(f));
}
