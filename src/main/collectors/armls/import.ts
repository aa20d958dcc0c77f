import fs from 'node:fs';
import path from 'node:path';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { countCsvRecords } from '../import/count-csv-records.js';
import { csvRecords, type CsvRecord, type CsvSyntaxError } from '../import/csv-records.js';
import { ARMLS_FILE_LIMIT, CSV_COLUMN_LIMIT, CSV_ROW_LIMIT, CSV_VALUE_LIMIT, IMPORT_BATCH_CHARS, sizeText } from '../import/input-bounds.js';
import { readHead, whyNotCsv } from '../import/not-csv.js';
import { BatchesInFlight } from '../import/batches-in-flight.js';
import { refuseSecondImport } from '../import/import-in-progress.js';
import { failImport, finishImport, storeBatch } from '../import/store-batch.js';
import type { MaricopaSyncDeps, SyncOptions } from '../maricopa/sync.js';
import { detectExportEncoding, exportDecoder } from './export-encoding.js';
import { ARMLS_REQUIRED_COLUMNS, ARMLS_SOURCE, ArmlsRowError, mapArmlsRow } from './mapping.js';
import type { UnreadValue } from './values.js';
import { counted } from '../../../shared/plural.js';

/** Rows stored per upsert and queue bulk (fewer when they hold more than IMPORT_BATCH_CHARS). */
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
 * Import an ARMLS CSV export: the file streamed record by record (csvRecords), each row mapped
 * (mapArmlsRow) and stored in batches through the same upsert, price history and queue as a
 * sync, all recorded as one run (`kind: 'import'`, `source: 'armls_export'`) with a progress
 * total (the file's records, counted first), Cancel between batches, and each bad row reported
 * as `row N (line L): <column>: <reason>` while the good rows go in; a value stored as unknown
 * (`unread_values`) as `row N (line L): <column>: <reason>; stored without it`. `line` is the
 * line the row starts on as an editor shows it (a CRLF inside a quoted value is one line break).
 * A message quotes at most a short escaped part of a value (quoteValue), never a line of the file.
 * The file may be UTF-8 (with or without a BOM) or Windows-1252, with CRLF or LF lines.
 * Re-importing a file changes nothing. The run fails at once, saying why, when the path is a
 * folder or missing, when the file is not comma-separated text (whyNotCsv: binary, a workbook, HTML or XML,
 * JSON, UTF-16, separated by semicolons or tabs), when its header row is not CSV, or when it is
 * not an ARMLS export (missing columns, named).
 *
 * Bounded (input-bounds.ts): a file over ARMLS_FILE_LIMIT is refused before it is read; a row
 * with a value over CSV_VALUE_LIMIT, over CSV_ROW_LIMIT in all or over CSV_COLUMN_LIMIT columns
 * is reported by row, line and column and not imported, while the rows after it go in; a batch
 * is stored once it holds IMPORT_BATCH_CHARS. Whatever the file, the import holds a few batches.
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
    const name = path.basename(file);
    const stat = await fs.promises.stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw new Error(`${file} cannot be read (${error.code ?? error.message})`);
    });
    if (!stat) throw new Error(`${file}: no such file`);
    if (stat.isDirectory()) throw new Error(`${file} is a folder, not a file: give the path of the ARMLS export (.csv) itself`);
    if (!stat.isFile()) throw new Error(`${file} is not a regular file: give the path of the ARMLS export (.csv)`);
    if (stat.size > ARMLS_FILE_LIMIT) {
      throw new Error(`${name} is ${sizeText(stat.size)}, over the ${sizeText(ARMLS_FILE_LIMIT)} an import reads (about 110,000 rows of a real export): export fewer listings at a time (by ZIP code or by date) and import each file`);
    }
    await refuseSecondImport(deps.repos.runs, recorder.run, 'file', file, deps.clock());
    const head = await readHead(file).catch((error: NodeJS.ErrnoException) => {
      throw new Error(error.code === 'EACCES' || error.code === 'EPERM' ? `${file} cannot be read: permission denied` : `${file} cannot be read (${error.code ?? error.message})`);
    });
    const notCsv = whyNotCsv(head, name);
    if (notCsv) throw new Error(notCsv);
    const records = await countCsvRecords(file, options.signal);
    await recorder.count({}, Math.max(0, records - 1));

    const encoding = await detectExportEncoding(file, options.signal);
    const text = fs.createReadStream(file).pipe(exportDecoder(encoding)).setEncoding('utf8');
    let header: string[] | null = null;
    let row = 0;
    let batch: RawPropertyInput[] = [];
    let batchChars = 0;
    for await (const record of csvRecords(text as AsyncIterable<string>)) {
      if (!header) {
        if (record.error) {
          const what = isBound(record.error) ? 'is not an ARMLS export' : 'is not a CSV file';
          throw new Error(`${name} ${what}: in its header row (line ${record.line}), column ${record.error.field + 1}: ${faultText(record.error)}`);
        }
        header = record.fields.map((h) => h.trim());
        const missing = ARMLS_REQUIRED_COLUMNS.filter((c) => !header!.includes(c));
        if (missing.length > 0) throw new Error(`${name} is not an ARMLS export: no column ${missing.map((c) => `"${c}"`).join(', ')} in its header`);
        continue;
      }
      row += 1;
      const at = `row ${row} (line ${record.line})`;
      if (record.error) {
        await bad(`${at}: ${columnOf(header, record.error.field)}: ${faultText(record.error)}${runsOn(record)}`);
        continue;
      }
      if (record.fields.length !== header.length) {
        await bad(`${at}: has ${counted(record.fields.length, 'column')}, the header has ${header.length}`);
        continue;
      }
      const fields: Record<string, string> = {};
      header.forEach((h, i) => (fields[h] = record.fields[i]!));
      try {
        const input = mapArmlsRow(fields);
        batch.push(input);
        batchChars += record.fields.reduce((sum, v) => sum + v.length, 0);
        for (const v of unreadValues(input)) await note(`${at}: ${v.column}: ${v.reason}; stored without it`);
      } catch (error) {
        if (!(error instanceof ArmlsRowError)) throw error;
        await bad(`${at}: ${error.message}`);
      }
      if (batch.length >= IMPORT_BATCH_ROWS || batchChars >= IMPORT_BATCH_CHARS) {
        await store(batch);
        batch = [];
        batchChars = 0;
      }
      // Cancelled: the rows read so far are whole, so they are stored; the rest is not read.
      if (options.signal?.aborted) break;
    }
    if (!header) throw new Error(`${name} is empty`);
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

