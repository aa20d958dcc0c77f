import type { NormalizedProperty } from '../../../shared/schemas/processed-property.js';
import type { Financials } from '../financials.js';
import type { EnrichmentOutput } from './output-schema.js';

/** What a provider is given about one property. */
export interface EnrichmentInput {
  normalized: NormalizedProperty;
  financials: Financials;
  /** Facts beyond the normalised record (pool, garages, rental status...), as short phrases. */
  facts: string[];
  /** The listing's own text (MLS): untrusted, passed as quoted data, never as instructions. */
  listingText: string | null;
}

export interface TokenUsage {
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
}

export interface EnrichmentResult {
  output: EnrichmentOutput;
  /** Every call made (a repair is a second call), as billed; empty for the rules provider. */
  calls: TokenUsage[];
}

/** Writes description, key features and investment summary for one property. */
export interface EnrichmentProvider {
  /** Stored as `processing_metadata.llm_model`. */
  readonly model: string;
  readonly promptVersion: string;
  enrich(input: EnrichmentInput, signal?: AbortSignal): Promise<EnrichmentResult>;
}

/** The answer could not be used (schema broken twice, refused, truncated): the item goes to review. */
export class EnrichmentRejectedError extends Error {
  constructor(
    message: string,
    readonly calls: TokenUsage[],
  ) {
    super(message);
    this.name = 'EnrichmentRejectedError';
  }
}
