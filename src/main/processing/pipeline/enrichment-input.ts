import type { RawPropertyData } from '../../../shared/schemas/raw-property.js';
import type { EnrichmentInput } from '../enrich/provider.js';
import { factsOf } from '../facts.js';
import type { Financials } from '../financials.js';
import type { MergedSources } from './merge-sources.js';

/**
 * Stage 5's input (enrich, LLM or rules): what the provider is told of one property — the merged
 * fields, the figures, short facts of the processed record (pool, garage, rental...; "bathrooms
 * estimated" by the merged count's flag) and the record's own listing text (`description`,
 * untrusted, quoted as data). Its content hash decides whether a stored enrichment is reused.
 * Pure.
 */
export function enrichmentInputOf(raw: { data: RawPropertyData }, { merged }: Pick<MergedSources, 'merged'>, financials: Financials): EnrichmentInput {
  return {
    normalized: merged.normalized,
    financials,
    facts: factsOf(raw.data, merged.normalized.details.bathrooms_estimated === true),
    listingText: typeof raw.data.description === 'string' ? raw.data.description : null,
  };
}
