import type { PropertyFeatures } from '../../shared/valuation/types.js';
import { featuresOf } from './sale-candidates.js';
import type { ValuationRecord } from './valuation-facts.js';

/**
 * What the model values a property by: the facts of each of its records (`featuresOf`), the
 * first record that knows a fact winning, in the property's own order (the assessor's record,
 * then the ARMLS export's, then the listing's: `mergeRecords`). Named by the first record.
 * Coordinates come as a pair from one record, never a latitude from one and a longitude from another.
 */
export function subjectFeatures(records: readonly ValuationRecord[]): PropertyFeatures {
  const all = records.map((r) => featuresOf({ _id: r._id, source: r.source, data: r.data, summary: { address: typeof r.data.address === 'string' ? r.data.address : null, zip: typeof r.data.zip === 'string' ? r.data.zip : null } }));
  const merged = { ...all[0]! } as Record<string, unknown>;
  for (const f of all.slice(1)) {
    for (const [key, value] of Object.entries(f)) if ((merged[key] === null || merged[key] === undefined) && value !== null && value !== undefined) merged[key] = value;
  }
  const placed = all.find((f) => f.lat !== null && f.lon !== null);
  return { ...(merged as unknown as PropertyFeatures), lat: placed?.lat ?? null, lon: placed?.lon ?? null };
}
