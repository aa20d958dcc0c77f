import fs from 'node:fs';
import path from 'node:path';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { BatchesInFlight } from '../import/batches-in-flight.js';
import { csvRecords, type CsvSyntaxError } from '../import/csv-records.js';
import { refuseSecondImport } from '../import/import-in-progress.js';
import { CSV_COLUMN_LIMIT, CSV_ROW_LIMIT, CSV_VALUE_LIMIT, IMPORT_BATCH_CHARS, sizeText } from '../import/input-bounds.js';
import { readHead } from '../import/not-csv.js';
import { quoteValue } from '../import/quote-value.js';
import { failImport, finishImport, storeBatch } from '../import/store-batch.js';
import { isApn } from '../maricopa/apn.js';
import type { MaricopaSyncDeps, SyncOptions } from '../maricopa/sync.js';
import { COUNTY_LAYER_SOURCE } from './client.js';
import { CONVERT_WITH_GDAL, CRS_ADVICE, featureFromCsvRow, featureFromGeoJson, foreignCrs, missingFields, ParcelFileRowError, ProjectedFileError } from './file-feature.js';
import { geoJsonFeatures, type FeatureBounds, type FeatureFault } from './geojson-stream.js';
import { mapCountyFeature } from './mapping.js';
import type { ParcelFeature } from './payload.js';

const MB = 1024 * 1024;

/**
 * Bytes a parcel file may have: 8 GB. The whole county (~1.75 million parcels) is a 1.7 GB
 * shapefile unzipped (../shared/SERVICES.md, "parcel layer"); as GeoJSON with its polygons it is
 * some 2–3 GB (an estimate: GeoJSON text is about 1.5 times the shapefile's binary). The file is
 * streamed, so this bounds the time an import takes, not its memory.
 */
export const COUNTY_FILE_LIMIT = 8 * 1024 * MB;

/**
 * What one GeoJSON feature may hold (geojson-stream.ts): a key or value of CSV_VALUE_LIMIT (1 MB,
 * as a CSV value), CSV_ROW_LIMIT (4 MB) of keys and values in all — a parcel's polygon is some
 * tens of points, the largest (state land, canals) some thousands, under 200 KB — CSV_COLUMN_LIMIT
 * members in one object, and 8 levels (a MultiPolygon feature has 6).
 */
export const FEATURE_BOUNDS: FeatureBounds = { valueChars: CSV_VALUE_LIMIT, featureChars: CSV_ROW_LIMIT, members: CSV_COLUMN_LIMIT, depth: 8 };

/** Parcels stored per batch: a page of the layer (1,000), so a file and a sync store alike. */
export const FILE_BATCH_PARCELS = 1000;

/** Batches stored at once while the file is read on (BatchesInFlight). */
const BATCHES_IN_FLIGHT = 2;

/** Messages kept on the run one by one; past this bad features are only counted. */
const MESSAGES_KEPT = 200;

export interface CountyFileImportParams {
  /** The county's parcel file: GeoJSON (a FeatureCollection) or CSV, with the layer's field names. */
  file: string;
}

/** A feature or row read from the file: where it is (`feature 12`, `row 12 (line 13)`), and the feature or why not. */
type FileItem = { at: string; chars: number } & ({ feature: ParcelFeature; error: null } | { feature: null; error: string });

/** The import's own refusal of the whole file (its shape, its system): said as the run's message. */
class ParcelFileError extends Error {
  override readonly name = 'ParcelFileError';
}

/**
 * Import the county's parcel file as the analyst downloaded it (the Assessor's parcel layer from
 * the county's open-data portal), GeoJSON or CSV, with the layer's field names: each feature or
 * row mapped by the layer sync's own mapping (mapCountyFeature), so a parcel stored from the file
 * is the record the sync stores (source `county_layer`, by APN, merged with the `/parcel`, MLS
 * and ARMLS records of that APN), stored in batches of FILE_BATCH_PARCELS through the same upsert
 * and queue; one run (`kind: 'import'`, `source: 'county_layer'`, counters `bytes_read` of
 * `bytes_total` for its progress). Re-importing a file changes nothing.
 *
 * Streamed: GeoJSON through stream-json's token parser, one feature held at a time
 * (geojson-stream.ts, FEATURE_BOUNDS); CSV through the imports' bounded reader (csvRecords). A bad
 * feature or row is reported by its place and field (`feature 12 (APN "90010012"): SALE_PRICE: …`,
 * `row 12 (line 13): APN: …`) and skipped; a feature over a bound likewise. The run fails at once,
 * saying why, for a missing file, a folder, one over COUNTY_FILE_LIMIT, a ZIP (the shapefile
 * download: convert it), a file that is neither a FeatureCollection nor CSV, one without the
 * layer's required fields, and one whose coordinates are not WGS 84 (a `crs` naming another
 * system, or coordinates in feet: ProjectedFileError) — refused, not reprojected, since GDAL does
 * that exactly (CRS_ADVICE). Cancel stops between features; what was read is stored.
 */
