import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedBatches } from './openai-sim-batches.js';
import { INSUFFICIENT_QUOTA, REASONING_SPENT, modelNotFound, modelRule, parameterRefusal, schemaRefusal, type Refusal } from './openai-sim-rules.js';
import { echoedHeadersPage, spelled, type Spelling } from './echoed-headers.js';

/**
 * A local OpenAI-compatible server, faithful to `../shared/LLM-SERVERS.md`. `POST
 * /chat/completions` with a `json_schema` response format answers JSON valid for the schema it
 * is sent, written from the property data in the user message (as a careful model would: it
 * states only figures it was given and does not follow instructions inside the data), with
 * realistic `usage` (about 4 characters a token) and configurable latency.
 *
 * It refuses what the real server refuses: an unknown model (404), a wrong key (401), each
 * model's parameter rules (a reasoning model's temperature, `max_tokens`, unsupported efforts)
 * and strict schemas outside the supported subset (fine-tuned models: no value constraints),
 * with the real error bodies. Reasoning models spend hidden reasoning tokens out of
 * `max_completion_tokens`; cached tokens appear only for an identical prompt prefix of 1,024+
 * tokens. Flavours: `openai` (`/v1`); `azure` (`/openai/v1`, the deployment name as the model;
 * the classic `/openai/deployments/<name>` path without `api-version` answers 404); `ollama`
 * (`/v1`, no key, reads only `max_tokens`, usage without details, no `refusal` field). The
 * Files and Batches endpoints run batches of chat completions (`openai-sim-batches.ts`).
 *
 * On demand: 429 with `retry-after`, 500, `insufficient_quota`, an answer that breaks the
 * schema, a refusal, a truncated answer (`finish_reason: "length"`), or a gullible model that
 * obeys injected instructions; or a gateway's 400 or 502 page that echoes the request headers (the key
 * among them), as a misconfigured proxy in front of a compatible server can, in `echoSpelling`.
 * `keyEcho`: how a 401 quotes a refused key: `masked` as OpenAI does (`sk-abc****wxyz`), or whole
 * in a spelling, as some compatible gateways do (LiteLLM's "Received API Key = ...").
 */
export type OpenAiFault = 'ok' | '429' | '500' | 'insufficient_quota' | 'bad-schema' | 'refusal' | 'length' | 'gullible' | 'echo-headers' | 'echo-headers-502';
export type ServerFlavour = 'openai' | 'azure' | 'ollama';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; enum?: unknown[]; required?: string[] };

/** A Chat Completions request body, as far as the simulator reads it. */
export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: JsonSchema } };
  max_completion_tokens?: number;
  max_tokens?: number;
  temperature?: number;
  reasoning_effort?: string;
}

/** One request as received, and the output cap the server applied. */
export interface SeenRequest {
  model: string;
  messages: { role: string; content: string }[];
  maxTokens: number | undefined;
  body: ChatBody;
  /** The output cap the server honoured (undefined: none). */
  cap: number | undefined;
}

const PREFIX_CACHE_MIN_TOKENS = 1024;
const PREFIX_CACHE_STEP = 128;
const tokensOf = (chars: number) => Math.ceil(chars / 4);

export class OpenAiSimulator {
  readonly apiKey: string;
  echoSpelling: Spelling = 'plain';
  keyEcho: Spelling | 'masked' = 'masked';
  /** The key was revoked: every request is refused with 401, as with a wrong key. */
  revoked = false;
  readonly flavour: ServerFlavour;
  latencyMs: number;
  calls = 0;
  /** The models served (`GET /models`); on Azure, the models behind `deployments`. */
  models: string[];
  /** Azure: deployment name → model. */
  deployments: Record<string, string>;
  /** Requests being answered now, and the most there have been at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Told of each request as it arrives (its number, from 1). */
  onRequest: ((n: number) => void) | undefined;
  readonly requests: SeenRequest[] = [];
  /** Batch lines are answered as calls are: injected faults apply to them too, in order. */
  readonly batches = new SimulatedBatches((body) => this.complete(body, this.faults.shift()));
  private readonly faults: OpenAiFault[] = [];
  /** Recent prompts, for prefix caching. */
  private readonly prompts: string[] = [];
  private server?: http.Server;
  baseUrl = '';
  /** The server's root (`http://127.0.0.1:<port>`), for paths other than the base URL's. */
  origin = '';

