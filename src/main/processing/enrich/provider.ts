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

/** One call's `usage` as billed. `completion_tokens` includes `reasoning_tokens` (billed as output). */
export interface TokenUsage {
  prompt_tokens: number;
  cached_tokens: number;
  completion_tokens: number;
  /** Hidden reasoning of a reasoning model (`completion_tokens_details.reasoning_tokens`); 0 otherwise. */
  reasoning_tokens: number;
  /** Made through the Batch API (billed at the batch price). */
  batch?: boolean;
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

/**
 * The server refused the configuration, not the item: a 400 (parameter or schema), 401, 403,
 * 404 (model, deployment or URL) or `insufficient_quota`, or a model that spends its whole
 * output budget on reasoning. The same request fails for every item, so the run stops at once and
 * the item is handed back with its attempts untouched. `message` is the server's own, then what
 * to check; `calls` are those already billed.
 */
export class LlmConfigurationError extends Error {
  constructor(
    message: string,
    readonly calls: TokenUsage[] = [],
  ) {
    super(message);
    this.name = 'LlmConfigurationError';
  }
}

/**
 * Not now: the item's request went into a Batch API job, whose answer is ingested later. The
 * item is handed back with its attempts untouched, due again at `until` (when the job must have
 * ended), so no other run takes it meanwhile.
 */
export class EnrichmentDeferredError extends Error {
  constructor(readonly until: Date) {
    super('deferred to a Batch API job');
    this.name = 'EnrichmentDeferredError';
  }
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
