import { phoenixDay } from '../../../shared/phoenix-time.js';
import type { Run, RunTrigger } from '../../../shared/schemas/run.js';
import type { Settings } from '../../../shared/settings.js';
import type { Clock } from '../../runtime/clock.js';
import type { EventBus } from '../../runtime/event-bus.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { DiskFullError } from '../../db/disk-full.js';
import { storeRecord } from '../store-record.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { normalizeApn } from './apn.js';
import { MARICOPA_PAGE_SIZE, MaricopaClient } from './client.js';
import { MaricopaAuthError, MaricopaNotFoundError } from './errors.js';
import { MissingKeyError, assertKeysSet } from '../required-keys.js';
import { detailOrder, rollingTtlMs, standingsOf, tierCounts, type OrderedParcel } from './detail-priority.js';
import { DETAIL_ENDPOINTS, detailNeed, layerCoverage, type DetailEndpoint, type DetailNeed, type NeedRecord } from './detail-needs.js';
import { COUNTY_LAYER_SOURCE } from '../county-layer/client.js';
import { mapParcel, withoutSketches } from './mapping.js';
import { readParcelPayload, type ParcelPayload } from './payload.js';

export interface MaricopaSyncParams {
  zips: string[];
  apns: string[];
  queries: string[];
  limit?: number | undefined;
  refresh: boolean;
}

export interface MaricopaSyncDeps {
  repos: Repositories;
  events: EventBus;
  metrics: Metrics;
  logger: Logger;
  settings: Settings;
  clock: Clock;
}

export interface SyncOptions {
  trigger: RunTrigger;
  signal?: AbortSignal;
  /** The run this one resumes: what it cached is used, not fetched again. */
  resumeOf?: Run;
  /** Called once the run record exists (the CLI prints its id, a shell returns it). */
  onStart?: (run: Run) => void;
}

/** An assessor sync's options: a sync's, and a hook for its plan (`detailPlan`; the CLI prints it before the first parcel). */
export interface MaricopaSyncOptions extends SyncOptions {
  onPlan?: (plan: string) => void;
}

/** Parcels fetched and stored at once. The limiter, not this, sets the request rate. */
const PARCEL_CONCURRENCY = 4;
const SOURCE = 'maricopa_api';

type Outcome = 'inserted' | 'updated' | 'unchanged' | 'skipped' | 'failed';

/**
 * The morning sync: every parcel of the ZIP codes, queries and APNs asked for, into
 * `raw_properties`, new or changed ones queued for processing, all recorded as one run.
 *
 * Cancelling stops between parcels (a parcel's upsert and enqueue are never split); a parcel's
 * answer is cached as soon as it arrives, so resuming a cancelled or crashed run fetches only
 * what it had not fetched. The token's refusal stops the run; any other parcel failure is
 * recorded and the run goes on.
 */