export async function runCountyFileImport(deps: MaricopaSyncDeps, params: CountyFileImportParams, options: SyncOptions): Promise<Run> {
  const file = path.resolve(params.file);
  const recorder = await RunRecorder.start(deps.repos.runs, deps.events, { kind: 'import', source: COUNTY_LAYER_SOURCE, trigger: options.trigger, params: { file } });
  options.onStart?.(recorder.run);
  const storing = new BatchesInFlight<RawPropertyInput>((rows) => storeBatch(deps, recorder, COUNTY_LAYER_SOURCE, rows), BATCHES_IN_FLIGHT);
  let messages = 0;
  const note = async (message: string) => {
    messages += 1;
    if (messages <= MESSAGES_KEPT) await recorder.error(message);
  };
  try {
    const name = path.basename(file);
    const size = await fileSize(file);
    await refuseSecondImport(deps.repos.runs, recorder.run, 'file', file, deps.clock());
    const format = fileFormat(await readHead(file), name);
    await recorder.count({ bytes_total: size });
    await recorder.flush(`Reading ${name} (${sizeText(size)}, ${format === 'geojson' ? 'GeoJSON' : 'CSV'})`);

    const raw = fs.createReadStream(file);
    let bytesRead = 0;
    let bytesCounted = 0;
    raw.on('data', (chunk) => (bytesRead += chunk.length));
    const items = format === 'geojson' ? geoJsonItems(raw, name) : csvItems(raw, name);
    let batch: RawPropertyInput[] = [];
    let batchIds = new Set<string>();
    let batchChars = 0;
    const store = async () => {
      await storing.add(batch);
      batch = [];
      batchIds = new Set();
      batchChars = 0;
      await recorder.count({ bytes_read: bytesRead - bytesCounted });
      bytesCounted = bytesRead;
    };
    for await (const item of items) {
      if (item.error !== null) {
        await recorder.count({ failed: 1 });
        await note(`${item.at}: ${item.error}`);
      } else {
        const mapped = mapItem(item.feature);
        if ('error' in mapped) {
          await recorder.count({ failed: 1 });
          await note(`${item.at}${mapped.apn}: ${mapped.error}`);
        } else {
          // The same parcel twice in one batch: the earlier is stored first, the later wins.
          if (batchIds.has(mapped.record.source_id)) await store();
          batch.push(mapped.record);
          batchIds.add(mapped.record.source_id);
          batchChars += item.chars;
          if (mapped.placeLost) await note(`${item.at}${mapped.apn}: its point is not in Arizona; stored without coordinates`);
        }
      }
      if (batch.length >= FILE_BATCH_PARCELS || batchChars >= IMPORT_BATCH_CHARS) await store();
      // Cancelled: what was read is whole, so it is stored; the rest is not read.
      if (options.signal?.aborted) break;
    }
    await store();
    await storing.drain();
    return await finishImport(recorder, options.signal, { stored: 'parcels', bad: 'bad features' });
  } catch (error) {
    await storing.settle();
    return failImport(deps, recorder, options.signal, error);
  }
}

/** The file's size, or the reason it cannot be imported (missing, a folder, not a file, over COUNTY_FILE_LIMIT). */
async function fileSize(file: string): Promise<number> {
  const stat = await fs.promises.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new ParcelFileError(`${file}: no such file`);
    throw new ParcelFileError(`${file} cannot be read (${error.code ?? error.message})`);
  });
  if (stat.isDirectory()) throw new ParcelFileError(`${file} is a folder, not a file: give the path of the parcel file (.geojson or .csv) itself`);
  if (!stat.isFile()) throw new ParcelFileError(`${file} is not a regular file: give the path of the parcel file (.geojson or .csv)`);
  if (stat.size > COUNTY_FILE_LIMIT) {
    throw new ParcelFileError(`${path.basename(file)} is ${sizeText(stat.size)}, over the ${sizeText(COUNTY_FILE_LIMIT)} a parcel file import reads (the whole county as GeoJSON is some 2–3 GB): download the parcels of your area only`);
  }
  return stat.size;
}