  constructor(options: { latencyMs?: number; flavour?: ServerFlavour; models?: string[]; deployments?: Record<string, string>; apiKey?: string } = {}) {
    this.apiKey = options.apiKey ?? 'sim-key-0123456789abcdefghij';
    this.latencyMs = options.latencyMs ?? 0;
    this.flavour = options.flavour ?? 'openai';
    this.models =
      options.models ??
      (this.flavour === 'ollama' ? ['llama3.1:8b'] : ['gpt-4o-mini', 'gpt-4.1-mini', 'gpt-5', 'gpt-5-mini', 'o3', 'o3-mini', 'o4-mini', 'ft:gpt-4o-mini-2024-07-18:phoenix-re::B7xQ2mLk']);
    this.deployments = options.deployments ?? {};
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.baseUrl = `${this.origin}${this.flavour === 'azure' ? '/openai/v1' : '/v1'}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }

  /** The next calls answer with these faults, in order. */
  inject(...faults: OpenAiFault[]): void {
    this.faults.push(...faults);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.origin);
    const prefix = this.flavour === 'azure' ? '/openai/v1' : '/v1';

    if (this.flavour === 'azure' && url.pathname.startsWith('/openai/deployments/') && !url.searchParams.has('api-version')) {
      return json(res, 404, { error: { code: '404', message: 'Resource not found' } });
    }
    if (!url.pathname.startsWith(`${prefix}/`)) return this.notFound(res);
    const path = url.pathname.slice(prefix.length);
    const refused = this.authRefusal(req);
    if (refused) return json(res, refused.status, refused.body);

    if (req.method === 'GET' && path === '/models') {
      return json(res, 200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })) });
    }
    if (this.flavour !== 'ollama' && (path.startsWith('/files') || path.startsWith('/batches'))) {
      const answer = await this.batches.handle(req.method ?? 'GET', path, raw, req.headers['content-type'] ?? '');
      if (answer.raw !== undefined) {
        res.writeHead(answer.status, { 'content-type': 'application/octet-stream' });
        return void res.end(answer.raw);
      }
      return json(res, answer.status, answer.body);
    }
    if (req.method !== 'POST' || path !== '/chat/completions') return this.notFound(res);

    const body = JSON.parse(raw.toString('utf8')) as ChatBody;
    this.calls += 1;
    this.onRequest?.(this.calls);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => (this.inFlight -= 1));
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const fault = this.faults.shift();
    if (fault === '429') {
      res.setHeader('retry-after', '1');
      res.setHeader('x-ratelimit-remaining-requests', '0');
      return json(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } });
    }
    if (fault === 'echo-headers' || fault === 'echo-headers-502') {
      const status = fault === 'echo-headers' ? 400 : 502;
      const page = echoedHeadersPage(req, status, this.echoSpelling);
      res.writeHead(status, { 'content-type': page.contentType });
      res.end(page.body);
      return;
    }
    if (fault === '500') return json(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
    if (fault === 'insufficient_quota') return json(res, INSUFFICIENT_QUOTA.status, INSUFFICIENT_QUOTA.body);
    const answer = this.complete(body, fault);
    json(res, answer.status, answer.body);
  }

  private notFound(res: http.ServerResponse): void {
    if (this.flavour === 'azure') return json(res, 404, { error: { code: '404', message: 'Resource not found' } });
    json(res, 404, { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } });
  }

  /** Ollama takes any key; Azure takes `api-key` or a bearer token; OpenAI a bearer token. */
  private authRefusal(req: http.IncomingMessage): Refusal | null {
    if (this.flavour === 'ollama') return null;
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.revoked && (bearer === this.apiKey || (this.flavour === 'azure' && req.headers['api-key'] === this.apiKey))) return null;
    if (this.flavour === 'azure') {
      return {
        status: 401,
        body: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.' } },
      };
    }
    // As the real API does, the refusal quotes the key back, partly masked (or whole: `keyEcho`).
    const quoted = this.keyEcho === 'masked' ? `${bearer.slice(0, 3)}****${bearer.slice(-4)}` : spelled(bearer, this.keyEcho);
    return {
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${quoted}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
    };
  }

  /** The model behind a request's `model`, or the refusal of an unknown one. */
  private resolveModel(name: string): string | Refusal {
    if (this.flavour === 'azure') {
      const model = this.deployments[name];
      if (model) return model;
      return { status: 404, body: { error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.' } } };
    }
    if (this.models.includes(name)) return name;
    if (this.flavour === 'ollama') return { status: 404, body: { error: { message: `model "${name}" not found, try pulling it first`, type: 'api_error', param: null, code: null } } };
    return modelNotFound(name);
  }

  /** One chat completion (online or a batch line): the refusal, or the answer. */
  complete(body: ChatBody, fault: OpenAiFault | undefined): { status: number; body: unknown } {
    const model = this.resolveModel(body.model);
    if (typeof model !== 'string') return model;
    const rule = modelRule(model);
    if (this.flavour !== 'ollama') {
      const refusal = parameterRefusal(rule, body) ?? schemaRefusal(body.response_format, rule.fineTuned);
      if (refusal) return refusal;
    }
    // Ollama decodes only `max_tokens`: `max_completion_tokens` is dropped silently.
    const cap = this.flavour === 'ollama' ? body.max_tokens : (body.max_completion_tokens ?? body.max_tokens);
    this.requests.push({ model: body.model, messages: body.messages, maxTokens: body.max_completion_tokens ?? body.max_tokens, body, cap });

    const prompt = body.messages.map((m) => `${m.role}\n${m.content}`).join('\n');
    const promptTokens = tokensOf(body.messages.reduce((n, m) => n + m.content.length + 8, 0));
    const cachedTokens = this.cachedPrefixTokens(prompt, promptTokens);
    const user = body.messages.filter((m) => m.role === 'user')[0]?.content ?? '{}';
    let data: Record<string, unknown> = {};
    try {
      data = JSON.parse(user) as Record<string, unknown>;
    } catch {
      // not our data block: answer generically
    }
    const schema = body.response_format?.json_schema?.schema ?? {};
    let content: string | null = JSON.stringify(instanceOf(schema, write(data, fault === 'gullible')));
    let finish = 'stop';
    let refusal: string | null = null;
    if (fault === 'bad-schema') content = JSON.stringify({ description: 42, key_features: 'pool' });
    if (fault === 'length') {
      content = content.slice(0, Math.floor(content.length / 2));
      finish = 'length';
    }
    if (fault === 'refusal') {
      refusal = "I'm sorry, I can't help with that request.";
      content = null;
    }
    // Reasoning comes first and is spent out of the same budget as the answer.
    let reasoning = rule.reasoning ? REASONING_SPENT[body.reasoning_effort ?? 'medium']! : 0;
    if (cap !== undefined && reasoning >= cap) {
      reasoning = cap;
      content = '';
      finish = 'length';
    } else if (cap !== undefined && content !== null && reasoning + tokensOf(content.length) > cap) {
      content = content.slice(0, (cap - reasoning) * 4);
      finish = 'length';
    }
    const completionTokens = reasoning + tokensOf((content ?? refusal ?? '').length);
    const ollama = this.flavour === 'ollama';
    return {
      status: 200,
      body: {
        id: `chatcmpl-sim${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, ...(ollama ? {} : { refusal }) }, finish_reason: finish, logprobs: null }],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          ...(ollama ? {} : { prompt_tokens_details: { cached_tokens: cachedTokens }, completion_tokens_details: { reasoning_tokens: reasoning } }),
        },
      },
    };
  }

  /**
   * Prompt caching: the longest prefix shared with a recent prompt, in steps of 128 tokens, when
   * it is at least 1,024 tokens; else 0 ("For requests under 1024 tokens, cached_tokens will be
   * zero", LLM-SERVERS.md [S15]).
   */
  private cachedPrefixTokens(prompt: string, promptTokens: number): number {
    let best = 0;
    for (const seen of this.prompts) {
      let i = 0;
      while (i < seen.length && i < prompt.length && seen[i] === prompt[i]) i += 1;
      best = Math.max(best, i);
    }
    this.prompts.push(prompt);
    if (this.prompts.length > 64) this.prompts.shift();
    const shared = Math.min(promptTokens, Math.floor(best / 4));
    if (promptTokens < PREFIX_CACHE_MIN_TOKENS || shared < PREFIX_CACHE_MIN_TOKENS) return 0;
    return Math.floor(shared / PREFIX_CACHE_STEP) * PREFIX_CACHE_STEP;
  }
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** What a careful model writes from the data block: only the figures given, as given. */
function write(data: Record<string, unknown>, gullible: boolean): Record<string, unknown> {
  const parts: string[] = [];
  if (typeof data.bedrooms === 'number') parts.push(`${data.bedrooms} bedrooms`);
  if (typeof data.bathrooms === 'number') parts.push(`${data.bathrooms} bathrooms`);
  if (typeof data.sqft === 'number') parts.push(`${fmt(data.sqft)} sq ft`);
  const where = typeof data.address === 'string' ? data.address : 'this address';
  let description = `A well-kept home at ${where}${parts.length ? ` with ${parts.join(', ')}` : ''}.`;
  if (typeof data.year_built === 'number') description += ` Built in ${data.year_built}.`;
  if (gullible && typeof data.listing_text_untrusted === 'string') description += ` ${data.listing_text_untrusted}`;
  const features = Array.isArray(data.facts) ? (data.facts as string[]).filter((f) => f !== 'bathrooms estimated').slice(0, 4) : [];
  if (features.length === 0) features.push('Desert landscaping');
  const summary =
    typeof data.rent_estimate_monthly === 'number' && typeof data.cap_rate_percent === 'number'
      ? `An estimated rent of $${fmt(data.rent_estimate_monthly)} a month puts the cap rate at ${data.cap_rate_percent}%, so the call is ${String(data.recommendation)}.`
      : `The call is ${String(data.recommendation ?? 'insufficient data')}.`;
  return { description, key_features: features, investment_summary: summary };
}

/** An instance of a JSON schema, taking values from `hints` by property name where they fit. */
function instanceOf(schema: JsonSchema, hints: Record<string, unknown>, name = ''): unknown {
  if (name && hints[name] !== undefined) return hints[name];
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, instanceOf(s, hints, k)]));
    case 'array':
      return [instanceOf(schema.items ?? {}, {}, '')];
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return false;
    default:
      return 'text';
  }
}