export async function runMaricopaSync(deps: MaricopaSyncDeps, params: MaricopaSyncParams, options: MaricopaSyncOptions): Promise<Run> {
  const apns = params.apns.map(normalizeApn);
  const recorder = await RunRecorder.start(deps.repos.runs, deps.events, {
    kind: 'sync',
    source: SOURCE,
    trigger: options.trigger,
    params: { ...params, apns, ...(options.resumeOf && { resumed_from: options.resumeOf._id }) },
  });
  options.onStart?.(recorder.run);

  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  let requests = 0;
  let requestErrors = 0;
  /** Each request (and each failed one) into the day's rollup as it is made, so a killed sync loses none. */
  const countRequest = async (failed: boolean) => {
    if (failed) requestErrors += 1;
    else requests += 1;
    await deps.repos.dailyStats.increment(phoenixDay(deps.clock()), SOURCE, failed ? { api_errors: 1 } : { api_requests: 1 });
  };
  const client = new MaricopaClient({
    baseUrl: deps.settings.maricopaApiBaseUrl,
    token: deps.settings.maricopaApiToken,
    rateLimit: { max: deps.settings.maricopaRateLimitPerMinute, windowMs: 60_000 },
    timeoutMs: deps.settings.maricopaTimeoutMs,
    metrics: deps.metrics,
  });
  const cacheTtlMs = deps.settings.apiCacheTtlHours * 3_600_000;
  const resumeSince = options.resumeOf?.started_at;
  let fatal: Error | undefined;
  let failure: Error | undefined;

  /** A cached answer, as the refresh and resume rules allow. */
  const fromCache = async (key: string, alwaysFresh: boolean): Promise<unknown> => {
    if (resumeSince) {
      const sinceResume = await deps.repos.apiCache.getSince(key, resumeSince);
      if (sinceResume !== null) return sinceResume;
    }
    return params.refresh || alwaysFresh ? null : deps.repos.apiCache.get(key);
  };

  try {
    assertKeysSet(deps.settings, SOURCE);
    const targets = [...apns];
    const seen = new Set(targets);
    const limit = params.limit ?? Infinity;
    for (const query of [...params.zips, ...params.queries]) {
      for (let page = 1; targets.length < limit; page += 1) {
        signal.throwIfAborted();
        const key = `maricopa:search:${query}:${page}`;
        let hits = (await fromCache(key, true)) as { apn: string }[] | null;
        if (hits === null) {
          await countRequest(false);
          hits = (await client.searchProperties(query, page, signal)).hits;
          await deps.repos.apiCache.set(key, hits, cacheTtlMs);
        }
        await recorder.count({ pages: 1 });
        for (const hit of hits) {
          let apn: string;
          try {
            apn = normalizeApn(hit.apn);
          } catch (error) {
            await recorder.error(`search "${query}" page ${page}: ${(error as Error).message}`);
            await recorder.count({ failed: 1 });
            continue;
          }
          if (!seen.has(apn) && targets.length < limit) {
            seen.add(apn);
            targets.push(apn);
          }
        }
        if (hits.length < MARICOPA_PAGE_SIZE) break;
      }
    }
    // The budget where it matters: watched parcels first, then recently sold, then the oldest data.
    const watched = new Set((await deps.repos.savedSearches.list()).flatMap((search) => search.known.map((k) => k.id)));
    const records = await deps.repos.raw.ofParcels(targets);
    const order = detailOrder(targets, standingsOf(records, watched), phoenixDay(deps.clock()));
    // Only what the county layer lacks (detail-needs.ts); a refresh fetches every parcel whole.
    const needs = params.refresh ? new Map<string, DetailNeed>() : await parcelNeeds(deps, records, cacheTtlMs);
    const needOf = (apn: string): DetailNeed => needs.get(apn) ?? { endpoint: 'parcel', layer: null, layerChanged: false };
    const work = order.filter((p) => needOf(p.apn).endpoint !== null);
    targets.splice(0, targets.length, ...work.map((p) => p.apn));
    const fromLayer = order.length - work.length;
    const cachedAt = params.refresh ? new Map<string, Date>() : await deps.repos.apiCache.freshEntries(work.map((p) => detailKey(p.apn, needOf(p.apn).endpoint!)));
    const calls: Record<DetailEndpoint, number> = { parcel: 0, 'residential-details': 0, valuations: 0 };
    let cachedCount = 0;
    for (const { apn } of work) {
      const need = needOf(apn);
      const at = cachedAt.get(detailKey(apn, need.endpoint!));
      if (at !== undefined && (!need.layerChanged || at >= need.layer!.updatedAt)) cachedCount += 1;
      else calls[need.endpoint!] += 1;
    }
    const plan = detailPlan(order, { fromLayer, cached: cachedCount, calls }, deps.settings.maricopaRateLimitPerMinute);
    options.onPlan?.(plan);
    await recorder.count(fromLayer > 0 ? { from_layer: fromLayer } : {}, targets.length);
    await recorder.flush(`Plan: ${plan}`);

    let next = 0;
    /** The stored answer of one endpoint, as the refresh, resume and layer rules allow (a layer change makes older answers stale). */
    const cachedAnswer = async (key: string, need: DetailNeed): Promise<unknown> =>
      need.layerChanged ? deps.repos.apiCache.getSince(key, need.layer!.updatedAt) : fromCache(key, false);
    const collectOne = async (apn: string): Promise<Outcome> => {
      const need = needOf(apn);
      const endpoint = need.endpoint!;
      const key = detailKey(apn, endpoint);
      let payload: ParcelPayload;
      const cached = await cachedAnswer(key, need);
      if (endpoint === 'parcel') {
        if (cached !== null) {
          payload = readParcelPayload(cached);
          await recorder.count({ cached: 1 });
        } else {
          await countRequest(false);
          payload = (await client.getParcel(apn, signal)).payload;
          // Each parcel falls due on its own day of the cache's lifetime: a rolling refresh.
          await deps.repos.apiCache.set(key, withoutSketches(payload), rollingTtlMs(apn, cacheTtlMs));
          await recorder.count({ fetched: 1 });
        }
      } else {
        let part = cached;
        if (part !== null) await recorder.count({ cached: 1 });
        else {
          await countRequest(false);
          part = await client.getParcelPart(apn, endpoint, signal);
          await deps.repos.apiCache.set(key, part, rollingTtlMs(apn, cacheTtlMs));
          await recorder.count({ fetched: 1 });
        }
        payload = await completedPayload(deps, apn, endpoint, part);
        // The whole answer as it now stands, so a later `/parcel` from the cache is not older than this part.
        await deps.repos.apiCache.set(parcelKey(apn), payload, rollingTtlMs(apn, cacheTtlMs));
      }
      const raw = mapParcel(apn, payload);
      // From here on nothing checks the signal: the record and its queue entry land together.
      const { result, enqueued } = await storeRecord(deps.repos, raw);
      if (enqueued) await recorder.count({ enqueued: 1 });
      return result.outcome;
    };

    const worker = async () => {
      while (next < targets.length && !signal.aborted) {
        const apn = targets[next++]!;
        let outcome: Outcome;
        try {
          outcome = await collectOne(apn);
        } catch (error) {
          if (signal.aborted) return;
          // The token refused, or nothing more can be stored: no other parcel would fare better.
          if (error instanceof MaricopaAuthError || error instanceof DiskFullError) {
            fatal = error;
            stop.abort(error);
            return;
          }
          if (error instanceof MaricopaNotFoundError) outcome = 'skipped';
          else {
            await countRequest(true);
            outcome = 'failed';
            await recorder.error(`${apn}: ${(error as Error).message}`);
          }
        }
        deps.metrics.propertiesCollected.inc({ source: SOURCE, outcome });
        await recorder.count({ [outcome]: 1 });
      }
    };
    await Promise.all(Array.from({ length: PARCEL_CONCURRENCY }, worker));
    if (fatal) throw fatal;
    signal.throwIfAborted();
  } catch (error) {
    failure = fatal ?? (error as Error);
  }

  await client.stop();
  const counters = recorder.snapshot();
  if (requests > 0) deps.metrics.apiSuccessRate.set({ source: SOURCE }, (requests - requestErrors) / requests);
  const stored = (counters.inserted ?? 0) + (counters.updated ?? 0) + (counters.unchanged ?? 0);
  if (failure instanceof MaricopaAuthError || failure instanceof MissingKeyError) {
    deps.logger.error({ runId: recorder.id }, failure.message);
    return (await recorder.finish('failed', failure.message, failure instanceof MissingKeyError ? failure.keys : ['MARICOPA_API_TOKEN']))!;
  }
  // Stopped by itself (the workers' `stop`), not cancelled: nothing more could be stored.
  if (failure instanceof DiskFullError) return recorder.failWith(failure, deps.logger, 'maricopa sync stopped');
  if (failure && signal.aborted) {
    return (await recorder.finish('cancelled', `Cancelled after ${stored} parcels; resume with: phoenix-re sync --resume ${recorder.id}`))!;
  }
  if (failure) return recorder.failWith(failure, deps.logger, 'maricopa sync failed');
  const failed = counters.failed ?? 0;
  const layerNote = counters.from_layer ? `, ${counters.from_layer} from the layer needed nothing more` : '';
  const message = `${stored} parcels stored (${counters.inserted ?? 0} new, ${counters.updated ?? 0} changed, ${counters.unchanged ?? 0} unchanged), ${failed} failed, ${counters.skipped ?? 0} not found${layerNote}`;
  return (await recorder.finish(failed > 0 && stored === 0 ? 'failed' : 'succeeded', message))!;
}

