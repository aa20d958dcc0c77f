import fs from 'node:fs';
import path from 'node:path';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { failImport, finishImport, storeBatch } from '../import/store-batch.js';
import { normalizeApn } from './apn.js';
import { MARICOPA_SOURCE, mapParcel } from './mapping.js';
import { parcelPayloadSchema } from './payload.js';
import type { MaricopaSyncDeps, SyncOptions } from './sync.js';

/** Parcel files stored per upsert and queue bulk. */
const FILES_PER_BATCH = 100;

export interface AssessorImportParams {
  /** One `/parcel/<apn>` answer saved as JSON, or a folder of them (`*.json`, one parcel a file). */
  path: string;
}

/**
 * An APN at the start of a file name, as the shared fixtures name theirs (`501-79-632.json`,
 * `509-11-455_sales_and_deed_data.json`) and in every form `normalizeApn` reads: `50911455.json`,
 * `211-29-043A.json`, and the letter after a dash as ARMLS exports write it (`130-20-103-A.json`
 * is parcel 130-20-103A, never 130-20-103). The APN must end there: `501-79-6321.json` has none.
 */
const APN_IN_NAME = /^(\d{3}[-.\s]?\d{2}[-.\s]?\d{3}(?:[-.\s]?[A-Za-z])?)(?![\dA-Za-z])/;

/**
 * The parcel number of a saved payload: its own `APN` / `Apn` / `ParcelNumber` field when it
 * carries one (the `/parcel` answer does not), else the file name's leading APN. Throws when
 * neither gives a Maricopa APN.
 */
export function apnOfParcelFile(fileName: string, payload: Record<string, unknown>): string {
  const own = [payload.APN, payload.Apn, payload.ParcelNumber].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  if (own) return normalizeApn(own);
  const fromName = APN_IN_NAME.exec(path.basename(fileName))?.[1];
  if (!fromName) throw new Error('the payload has no APN and the file name does not start with one (name it like 501-79-632.json)');
  return normalizeApn(fromName);
}

/**
 * Import `/parcel` payloads saved as JSON files (`phoenix-re import assessor <file|dir>`): each
 * validated, mapped as a sync maps it and stored through the same upsert and queue, recorded as
 * one run (`kind: 'import'`, `source: 'maricopa_api'`). A bad file (not JSON, not a parcel, no
 * APN) is reported with its name and reason while the others go in; re-importing changes nothing.
 */
export async function runAssessorImport(deps: MaricopaSyncDeps, params: AssessorImportParams, options: SyncOptions): Promise<Run> {
  const target = path.resolve(params.path);
  const recorder = await RunRecorder.start(deps.repos.runs, deps.events, { kind: 'import', source: MARICOPA_SOURCE, trigger: options.trigger, params: { path: target } });
  options.onStart?.(recorder.run);
  try {
    const stat = await fs.promises.stat(target).catch(() => null);
    if (!stat) throw new Error(`${target}: no such file or folder`);
    const files = stat.isDirectory()
      ? (await fs.promises.readdir(target)).filter((f) => f.toLowerCase().endsWith('.json')).sort().map((f) => path.join(target, f))
      : [target];
    if (files.length === 0) throw new Error(`${target}: no .json files`);
    await recorder.count({}, files.length);
    let batch: RawPropertyInput[] = [];
    for (const file of files) {
      if (options.signal?.aborted) break;
      try {
        const payload = JSON.parse(await fs.promises.readFile(file, 'utf8')) as unknown;
        if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error('not a JSON object');
        const parsed = parcelPayloadSchema.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new Error(`not a /parcel answer: ${issue.path.join('.') || '(payload)'}: ${issue.message}`);
        }
        batch.push(mapParcel(apnOfParcelFile(file, payload as Record<string, unknown>), parsed.data));
      } catch (error) {
        await recorder.count({ failed: 1 });
        await recorder.error(`${path.basename(file)}: ${(error as Error).message}`);
      }
      if (batch.length >= FILES_PER_BATCH) {
        await storeBatch(deps, recorder, MARICOPA_SOURCE, batch);
        batch = [];
      }
    }
    await storeBatch(deps, recorder, MARICOPA_SOURCE, batch);
    return await finishImport(recorder, options.signal, { stored: 'parcels', bad: 'bad files' });
  } catch (error) {
    return failImport(deps, recorder, options.signal, error);
  }
}
