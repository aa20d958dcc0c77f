import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { enrichmentOutputSchema, type EnrichmentOutput } from './output-schema.js';
import { PROMPT_VERSION, SYSTEM_INSTRUCTIONS, buildUserMessage } from './prompt.js';
import { EnrichmentRejectedError, type EnrichmentInput, type EnrichmentProvider, type EnrichmentResult, type TokenUsage } from './provider.js';

export interface OpenAiProviderOptions {
  apiKey: string;
  baseURL: string;
  model: string;
  maxOutputTokens: number;
  timeoutMs: number;
  /** Retries of 429, 5xx, connection errors and timeouts: the SDK's own, honouring `retry-after`. */
  maxRetries: number;
}

const RESPONSE_FORMAT = zodResponseFormat(enrichmentOutputSchema, 'property_enrichment');

/**
 * Enrichment through any OpenAI-compatible server (OpenAI, Azure, Ollama, LM Studio, vLLM) with
 * structured output. Retries are layered so they don't multiply: transport failures (429 with
 * `retry-after`, 5xx, timeouts) are the SDK's (`maxRetries`); an answer that breaks the schema
 * or is cut off gets one repair call here; a refusal or a second bad answer is rejected, and the
 * item goes to review. The queue's backoff only sees what the SDK gave up on.
 */
export class OpenAiProvider implements EnrichmentProvider {
  readonly model: string;
  readonly promptVersion = PROMPT_VERSION;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.model = options.model;
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: options.maxRetries });
  }

  async enrich(input: EnrichmentInput, signal?: AbortSignal): Promise<EnrichmentResult> {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM_INSTRUCTIONS },
      { role: 'user', content: buildUserMessage(input) },
    ];
    const calls: TokenUsage[] = [];
    const first = await this.call(messages, calls, signal);
    if (first.kind === 'ok') return { output: first.output, calls };
    if (first.kind === 'refused') throw new EnrichmentRejectedError(`model refused: ${first.detail}`, calls);

    const repair = await this.call(
      [
        ...messages,
        { role: 'assistant', content: first.content || '(empty)' },
        { role: 'user', content: `That answer was unusable (${first.detail}). Reply again with only the JSON object, shorter, matching the schema.` },
      ],
      calls,
      signal,
    );
    if (repair.kind === 'ok') return { output: repair.output, calls };
    throw new EnrichmentRejectedError(`unusable answer after one repair: ${repair.kind === 'refused' ? `refused: ${repair.detail}` : repair.detail}`, calls);
  }

  /**
   * One call with the schema as `json_schema` response format. `create` rather than `parse`, so
   * a bad answer still has its content (for the repair) and its usage (it is billed).
   */
  private async call(
    messages: ChatCompletionMessageParam[],
    calls: TokenUsage[],
    signal?: AbortSignal,
  ): Promise<{ kind: 'ok'; output: EnrichmentOutput } | { kind: 'bad'; detail: string; content: string } | { kind: 'refused'; detail: string }> {
    const completion = await this.client.chat.completions.create(
      { model: this.model, messages, response_format: RESPONSE_FORMAT, max_completion_tokens: this.options.maxOutputTokens, temperature: 0.3 },
      { signal },
    );
    if (completion.usage) calls.push(toUsage(completion.usage));
    const choice = completion.choices[0];
    if (!choice) return { kind: 'bad', detail: 'no choice in the answer', content: '' };
    const content = choice.message.content ?? '';
    if (choice.message.refusal) return { kind: 'refused', detail: choice.message.refusal.slice(0, 200) };
    if (choice.finish_reason === 'length') return { kind: 'bad', detail: 'cut off at the output token limit', content };
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch {
      return { kind: 'bad', detail: 'not JSON', content };
    }
    const parsed = enrichmentOutputSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { kind: 'bad', detail: `schema: ${issue.path.join('.') || '(root)'}: ${issue.message}`, content };
    }
    return { kind: 'ok', output: parsed.data };
  }
}

function toUsage(usage: OpenAI.CompletionUsage): TokenUsage {
  return {
    prompt_tokens: usage.prompt_tokens,
    cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    completion_tokens: usage.completion_tokens,
  };
}