/** Resume a cancelled, failed or interrupted sync with its own parameters. */
export async function resumeMaricopaSync(deps: MaricopaSyncDeps, runId: string, options: Omit<MaricopaSyncOptions, 'resumeOf'>): Promise<Run> {
  const previous = await deps.repos.runs.get(runId);
  if (!previous || previous.kind !== 'sync' || previous.source !== SOURCE) throw new Error(`No Maricopa sync run with id ${runId}.`);
  if (previous.status === 'succeeded') throw new Error(`Run ${runId} completed; start a new sync instead.`);
  if (previous.status === 'running') throw new Error(`Run ${runId} is still running (in ${previous.owner ?? 'another process'}); cancel it or let it finish first.`);
  const p = previous.params as Partial<MaricopaSyncParams>;
  return runMaricopaSync(
    deps,
    { zips: p.zips ?? [], apns: p.apns ?? [], queries: p.queries ?? [], limit: p.limit ?? undefined, refresh: p.refresh ?? false },
    { ...options, resumeOf: previous },
  );
}

/** The cache key of one parcel's answer. */
const parcelKey = (apn: string) => `maricopa:parcel:${apn}`;

/** The cache key of one endpoint's answer for a parcel: `/parcel`'s (parcelKey), or a part's (`maricopa:parcel:509-11-455:valuations`). */
const detailKey = (apn: string, endpoint: DetailEndpoint) => (endpoint === 'parcel' ? parcelKey(apn) : `${parcelKey(apn)}:${endpoint}`);

