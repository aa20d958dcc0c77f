import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';

/**
 * An ARMLS export row as a raw property's `original` keeps it: the CSV text (RFC 4180, as
 * csv-stringify writes it) of the kept columns' names and of the row's values, each one line
 * without its line break. Parse both with any CSV reader to get the row back column by column.
 *
 * Text rather than a document of 99 fields: the database stores and reads a row as two strings
 * several times faster (FerretDB: 0.28 s of server time for 5,000 rows, against 1.2 s as two
 * arrays of 99 strings; measured with tests/bench/armls-import.ts's data).
 */
export interface CsvOriginal {
  format: 'csv';
  header: string;
  row: string;
}

/** One CSV line of `cells`, without its line break. */
function csvLine(cells: string[]): string {
  return stringify([cells], { record_delimiter: '\n' }).replace(/\n$/, '');
}

/** The last header written (every row of a file has the same one). */
let lastHeader: { key: string; line: string } | null = null;

/** The CsvOriginal of `columns` and their `values` (parallel arrays, as `publicColumns` gives them). */
export function csvOriginal({ columns, values }: { columns: string[]; values: string[] }): CsvOriginal {
  const key = columns.join('\u0000');
  if (lastHeader?.key !== key) lastHeader = { key, line: csvLine(columns) };
  return { format: 'csv', header: lastHeader.line, row: csvLine(values) };
}

/** The columns and values of a CsvOriginal, back as parallel arrays (csv-parse); throws when `original` is not one. */
export function parseCsvOriginal(original: unknown): { columns: string[]; values: string[] } {
  const o = original as Partial<CsvOriginal> | null;
  if (o?.format !== 'csv' || typeof o.header !== 'string' || typeof o.row !== 'string') throw new Error('not a CSV original (format "csv" with header and row text)');
  const [columns = []] = parse(o.header, { relax_quotes: false }) as string[][];
  const [values = []] = parse(o.row, { relax_quotes: false }) as string[][];
  return { columns, values };
}
