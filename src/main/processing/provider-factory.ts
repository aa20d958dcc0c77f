import type { Settings } from '../../shared/settings.js';
import { OpenAiProvider } from './enrich/openai-provider.js';
import type { EnrichmentProvider } from './enrich/provider.js';
import { RulesProvider } from './enrich/rules-provider.js';
import { costUsd, priceOf } from './pricing.js';

/** The `openai` provider when a key is set, else the rules provider (no network, no cost). */
export function createProvider(settings: Settings): EnrichmentProvider {
  if (!settings.openaiApiKey) return new RulesProvider();
  return new OpenAiProvider({
    apiKey: settings.openaiApiKey,
    baseURL: settings.openaiBaseUrl,
    model: settings.openaiModel,
    maxOutputTokens: settings.llmMaxOutputTokens,
    timeoutMs: settings.openaiTimeoutMs,
    maxRetries: settings.openaiMaxRetries,
  });
}

/** What the first call is expected to cost before any has been seen: ~450 in, ~200 out. */
export function initialCallEstimate(provider: EnrichmentProvider, settings: Settings): number {
  if (provider instanceof RulesProvider) return 0;
  return costUsd({ prompt_tokens: 450, cached_tokens: 0, completion_tokens: 200 }, priceOf(provider.model, settings.llmPrices));
}
