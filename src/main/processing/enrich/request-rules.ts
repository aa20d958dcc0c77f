import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { needsMaxTokens, type LlmServer } from '../../../shared/llm-server.js';
import { enrichmentOutputSchema } from './output-schema.js';

/** `OPENAI_REASONING_EFFORT`. */
export type EffortSetting = 'auto' | 'off' | 'none' | 'minimal' | 'low' | 'medium' | 'high';
export type ReasoningEffort = Exclude<EffortSetting, 'auto' | 'off'>;

/**
 * Output tokens allowed for hidden reasoning on top of the answer's own budget
 * (`LLM_MAX_OUTPUT_TOKENS`), by effort. Reasoning counts against `max_completion_tokens`; with
 * too little room the answer comes back empty with `finish_reason: "length"` (OpenAI reasoning
 * guide, "Allocating space for reasoning"). Measured on gpt-5-mini at the default `medium`
 * effort for a task of this size: 960 to 1,408 reasoning tokens (LLM-SERVERS.md §2.2, [S12][S13]);
 * each allowance is about three times what its effort is expected to spend.
 */
export const REASONING_ALLOWANCE: Record<ReasoningEffort, number> = { none: 0, minimal: 1024, low: 2048, medium: 4096, high: 8192 };

/** The temperature sent to models that accept one: mostly factual copy, a little variety. */
const TEMPERATURE = 0.3;

/** What one enrichment request looks like for a model on a server. */
export interface RequestRules {
  model: string;
  /** Sent only to models that accept it (reasoning models refuse anything but the default). */
  temperature: number | undefined;
  reasoningEffort: ReasoningEffort | undefined;
  /** The whole output budget: the answer's, plus room for reasoning. */
  maxCompletionTokens: number;
  /** Also send `max_tokens` (servers that ignore `max_completion_tokens`). */
  sendMaxTokens: boolean;
  /** A fine-tuned model (`ft:`): the schema goes without value constraints. */
  fineTuned: boolean;
}

/**
 * The lowest `reasoning_effort` a reasoning model accepts, which is all this formatting task
 * needs; undefined for a model that does not reason. gpt-5, gpt-5-mini and gpt-5-nano accept
 * minimal/low/medium/high; gpt-5.1 and later also `none`; the o-series low/medium/high
 * (openai-node `ReasoningEffort` docs, LLM-SERVERS.md §2.2). `gpt-5-chat-*` does not reason.
 */
export function lowestEffort(model: string): ReasoningEffort | undefined {
  const base = model.replace(/^ft:/, '');
  if (/^gpt-5\.\d/.test(base)) return 'none';
  if (/^gpt-5(?!-chat)/.test(base)) return 'minimal';
  if (/^o\d/.test(base)) return 'low';
  return undefined;
}

/** The request rules for `model` on `server` under the settings. */
export function requestRules(options: { model: string; server: LlmServer; effort: EffortSetting; maxOutputTokens: number }): RequestRules {
  const { model, server, effort, maxOutputTokens } = options;
  const reasoningEffort = effort === 'auto' ? lowestEffort(model) : effort === 'off' ? undefined : effort;
  return {
    model,
    temperature: reasoningEffort === undefined ? TEMPERATURE : undefined,
    reasoningEffort,
    maxCompletionTokens: maxOutputTokens + (reasoningEffort ? REASONING_ALLOWANCE[reasoningEffort] : 0),
    sendMaxTokens: needsMaxTokens(server),
    fineTuned: model.startsWith('ft:'),
  };
}

const RESPONSE_FORMAT = zodResponseFormat(enrichmentOutputSchema, 'property_enrichment');

/**
 * Keywords fine-tuned models refuse in a strict schema ("For fine-tuned models, we additionally
 * do not support ...", OpenAI Structured Outputs guide, LLM-SERVERS.md §2.1). The bounds stay
 * enforced by our own zod validation of every answer.
 */
const FINE_TUNED_REFUSED = new Set(['minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'patternProperties', 'minItems', 'maxItems']);

function withoutValueConstraints(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutValueConstraints);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !FINE_TUNED_REFUSED.has(key))
      // `properties` maps names to schemas: its keys are field names, never keywords.
      .map(([key, value]) => [key, key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, withoutValueConstraints(v)])) : withoutValueConstraints(value)]),
  );
}

/** The strict `json_schema` response format of the enrichment, as the model can take it. */
export function responseFormat(fineTuned: boolean): ResponseFormatJSONSchema {
  const { json_schema } = RESPONSE_FORMAT;
  return { type: 'json_schema', json_schema: { ...json_schema, ...(fineTuned && { schema: withoutValueConstraints(json_schema.schema) as Record<string, unknown> }) } };
}

/** The Chat Completions body of one call: the same online and in a Batch API line. */
export function chatRequest(rules: RequestRules, messages: ChatCompletionMessageParam[]): ChatCompletionCreateParamsNonStreaming {
  return {
    model: rules.model,
    messages,
    response_format: responseFormat(rules.fineTuned),
    max_completion_tokens: rules.maxCompletionTokens,
    ...(rules.sendMaxTokens && { max_tokens: rules.maxCompletionTokens }),
    ...(rules.temperature !== undefined && { temperature: rules.temperature }),
    ...(rules.reasoningEffort !== undefined && { reasoning_effort: rules.reasoningEffort }),
  };
}
