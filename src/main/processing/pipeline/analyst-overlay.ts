import type { AnalystCorrections, AnalystLayer, CorrectableField } from '../../../shared/schemas/analyst-layer.js';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import type { PropertySummary, RawPropertyData } from '../../../shared/schemas/raw-property.js';
import type { PropertyFeatures } from '../../../shared/valuation/types.js';
import { propertyKeysOf } from '../../db/repositories/raw-properties.js';
import type { MergedSources } from './merge-sources.js';

/** Where each corrected field lives in the processed document's `normalized` (group, field). */
const NORMALIZED_PATHS: Record<Exclude<CorrectableField, 'description'>, [group: 'details' | 'pricing', field: string]> = {
  bedrooms: ['details', 'bedrooms'],
  bathrooms: ['details', 'bathrooms'],
  square_feet: ['details', 'square_feet'],
  year_built: ['details', 'year_built'],
  list_price: ['pricing', 'list_price'],
};

/**
 * The identities a property is known by, for its analyst layer: each record's parcel number
 * (`apn:509-11-455`) and address key (`addr:…`), the keys the merge itself joins records by
 * (`propertyKeysOf`), and the raw ids of its records. A sample record (`data.sample`) is known
 * by its raw id only: the sample never merges with real records, and neither does its layer.
 */
export function propertyIdentity(records: readonly { _id: string; data: RawPropertyData }[], rawIds: readonly string[] = []): string[] {
  const keys = records.flatMap((r) => (r.data.sample === true ? [] : propertyKeysOf(r.data)));
  return [...new Set([...keys, ...records.map((r) => r._id), ...rawIds])];
}

/** The layer's corrections as plain values (`{ bedrooms: 3 }`). */
export function correctionValues(layer: Pick<AnalystLayer, 'corrections'> | null): AnalystCorrections {
  return Object.fromEntries(Object.entries(layer?.corrections ?? {}).map(([field, entry]) => [field, entry.value])) as AnalystCorrections;
}

/** The sale ids of the comparables the layer excludes from the value (none without a layer). */
export function excludedSaleIdsOf(layer: Pick<AnalystLayer, 'excluded_comparables'> | null): string[] {
  return (layer?.excluded_comparables ?? []).map((c) => c.sale_id);
}

/**
 * Stage 2½: the analyst's corrections over the merged sources: each corrected field replaces
 * whatever any source gave and its source becomes `analyst`; a corrected bathroom count is no
 * longer an estimate. Returns a new merge; the one given is not changed. Pure.
 */
export function correctedMerge(merged: MergedSources['merged'], corrections: AnalystCorrections): MergedSources['merged'] {
  const out = structuredClone(merged);
  for (const [field, value] of Object.entries(corrections)) {
    if (value === undefined || field === 'description') continue;
    const [group, name] = NORMALIZED_PATHS[field as Exclude<CorrectableField, 'description'>];
    (out.normalized[group] as unknown as Record<string, unknown>)[name] = value;
    (out.field_sources[group] ??= {})[name] = 'analyst';
    if (field === 'bathrooms') out.normalized.details.bathrooms_estimated = false;
  }
  if (corrections.description !== undefined) (out.field_sources.llm_enrichment ??= {}).description = 'analyst';
  return out;
}

/** The label `sourceDisagreements` gives each correctable field. */
const DISAGREEMENT_LABELS: Partial<Record<CorrectableField, string>> = { square_feet: 'living area', year_built: 'year built', bedrooms: 'bedrooms', bathrooms: 'bathrooms' };

/** The sources' disagreements (`sourceDisagreements`) the analyst has not settled by correcting the field. Pure. */
export function unsettledDisagreements(disagreements: readonly string[] | undefined, corrections: AnalystCorrections): string[] | undefined {
  if (!disagreements) return disagreements;
  const settled = Object.keys(corrections).flatMap((f) => DISAGREEMENT_LABELS[f as CorrectableField] ?? []);
  return disagreements.filter((d) => !settled.some((label) => d.startsWith(`${label}: `)));
}

/**
 * The corrections a review approval made before the analyst's layer existed, read back from the
 * processed record that kept them (`analyst_review.edited` names the fields; their values are the
 * record's own), with when and the reasons left after it: what the layer adopts so the next
 * processing does not lose them. Null when the record holds no such approval. Pure.
 */
export function legacyReview(doc: Pick<ProcessedProperty, 'analyst_review' | 'normalized' | 'llm_enrichment' | 'quality_reasons'> | null): { corrections: AnalystCorrections; at: Date; reasons: string[] } | null {
  const review = doc?.analyst_review;
  if (!review) return null;
  const corrections: Record<string, unknown> = {};
  for (const field of review.edited) {
    const value = field === 'description' ? doc.llm_enrichment.description : field in NORMALIZED_PATHS ? valueAt(doc.normalized, NORMALIZED_PATHS[field as keyof typeof NORMALIZED_PATHS]) : undefined;
    if (value !== null && value !== undefined) corrections[field] = value;
  }
  return { corrections: corrections as AnalystCorrections, at: review.approved_at, reasons: doc.quality_reasons };
}