/** A record over one of the bounds of input-bounds.ts (not a CSV syntax fault). */
function isBound(error: CsvSyntaxError): boolean {
  return error.fault === 'value_too_long' || error.fault === 'row_too_long' || error.fault === 'too_many_columns';
}

/** The header's name of field `index` (0-based) when it is a short printable name, else `column N` (a header is file content too). */
function columnOf(header: string[], index: number): string {
  const name = header[index];
  return name && /^[\x20-\x7e]{1,60}$/.test(name) ? name : `column ${index + 1}`;
}

/** A record's CSV fault in words (RFC 4180, rule 7: a value holding a quote is quoted, the quote doubled). */
function faultText(error: CsvSyntaxError): string {
  switch (error.fault) {
    case 'quote_inside_value':
      return `a quote (") inside a value that is not quoted, on line ${error.line}; in CSV such a value is quoted and its quote doubled ("")`;
    case 'text_after_closing_quote': {
      const opened = error.opened !== null && error.opened !== error.line ? ` (its quote opened on line ${error.opened})` : '';
      return `text after the closing quote of a quoted value, on line ${error.line}${opened}; a quote inside a quoted value is written twice ("")`;
    }
    case 'unclosed_quote':
      return `the quote that opens this value on line ${error.line} is never closed, so the rest of the file was read as this one value`;
    case 'value_too_long':
      return `a value over ${sizeText(CSV_VALUE_LIMIT)}, from line ${error.line} on (the longest real ARMLS value, Features, is about 6 KB); the row is not imported`;
    case 'row_too_long':
      return `the row passes ${sizeText(CSV_ROW_LIMIT)} in this column, on line ${error.line} (a real ARMLS row is under 7 KB); the row is not imported`;
    case 'too_many_columns':
      return `more than ${CSV_COLUMN_LIMIT} columns (an ARMLS export has about 100); the row is not imported`;
  }
}

/** `; the row runs to line 9`: the lines a faulty record took, when more than one (none of them stored). */
function runsOn(record: CsvRecord): string {
  return record.endLine > record.line ? `; this row takes lines ${record.line} to ${record.endLine}, none of them imported` : '';
}