/**
 * Which reader a file's first bytes call for: GeoJSON for JSON text starting with `{`, CSV for
 * other text. Refused with the reason: a ZIP (the county's shapefile download, PKWARE APPNOTE
 * 4.3.7 `PK\3\4`), binary data (a zero byte: a shapefile's .shp or .dbf), a JSON list.
 */
function fileFormat(head: Buffer, name: string): 'geojson' | 'csv' {
  if (head.length === 0) throw new ParcelFileError(`${name} is empty`);
  if (head.subarray(0, 4).equals(Buffer.from('504b0304', 'hex'))) {
    throw new ParcelFileError(`${name} is a ZIP archive (the county's shapefile download is one): this import reads the parcel file as GeoJSON or CSV; download that form, or unzip it and ${CONVERT_WITH_GDAL}`);
  }
  if (head.includes(0)) throw new ParcelFileError(`${name} is not a text file (it holds binary data: a shapefile's .shp or .dbf?): this import reads the parcel file as GeoJSON or CSV`);
  const text = head.toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart();
  if (text.startsWith('{')) return 'geojson';
  if (text.startsWith('[')) throw new ParcelFileError(`${name} holds a JSON list, not a GeoJSON FeatureCollection ({"type": "FeatureCollection", "features": […]})`);
  return 'csv';
}

/** A feature mapped to its record, or why not; `apn` is ` (APN "…")` for messages, `placeLost` when a point it had is not in Arizona. */
function mapItem(feature: ParcelFeature): { record: RawPropertyInput; apn: string; placeLost: boolean } | { error: string; apn: string } {
  const a = feature.attributes;
  const number = String(a.APN_DASH ?? a.APN);
  const apn = ` (APN ${quoteValue(String(a.APN))})`;
  if (!isApn(number)) return { error: `${a.APN_DASH ? 'APN_DASH' : 'APN'}: ${quoteValue(number)} is not a Maricopa parcel number (book-map-parcel like 509-11-455 or 211-29-043A)`, apn };
  const record = mapCountyFeature(feature);
  const hadPoint = (a.LATITUDE !== null && a.LATITUDE !== undefined && a.LATITUDE !== 0) || Boolean(feature.geometry);
  return { record, apn, placeLost: hadPoint && record.data.latitude === null };
}

/** A bound of FEATURE_BOUNDS passed, in words. */
function featureFaultText(fault: FeatureFault): string {
  const where = fault.path === '' ? '' : `${fault.path}: `;
  switch (fault.fault) {
    case 'value_too_long':
      return `${where}a value over ${sizeText(FEATURE_BOUNDS.valueChars)} (a real parcel's longest value is some tens of characters); the feature is not imported`;
    case 'feature_too_long':
      return `${where}the feature passes ${sizeText(FEATURE_BOUNDS.featureChars)} here (a real parcel with its polygon is under 200 KB); the feature is not imported`;
    case 'too_many_members':
      return `${where}more than ${FEATURE_BOUNDS.members} members in one object (the layer has about 40 fields); the feature is not imported`;
    case 'too_deep':
      return `${where}nested more than ${FEATURE_BOUNDS.depth} deep (a MultiPolygon feature is 6); the feature is not imported`;
  }
}

/** The features of a GeoJSON parcel file as items; throws ParcelFileError for a file of another shape or system. */
async function* geoJsonItems(raw: fs.ReadStream, name: string): AsyncGenerator<FileItem> {
  let checkedFields = false;
  let features = 0;
  try {
    for await (const event of geoJsonFeatures(raw, FEATURE_BOUNDS)) {
      if (event.kind === 'member') {
        if (event.name === 'type' && event.value !== 'FeatureCollection') throw new ParcelFileError(`${name} is not a GeoJSON FeatureCollection: its "type" is ${quoteValue(JSON.stringify(event.value))}`);
        const foreign = event.name === 'crs' ? foreignCrs(event.value) : null;
        if (foreign) throw new ParcelFileError(`${name} is refused: ${foreign}; ${CRS_ADVICE}`);
        continue;
      }
      features = event.index;
      const at = `feature ${event.index}`;
      if (event.fault) {
        yield { at, chars: event.chars, feature: null, error: featureFaultText(event.fault) };
        continue;
      }
      const properties = (event.value as { properties?: unknown } | null)?.properties;
      if (!checkedFields && properties && typeof properties === 'object') {
        checkedFields = true;
        const missing = missingFields(Object.keys(properties));
        if (missing.length > 0) throw new ParcelFileError(`${name} is not the county's parcel layer: its first feature has no field ${missing.join(', ')}`);
      }
      yield readOne(at, () => featureFromGeoJson(event.value), event.chars);
    }
  } catch (error) {
    if (error instanceof ParcelFileError) throw error;
    if (error instanceof ProjectedFileError) throw new ParcelFileError(`${name} is refused: feature ${features} ${error.message}; ${CRS_ADVICE}`);
    // stream-json's syntax error, or the reader's NotFeatureCollectionError.
    const after = features > 0 ? ` after feature ${features}` : '';
    throw new ParcelFileError(`${name} is not a GeoJSON FeatureCollection${after}: ${(error as Error).message}`);
  }
}

