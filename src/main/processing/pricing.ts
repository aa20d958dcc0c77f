import type { TokenUsage } from './enrich/provider.js';

export interface ModelPrice {
  input: number;
  cached_input: number;
  output: number;
}

/**
 * The price of a model per million tokens: an exact entry, else the longest listed name the
 * model starts with (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`), else the highest listed prices,
 * so an unknown model is never billed as free.
 */
export function priceOf(model: string, table: Record<string, ModelPrice>): ModelPrice {
  if (table[model]) return table[model];
  const prefix = Object.keys(table)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix) return table[prefix]!;
  const prices = Object.values(table);
  return {
    input: Math.max(0, ...prices.map((p) => p.input)),
    cached_input: Math.max(0, ...prices.map((p) => p.cached_input)),
    output: Math.max(0, ...prices.map((p) => p.output)),
  };
}

/** The cost of one call in US dollars, from the `usage` the API returned. */
export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  const uncached = Math.max(0, usage.prompt_tokens - usage.cached_tokens);
  return (uncached * price.input + usage.cached_tokens * price.cached_input + usage.completion_tokens * price.output) / 1e6;
}
