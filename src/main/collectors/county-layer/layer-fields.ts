import { CountyLayerChangedError } from './errors.js';
import type { LayerInfo } from './payload.js';

/**
 * Fields the county sync cannot do without: the parcel number, the situs address, what the
 * mapping reads of the home, its values and its last sale (../shared/SERVICES.md, "parcel
 * layer"). A layer without one of them is refused (CountyLayerChangedError) before any page is read.
 */
export const REQUIRED_FIELDS = [
  'APN',
  'PHYSICAL_ADDRESS',
  'PHYSICAL_CITY',
  'PHYSICAL_ZIP',
  'LIVING_SPACE',
  'LAND_SIZE',
  'CONST_YEAR',
  'PUC',
  'FCV_CUR',
  'LPV_CUR',
  'SALE_DATE',
  'SALE_PRICE',
] as const;

/**
 * Fields read when the layer has them and left out of `outFields` when it does not: on ArcGIS one
 * unknown name in `outFields` fails the whole query (HTTP 200, `"Failed to execute query."`), and
 * public clients disagree on these. Without LATITUDE/LONGITUDE the geometry is asked for instead.
 */
export const OPTIONAL_FIELDS = [
  'APN_DASH',
  'OWNER_NAME',
  'SUBNAME',
  'LC_CUR',
  'TAX_YR_CUR',
  'FCV_PREV',
  'LPV_PREV',
  'TAX_YR_PREV',
  'DEED_DATE',
  'DEED_NUMBER',
  'LATITUDE',
  'LONGITUDE',
] as const;

/** What to ask the layer for: the fields it has of ours, and whether coordinates must come from its geometry. */
export interface LayerPlan {
  outFields: string[];
  returnGeometry: boolean;
  /** Records a page asks for: the smaller of the wished size and the layer's `maxRecordCount`. */
  pageSize: number;
}

/**
 * The query plan for `layer` (its `?f=json` description): throws CountyLayerChangedError naming
 * every required field it lacks. `wishedPageSize` is capped by the layer's `maxRecordCount`, since
 * ArcGIS silently answers at most that many (Esri/arcgis-python-api#2027).
 */
export function planLayerQuery(layer: LayerInfo, layerUrl: string, wishedPageSize: number): LayerPlan {
  const names = new Set(layer.fields.map((f) => f.name));
  const missing = REQUIRED_FIELDS.filter((f) => !names.has(f));
  if (missing.length > 0) throw new CountyLayerChangedError(layerUrl, missing);
  const optional = OPTIONAL_FIELDS.filter((f) => names.has(f));
  const hasPoint = names.has('LATITUDE') && names.has('LONGITUDE');
  return {
    outFields: [...REQUIRED_FIELDS, ...optional],
    returnGeometry: !hasPoint,
    pageSize: Math.max(1, Math.min(wishedPageSize, layer.maxRecordCount)),
  };
}

/** A text value as an SQL literal for a `where` (`'85031'`, quotes doubled: `'O''BRIEN'`). */
export function sqlText(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