/**
 * What each parcel needs of the API beside its county-layer record (detailNeed): its layer record
 * counts when a county-layer sync or import that covered it succeeded within the cache's lifetime
 * (layerCoverage), its assessor record is the `maricopa_api` one.
 */
async function parcelNeeds(
  deps: MaricopaSyncDeps,
  records: readonly (NeedRecord & { data: { parcel_number?: unknown } })[],
  ttlMs: number,
): Promise<Map<string, DetailNeed>> {
  const layerRuns = await Promise.all(
    (['sync', 'import'] as const).map((kind) => deps.repos.runs.list({ kind, source: COUNTY_LAYER_SOURCE, status: 'succeeded', limit: 100 })),
  );
  const covered = layerCoverage(layerRuns.flat(), new Date(deps.clock().getTime() - ttlMs));
  const byApn = new Map<string, { layer: NeedRecord | null; assessor: NeedRecord | null }>();
  for (const r of records) {
    const apn = r.data.parcel_number;
    if (typeof apn !== 'string') continue;
    const entry = byApn.get(apn) ?? { layer: null, assessor: null };
    if (r.source === COUNTY_LAYER_SOURCE && covered(r)) entry.layer = r;
    if (r.source === SOURCE) entry.assessor = r;
    byApn.set(apn, entry);
  }
  return new Map([...byApn].map(([apn, { layer, assessor }]) => [apn, detailNeed(layer, assessor)]));
}

/**
 * The `/parcel` answer of a parcel completed with one part fetched on its own: the stored answer
 * (the assessor record's original) with its `ResidentialPropertyData` or `Valuations` replaced.
 * Throws when no answer of the parcel is stored (the part alone is no parcel).
 */
async function completedPayload(deps: MaricopaSyncDeps, apn: string, part: Exclude<DetailEndpoint, 'parcel'>, answer: unknown): Promise<ParcelPayload> {
  const stored = (await deps.repos.raw.get(`${SOURCE}:${apn}`))?.original;
  if (!stored || typeof stored !== 'object') throw new Error(`no stored /parcel answer to complete with /${part}`);
  return readParcelPayload({ ...stored, [part === 'valuations' ? 'Valuations' : 'ResidentialPropertyData']: answer });
}

/** What a sync's plan counts: parcels the layer left nothing to fetch for, answers cached, and calls per endpoint. */
export interface DetailPlanCounts {
  fromLayer: number;
  cached: number;
  calls: Record<DetailEndpoint, number>;
}

/**
 * What a sync is about to do, said before it starts: `310 parcels: 12 cached, 298 detail calls,
 * ~5 min at 60/min (watched 4, recently sold 30, oldest data 276)`; with the county layer,
 * `310 parcels: 250 from the layer need nothing more, 12 cached, 48 detail calls (40 /parcel,
 * 6 /residential-details, 2 /valuations), ~1 min at 60/min (…)`. One call per parcel fetched
 * (retries aside); the time assumes the whole rate limit for this sync (the limiter's ceiling),
 * so it is a floor.
 */
export function detailPlan(order: readonly OrderedParcel[], counts: DetailPlanCounts, perMinute: number): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const calls = DETAIL_ENDPOINTS.reduce((sum, e) => sum + counts.calls[e], 0);
  const minutes = calls / Math.max(1, perMinute);
  const t = tierCounts(order);
  const time = minutes < 1 ? `~${Math.ceil(minutes * 60)} s` : `~${Math.ceil(minutes)} min`;
  const layer = counts.fromLayer > 0 ? `${n(counts.fromLayer)} from the layer need nothing more, ` : '';
  const parts = calls > counts.calls.parcel ? ` (${DETAIL_ENDPOINTS.filter((e) => counts.calls[e] > 0).map((e) => `${n(counts.calls[e])} /${e}`).join(', ')})` : '';
  return `${n(order.length)} parcels: ${layer}${n(counts.cached)} cached, ${n(calls)} detail calls${parts}, ${time} at ${perMinute}/min (watched ${t.watched}, recently sold ${t.recently_sold}, oldest data ${t.oldest_data})`;
}
