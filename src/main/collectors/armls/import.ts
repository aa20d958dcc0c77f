import fs from 'node:fs';
import path from 'node:path';
import { parse, type CsvError } from 'csv-parse';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { countCsvRecords } from '../import/count-csv-records.js';
import { BatchesInFlight } from '../import/batches-in-flight.js';
import { failImport, finishImport, storeBatch } from '../import/store-batch.js';
import type { MaricopaSyncDeps, SyncOptions } from '../maricopa/sync.js';
import { detectExportEncoding, exportDecoder } from './export-encoding.js';
import { ARMLS_REQUIRED_COLUMNS, ARMLS_SOURCE, ArmlsRowError, mapArmlsRow } from './mapping.js';
import type { UnreadValue } from './values.js';

/** Rows stored per upsert and queue bulk. */
export const IMPORT_BATCH_ROWS = 500;

/** Batches stored at once while the file is read on (see BatchesInFlight). */
const IMPORT_BATCHES_IN_FLIGHT = 2;

/** Messages (bad rows, values stored as unknown) kept on the run record one by one; past this bad rows are only counted. */
const ROW_ERRORS_KEPT = 200;

export interface ArmlsImportParams {
  /** The CSV file, as exported from ARMLS (Flexmls): quoted columns, a header row. */
  file: string;
}

/**
 * Import an ARMLS CSV export: the file streamed row by row (csv-parse), each row mapped
 * (mapArmlsRow) and stored in batches through the same upsert, price history and queue as a
 * sync, all recorded as one run (`kind: 'import'`, `source: 'armls_export'`) with a progress
 * total (the file's records, counted first), Cancel between batches, and each bad row reported
 * as `row N (line L): <column>: <reason>` while the good rows go in; a value stored as unknown
 * (`unread_values`) as `row N (line L): <column>: <reason>; stored without it`. The file may be
 * UTF-8 (with or without a BOM) or Windows-1252, with CRLF or LF lines. Re-importing a file changes
 * nothing. A file that is not an ARMLS export (missing columns) fails the run at once, naming them.
 */
export async function runArmlsImport(deps: MaricopaSyncDeps, params: ArmlsImportParams, options: SyncOptions): Promise<Run> {
  const file = path.resolve(params.file);
  const recorder = await RunRecorder.start(deps.repos.runs, deps.events, {
    kind: 'import',
    source: ARMLS_SOURCE,
    trigger: options.trigger,
    params: { file },
  });
  options.onStart?.(recorder.run);
  // Batches being stored while the next one is read and mapped.
  const storing = new BatchesInFlight<RawPropertyInput>((rows) => storeBatch(deps, recorder, ARMLS_SOURCE, rows), IMPORT_BATCHES_IN_FLIGHT);
  const store = (rows: RawPropertyInput[]) => storing.add(rows);
  let messages = 0;
  /** A message kept on the run record, up to ROW_ERRORS_KEPT of them. */
  const note = async (message: string) => {
    messages += 1;
    if (messages <= ROW_ERRORS_KEPT) await recorder.error(message);
  };
  const bad = async (message: string) => {
    await recorder.count({ failed: 1 });
    await note(message);
  };
  try {
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat?.isFile()) throw new Error(`${file}: no such file`);
    const records = await countCsvRecords(file, options.signal);
    await recorder.count({}, Math.max(0, records - 1));

    const encoding = await detectExportEncoding(file, options.signal);
    const parser = fs
      .createReadStream(file)
      .pipe(exportDecoder(encoding))
      .pipe(parse({ bom: true, info: true, relax_column_count: true, skip_records_with_error: true, trim: false }));
    parser.on('skip', (error: CsvError) => {
      void bad(`line ${error.lines ?? '?'}: ${error.message}`);
    });
    let header: string[] | null = null;
    let row = 0;
    let batch: RawPropertyInput[] = [];
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((h) => h.trim());
        const missing = ARMLS_REQUIRED_COLUMNS.filter((c) => !header!.includes(c));
        if (missing.length > 0) throw new Error(`${path.basename(file)} is not an ARMLS export: no column ${missing.map((c) => `"${c}"`).join(', ')} in its header`);
        continue;
      }
      row += 1;
      if (record.length !== header.length) {
        await bad(`row ${row} (line ${info.lines}): has ${record.length} columns, the header has ${header.length}`);
        continue;
      }
      const fields: Record<string, string> = {};
      header.forEach((h, i) => (fields[h] = record[i]!));
      try {
        const input = mapArmlsRow(fields);
        batch.push(input);
        for (const v of unreadValues(input)) await note(`row ${row} (line ${info.lines}): ${v.column}: ${v.reason}; stored without it`);
      } catch (error) {
        if (!(error instanceof ArmlsRowError)) throw error;
        await bad(`row ${row} (line ${info.lines}): ${error.message}`);
      }
      if (batch.length >= IMPORT_BATCH_ROWS) {
        await store(batch);
        batch = [];
      }
      // Cancelled: the rows read so far are whole, so they are stored; the rest is not read.
      if (options.signal?.aborted) break;
    }
    if (!header) throw new Error(`${path.basename(file)} is empty`);
    await store(batch);
    await storing.drain();
    return await finishImport(recorder, options.signal, { stored: 'rows', bad: 'bad rows' });
  } catch (error) {
    // No write is left running when the run ends.
    await storing.settle();
    return failImport(deps, recorder, options.signal, error);
  }
}

/** The values a mapped row left unknown (`unread_values` of mapArmlsRow). */
function unreadValues(input: RawPropertyInput): UnreadValue[] {
  return (input.data.unread_values as UnreadValue[] | undefined) ?? [];
}
