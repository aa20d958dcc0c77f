import { resolveLlmServer } from '../../shared/llm-server.js';
import type { Settings } from '../../shared/settings.js';
import { OpenAiProvider } from './enrich/openai-provider.js';
import type { EnrichmentProvider } from './enrich/provider.js';
import { REASONING_ALLOWANCE } from './enrich/request-rules.js';
import { RulesProvider } from './enrich/rules-provider.js';
import { modelPrice, usesLlmServer } from './llm-settings.js';
import { costUsd } from './pricing.js';

/**
 * The `openai` provider when a key is set or the server is local (Ollama, LM Studio and vLLM take
 * any key), else the rules provider (no network, no cost).
 */
export function createProvider(settings: Settings): EnrichmentProvider {
  if (!usesLlmServer(settings)) return new RulesProvider();
  return new OpenAiProvider({
    // Local servers ignore the key, but the SDK requires one.
    apiKey: settings.openaiApiKey ?? 'no-key',
    baseURL: settings.openaiBaseUrl,
    model: settings.openaiModel,
    server: resolveLlmServer(settings.openaiBaseUrl, settings.llmServer),
    reasoningEffort: settings.openaiReasoningEffort,
    maxOutputTokens: settings.llmMaxOutputTokens,
    timeoutMs: settings.openaiTimeoutMs,
    maxRetries: settings.openaiMaxRetries,
  });
}

/**
 * What the first call is expected to cost before any has been seen: ~450 in, ~200 out, plus for
 * a reasoning model a third of its reasoning allowance (the allowance is about three times what
 * the effort is expected to spend).
 */
export function initialCallEstimate(provider: EnrichmentProvider, settings: Settings): number {
  if (!(provider instanceof OpenAiProvider)) return 0;
  const effort = provider.rules.reasoningEffort;
  const reasoning = effort ? Math.round(REASONING_ALLOWANCE[effort] / 3) : 0;
  return costUsd({ prompt_tokens: 450, cached_tokens: 0, completion_tokens: 200 + reasoning, reasoning_tokens: reasoning }, modelPrice(settings, provider.model));
}
