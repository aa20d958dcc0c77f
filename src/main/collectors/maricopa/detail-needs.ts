import type { Run } from '../../../shared/schemas/run.js';
import type { BoundingBox } from '../county-layer/client.js';

/**
 * What the assessor API must still be asked of a parcel the county parcel layer already holds
 * (issue #22). Pure: no clock or I/O of its own.
 *
 * The layer (county-layer/mapping.ts) gives the situs, use code, living area, lot, year built, the
 * last sale, the owner and the values of two tax years; it lacks what only the API has: the
 * residential details (plumbing fixtures, pool, garages, roof, walls, cooling: `/parcel/<apn>/
 * residential-details`) and the five-year valuation history (`/parcel/<apn>/valuations`). A public
 * client of the API (`MCAAOAPIClient`, 2025) reads the first as the `ResidentialPropertyData`
 * object of `/parcel` and the second as its `Valuations` array; SERVICES.md lists both.
 *
 * So, for a parcel whose layer data is fresh (layerCoverage):
 * - no assessor record yet: `/parcel`, one call, which gives both (the two sub-endpoints would be
 *   two calls for the same);
 * - an assessor record, and the layer says the building changed (its living area or year built no
 *   longer agree with the record's: an addition, a rebuild): `/residential-details`;
 * - an assessor record, and the layer carries a newer tax year than the record's newest
 *   valuation (the history moved on a year): `/valuations`;
 * - both: `/parcel` (one call rather than two); neither: nothing, the layer keeps the rest fresh.
 *
 * A parcel without fresh layer data is fetched whole (`/parcel`), as before the layer.
 */

/** An assessor endpoint a sync may call for one parcel. */
export type DetailEndpoint = 'parcel' | 'residential-details' | 'valuations';
export const DETAIL_ENDPOINTS: readonly DetailEndpoint[] = ['parcel', 'residential-details', 'valuations'];

/** The fields of a stored record that decide what a parcel needs (`RawPropertyRepository.ofParcels`). */
export interface NeedRecord {
  source: string;
  updated_at?: Date | undefined;
  data: {
    square_feet?: unknown;
    year_built?: unknown;
    valuation_year?: unknown;
    zip?: unknown;
    city?: unknown;
    latitude?: unknown;
    longitude?: unknown;
  };
}

/** What one parcel needs: the endpoint to call (none: skip it) and whether the layer decided it (then a cached answer older than the layer's record is stale). */
export interface DetailNeed {
  endpoint: DetailEndpoint | null;
  /** The layer's record of it is fresh; its `updated_at` is when the layer last changed it. */
  layer: { updatedAt: Date } | null;
  /** The assessor record exists and the layer's record disagrees with it (residential-details, valuations, or both as `parcel`). */
  layerChanged: boolean;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * What a parcel needs, from its county-layer record (null: none, or not fresh) and its assessor
 * record (null: never fetched). See the module's note for the rules.
 */
export function detailNeed(layer: NeedRecord | null, assessor: NeedRecord | null): DetailNeed {
  if (layer === null) return { endpoint: 'parcel', layer: null, layerChanged: false };
  const fresh = { updatedAt: layer.updated_at ?? new Date(0) };
  if (assessor === null) return { endpoint: 'parcel', layer: fresh, layerChanged: false };
  // A measure the layer does not give (null) says nothing of a change.
  const differs = (field: 'square_feet' | 'year_built') => {
    const l = num(layer.data[field]);
    return l !== null && l !== num(assessor.data[field]);
  };
  const building = differs('square_feet') || differs('year_built');
  const layerYear = num(layer.data.valuation_year);
  const assessorYear = num(assessor.data.valuation_year);
  const newYear = layerYear !== null && (assessorYear === null || layerYear > assessorYear);
  const endpoint: DetailEndpoint | null = building && newYear ? 'parcel' : building ? 'residential-details' : newYear ? 'valuations' : null;
  return { endpoint, layer: fresh, layerChanged: endpoint !== null };
}

/** What a succeeded county-layer run covered, as `layerCoverage` reads its params. */
type CoverageRun = Pick<Run, 'kind' | 'params' | 'finished_at'>;

/**
 * Whether a county-layer record is fresh: a county-layer run that succeeded at or after `since`
 * covered it. A sync covers the parcels of its ZIP codes (`zip`), its cities (`city`, upper
 * case as the layer writes it) and its box (the record's point inside it), unless it had a
 * `limit` (it may have stopped short); an import of the county's parcel file covers every
 * record of the layer (the file is the county's whole parcel layer). Runs are the succeeded
 * county-layer runs, any order.
 */
export function layerCoverage(runs: readonly CoverageRun[], since: Date): (record: NeedRecord) => boolean {
  const recent = runs.filter((r) => r.finished_at !== null && r.finished_at >= since);
  if (recent.some((r) => r.kind === 'import')) return () => true;
  const syncs = recent.filter((r) => r.kind === 'sync' && (r.params.limit === null || r.params.limit === undefined));
  const zips = new Set(syncs.flatMap((r) => strings(r.params.zips)));
  const cities = new Set(syncs.flatMap((r) => strings(r.params.cities).map((c) => c.trim().toUpperCase())));
  const boxes = syncs.map((r) => r.params.bbox).filter(isBox);
  return (record) => {
    const { zip, city, latitude, longitude } = record.data;
    if (typeof zip === 'string' && zips.has(zip)) return true;
    if (typeof city === 'string' && cities.has(city.toUpperCase())) return true;
    const lat = num(latitude);
    const lon = num(longitude);
    return lat !== null && lon !== null && boxes.some((b) => lon >= b.west && lon <= b.east && lat >= b.south && lat <= b.north);
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function isBox(v: unknown): v is BoundingBox {
  if (typeof v !== 'object' || v === null) return false;
  const b = v as Record<string, unknown>;
  return ['west', 'south', 'east', 'north'].every((k) => typeof b[k] === 'number');
}
