import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';

/** A parcel's attributes as the layer (and CountyLayerSimulator) gives them. */
export type LayerAttributes = Record<string, string | number | null>;

/** Half the side of an invented parcel's square, in degrees (CountyLayerSimulator's). */
const HALF = 0.00025;

/** A parcel's square around its LATITUDE/LONGITUDE as a GeoJSON Polygon (RFC 7946, 3.1.6: the outer ring counterclockwise), or null without a point. */
export function squareAround(a: LayerAttributes): { type: 'Polygon'; coordinates: number[][][] } | null {
  const lat = Number(a.LATITUDE);
  const lon = Number(a.LONGITUDE);
  if (!a.LATITUDE || !a.LONGITUDE) return null;
  return {
    type: 'Polygon',
    coordinates: [[[lon - HALF, lat - HALF], [lon + HALF, lat - HALF], [lon + HALF, lat + HALF], [lon - HALF, lat + HALF], [lon - HALF, lat - HALF]]],
  };
}

export interface GeoJsonFileOptions {
  /** A `crs` member (GeoJSON 2008), as ogr2ogr writes it: `{"type":"name","properties":{"name":…}}`. */
  crsName?: string;
  /** The feature of each parcel (default: its attributes as properties and its square). */
  feature?: (a: LayerAttributes, i: number) => unknown;
}

/**
 * Write `parcels` to `file` as the county's GeoJSON download is written (a FeatureCollection, one
 * feature a line, as ArcGIS Hub and ogr2ogr write it), as a stream: `parcels` may be a generator
 * of any length.
 */
export async function writeParcelGeoJson(file: string, parcels: Iterable<LayerAttributes>, options: GeoJsonFileOptions = {}): Promise<void> {
  const feature = options.feature ?? ((a: LayerAttributes) => ({ type: 'Feature', properties: a, geometry: squareAround(a) }));
  function* text(): Generator<string> {
    const crs = options.crsName ? `"crs": ${JSON.stringify({ type: 'name', properties: { name: options.crsName } })},\n` : '';
    yield `{\n"type": "FeatureCollection",\n"name": "Parcels",\n${crs}"features": [\n`;
    let i = 0;
    for (const a of parcels) {
      yield `${i > 0 ? ',\n' : ''}${JSON.stringify(feature(a, i))}`;
      i += 1;
    }
    yield '\n]\n}\n';
  }
  await pipeline(Readable.from(text()), fs.createWriteStream(file));
}

/** Write `parcels` to `file` as the county's CSV download: a header of the layer's field names (those of the first parcel), a line a parcel, nothing written for a null. */
export async function writeParcelCsv(file: string, parcels: Iterable<LayerAttributes>): Promise<void> {
  function* text(): Generator<string> {
    let header: string[] | null = null;
    for (const a of parcels) {
      if (!header) {
        header = Object.keys(a);
        yield stringify([header]);
      }
      yield stringify([header.map((h) => (a[h] === null || a[h] === undefined ? '' : String(a[h])))]);
    }
  }
  await pipeline(Readable.from(text()), fs.createWriteStream(file));
}
