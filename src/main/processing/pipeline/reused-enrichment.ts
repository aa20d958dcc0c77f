import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import type { EnrichmentOutput } from '../enrich/output-schema.js';
import type { EnrichmentProvider } from '../enrich/provider.js';

/** How long an enrichment is reused for identical input (90 days, in milliseconds). */
const ENRICHMENT_REUSE_MS = 90 * 86_400_000;

/**
 * Stage 5's cache: the enrichment already stored for this property (`previous`), when the
 * model's input has not changed since (same content hash `inputHash`, model and prompt version)
 * and it is under 90 days old at `now`, with the time it was written; else null (a model call
 * is needed). Reprocessing unchanged data costs nothing. Pure.
 */
export function reusableEnrichment(
  previous: ProcessedProperty | null,
  provider: Pick<EnrichmentProvider, 'model' | 'promptVersion'>,
  inputHash: string,
  now: Date,
): { output: EnrichmentOutput; enrichedAt: Date } | null {
  const meta = previous?.processing_metadata;
  if (!previous || !meta?.input_hash || !meta.enriched_at) return null;
  if (meta.input_hash !== inputHash || meta.llm_model !== provider.model || meta.prompt_version !== provider.promptVersion) return null;
  if (now.getTime() - meta.enriched_at.getTime() > ENRICHMENT_REUSE_MS) return null;
  const { description, key_features, investment_summary } = previous.llm_enrichment;
  if (investment_summary === undefined) return null;
  return { output: { description, key_features, investment_summary }, enrichedAt: meta.enriched_at };
}
