import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmServer } from '../../../shared/llm-server.js';
import { fetchWithin } from '../../collectors/import/bounded-read.js';
import { configurationErrorOf } from './llm-errors.js';
import { enrichmentOutputSchema, type EnrichmentOutput } from './output-schema.js';
import { PROMPT_VERSION, SYSTEM_INSTRUCTIONS, buildUserMessage } from './prompt.js';
import { EnrichmentRejectedError, LlmConfigurationError, type EnrichmentInput, type EnrichmentProvider, type EnrichmentResult, type TokenUsage } from './provider.js';
import { chatRequest, requestRules, type EffortSetting, type RequestRules } from './request-rules.js';

export interface OpenAiProviderOptions {
  apiKey: string;
  baseURL: string;
  model: string;
  /** Which server `baseURL` is (`LLM_SERVER`, resolved). */
  server: LlmServer;
  /** `OPENAI_REASONING_EFFORT`. */
  reasoningEffort: EffortSetting;
  /** The answer's own output budget; reasoning models get room for reasoning on top. */
  maxOutputTokens: number;
  timeoutMs: number;
  /** Retries of 429, 5xx, connection errors and timeouts: the SDK's own, honouring `retry-after`. */
  maxRetries: number;
}

/** What one answer turned out to be. */
export type AnswerVerdict = { kind: 'ok'; output: EnrichmentOutput } | { kind: 'bad'; detail: string; content: string } | { kind: 'refused'; detail: string };

/**
 * Enrichment through any OpenAI-compatible server (OpenAI, Azure, Ollama, LM Studio, vLLM) with
 * structured output, each request shaped for its model and server (`request-rules.ts`). Retries
 * are layered so they don't multiply: transport failures (429 with `retry-after`, 5xx, timeouts)
 * are the SDK's (`maxRetries`); an answer that breaks the schema or is cut off gets one repair
 * call here; a refusal or a second bad answer is rejected, and the item goes to review. A
 * configuration error (400, 401, 403, 404, `insufficient_quota`) is thrown as
 * `LlmConfigurationError`: it is never retried.
 */
export class OpenAiProvider implements EnrichmentProvider {
  readonly model: string;
  readonly promptVersion = PROMPT_VERSION;
  readonly rules: RequestRules;
  private readonly client: OpenAI;

  constructor(options: OpenAiProviderOptions) {
    this.model = options.model;
    this.rules = requestRules({ model: options.model, server: options.server, effort: options.reasoningEffort, maxOutputTokens: options.maxOutputTokens });
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: options.maxRetries, fetch: fetchWithin('llm', isFileContent) });
  }

  /** The SDK client, for the Batch API's files and batches (a result file's reader bounds it: `llm_batch_file`). */
  get api(): OpenAI {
    return this.client;
  }

  async enrich(input: EnrichmentInput, signal?: AbortSignal): Promise<EnrichmentResult> {
    const messages = this.messages(input);
    const calls: TokenUsage[] = [];
    return this.settle(messages, await this.call(messages, calls, signal), calls, signal);
  }

  /**
   * Test connection: one tiny call with the enrichment's own request shape (parameters and
   * schema), no retry. Says whether the server takes it and the answer fits the schema, or the
   * server's refusal and what to check.
   */
  async probe(timeoutMs = 20_000): Promise<{ ok: boolean; detail: string }> {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM_INSTRUCTIONS },
      { role: 'user', content: JSON.stringify({ address: '100 W Washington St, Phoenix, AZ 85003', type: 'single_family', bedrooms: 3, sqft: 1500, facts: ['Pool'] }) },
    ];
    let completion: ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(chatRequest(this.rules, messages), { maxRetries: 0, timeout: timeoutMs });
    } catch (error) {
      return { ok: false, detail: configurationErrorOf(error)?.message ?? (error as Error).message };
    }
    const calls: TokenUsage[] = [];
    let verdict: AnswerVerdict;
    try {
      verdict = judgeCompletion(completion, calls);
    } catch (error) {
      return { ok: false, detail: (error as Error).message };
    }
    const u = calls[0];
    const tokens = u ? `; ${u.prompt_tokens} in, ${u.completion_tokens} out${u.reasoning_tokens ? ` (${u.reasoning_tokens} reasoning)` : ''}` : '';
    const shape = [this.rules.reasoningEffort ? `reasoning_effort ${this.rules.reasoningEffort}` : `temperature ${this.rules.temperature}`, this.rules.fineTuned ? 'schema without value constraints (fine-tuned)' : 'strict schema'].join(', ');
    if (verdict.kind === 'ok') return { ok: true, detail: `${this.model} accepted the request (${shape}) and answered to the schema${tokens}` };
    return { ok: false, detail: `${this.model} accepted the request (${shape}) but the answer was unusable: ${verdict.detail}${tokens}` };
  }

  /** The two messages of an item's first call. */
  messages(input: EnrichmentInput): ChatCompletionMessageParam[] {
    return [
      { role: 'system', content: SYSTEM_INSTRUCTIONS },
      { role: 'user', content: buildUserMessage(input) },
    ];
  }

  /**
   * Finish an item from its first answer (made online or in a batch, already in `calls`): use
   * it, or make the one repair call, or reject.
   */
  async settle(messages: ChatCompletionMessageParam[], first: AnswerVerdict, calls: TokenUsage[], signal?: AbortSignal): Promise<EnrichmentResult> {
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
  private async call(messages: ChatCompletionMessageParam[], calls: TokenUsage[], signal?: AbortSignal): Promise<AnswerVerdict> {
    let completion: ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(chatRequest(this.rules, messages), { signal });
    } catch (error) {
      const config = configurationErrorOf(error);
      if (config) throw new LlmConfigurationError(config.message, calls);
      throw error;
    }
    return judgeCompletion(completion, calls);
  }
}

/**
 * Bill a completion into `calls` and judge its answer. A reasoning model that spent its whole
 * budget on reasoning and wrote nothing is a configuration error: every item would do the same.
 */
export function judgeCompletion(completion: ChatCompletion, calls: TokenUsage[], batch = false): AnswerVerdict {
  const usage = completion.usage ? toUsage(completion.usage, batch) : undefined;
  if (usage) calls.push(usage);
  const choice = completion.choices[0];
  if (!choice) return { kind: 'bad', detail: 'no choice in the answer', content: '' };
  const content = choice.message.content ?? '';
  if (choice.message.refusal) return { kind: 'refused', detail: choice.message.refusal.slice(0, 200) };
  if (choice.finish_reason === 'length') {
    if (content === '' && usage && usage.reasoning_tokens > 0 && usage.reasoning_tokens >= usage.completion_tokens) {
      throw new LlmConfigurationError(
        `${completion.model} spent its whole output budget (${usage.completion_tokens} tokens) on reasoning and wrote no answer. Check OPENAI_REASONING_EFFORT (lower) and LLM_MAX_OUTPUT_TOKENS (higher).`,
        calls,
      );
    }
    return { kind: 'bad', detail: 'cut off at the output token limit', content };
  }
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

function toUsage(usage: OpenAI.CompletionUsage, batch: boolean): TokenUsage {
  return {
    prompt_tokens: usage.prompt_tokens,
    cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    completion_tokens: usage.completion_tokens,
    reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    ...(batch && { batch: true }),
  };
}

/** A Batch API result file (`GET /files/{id}/content`): bounded by its reader, not as a completion. */
function isFileContent(url: string): boolean {
  return /\/files\/[^/]+\/content$/.test(new URL(url).pathname);
}
