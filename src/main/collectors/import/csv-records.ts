import { CSV_COLUMN_LIMIT, CSV_ROW_LIMIT, CSV_VALUE_LIMIT } from './input-bounds.js';

/**
 * What makes a record not CSV (RFC 4180, section 2): a quote inside a value that does not start
 * with one (rule 7: such a value must be quoted and the quote doubled), text after a quoted
 * value's closing quote (rule 7 again: `"a"b`), or a quote opened and never closed. And what
 * makes one too big to read (CsvLimits): a value, a row or a number of columns over its bound.
 */
export type CsvSyntaxFault = 'quote_inside_value' | 'text_after_closing_quote' | 'unclosed_quote' | 'value_too_long' | 'row_too_long' | 'too_many_columns';

/**
 * The first fault of a record: which field (0-based) and the line (1-based) it is on; an unclosed
 * quote's line is where it opened. `opened`: for a fault inside a quoted value, the line its quote
 * opened on (a quote left open earlier shows as text after a "closing" quote lines later).
 */
export interface CsvSyntaxError {
  fault: CsvSyntaxFault;
  field: number;
  line: number;
  opened: number | null;
}

/**
 * The most one record may hold: characters of one value and of all its values, and columns
 * (defaults: CSV_VALUE_LIMIT, CSV_ROW_LIMIT, CSV_COLUMN_LIMIT).
 */
export interface CsvLimits {
  valueChars: number;
  rowChars: number;
  columns: number;
}

/** The import bounds of input-bounds.ts. */
export const CSV_LIMITS: CsvLimits = { valueChars: CSV_VALUE_LIMIT, rowChars: CSV_ROW_LIMIT, columns: CSV_COLUMN_LIMIT };

/** One record of a CSV text: its fields, the lines it starts and ends on (1-based) and its first fault, if any. */
export interface CsvRecord {
  fields: string[];
  line: number;
  endLine: number;
  error: CsvSyntaxError | null;
}

/**
 * The records of a CSV text given in chunks (RFC 4180, comma-separated): a field may be quoted,
 * `""` in it is one quote, and a quoted field may hold commas and line breaks, kept as they are
 * (CRLF stays CRLF). A record ends at CRLF, LF or a lone CR; a blank line is not a record.
 * Lines are counted as an editor counts them — CRLF, LF and lone CR each end one line, inside a
 * quoted field too — so `line` is the line an editor shows. A record with a fault is still
 * given, with its first fault: a stray quote is kept as text; after a closing quote followed by
 * text the field stays quoted (the quote was a stray one inside the value); an unclosed quote
 * takes the rest of the text into its field. The text must not start with a BOM.
 *
 * Bounded: a record holds at most `limits` (a value of `valueChars`, all values `rowChars`,
 * `columns` fields). Past a bound the record gets the fault (`value_too_long`, `row_too_long`,
 * `too_many_columns`) and the rest of what is over is read on, its lines counted, and dropped:
 * the record is given with the fields read so far (the value over its bound cut to nothing), so
 * whatever the text, the memory held is that of one bounded record. An unclosed quote whose
 * value went over its bound is still reported as `unclosed_quote`, the cause to fix.
 */
export async function* csvRecords(chunks: AsyncIterable<string>, limits: CsvLimits = CSV_LIMITS): AsyncGenerator<CsvRecord> {
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let error: CsvSyntaxError | null = null;
  let quoted = false;
  let quoteLine = 0;
  /** In a quoted field, just after a quote: closing it, or the first of `""`. */
  let afterQuote = false;
  /** Just after a CR: an LF next is the same line break. */
  let afterCr = false;
  /** The field had a quoted part: a quote may not open it again. */
  let wasQuoted = false;
  /** Characters of the record's values so far. */
  let rowChars = 0;
  /** Past a bound: the rest of the value (`value`) or of the record (`row`) is read and dropped. */
  let dropping: 'value' | 'row' | null = null;
  /** Characters of the value read so far, dropped ones too, and the last of them. */
  let seen = 0;
  let lastChar = '';
  const fault = (kind: CsvSyntaxFault, at: number) => {
    const inQuotes = kind === 'text_after_closing_quote' || kind === 'unclosed_quote' || (kind !== 'quote_inside_value' && quoted);
    error ??= { fault: kind, field: fields.length, line: at, opened: inQuotes ? quoteLine : null };
  };
  /** Add `c` to the value, unless a bound is passed (then the fault, and the value or row dropped). */
  const add = (c: string) => {
    seen += 1;
    lastChar = c;
    if (dropping) return;
    if (field.length >= limits.valueChars) {
      fault('value_too_long', line);
      field = '';
      dropping = 'value';
    } else if (rowChars >= limits.rowChars) {
      fault('row_too_long', line);
      field = '';
      dropping = 'row';
    } else {
      field += c;
      rowChars += 1;
    }
  };
  /** End the value read so far and start the next one. */
  const endField = () => {
    if (dropping !== 'row') {
      if (fields.length >= limits.columns) {
        fault('too_many_columns', line);
        dropping = 'row';
      } else fields.push(field);
    }
    if (dropping === 'value') dropping = null;
    field = '';
    seen = 0;
    lastChar = '';
    wasQuoted = false;
  };
  /** The record read so far; at the end of the text, a line break closing an unclosed field does not start a line of it. */
  const endRecord = (atEnd = false): CsvRecord | null => {
    const blank = fields.length === 0 && seen === 0 && !wasQuoted && error === null;
    const endsWithBreak = lastChar === '\r' || lastChar === '\n';
    endField();
    const endLine = atEnd && endsWithBreak ? line - 1 : line;
    const record = blank ? null : { fields, line: recordLine, endLine, error };
    fields = [];
    rowChars = 0;
    dropping = null;
    error = null;
    return record;
  };
  for await (const chunk of chunks) {
    const out: CsvRecord[] = [];
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk[i]!;
      if (afterCr) {
        afterCr = false;
        // The LF of a CRLF: the line break was counted at its CR.
        if (c === '\n') {
          if (quoted) add(c);
          continue;
        }
      }
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === '"') {
            add(c);
            continue;
          }
          if (c === ',' || c === '\r' || c === '\n') quoted = false;
          else {
            fault('text_after_closing_quote', line);
            add('"');
          }
        } else if (c === '"') {
          afterQuote = true;
          continue;
        }
      }
      if (quoted) {
        add(c);
        if (c === '\r' || c === '\n') {
          line += 1;
          afterCr = c === '\r';
        }
        continue;
      }
      if (c === ',') {
        endField();
      } else if (c === '\r' || c === '\n') {
        const record = endRecord();
        if (record) out.push(record);
        line += 1;
        recordLine = line;
        afterCr = c === '\r';
      } else if (c === '"' && seen === 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        quoteLine = line;
      } else {
        if (c === '"') fault('quote_inside_value', line);
        add(c);
      }
    }
    yield* out;
  }
  if (quoted && !afterQuote) {
    // A bound passed inside the value the quote left open: the quote is what to fix.
    const over = error as CsvSyntaxError | null;
    if (over && (over.fault === 'value_too_long' || over.fault === 'row_too_long') && over.line >= quoteLine) error = null;
    fault('unclosed_quote', quoteLine);
  }
  const last = endRecord(true);
  if (last) yield last;
}
