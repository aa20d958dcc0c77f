import { isLocalBaseUrl } from '../../shared/llm-server.js';
import type { TokenUsage } from './enrich/provider.js';

export interface ModelPrice {
  input: number;
  cached_input: number;
  output: number;
}

/** What a call on a server the analyst runs costs: nothing. */
export const FREE: ModelPrice = { input: 0, cached_input: 0, output: 0 };

/**
 * OpenAI's Batch API bills input and output at half the synchronous price ("50% lower costs",
 * https://platform.openai.com/docs/guides/batch).
 */
export const BATCH_PRICE_FACTOR = 0.5;

/**
 * The listed price of a model per million tokens: an exact entry, else the longest listed name
 * the model starts with (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`), else null.
 */
export function listedPrice(model: string, table: Record<string, ModelPrice>): ModelPrice | null {
  if (table[model]) return table[model];
  const prefix = Object.keys(table)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? table[prefix]! : null;
}

/**
 * What `model` is billed at on the server at `baseUrl`: its listed price, else free when the
 * server is on loopback or a private network, else null (never a guess, never $0: the settings
 * check refuses that configuration at start-up).
 */
export function priceOf(model: string, table: Record<string, ModelPrice>, baseUrl: string): ModelPrice | null {
  return listedPrice(model, table) ?? (isLocalBaseUrl(baseUrl) ? FREE : null);
}

/**
 * The cost of one call in US dollars, from the `usage` the API returned. Reasoning tokens are
 * part of `completion_tokens` and billed as output; a Batch API call costs `BATCH_PRICE_FACTOR`.
 */
export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  const uncached = Math.max(0, usage.prompt_tokens - usage.cached_tokens);
  const list = (uncached * price.input + usage.cached_tokens * price.cached_input + usage.completion_tokens * price.output) / 1e6;
  return usage.batch ? list * BATCH_PRICE_FACTOR : list;
}
