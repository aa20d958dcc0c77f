/**
 * Which kind of OpenAI-compatible server a base URL points at, and what follows from it: who
 * bills (local servers are free), which output-cap parameter it reads, and the presets the
 * Settings page offers. Facts from `../shared/LLM-SERVERS.md` (audit of 2026-11-29):
 * - OpenAI and Azure read `max_completion_tokens`; reasoning models there refuse `max_tokens`.
 * - Ollama reads only `max_tokens` (`openai/openai.go`, ollama#14464 still open); LM Studio
 *   documents only `max_tokens`; vLLM and current llama.cpp read both.
 * - Azure works with the plain client only at `https://<resource>.openai.azure.com/openai/v1/`
 *   with the deployment name as the model; a classic `/openai/deployments/<name>` URL answers
 *   404 "Resource not found" to every call (MicrosoftDocs/azure-docs#114602).
 */
export const LLM_SERVERS = ['auto', 'openai', 'azure', 'ollama', 'lmstudio', 'vllm', 'compatible'] as const;
export type LlmServerSetting = (typeof LLM_SERVERS)[number];
export type LlmServer = Exclude<LlmServerSetting, 'auto'>;

/** A preset of the Settings page: what it fills in. `model` is an example where no default exists. */
export interface LlmPreset {
  server: LlmServer;
  label: string;
  baseUrl: string;
  model: string;
  /** What else the analyst must do, in a sentence. */
  note: string;
}

export const LLM_PRESETS: LlmPreset[] = [
  { server: 'openai', label: 'OpenAI', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', note: 'Set OPENAI_API_KEY to a project key.' },
  {
    server: 'azure',
    label: 'Azure OpenAI',
    baseUrl: 'https://RESOURCE.openai.azure.com/openai/v1/',
    model: 'DEPLOYMENT',
    note: 'Replace RESOURCE with the resource name and DEPLOYMENT with the deployment name, give the deployment a price in LLM_PRICES, and set OPENAI_API_KEY to the resource key.',
  },
  { server: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', model: 'llama3.1:8b', note: 'Free; Ollama 0.5 or later (structured output). Any OPENAI_API_KEY is accepted.' },
  { server: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', model: 'qwen2.5-7b-instruct', note: 'Free; the model identifier as LM Studio shows it. Any OPENAI_API_KEY is accepted.' },
  { server: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1', model: 'Qwen/Qwen2.5-7B-Instruct', note: 'Free on your own machine; the model as served (`vllm serve <model>`).' },
];

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * Whether a host name is this machine or a private network, by its spelling: `localhost`,
 * `*.localhost`, `*.local`, 127/8, 10/8, 172.16/12, 192.168/16, 169.254/16, `::1`, fc00::/7 and
 * fe80::/10. A public name that resolves to a private address is not recognised: set
 * `LLM_SERVER` then.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return true;
  const v4 = IPV4.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  return host === '::1' || /^f[cd][0-9a-f]{0,2}:/.test(host) || /^fe[89ab][0-9a-f]?:/.test(host);
}

/** Whether the base URL is on loopback or a private network (a server the analyst runs: free). */
export function isLocalBaseUrl(baseUrl: string): boolean {
  try {
    return isLocalHost(new URL(baseUrl).hostname);
  } catch {
    return false;
  }
}

/** The server behind `baseUrl`: the `LLM_SERVER` setting, else guessed from host and port. */
export function resolveLlmServer(baseUrl: string, setting: LlmServerSetting): LlmServer {
  if (setting !== 'auto') return setting;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'compatible';
  }
  const host = url.hostname.toLowerCase();
  if (host === 'api.openai.com') return 'openai';
  if (host.endsWith('.openai.azure.com') || host.endsWith('.cognitiveservices.azure.com') || host.endsWith('.services.ai.azure.com')) return 'azure';
  if (isLocalHost(host)) {
    if (url.port === '11434') return 'ollama';
    if (url.port === '1234') return 'lmstudio';
    if (url.port === '8000') return 'vllm';
  }
  return 'compatible';
}

/**
 * Whether the server needs `max_tokens` for an output cap. OpenAI and Azure read
 * `max_completion_tokens` (and reasoning models refuse `max_tokens`); every other server is sent
 * both, since some read only one of them.
 */
export function needsMaxTokens(server: LlmServer): boolean {
  return server !== 'openai' && server !== 'azure';
}

/** Why an Azure base URL cannot work with the plain OpenAI client, or null when it can. */
export function azureBaseUrlProblem(baseUrl: string): string | null {
  let path: string;
  try {
    path = new URL(baseUrl).pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
  if (path.endsWith('/openai/v1')) return null;
  return 'Azure answers 404 "Resource not found" here: use the v1 endpoint https://<resource>.openai.azure.com/openai/v1/ as OPENAI_BASE_URL and the deployment name as OPENAI_MODEL';
}
