import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { echoedHeadersPage } from './echoed-headers.js';

/**
 * A local OpenAI-compatible server: `POST /v1/chat/completions` with a `json_schema` response
 * format answers JSON valid for the schema it is sent, written from the property data in the
 * user message (as a careful model would: it states only figures it was given, and does not
 * follow instructions inside the data), with realistic `usage` (about 4 characters a token) and
 * configurable latency. On demand: 429 with `retry-after`, 500, an answer that breaks the
 * schema, a refusal, a truncated answer (`finish_reason: "length"`), or a gullible model that
 * obeys injected instructions; or a gateway's 400 page that echoes the request headers (the key
 * among them), as a misconfigured proxy in front of a compatible server can.
 */
export type OpenAiFault = 'ok' | '429' | '500' | 'bad-schema' | 'refusal' | 'length' | 'gullible' | 'echo-headers';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; enum?: unknown[]; required?: string[] };

export class OpenAiSimulator {
  readonly apiKey = 'sim-key-0123456789abcdefghij';
  latencyMs: number;
  calls = 0;
  /** What `GET /v1/models` lists. */
  models = ['gpt-4o-mini', 'gpt-4.1-mini'];
  /** Requests being answered now, and the most there have been at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Told of each request as it arrives (its number, from 1). */
  onRequest: ((n: number) => void) | undefined;
  readonly requests: { model: string; messages: { role: string; content: string }[]; maxTokens: number | undefined }[] = [];
  private readonly faults: OpenAiFault[] = [];
  private server?: http.Server;
  baseUrl = '';

  constructor(options: { latencyMs?: number } = {}) {
    this.latencyMs = options.latencyMs ?? 0;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
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
    const isModels = req.method === 'GET' && req.url?.endsWith('/models');
    if (!isModels && (req.method !== 'POST' || !req.url?.endsWith('/chat/completions'))) return json(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      // As the real API does, the refusal quotes the key back, partly masked.
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      return json(res, 401, { error: { message: `Incorrect API key provided: ${key.slice(0, 3)}****${key.slice(-4)}.`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (isModels) return json(res, 200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })) });
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      model: string;
      messages: { role: string; content: string }[];
      response_format?: { type: string; json_schema?: { name: string; schema: JsonSchema } };
      max_completion_tokens?: number;
      max_tokens?: number;
    };
    this.calls += 1;
    this.onRequest?.(this.calls);
    this.requests.push({ model: body.model, messages: body.messages, maxTokens: body.max_completion_tokens ?? body.max_tokens });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => (this.inFlight -= 1));
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    const fault = this.faults.shift();
    if (fault === '429') {
      res.setHeader('retry-after', '1');
      res.setHeader('x-ratelimit-remaining-requests', '0');
      return json(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } });
    }
    if (fault === 'echo-headers') {
      res.writeHead(400, { 'content-type': 'text/html' });
      res.end(echoedHeadersPage(req, 400));
      return;
    }
    if (fault === '500') return json(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error' } });

    const promptTokens = Math.ceil(body.messages.reduce((n, m) => n + m.content.length + 8, 0) / 4);
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
    const completionTokens = Math.ceil((content ?? refusal ?? '').length / 4);
    json(res, 200, {
      id: `chatcmpl-sim${this.calls}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal }, finish_reason: finish, logprobs: null }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
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
