import { azureBaseUrlProblem, isLocalBaseUrl, resolveLlmServer } from '../../shared/llm-server.js';
import type { SettingKey, Settings } from '../../shared/settings.js';
import { priceOf, type ModelPrice } from './pricing.js';

/** Whether enrichment goes to an LLM server: a key is set, or the server is local (no key needed). */
export function usesLlmServer(settings: Settings): boolean {
  return settings.openaiApiKey !== undefined || isLocalBaseUrl(settings.openaiBaseUrl);
}

/**
 * The LLM settings that cannot work together, each with the setting to fix: a model with no
 * price on a paid server (it would be billed at a guess or at $0, which silently switches off the
 * daily budget; this covers `LLM_PRICES='{}'`), an Azure URL that answers 404 to every call, and
 * the Batch API on a server other than OpenAI. Checked at start-up and when settings are saved.
 */
export function llmSettingsProblems(settings: Settings): { key: SettingKey; message: string }[] {
  if (!usesLlmServer(settings)) {
    return settings.llmBatchApi ? [{ key: 'llmBatchApi', message: 'the Batch API needs an OpenAI key: set OPENAI_API_KEY, or turn LLM_BATCH_API off (the rules provider makes no calls)' }] : [];
  }
  const problems: { key: SettingKey; message: string }[] = [];
  const { openaiModel: model, openaiBaseUrl: baseUrl } = settings;
  const server = resolveLlmServer(baseUrl, settings.llmServer);
  if (server === 'azure') {
    const problem = azureBaseUrlProblem(baseUrl);
    if (problem) problems.push({ key: 'openaiBaseUrl', message: problem });
  }
  if (!priceOf(model, settings.llmPrices, baseUrl)) {
    problems.push({
      key: 'llmPrices',
      message: `no price for OPENAI_MODEL "${model}" on ${new URL(baseUrl).host}, which is not a local server: add "${model}": {"input": ..., "cached_input": ..., "output": ...} (US dollars per million tokens) to LLM_PRICES, or choose a listed model`,
    });
  }
  if (settings.llmBatchApi && server !== 'openai') {
    problems.push({ key: 'llmBatchApi', message: `the Batch API is used only with OpenAI (LLM_SERVER is ${server}): turn LLM_BATCH_API off` });
  }
  return problems;
}

/** The price `settings` bill the model at; throws when there is none (the settings check prevents that). */
export function modelPrice(settings: Settings, model: string): ModelPrice {
  const price = priceOf(model, settings.llmPrices, settings.openaiBaseUrl);
  if (!price) throw new Error(`no price for ${model} in LLM_PRICES`);
  return price;
}
