import { phoenixDay } from '../../../shared/phoenix-time.js';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import { DiskFullError } from '../../db/disk-full.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { storeBatch } from '../import/store-batch.js';
import type { MaricopaSyncDeps, SyncOptions } from '../maricopa/sync.js';
import { COUNTY_LAYER_SOURCE, CountyLayerClient, type BoundingBox, type LayerFilter } from './client.js';
import { planLayerQuery, sqlText } from './layer-fields.js';
import { mapCountyFeature } from './mapping.js';
import { countySyncPlan, type CountySyncPlan } from './plan.js';

/** Which parcels a county sync collects: every parcel of the ZIP codes, of the cities (situs city, as the layer writes it) and in the box. */
export interface CountySyncParams {
  zips: string[];
  cities: string[];
  bbox?: BoundingBox | undefined;
  /** At most this many parcels in all. */
  limit?: number | undefined;
}

/** A county sync's options: a sync's, and a hook for its plan (the CLI prints it before the first page). */
export interface CountySyncOptions extends SyncOptions {
  onPlan?: (plan: CountySyncPlan) => void;
}

/** One query of the sync, in the order the sync reads them. */
interface Target {
  name: string;
  filter: LayerFilter;
}

/** The sync's queries: `PHYSICAL_ZIP = '85031'` per ZIP code, `PHYSICAL_CITY = 'PHOENIX'` per city (upper case, as the layer writes it), then the box (`1=1` within it). */
export function countyTargets(params: CountySyncParams): Target[] {
  return [
    ...params.zips.map((zip) => ({ name: `ZIP ${zip}`, filter: { where: `PHYSICAL_ZIP = ${sqlText(zip)}` } })),
    ...params.cities.map((city) => ({ name: `city ${city.toUpperCase()}`, filter: { where: `PHYSICAL_CITY = ${sqlText(city.trim().toUpperCase())}` } })),
    ...(params.bbox ? [{ name: 'the box', filter: { where: '1=1', bbox: params.bbox } }] : []),
  ];
}

/**
 * The county parcel-layer sync: every parcel of the ZIP codes, cities or box asked for, page by
 * page (ordered by APN, `resultOffset`/`resultRecordCount`, pages never above the layer's
 * `maxRecordCount`), until `exceededTransferLimit` is false (or, from a server that does not send
 * it, a short page); each page stored as one batch (import/store-batch.ts: new and changed
 * parcels queued, unchanged ones not), all recorded as one run.
 *
 * Before the first page it checks the layer's fields (layer-fields.ts: a changed layer is
 * refused) and counts the parcels (`returnCountOnly`) to say its plan (plan.ts) on the run and
 * to `onPlan`. Where it got to is kept on the run after every page (`targets_done`, the queries
 * finished, and `offset`, parcels stored of the current one), so a run stopped by a layer error,
 * a cancel or a crash is resumed from there (resumeCountySync) with nothing lost: a page is
 * stored whole before the offset moves past it, and one stored twice is unchanged.
 */
