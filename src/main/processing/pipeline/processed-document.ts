import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import type { AnalystLayer } from '../../../shared/schemas/analyst-layer.js';
import type { UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import type { EnrichmentOutput } from '../enrich/output-schema.js';
import type { Financials } from '../financials.js';
import type { QualityFacts, Validation } from '../validate.js';
import type { MergedSources } from './merge-sources.js';

/** How the prose was obtained, stored as `processing_metadata`. */
export interface EnrichmentRecord {
  /** The provider's model (`llm_model`) and prompt version. */
  model: string;
  promptVersion: string;
  /** Tokens of this item's calls (prompt + completion) and their cost in US dollars; 0 when cached or by rules. */
  tokens: number;
  costUsd: number;
  /** Reused from the stored document (`reusableEnrichment`): no call made. */
  cached: boolean;
  /** The content hash of the provider's input (`contentHash(enrichmentInputOf(...))`). */
  inputHash: string;
  /** When the prose was written: now, or the reused enrichment's time. */
  enrichedAt: Date;
}

/** Everything the processed document is built from. */
export interface ProcessedDocumentParts {
  merged: MergedSources['merged'];
  financials: Financials;
  /** The analyst's saved terms, kept on the document when set. */
  overrides: UnderwritingOverrides | null;
  /** The analyst's layer applied (`correctedMerge`), if any: its corrections and approval are recorded as `analyst_review`. */
  analyst?: AnalystLayer | null;
  prose: EnrichmentOutput;
  validation: Validation;
  qualityFacts: QualityFacts;
  enrichment: EnrichmentRecord;
  processedAt: Date;
  /** Milliseconds from the claim to the document. */
  processingTimeMs: number;
}

/**
 * Stage 7's document (write): the processed property in the seed's shape, upserted by `raw_id`
 * (the merged property's id). `llm_enrichment.investment_analysis` repeats the computed figures
 * (the rent, dollars a month; the cap rate, a fraction; NOI, dollars a year; the ZIP trend; the
 * recommendation and its reasons joined by "; ") beside the prose, which only explains them. Pure.
 */
export function processedDocument(p: ProcessedDocumentParts): Omit<ProcessedProperty, '_id'> {
  const { merged, financials, validation, enrichment } = p;
  const u = financials.underwriting.result;
  return {
    raw_id: merged.property_id,
    raw_ids: merged.raw_ids,
    processed_at: p.processedAt,
    normalized: merged.normalized,
    llm_enrichment: {
      description: p.prose.description,
      key_features: p.prose.key_features,
      investment_summary: p.prose.investment_summary,
      investment_analysis: {
        rental_estimate: financials.underwriting.inputs.rent.monthly,
        cap_rate: u.cap_rate,
        market_trend: financials.valuation.zip_trend.trend,
        recommendation: u.recommendation,
        net_operating_income: u.net_operating_income,
        recommendation_reason: u.reasons.join('; '),
      },
    },
    quality_score: validation.score,
    quality_reasons: validation.reasons,
    quality_notes: validation.notes,
    quality_facts: p.qualityFacts,
    valuation: financials.valuation,
    underwriting: financials.underwriting,
    ...(p.overrides && { underwriting_overrides: p.overrides }),
    ...(p.analyst && analystReviewOf(p.analyst)),
    field_sources: merged.field_sources,
    address_key: merged.address_key,
    processing_metadata: {
      llm_model: enrichment.model,
      tokens_used: enrichment.tokens,
      processing_time_ms: p.processingTimeMs,
      prompt_version: enrichment.promptVersion,
      cost_usd: enrichment.costUsd,
      ...(enrichment.cached ? { enrichment_cached: true } : {}),
      input_hash: enrichment.inputHash,
      enriched_at: enrichment.enrichedAt,
    },
  };
}

/**
 * The processed document's record of the analyst's work (`analyst_review`): when it was approved
 * (the approval's time, else the newest correction's) and the fields corrected. Absent when the
 * layer holds neither an approval nor a correction.
 */
function analystReviewOf(layer: AnalystLayer): Pick<ProcessedProperty, 'analyst_review'> | null {
  const edited = Object.keys(layer.corrections);
  const times = Object.values(layer.corrections).map((c) => c.set_at.getTime());
  const at = layer.approval?.at ?? (times.length > 0 ? new Date(Math.max(...times)) : null);
  return at ? { analyst_review: { approved_at: at, edited } } : null;
}
