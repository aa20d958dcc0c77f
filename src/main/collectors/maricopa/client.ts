import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, type BackoffPolicy } from '../../../shared/backoff.js';
import type { Metrics } from '../../observability/metrics.js';
import { SlidingWindowLimiter, type RateLimit } from '../sliding-window-limiter.js';
import { compactApn, normalizeApn } from './apn.js';
import { MaricopaAuthError, MaricopaHttpError, MaricopaNotFoundError, MaricopaPayloadError, truncate } from './errors.js';
import { MissingKeyError } from '../required-keys.js';
import { InputTooLargeError, answerTextWithin } from '../import/bounded-read.js';
import { apnInPayload, parseSearchResults, readParcelPayload, readResidentialDetails, readValuations, type ParcelPayload, type SearchHit } from './payload.js';

export const MARICOPA_PAGE_SIZE = 25;

/** What each part endpoint of a parcel answers (MaricopaClient.getParcelPart). */
export interface ParcelPartAnswer {
  'residential-details': NonNullable<ParcelPayload['ResidentialPropertyData']>;
  valuations: NonNullable<ParcelPayload['Valuations']>;
}
export type ParcelPart = keyof ParcelPartAnswer;

export interface MaricopaClientOptions {
  baseUrl: string;
  token: string | undefined;
  rateLimit: RateLimit;
  timeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Longest `Retry-After` we honour before giving up on that request. */
  maxRetryAfterMs?: number;
  metrics?: Pick<Metrics, 'apiRequests' | 'apiRequestDuration' | 'rateLimitWait'>;
  random?: () => number;
}

/** What one GET returned: the parsed JSON body and whether it came after retries. */
interface JsonAnswer {
  body: unknown;
  text: string;
}

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);

/**
 * The Maricopa County Assessor API: `AUTHORIZATION: <token>` and `user-agent: null` headers,
 * every request through a sliding-window rate limit, retries with exponential backoff and full
 * jitter on 429, 5xx and network errors (honouring `Retry-After`), and answers validated.
 */