export async function runCountySync(deps: MaricopaSyncDeps, params: CountySyncParams, options: CountySyncOptions): Promise<Run> {
  const recorder = await RunRecorder.start(deps.repos.runs, deps.events, {
    kind: 'sync',
    source: COUNTY_LAYER_SOURCE,
    trigger: options.trigger,
    params: { zips: params.zips, cities: params.cities, bbox: params.bbox ?? null, limit: params.limit ?? null, ...(options.resumeOf && { resumed_from: options.resumeOf._id }) },
  });
  options.onStart?.(recorder.run);
  const signal = options.signal;
  const day = () => phoenixDay(deps.clock());
  const client = new CountyLayerClient({
    layerUrl: deps.settings.countyLayerUrl,
    timeoutMs: deps.settings.countyLayerTimeoutMs,
    metrics: deps.metrics,
    onRequest: (failed) => deps.repos.dailyStats.increment(day(), COUNTY_LAYER_SOURCE, failed ? { api_errors: 1 } : { api_requests: 1 }),
  });
  const resumeAt = { targets: options.resumeOf?.counters.targets_done ?? 0, offset: options.resumeOf?.counters.offset ?? 0 };

  try {
    const layer = await client.layerInfo(signal);
    const query = planLayerQuery(layer, deps.settings.countyLayerUrl, deps.settings.countyLayerPageSize);
    const targets = countyTargets(params);
    const counts: number[] = [];
    for (const [i, target] of targets.entries()) counts.push(i < resumeAt.targets ? 0 : await client.count(target.filter, signal));
    const remaining = counts.reduce((sum, n, i) => sum + (i === resumeAt.targets ? Math.max(0, n - resumeAt.offset) : n), 0);
    const total = Math.min(remaining, params.limit ?? Infinity);
    const [lastRun] = await deps.repos.runs.list({ limit: 1, kind: 'sync', source: COUNTY_LAYER_SOURCE, status: 'succeeded' });
    const plan = countySyncPlan(total, query.pageSize, lastRun ?? null);
    options.onPlan?.(plan);
    await recorder.count({ targets_done: resumeAt.targets, offset: resumeAt.offset }, total);
    await recorder.flush(`Plan: ${plan.text}`);

    let left = params.limit ?? Infinity;
    for (const [i, target] of targets.entries()) {
      if (i < resumeAt.targets) continue;
      let offset = i === resumeAt.targets ? resumeAt.offset : 0;
      while (left > 0) {
        signal?.throwIfAborted();
        const asked = Math.min(query.pageSize, left);
        const page = await client.page(target.filter, { offset, count: asked, outFields: query.outFields, returnGeometry: query.returnGeometry }, signal);
        const inputs: RawPropertyInput[] = [];
        for (const [n, feature] of page.features.entries()) {
          try {
            inputs.push(mapCountyFeature(feature));
          } catch (error) {
            await recorder.error(`${target.name}, record ${offset + n + 1} (APN ${JSON.stringify(feature.attributes.APN)}): ${(error as Error).message}`);
            await recorder.count({ failed: 1 });
          }
        }
        // From here the page is stored whole before the offset moves past it: no signal checked.
        await storeBatch(deps, recorder, COUNTY_LAYER_SOURCE, inputs);
        offset += page.features.length;
        left -= page.features.length;
        await recorder.count({ pages: 1, offset: page.features.length });
        await recorder.flush();
        const more = page.exceededTransferLimit ?? page.features.length >= asked;
        if (!more || page.features.length === 0) break;
      }
      await recorder.count({ targets_done: 1, offset: -offset });
      await recorder.flush();
    }
  } catch (error) {
    if (signal?.aborted) {
      return (await recorder.finish('cancelled', `Cancelled after ${storedText(recorder.snapshot())}; resume with: phoenix-re sync --resume ${recorder.id}`))!;
    }
    // The run's message says what stopped it and how to go on from there.
    if (error instanceof DiskFullError) return recorder.failWith(error, deps.logger, 'county layer sync stopped');
    const message = (error as Error).message;
    deps.logger.error({ err: error, runId: recorder.id }, 'county layer sync failed');
    await recorder.error(message);
    return (await recorder.finish('failed', `${message}. ${storedText(recorder.snapshot())} before it; resume with: phoenix-re sync --resume ${recorder.id}`))!;
  }
  const c = recorder.snapshot();
  const stored = (c.inserted ?? 0) + (c.updated ?? 0) + (c.unchanged ?? 0);
  return (await recorder.finish((c.failed ?? 0) > 0 && stored === 0 ? 'failed' : 'succeeded', `${storedText(c)}, ${c.failed ?? 0} failed`))!;
}

/** `2,350 parcels stored (2,350 new, 0 changed, 0 unchanged)`. */
function storedText(c: Readonly<Record<string, number>>): string {
  const stored = (c.inserted ?? 0) + (c.updated ?? 0) + (c.unchanged ?? 0);
  return `${stored} parcels stored (${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged)`;
}

/** Resume a county sync that was cancelled, failed or interrupted: its own parameters, from where it got to. */
export async function resumeCountySync(deps: MaricopaSyncDeps, runId: string, options: Omit<CountySyncOptions, 'resumeOf'>): Promise<Run> {
  const previous = await deps.repos.runs.get(runId);
  if (!previous || previous.kind !== 'sync' || previous.source !== COUNTY_LAYER_SOURCE) throw new Error(`No county layer sync run with id ${runId}.`);
  if (previous.status === 'succeeded') throw new Error(`Run ${runId} completed; start a new sync instead.`);
  if (previous.status === 'running') throw new Error(`Run ${runId} is still running (in ${previous.owner ?? 'another process'}); cancel it or let it finish first.`);
  const p = previous.params as { zips?: string[]; cities?: string[]; bbox?: BoundingBox | null; limit?: number | null };
  const done = (previous.counters.inserted ?? 0) + (previous.counters.updated ?? 0) + (previous.counters.unchanged ?? 0);
  const limit = p.limit === null || p.limit === undefined ? undefined : Math.max(0, p.limit - done);
  return runCountySync(deps, { zips: p.zips ?? [], cities: p.cities ?? [], bbox: p.bbox ?? undefined, limit }, { ...options, resumeOf: previous });
}
