import { APIError } from 'openai';
import { LlmConfigurationError } from './provider.js';

/**
 * What to check for each configuration error the server can answer. 400 is a parameter or the
 * schema (the `param` field says which); 401 a key; 403 a key's rights; 404 the model, the Azure
 * deployment or the URL; `insufficient_quota` (a 429 that waiting does not cure) the account.
 */
function hint(status: number, param: string | null | undefined): string {
  if (status === 401) return 'OPENAI_API_KEY (a key of this server; Azure: the resource key)';
  if (status === 403) return "the key's access to this model and project (OPENAI_API_KEY, OPENAI_MODEL)";
  if (status === 404) return 'OPENAI_MODEL (the model, or on Azure the deployment name) and OPENAI_BASE_URL (Azure: https://<resource>.openai.azure.com/openai/v1/)';
  if (param === 'temperature' || param === 'reasoning_effort') return 'OPENAI_REASONING_EFFORT and OPENAI_MODEL (reasoning models take no temperature and only some efforts)';
  if (param === 'max_tokens' || param === 'max_completion_tokens') return 'LLM_SERVER (which output-cap parameter the server reads) and LLM_MAX_OUTPUT_TOKENS';
  if (param === 'response_format') return 'that OPENAI_MODEL supports structured output with a strict JSON schema';
  return 'OPENAI_MODEL, OPENAI_BASE_URL and LLM_SERVER';
}

/**
 * The server's words, readable: a gateway's HTML error page loses its tags, and a key the server
 * quoted back, even partly masked (`sk-****abcd`), is dropped.
 */
function readable(message: string): string {
  return message
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\S*\*{3,}\S*/g, '(key hidden)');
}

/**
 * The configuration error behind a failed call, or null when the failure is transient (429,
 * 5xx, timeouts, connection errors: the SDK and then the queue retry those with backoff).
 */
export function configurationErrorOf(error: unknown): LlmConfigurationError | null {
  if (!(error instanceof APIError) || error.status === undefined) return null;
  const quota = error.status === 429 && (error.code === 'insufficient_quota' || error.type === 'insufficient_quota');
  if (!quota && ![400, 401, 403, 404].includes(error.status)) return null;
  const body = error.error as { message?: unknown } | undefined;
  const said = typeof body?.message === 'string' ? body.message : error.message;
  const check = quota ? "the account's plan, billing and quota" : hint(error.status, error.param);
  const text = readable(said).trim();
  return new LlmConfigurationError(`LLM server refused the configuration (HTTP ${error.status}${error.param ? `, ${error.param}` : ''}): ${/[.!?]$/.test(text) ? text : `${text}.`} Check ${check}.`);
}
