import fs from 'node:fs';
import path from 'node:path';
import { rawPropertyId, type RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run, RunTrigger } from '../../../shared/schemas/run.js';
import type { Settings } from '../../../shared/settings.js';
import type { Repositories } from '../../db/repositories/index.js';
import type { SampleRemoval } from '../../db/repositories/sample-records.js';
import type { Logger } from '../../observability/logger.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { appRoot } from '../../runtime/app-root.js';
import type { EventBus } from '../../runtime/event-bus.js';
import { MARICOPA_SOURCE, mapParcel } from '../maricopa/mapping.js';
import { parcelPayloadSchema } from '../maricopa/payload.js';
import { parseDetailPage } from '../phoenix-mls/parse-pages.js';
import { loadSelectors } from '../phoenix-mls/selectors.js';
import { listingRecord } from '../phoenix-mls/sync.js';
import { mapCountyFeature } from '../county-layer/mapping.js';
import { queryPageSchema } from '../county-layer/payload.js';

/** `assets/sample`: the twelve real assessor answers, four sample listing pages and eight invented parcel-layer parcels (SOURCE.md). */
export const SAMPLE_DIR = path.join(appRoot(), 'assets', 'sample');

/**
 * The source id a sample parcel is stored under: `sample-<APN>`, never the APN itself, so the
 * real parcel (`maricopa_api:<APN>`, from a sync or an import) is another record and never
 * overwrites the sample's. Issue #23: a real import over the sample parcels took their ids, turned
 * them real and left the sample listings merged into a property that no longer took them.
 */
export function sampleParcelSourceId(apn: string): string {
  return `sample-${apn}`;
}

/** A sample file that could not be made into a record, and why. */
export interface SampleProblem {
  file: string;
  message: string;
}

/**
 * The sample's records, each made by its collector's own code: the assessor answers validated
 * with the parcel schema and mapped by `mapParcel`, the listing pages parsed with the MLS
 * selector set and mapped by `listingRecord`, the invented parcel-layer page validated with the
 * layer's query schema and mapped by `mapCountyFeature`. Each is marked `data.sample: true`; an
 * assessor parcel's source id is `sampleParcelSourceId(apn)` (its `data.parcel_number` stays the
 * APN, so it merges with the sample listings at that parcel and is found by its APN).
 */
