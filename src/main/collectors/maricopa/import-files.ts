import fs from 'node:fs';
import path from 'node:path';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { failImport, finishImport, storeBatch } from '../import/store-batch.js';
import { refuseSecondImport } from '../import/import-in-progress.js';
import { readFileWithin } from '../import/bounded-read.js';
import { IMPORT_AS_ARMLS, whyNotParcelFile } from '../import/import-kind.js';
import { readHead } from '../import/not-csv.js';
import { IMPORT_BATCH_CHARS, PARCEL_FILE_LIMIT } from '../import/input-bounds.js';
import { normalizeApn } from './apn.js';
import { MARICOPA_SOURCE, mapParcel } from './mapping.js';
import { apnInPayload, readParcelPayload } from './payload.js';
import type { MaricopaSyncDeps, SyncOptions } from './sync.js';
import { counted } from '../../../shared/plural.js';

/** Parcel files stored per upsert and queue bulk (fewer when they pass IMPORT_BATCH_CHARS). */
const FILES_PER_BATCH = 100;

/** What one saved parcel file may cost (input-bounds.ts). */
const PARCEL_FILE_BOUND = { bytes: PARCEL_FILE_LIMIT, what: 'a parcel file may hold (a real /parcel answer is under 60 KB)' };

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
 * A saved file's text: UTF-8 (a byte-order mark dropped), or UTF-16 when it starts with one's
 * byte-order mark, as Windows PowerShell 5.1 saves it (`Invoke-RestMethod … | ConvertTo-Json >
 * 501-79-632.json`: `Out-File` and `>` write UTF-16LE with a BOM; Microsoft, about_Character_Encoding).
 * Bytes that are not UTF-8 throw, never read as other characters.
 */
export function decodeSavedText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('not UTF-8 or UTF-16 text');
  }
}

/**
 * The parcel number of a saved payload. The payload's own (apnInPayload: `TreasurersTransitionUrl`
 * `?Parcel=50179677`, a rental's `RentalInformation.ParcelNumber`, the sketches' `APN`) is the
 * parcel number; the file name's leading APN is taken only when the payload carries none (the
 * issue's rule). A file name that disagrees with the payload is refused, never silently chosen:
 * `501-79-677 in the payload, 130-20-103A in the file name`. Throws too when neither gives one.
 */
export function apnOfParcelFile(fileName: string, payload: Record<string, unknown>): string {
  const own = apnInPayload(payload);
  const nameApn = APN_IN_NAME.exec(path.basename(fileName))?.[1];
  const fromName = nameApn === undefined ? null : normalizeApn(nameApn);
  if (own !== null && fromName !== null && own !== fromName) {
    throw new Error(`${own} in the payload, ${fromName} in the file name: rename the file or check that it holds the right parcel`);
  }
  const apn = own ?? fromName;
  if (apn === null) throw new Error('the payload has no APN and the file name does not start with one (name it like 501-79-632.json)');
  return apn;
}

/**
 * The JSON value of a saved file's text. Throws "not JSON", with the position where reading
 * stopped when the engine gives it, never a piece of the file (which may be anything: a `.env`
 * renamed by mistake).
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new Error(`not JSON${at === undefined ? '' : ` (unreadable at character ${Number(at) + 1})`}`);
  }
}

/** `; it holds 2 .csv files: …`: what to do with a folder's CSV files, when it has some. */
function csvFilesHint(names: string[]): string {
  const csv = names.filter((f) => f.toLowerCase().endsWith('.csv')).length;
  return csv === 0 ? '' : `; it holds ${counted(csv, '.csv file')}: an ARMLS export is imported one file at a time, ${IMPORT_AS_ARMLS}`;
}

/**
 * Import `/parcel` payloads saved as JSON files (`phoenix-re import assessor <file|dir>`): each
 * validated, mapped as a sync maps it and stored through the same upsert and queue, recorded as
 * one run (`kind: 'import'`, `source: 'maricopa_api'`). A file that is CSV fails the run (or, in a
 * folder, is reported) saying to import it as ARMLS (whyNotParcelFile). A bad file (not JSON, not a parcel, no
 * APN, a file name naming another parcel than the payload) is reported with its name and reason
 * while the others go in; re-importing changes nothing.
 */
export async function runAssessorImport(deps: MaricopaSyncDeps, params: AssessorImportParams, options: SyncOptions): Promise<Run> {
  const target = path.resolve(params.path);
  const recorder = await RunRecorder.start(deps.repos.runs, deps.events, { kind: 'import', source: MARICOPA_SOURCE, trigger: options.trigger, params: { path: target } });
  options.onStart?.(recorder.run);
  try {
    const stat = await fs.promises.stat(target).catch(() => null);
    if (!stat) throw new Error(`${target}: no such file or folder`);
    await refuseSecondImport(deps.repos.runs, recorder.run, 'path', target, deps.clock());
    const names = stat.isDirectory() ? await fs.promises.readdir(target) : [];
    const files = stat.isDirectory() ? names.filter((f) => f.toLowerCase().endsWith('.json')).sort().map((f) => path.join(target, f)) : [target];
    if (files.length === 0) throw new Error(`${target}: no .json files${csvFilesHint(names)}`);
    // One file that is a CSV (an ARMLS export, most likely): the whole import is for the other kind.
    const wrongKind = stat.isDirectory() ? null : await whyNotParcelFile((await readHead(target)).toString('utf8'));
    if (wrongKind) throw new Error(`${path.basename(target)}: ${wrongKind}`);
    await recorder.count({}, files.length);
    let batch: RawPropertyInput[] = [];
    let batchBytes = 0;
    for (const file of files) {
      if (options.signal?.aborted) break;
      try {
        const bytes = await readFileWithin(file, PARCEL_FILE_BOUND);
        const text = decodeSavedText(bytes);
        const wrong = await whyNotParcelFile(text);
        if (wrong) throw new Error(wrong);
        const payload = readParcelPayload(parseJson(text));
        batchBytes += bytes.length;
        batch.push(mapParcel(apnOfParcelFile(file, payload), payload));
      } catch (error) {
        await recorder.count({ failed: 1 });
        await recorder.error(`${path.basename(file)}: ${(error as Error).message}`);
      }
      if (batch.length >= FILES_PER_BATCH || batchBytes >= IMPORT_BATCH_CHARS) {
        await storeBatch(deps, recorder, MARICOPA_SOURCE, batch);
        batch = [];
        batchBytes = 0;
      }
    }
    await storeBatch(deps, recorder, MARICOPA_SOURCE, batch);
    return await finishImport(recorder, options.signal, { stored: 'parcels', bad: 'bad files' });
  } catch (error) {
    return failImport(deps, recorder, options.signal, error);
  }
}
