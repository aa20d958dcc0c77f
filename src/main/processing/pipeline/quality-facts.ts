import type { QualityFacts } from '../validate.js';
import { sourceDisagreements, type ValuationFacts } from '../valuation-facts.js';
import type { MergedSources } from './merge-sources.js';

/**
 * What the quality score needs to know of the property's sources beyond its fields (stored as
 * `quality_facts`): which sources it has, whether the bathroom count it shows is the assessor's
 * estimate (the record the merge took bathrooms from says `bathrooms_estimated`), whether it has
 * coordinates and how many sales are on record (from `facts`, pooled over the records), and
 * where its sources disagree (`sourceDisagreements`). Pure.
 */
export function qualityFactsOf({ merged, records }: MergedSources, facts: Pick<ValuationFacts, 'latitude' | 'sales'>): QualityFacts {
  return {
    sources: [...new Set(records.map((r) => r.source))],
    bathrooms_estimated: records.some((r) => r.data.bathrooms_estimated === true && merged.field_sources.details?.bathrooms === r.source),
    has_coordinates: facts.latitude !== null,
    sales_on_record: facts.sales.length,
    disagreements: sourceDisagreements(records),
  };
}
