import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { contentHash } from '../../db/content-hash.js';
import { judgeCompletion, type OpenAiProvider } from '../enrich/openai-provider.js';
import { EnrichmentDeferredError, LlmConfigurationError, type EnrichmentInput, type EnrichmentProvider, type EnrichmentResult, type TokenUsage } from '../enrich/provider.js';
import { chatRequest } from '../enrich/request-rules.js';
import type { Clock } from '../../runtime/clock.js';

/**
 * The submitting half of a Batch API run: instead of calling the model, each item's first
 * request (the same body as online) becomes a line of the batch, keyed by the hash of the
 * model's input, and the item is handed back held until `holdUntil`.
 */
export class BatchSubmitProvider implements EnrichmentProvider {
  readonly model: string;
  readonly promptVersion: string;
  /** `custom_id` (the input's content hash) → the Chat Completions body. */
  readonly lines = new Map<string, ChatCompletionCreateParamsNonStreaming>();

  constructor(
    private readonly online: OpenAiProvider,
    private readonly holdUntil: Date,
  ) {
    this.model = online.model;
    this.promptVersion = online.promptVersion;
  }

  enrich(input: EnrichmentInput): Promise<EnrichmentResult> {
    this.lines.set(contentHash(input), chatRequest(this.online.rules, this.online.messages(input)));
    return Promise.reject(new EnrichmentDeferredError(this.holdUntil));
  }
}

/** One line of a finished batch: an answer, or the server's refusal of that request. */
export type BatchLine = { kind: 'answer'; completion: ChatCompletion } | { kind: 'refused'; status: number; message: string; code: string | null; param: string | null };

/** HTTP statuses of a batch line that are the configuration's fault, as online (`llm-errors.ts`). */
const CONFIGURATION_STATUSES = new Set([400, 401, 403, 404]);

/**
 * The ingesting half: an item's answer comes from the batch (billed at the batch price) and goes
 * through the same judgement and repair path as an online answer (a repair is an online call). An
 * item with no answer (the batch expired or failed before it, or its data changed since) is
 * requeued; a line refused for the configuration stops the ingestion like an online refusal.
 */
export class BatchAnswerProvider implements EnrichmentProvider {
  readonly model: string;
  readonly promptVersion: string;
  requeued = 0;

  constructor(
    private readonly online: OpenAiProvider,
    private readonly answers: Map<string, BatchLine>,
    private readonly clock: Clock,
  ) {
    this.model = online.model;
    this.promptVersion = online.promptVersion;
  }

  async enrich(input: EnrichmentInput, signal?: AbortSignal): Promise<EnrichmentResult> {
    const line = this.answers.get(contentHash(input));
    if (!line || (line.kind === 'refused' && !CONFIGURATION_STATUSES.has(line.status))) {
      this.requeued += 1;
      throw new EnrichmentDeferredError(this.clock());
    }
    if (line.kind === 'refused') {
      throw new LlmConfigurationError(`LLM server refused the batch's requests (HTTP ${line.status}${line.param ? `, ${line.param}` : ''}): ${line.message} Check OPENAI_MODEL and OPENAI_REASONING_EFFORT.`);
    }
    const calls: TokenUsage[] = [];
    const verdict = judgeCompletion(line.completion, calls, true);
    return this.online.settle(this.online.messages(input), verdict, calls, signal);
  }
}