export function sampleRecords(settings: Pick<Settings, 'mlsSelectors'>, dir = SAMPLE_DIR): { records: RawPropertyInput[]; problems: SampleProblem[] } {
  const records: RawPropertyInput[] = [];
  const problems: SampleProblem[] = [];
  const mark = (record: RawPropertyInput): RawPropertyInput => ({ ...record, data: { ...record.data, sample: true } });

  const parcelsDir = path.join(dir, 'maricopa-assessor', 'parcels');
  for (const file of fs.readdirSync(parcelsDir).filter((f) => f.endsWith('.json')).sort()) {
    const apn = /^(\d{3}-\d{2}-\d{3}[A-Z]?)/.exec(file)?.[1];
    const parsed = parcelPayloadSchema.safeParse(JSON.parse(fs.readFileSync(path.join(parcelsDir, file), 'utf8')));
    if (!apn) problems.push({ file, message: 'the file name does not start with an APN' });
    else if (!parsed.success) problems.push({ file, message: `not a parcel answer: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
    else records.push({ ...mark(mapParcel(apn, parsed.data)), source_id: sampleParcelSourceId(apn) });
  }

  const selectors = loadSelectors(settings.mlsSelectors ?? {});
  const pagesDir = path.join(dir, 'phoenix-mls');
  for (const file of fs.readdirSync(pagesDir).filter((f) => f.endsWith('.html')).sort()) {
    const html = fs.readFileSync(path.join(pagesDir, file), 'utf8');
    const url = `sample:phoenix-mls/${file}`;
    const parse = parseDetailPage(html, url, selectors);
    if (parse.missingRequired.length > 0) problems.push({ file, message: `missing ${parse.missingRequired.join(', ')}` });
    else records.push(mark(listingRecord(url, parse, html)));
  }

  const layerFile = path.join('county-layer', 'parcels.json');
  const page = queryPageSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, layerFile), 'utf8')));
  if (!page.success) problems.push({ file: layerFile, message: `not a parcel-layer page: ${page.error.issues[0]?.message ?? 'invalid'}` });
  else {
    for (const [i, feature] of page.data.features.entries()) {
      try {
        records.push(mark(mapCountyFeature(feature)));
      } catch (error) {
        problems.push({ file: `${layerFile} feature ${i + 1}`, message: (error as Error).message });
      }
    }
  }
  return { records, problems };
}

/** Whether the real record of this sample record's property is stored (a parcel: by its APN). */
async function collectedForReal(repos: Repositories, record: RawPropertyInput): Promise<boolean> {
  const apn = record.data.parcel_number;
  const realId = record.source === MARICOPA_SOURCE && typeof apn === 'string' ? rawPropertyId(record.source, apn) : rawPropertyId(record.source, record.source_id);
  const existing = await repos.raw.getData(realId);
  return existing !== null && existing.data.sample !== true;
}

export interface SampleDataDeps {
  repos: Repositories;
  events: EventBus;
  settings: Settings;
  logger: Logger;
  /** Process a batch from the head of the queue with the rules provider, recorded with `params`. */
  process: (options: { trigger: RunTrigger; batchSize: number; params: Record<string, unknown> }) => Promise<Run>;
}

/**
 * Sample data for a first start: `load` stores the sample's records the way a sync does (upsert,
 * then queue new or changed ones; a run recorded with `params.sample`), puts them at the head of
 * the queue and processes them (rules provider: no network, no cost), so every page has real
 * results. `remove` deletes exactly what the sample made.
 */
export class SampleData {
  constructor(private readonly deps: SampleDataDeps) {}

  /** How many sample records the database holds, and how many records in all. */
  async status(): Promise<{ records: number; properties: number; total: number }> {
    const [records, properties, total] = await Promise.all([this.deps.repos.sample.count(), this.deps.repos.sample.countProperties(), this.deps.repos.raw.count()]);
    return { records, properties, total };
  }

  async load(trigger: Extract<RunTrigger, 'manual' | 'cli'>): Promise<{ run: Run; processing: Run }> {
    const { repos, events } = this.deps;
    const { records, problems } = sampleRecords(this.deps.settings);
    const recorder = await RunRecorder.start(repos.runs, events, { kind: 'sync', source: 'sample', trigger, params: { sample: true }, total: records.length + problems.length });
    for (const p of problems) {
      await recorder.error(`${p.file}: ${p.message}`);
      await recorder.count({ failed: 1 });
    }
    const ids: string[] = [];
    for (const record of records) {
      // A property already collected for real is left alone: the sample never overwrites data,
      // and a sample parcel is not stored beside its real one.
      if (await collectedForReal(repos, record)) {
        await recorder.count({ skipped: 1 });
        continue;
      }
      const result = await repos.raw.upsert(record);
      if (result.outcome === 'unchanged') await repos.queue.ensureQueued(result.id);
      else {
        await repos.queue.enqueue(result.id);
        await recorder.count({ enqueued: 1 });
      }
      ids.push(result.id);
      await recorder.count({ [result.outcome]: 1 });
    }
    await repos.queue.putFirst(ids);
    const c = recorder.snapshot();
    const skipped = c.skipped ? `, ${c.skipped} left alone (collected for real already)` : '';
    const message = `${ids.length} sample records stored (${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged)${skipped}, ${problems.length} failed`;
    const run = (await recorder.finish(problems.length > 0 && ids.length === 0 ? 'failed' : 'succeeded', message))!;
    this.deps.logger.info({ runId: run._id, records: ids.length }, 'sample data loaded');
    const processing = await this.deps.process({ trigger, batchSize: ids.length, params: { sample: true } });
    return { run, processing };
  }

  async remove(): Promise<SampleRemoval> {
    const removed = await this.deps.repos.sample.removeAll();
    this.deps.logger.info(removed, 'sample data removed');
    return removed;
  }
}