/** `read()` as an item at `at`: a ParcelFileRowError is the item's error, anything else is thrown. */
function readOne(at: string, read: () => ParcelFeature, chars: number): FileItem {
  try {
    return { at, chars, feature: read(), error: null };
  } catch (error) {
    if (error instanceof ParcelFileRowError) return { at, chars, feature: null, error: error.message };
    throw error;
  }
}

/** A CSV fault of csvRecords in words (RFC 4180: a value holding a quote is quoted, the quote doubled). */
function csvFaultText(error: CsvSyntaxError): string {
  switch (error.fault) {
    case 'quote_inside_value':
    case 'text_after_closing_quote':
      return `a stray quote (") on line ${error.line}: in CSV a value holding a quote is quoted and its quote doubled ("")`;
    case 'unclosed_quote':
      return `the quote opening this value on line ${error.line} is never closed, so the rest of the file was read as this one value`;
    case 'value_too_long':
      return `a value over ${sizeText(CSV_VALUE_LIMIT)}, from line ${error.line} on (a real parcel's longest value is some tens of characters); the row is not imported`;
    case 'row_too_long':
      return `the row passes ${sizeText(CSV_ROW_LIMIT)} here, on line ${error.line} (a real parcel row is under 1 KB); the row is not imported`;
    case 'too_many_columns':
      return `more than ${CSV_COLUMN_LIMIT} columns (the layer has about 40 fields); the row is not imported`;
  }
}

/** The header's name of column `index` (0-based) when it is a short printable name, else `column N`. */
function columnName(header: string[], index: number): string {
  const name = header[index];
  return name && /^[\x20-\x7e]{1,60}$/.test(name) ? name : `column ${index + 1}`;
}

/** The text of `raw` as UTF-8 (a BOM dropped), in its chunks. */
async function* utf8Text(raw: fs.ReadStream): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  for await (const chunk of raw as AsyncIterable<Buffer>) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The rows of a CSV parcel file as items, `row N (line L)`; throws ParcelFileError for a header without the layer's fields. */
async function* csvItems(raw: fs.ReadStream, name: string): AsyncGenerator<FileItem> {
  let header: string[] | null = null;
  let row = 0;
  try {
    for await (const record of csvRecords(utf8Text(raw))) {
      if (!header) {
        if (record.error) throw new ParcelFileError(`${name} is not a CSV file: in its header row (line ${record.line}), column ${record.error.field + 1}: ${csvFaultText(record.error)}`);
        header = record.fields.map((h) => h.trim());
        const missing = missingFields(header);
        if (missing.length > 0) throw new ParcelFileError(`${name} is not the county's parcel layer: no column ${missing.join(', ')} in its header`);
        continue;
      }
      row += 1;
      const at = `row ${row} (line ${record.line})`;
      const chars = record.fields.reduce((sum, v) => sum + v.length, 0);
      if (record.error) yield { at, chars, feature: null, error: `${columnName(header, record.error.field)}: ${csvFaultText(record.error)}` };
      else if (record.fields.length !== header.length) yield { at, chars, feature: null, error: `has ${record.fields.length} columns, the header has ${header.length}` };
      else {
        const fields: Record<string, string> = {};
        header.forEach((h, i) => (fields[h] = record.fields[i]!));
        yield readOne(at, () => featureFromCsvRow(fields), chars);
      }
    }
  } catch (error) {
    if (error instanceof ProjectedFileError) throw new ParcelFileError(`${name} is refused: row ${row} ${error.message}; ${CRS_ADVICE}`);
    throw error;
  } finally {
    raw.destroy();
  }
  if (!header) throw new ParcelFileError(`${name} is empty`);
}
