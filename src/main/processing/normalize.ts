import type { NormalizedProperty } from '../../shared/schemas/processed-property.js';
import type { RawPropertyData } from '../../shared/schemas/raw-property.js';
import { addressKey, parseAddress } from '../../shared/address.js';
import { rawPropertyType } from './property-type.js';

export interface NormalizeInput {
  source: string;
  data: RawPropertyData;
}

export interface Normalized {
  normalized: NormalizedProperty;
  address_key: string | null;
  /** Each normalised field's source (`details.bedrooms` → `field_sources.details.bedrooms`). */
  field_sources: FieldSources;
}

/** Nested like `normalized` itself: MongoDB keys may not contain dots. */
export type FieldSources = Record<string, Record<string, string>>;

function setSource(sources: FieldSources, path: FieldPath, source: string): void {
  const [group, field] = FIELD_PARTS[path];
  (sources[group] ??= {})[field] = source;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * One raw record (either source) in the seed's `normalized` shape, numbers as numbers.
 * `pricing.list_price` is the listing's asking price only; the value, its basis and date (and
 * the value per sq ft) are set by the valuation step (`financials.ts`), which sees every record
 * of the property and the comparable sales.
 */
export function normalize(input: NormalizeInput): Normalized {
  const d = input.data;
  const address = parseAddress(str(d.address));
  if (!address.zip && typeof d.zip === 'string') address.zip = d.zip;
  const sqft = num(d.square_feet);
  const listPrice = num(d.list_price);
  const year = num(d.year_built);
  const normalized: NormalizedProperty = {
    address,
    details: {
      bedrooms: num(d.bedrooms),
      bathrooms: num(d.bathrooms),
      ...(d.bathrooms_estimated === true && num(d.bathrooms) !== null && { bathrooms_estimated: true }),
      square_feet: sqft,
      lot_sqft: num(d.lot_size),
      year_built: year === null ? null : Math.trunc(year),
      property_type: rawPropertyType(d),
    },
    pricing: { list_price: listPrice, price_per_sqft: null, value: null, value_basis: null, value_date: null },
  };
  return { normalized, address_key: addressKey(address), field_sources: sourcesOf(normalized, input.source) };
}

/** Normalised fields, by path, that a merge chooses between. */
export const FIELD_PATHS = [
  'address.street',
  'address.city',
  'address.state',
  'address.zip',
  'details.bedrooms',
  'details.bathrooms',
  'details.square_feet',
  'details.lot_sqft',
  'details.year_built',
  'details.property_type',
  'pricing.list_price',
] as const;
type FieldPath = (typeof FIELD_PATHS)[number];

/** Each path's group and field, split once (splitting both for every record read cost a tenth of `normalize`). */
const FIELD_PARTS = Object.fromEntries(FIELD_PATHS.map((p) => [p, p.split('.')])) as Record<FieldPath, [keyof NormalizedProperty, string]>;

/** FIELD_PATHS by group, groups and fields in its order (it lists each group's fields together). */
const FIELD_GROUPS: [keyof NormalizedProperty, string[]][] = [];
for (const path of FIELD_PATHS) {
  const [group, field] = FIELD_PARTS[path];
  const last = FIELD_GROUPS.at(-1);
  if (last?.[0] === group) last[1].push(field);
  else FIELD_GROUPS.push([group, [field]]);
}

/**
 * `source` as the source of every field of `n` that has a value, nested by group, in
 * FIELD_PATHS' order: built group by group, not path by path (a tenth of `normalize` went to
 * looking each path's group up twice).
 */
function sourcesOf(n: NormalizedProperty, source: string): FieldSources {
  const sources: FieldSources = {};
  for (const [group, fields] of FIELD_GROUPS) {
    const values = n[group] as Record<string, unknown>;
    let named: Record<string, string> | undefined;
    for (const field of fields) if ((values[field] ?? null) !== null) (named ??= {})[field] = source;
    if (named) sources[group] = named;
  }
  return sources;
}

/**
 * Which source a merged field prefers: the MLS (the live site, then the analyst's ARMLS export)
 * for what a listing states (rooms, the asking price, the kind of home), the assessor for what
 * it measures and records (size, lot, year): its API's record, then its parcel layer's.
 */
const PREFERENCE: Record<FieldPath, readonly string[]> = {
  'address.street': ['maricopa_api', 'county_layer', 'armls_export', 'phoenix_mls'],
  'address.city': ['phoenix_mls', 'armls_export', 'maricopa_api', 'county_layer'],
  'address.state': ['maricopa_api', 'county_layer', 'armls_export', 'phoenix_mls'],
  'address.zip': ['maricopa_api', 'county_layer', 'armls_export', 'phoenix_mls'],
  'details.bedrooms': ['phoenix_mls', 'armls_export', 'maricopa_api', 'county_layer'],
  'details.bathrooms': ['phoenix_mls', 'armls_export', 'maricopa_api', 'county_layer'],
  'details.square_feet': ['maricopa_api', 'county_layer', 'armls_export', 'phoenix_mls'],
  'details.lot_sqft': ['maricopa_api', 'county_layer', 'armls_export', 'phoenix_mls'],
  'details.year_built': ['maricopa_api', 'county_layer', 'armls_export', 'phoenix_mls'],
  'details.property_type': ['phoenix_mls', 'armls_export', 'maricopa_api', 'county_layer'],
  'pricing.list_price': ['phoenix_mls', 'armls_export', 'maricopa_api', 'county_layer'],
};

function read(n: NormalizedProperty, path: FieldPath): unknown {
  const [group, field] = FIELD_PARTS[path];
  return (n[group] as Record<string, unknown>)[field] ?? null;
}

function write(n: NormalizedProperty, path: FieldPath, value: unknown): void {
  const [group, field] = FIELD_PARTS[path];
  (n[group] as Record<string, unknown>)[field] = value;
}

/**
 * Records of one property from several sources as one: each field from the preferred source
 * that has it, `field_sources` saying which.
 */
export function mergeNormalized(records: readonly (Normalized & { source: string })[]): Normalized {
  if (records.length === 1) return records[0]!;
  const bySource = new Map(records.map((r) => [r.source, r]));
  const merged: NormalizedProperty = structuredClone(records[0]!.normalized);
  const field_sources: FieldSources = {};
  for (const path of FIELD_PATHS) {
    const order = [...PREFERENCE[path], ...records.map((r) => r.source)];
    const from = order.map((s) => bySource.get(s)).find((r) => r && read(r.normalized, path) !== null);
    write(merged, path, from ? read(from.normalized, path) : null);
    if (from) setSource(field_sources, path, from.source);
    if (path === 'details.bathrooms') {
      if (from?.normalized.details.bathrooms_estimated) merged.details.bathrooms_estimated = true;
      else delete merged.details.bathrooms_estimated;
    }
  }
  return { normalized: merged, address_key: addressKey(merged.address), field_sources };
}
