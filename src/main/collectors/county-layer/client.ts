import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import { backoffDelayMs, type BackoffPolicy } from '../../../shared/backoff.js';
import type { Metrics } from '../../observability/metrics.js';
import { InputTooLargeError, answerTextWithin } from '../import/bounded-read.js';
import { truncate } from '../maricopa/errors.js';
import { CountyLayerHttpError, CountyLayerPayloadError, CountyLayerRefusedError } from './errors.js';
import { countAnswerSchema, errorBodySchema, layerInfoSchema, queryPageSchema, type LayerInfo, type QueryPage } from './payload.js';

export const COUNTY_LAYER_SOURCE = 'county_layer' as const;

/** A rectangle in WGS 84 degrees: `west`/`east` longitudes, `south`/`north` latitudes. */
export interface BoundingBox {
  west: number;
  south: number;
  east: number;
  north: number;
}

/** Which parcels a query asks for: an SQL `where` on the layer's fields, and optionally a box they intersect. */
export interface LayerFilter {
  where: string;
  bbox?: BoundingBox;
}

/** One page to ask for: `offset` records skipped, at most `count` (never above the layer's `maxRecordCount`). */
export interface PageRequest {
  offset: number;
  count: number;
  outFields: readonly string[];
  /** Ask for geometry (in WGS 84, `outSR=4326`): only when the layer has no LATITUDE/LONGITUDE fields. */
  returnGeometry: boolean;
}

export interface CountyLayerClientOptions {
  /** The layer (`…/Parcels/MapServer/0`), without `/query`. */
  layerUrl: string;
  timeoutMs: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  metrics?: Pick<Metrics, 'apiRequests' | 'apiRequestDuration'>;
  /** Called once per request sent (and once more for one that failed), for the day's request counts. */
  onRequest?: (failed: boolean) => Promise<void>;
  random?: () => number;
}

type Attempt = { kind: 'ok'; body: unknown; text: string } | { kind: 'retry' | 'fatal'; error: Error };

/**
 * The county's ArcGIS parcel layer (public, no key): its description (`?f=json`), counts
 * (`returnCountOnly`) and pages (`resultOffset`/`resultRecordCount`, ordered by APN) as GET
 * requests with `f=json`. Answers are read within their bound (UPSTREAM_ANSWER_LIMITS), validated
 * (payload.ts), and an ArcGIS error body (HTTP 200 with `{"error":…}`) is thrown as
 * CountyLayerRefusedError. Time-outs, network errors, 5xx answers and 5xx error bodies are retried
 * with exponential backoff and full jitter; a refusal of the request (4xx) is not.
 */
export class CountyLayerClient {
  private readonly maxAttempts: number;
  private readonly backoff: BackoffPolicy;

  constructor(private readonly options: CountyLayerClientOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.backoff = options.backoff ?? { baseMs: 1000, maxMs: 15_000, jitter: 'full' };
  }

  /** The layer's description: its fields and `maxRecordCount`. */
  async layerInfo(signal?: AbortSignal): Promise<LayerInfo> {
    return this.getParsed(this.options.layerUrl, { f: 'json' }, 'its description (?f=json)', layerInfoSchema, signal);
  }

  /** How many parcels `filter` matches (`returnCountOnly=true`). */
  async count(filter: LayerFilter, signal?: AbortSignal): Promise<number> {
    const answer = await this.getParsed(`${this.options.layerUrl}/query`, { ...filterParams(filter), returnCountOnly: 'true', f: 'json' }, `the count of ${describe(filter)}`, countAnswerSchema, signal);
    return answer.count;
  }

  /** One page of parcels matching `filter`, ordered by APN so that offsets stay put between pages. */
  async page(filter: LayerFilter, page: PageRequest, signal?: AbortSignal): Promise<QueryPage> {
    const params = {
      ...filterParams(filter),
      outFields: page.outFields.join(','),
      orderByFields: 'APN ASC',
      resultOffset: String(page.offset),
      resultRecordCount: String(page.count),
      returnGeometry: String(page.returnGeometry),
      ...(page.returnGeometry && { outSR: '4326' }),
      f: 'json',
    };
    return this.getParsed(`${this.options.layerUrl}/query`, params, `the page at offset ${page.offset} of ${describe(filter)}`, queryPageSchema, signal);
  }

  private async getParsed<S extends z.ZodType>(base: string, params: Record<string, string>, where: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
    const url = `${base}?${new URLSearchParams(params).toString()}`;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(url, where, signal);
      if (outcome.kind === 'ok') {
        const parsed = schema.safeParse(outcome.body);
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0]!;
        throw new CountyLayerPayloadError(where, `not the answer asked for (${issue.path.join('.') || 'the body'}: ${issue.message})`, outcome.text);
      }
      await this.options.onRequest?.(true);
      if (outcome.kind === 'fatal' || attempt >= this.maxAttempts) throw outcome.error;
      await sleep(backoffDelayMs(attempt, this.backoff, this.options.random), undefined, { signal });
    }
  }

  private async attempt(url: string, where: string, signal?: AbortSignal): Promise<Attempt> {
    const started = performance.now();
    const record = (status: string) => {
      this.options.metrics?.apiRequests.inc({ source: COUNTY_LAYER_SOURCE, status });
      this.options.metrics?.apiRequestDuration.observe({ source: COUNTY_LAYER_SOURCE }, (performance.now() - started) / 1000);
    };
    await this.options.onRequest?.(false);
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, { headers: { accept: 'application/json' }, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      text = await answerTextWithin(res, COUNTY_LAYER_SOURCE, where);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof InputTooLargeError) {
        record('too_large');
        return { kind: 'fatal', error };
      }
      record(timeout.aborted ? 'timeout' : 'network_error');
      const reason = timeout.aborted ? `no answer within ${this.options.timeoutMs} ms` : `network error: ${(error as Error).message}`;
      return { kind: 'retry', error: new CountyLayerHttpError(where, null, reason) };
    }
    record(String(res.status));
    if (!res.ok) {
      const error = new CountyLayerHttpError(where, res.status, `HTTP ${res.status}: ${truncate(text, 120)}`);
      return { kind: res.status >= 500 || res.status === 429 ? 'retry' : 'fatal', error };
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { kind: 'fatal', error: new CountyLayerPayloadError(where, 'the answer is not JSON', text) };
    }
    const refused = errorBodySchema.safeParse(body);
    if (refused.success) {
      const { code, message, details } = refused.data.error;
      const error = new CountyLayerRefusedError(where, code, message, details ?? []);
      return { kind: error.retryable ? 'retry' : 'fatal', error };
    }
    return { kind: 'ok', body, text };
  }
}

/** The query parameters of `filter`: its `where`, and its box as an envelope in WGS 84 (`inSR=4326`). */
function filterParams(filter: LayerFilter): Record<string, string> {
  if (!filter.bbox) return { where: filter.where };
  const { west, south, east, north } = filter.bbox;
  return {
    where: filter.where,
    geometry: `${west},${south},${east},${north}`,
    geometryType: 'esriGeometryEnvelope',
    inSR: '4326',
    spatialRel: 'esriSpatialRelIntersects',
  };
}

/** A filter in words for messages: `PHYSICAL_ZIP = '85031'`, with its box. */
function describe(filter: LayerFilter): string {
  const box = filter.bbox ? ` in ${filter.bbox.west},${filter.bbox.south},${filter.bbox.east},${filter.bbox.north}` : '';
  return `${filter.where}${box}`;
}