export class MaricopaClient {
  private readonly limiter: SlidingWindowLimiter;
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly options: MaricopaClientOptions) {
    this.limiter = new SlidingWindowLimiter(options.rateLimit);
    this.maxAttempts = options.maxAttempts ?? 4;
    this.backoff = options.backoff ?? { baseMs: 1000, maxMs: 30_000, jitter: 'full' };
  }

  /** One page (25 hits) of `/search/property/?q=`. */
  async searchProperties(query: string, page: number, signal?: AbortSignal): Promise<{ hits: SearchHit[]; raw: unknown }> {
    const endpoint = `/search/property/?q=${encodeURIComponent(query)}&page=${page}`;
    const answer = await this.getJson(endpoint, signal);
    try {
      return { hits: parseSearchResults(answer.body), raw: answer.body };
    } catch (error) {
      throw new MaricopaPayloadError(endpoint, (error as Error).message, answer.text);
    }
  }

  /**
   * Everything about one parcel, validated (readParcelPayload); the payload is returned as
   * received. Throws MaricopaPayloadError for an answer that is not a `/parcel` answer or that
   * names another parcel than the one asked for (apnInPayload).
   */
  async getParcel(apn: string, signal?: AbortSignal): Promise<{ payload: ParcelPayload; raw: Record<string, unknown> }> {
    const endpoint = `/parcel/${compactApn(normalizeApn(apn))}`;
    const answer = await this.getJson(endpoint, signal);
    let payload: ParcelPayload;
    try {
      payload = readParcelPayload(answer.body);
      const named = apnInPayload(payload);
      if (named !== null && named !== normalizeApn(apn)) throw new Error(`the answer is for parcel ${named}, not ${normalizeApn(apn)}`);
    } catch (error) {
      throw new MaricopaPayloadError(endpoint, (error as Error).message, answer.text);
    }
    return { payload, raw: answer.body as Record<string, unknown> };
  }

  /**
   * One part of a parcel from its own endpoint (`/parcel/<apn>/residential-details`: the
   * `ResidentialPropertyData` object; `/parcel/<apn>/valuations`: the `Valuations` array), validated
   * (readResidentialDetails, readValuations). Throws MaricopaPayloadError for an answer that is not
   * that part.
   */
  async getParcelPart<P extends ParcelPart>(apn: string, part: P, signal?: AbortSignal): Promise<ParcelPartAnswer[P]> {
    const endpoint = `/parcel/${compactApn(normalizeApn(apn))}/${part}`;
    const answer = await this.getJson(endpoint, signal);
    try {
      return (part === 'valuations' ? readValuations(answer.body) : readResidentialDetails(answer.body)) as ParcelPartAnswer[P];
    } catch (error) {
      throw new MaricopaPayloadError(endpoint, (error as Error).message, answer.text);
    }
  }

  async stop(): Promise<void> {
    await this.limiter.stop();
  }

  private async getJson(endpoint: string, signal?: AbortSignal): Promise<JsonAnswer> {
    if (!this.options.token) throw new MissingKeyError('maricopa_api', ['MARICOPA_API_TOKEN']);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.limiter.schedule(() => this.attempt(endpoint, signal), signal, (ms) =>
        this.options.metrics?.rateLimitWait.inc({ source: 'maricopa_api' }, ms / 1000),
      );
      if (outcome.kind === 'ok') return outcome.answer;
      if (attempt >= this.maxAttempts || outcome.kind === 'fatal') throw outcome.error;
      const backoff = backoffDelayMs(attempt, this.backoff, this.options.random);
      const retryAfter = outcome.retryAfterMs ?? 0;
      if (retryAfter > (this.options.maxRetryAfterMs ?? 120_000)) throw outcome.error;
      await sleep(Math.max(backoff, retryAfter), undefined, { signal });
    }
  }

  private async attempt(
    endpoint: string,
    signal?: AbortSignal,
  ): Promise<{ kind: 'ok'; answer: JsonAnswer } | { kind: 'retry' | 'fatal'; error: Error; retryAfterMs?: number }> {
    const started = performance.now();
    const record = (status: string) => {
      this.options.metrics?.apiRequests.inc({ source: 'maricopa_api', status });
      this.options.metrics?.apiRequestDuration.observe({ source: 'maricopa_api' }, (performance.now() - started) / 1000);
    };
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    try {
      res = await fetch(new URL(endpoint, this.options.baseUrl), {
        headers: { AUTHORIZATION: this.options.token!, 'user-agent': 'null', accept: 'application/json' },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      const reason = timeout.aborted ? `timed out after ${this.options.timeoutMs} ms` : `network error: ${(error as Error).message}`;
      record(timeout.aborted ? 'timeout' : 'network_error');
      return { kind: 'retry', error: new MaricopaHttpError(endpoint, null, reason) };
    }
    let text = '';
    try {
      text = await answerTextWithin(res, 'maricopa_api', endpoint);
    } catch (error) {
      // A body cut off by the network reads as empty, as before; one over the bound is refused.
      if (error instanceof InputTooLargeError) {
        record('too_large');
        return { kind: 'fatal', error };
      }
    }
    record(String(res.status));
    if (res.status === 500 && /unauthorized access/i.test(text)) return { kind: 'fatal', error: new MaricopaAuthError() };
    if (res.status === 404) return { kind: 'fatal', error: new MaricopaNotFoundError(endpoint) };
    if (!res.ok) {
      const error = new MaricopaHttpError(endpoint, res.status, `HTTP ${res.status}: ${truncate(text, 120)}`);
      if (!RETRYABLE.has(res.status) && res.status !== 403) return { kind: 'fatal', error };
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      return { kind: 'retry', error, ...(retryAfterMs !== undefined && { retryAfterMs }) };
    }
    try {
      return { kind: 'ok', answer: { body: JSON.parse(text), text } };
    } catch {
      return { kind: 'fatal', error: new MaricopaPayloadError(endpoint, 'body is not JSON', text) };
    }
  }
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