const valueAt = (normalized: ProcessedProperty['normalized'], [group, name]: [string, string]): unknown => (normalized as unknown as Record<string, Record<string, unknown>>)[group]?.[name];

/** The features the value model reads, with the analyst's corrected bedrooms, bathrooms, size and year. Pure. */
export function correctedFeatures(features: PropertyFeatures, corrections: AnalystCorrections): PropertyFeatures {
  const { bedrooms, bathrooms, square_feet, year_built } = corrections;
  return {
    ...features,
    ...(bedrooms !== undefined && { bedrooms }),
    ...(bathrooms !== undefined && { bathrooms }),
    ...(square_feet !== undefined && { square_feet }),
    ...(year_built !== undefined && { year_built }),
  };
}

type SummaryPatch = Partial<Omit<PropertySummary, 'address' | 'zip' | 'status'>>;

/** The summary field each corrected field shows as (the asking price is the row's `price`). */
const SUMMARY_FIELDS: Partial<Record<CorrectableField, 'price' | 'bedrooms' | 'bathrooms' | 'square_feet' | 'year_built'>> = {
  bedrooms: 'bedrooms',
  bathrooms: 'bathrooms',
  square_feet: 'square_feet',
  year_built: 'year_built',
  list_price: 'price',
};

/**
 * The property list's summary fields a correction sets, marked as the analyst's
 * (`analyst_fields`, joined to the `row`'s, so a re-collection keeps them); the row's `estimated`
 * fields lose the ones corrected.
 */
export function correctedSummary(corrections: AnalystCorrections, row: Pick<PropertySummary, 'estimated' | 'analyst_fields'> | undefined): SummaryPatch {
  const patch: SummaryPatch = {};
  for (const [field, value] of Object.entries(corrections)) {
    const name = SUMMARY_FIELDS[field as CorrectableField];
    if (name && typeof value === 'number') patch[name] = value;
  }
  const fields = Object.keys(patch);
  const kept = row?.estimated?.filter((f) => !(f in corrections));
  return { ...patch, ...(kept && { estimated: kept }), ...(fields.length > 0 && { analyst_fields: [...new Set([...(row?.analyst_fields ?? []), ...fields])] }) };
}

/**
 * What processing writes on a property's list row from its analyst layer: the corrected fields
 * (`correctedSummary`, exactly the layer's now), the collected values back in the fields whose
 * correction was cleared (from the processed `normalized`), the tags and the deal status with since when. Pure.
 */
export function layerSummary(layer: Pick<AnalystLayer, 'tags' | 'status'> | null, corrections: AnalystCorrections, normalized: ProcessedProperty['normalized'], row: Pick<PropertySummary, 'estimated' | 'analyst_fields'> | undefined): SummaryPatch {
  const corrected = correctedSummary(corrections, { ...row, analyst_fields: [] });
  const now = corrected.analyst_fields ?? [];
  const restored: SummaryPatch = {};
  for (const f of (row?.analyst_fields ?? []).filter((f) => !now.includes(f))) {
    if (f === 'price') restored.price = normalized.pricing.list_price ?? null;
    else if (f === 'bedrooms' || f === 'bathrooms' || f === 'square_feet' || f === 'year_built') restored[f] = normalized.details[f] ?? null;
  }
  return { ...restored, ...corrected, analyst_fields: now, ...(layer && { tags: layer.tags, deal_status: layer.status?.value ?? null, deal_status_at: layer.status?.set_at ?? null }) };
}

/**
 * The kind of a review reason, its figures left out (`value basis is # months old (…)`), and a
 * `missing: a, b` reason as one kind per field: what an approval covers. A reason of the same
 * kind with other figures (a month older, another price) is the issue the analyst already saw.
 */
export function reasonKinds(reasons: readonly string[]): string[] {
  return reasons.flatMap((r) => (r.startsWith('missing: ') ? r.slice('missing: '.length).split(', ').map((f) => `missing: ${f}`) : [r.replace(/\$?\d[\d,.]*/g, '#')]));
}

/**
 * The reasons holding a property that its analyst's last approval does not cover: none means
 * the analyst already approved the property over these very issues (a correction having fixed
 * the others), so a re-collection or reprocess does not hold it for review again. Every reason
 * counts when it was never approved. Pure.
 */
export function reasonsNotApproved(reasons: readonly string[], approval: AnalystLayer['approval']): string[] {
  if (!approval) return [...reasons];
  const approved = new Set(reasonKinds(approval.reasons));
  return reasons.filter((r) => reasonKinds([r]).some((k) => !approved.has(k)));
}
