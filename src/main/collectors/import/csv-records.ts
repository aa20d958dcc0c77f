/**
 * What makes a record not CSV (RFC 4180, section 2): a quote inside a value that does not start
 * with one (rule 7: such a value must be quoted and the quote doubled), text after a quoted
 * value's closing quote (rule 7 again: `"a"b`), or a quote opened and never closed.
 */
export type CsvSyntaxFault = 'quote_inside_value' | 'text_after_closing_quote' | 'unclosed_quote';

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
 */
export async function* csvRecords(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
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
  const fault = (kind: CsvSyntaxFault, at: number) => {
    error ??= { fault: kind, field: fields.length, line: at, opened: kind === 'quote_inside_value' ? null : quoteLine };
  };
  /** The record read so far; at the end of the text, a line break closing an unclosed field does not start a line of it. */
  const endRecord = (atEnd = false): CsvRecord | null => {
    fields.push(field);
    const blank = fields.length === 1 && field === '' && !wasQuoted && error === null;
    const endLine = atEnd && /[\r\n]$/.test(field) ? line - 1 : line;
    const record = blank ? null : { fields, line: recordLine, endLine, error };
    fields = [];
    field = '';
    wasQuoted = false;
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
          if (quoted) field += c;
          continue;
        }
      }
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === '"') {
            field += c;
            continue;
          }
          if (c === ',' || c === '\r' || c === '\n') quoted = false;
          else {
            fault('text_after_closing_quote', line);
            field += '"';
          }
        } else if (c === '"') {
          afterQuote = true;
          continue;
        }
      }
      if (quoted) {
        field += c;
        if (c === '\r' || c === '\n') {
          line += 1;
          afterCr = c === '\r';
        }
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        wasQuoted = false;
      } else if (c === '\r' || c === '\n') {
        const record = endRecord();
        if (record) out.push(record);
        line += 1;
        recordLine = line;
        afterCr = c === '\r';
      } else if (c === '"' && field === '' && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        quoteLine = line;
      } else {
        if (c === '"') fault('quote_inside_value', line);
        field += c;
      }
    }
    yield* out;
  }
  if (quoted && !afterQuote) fault('unclosed_quote', quoteLine);
  const last = endRecord(true);
  if (last) yield last;
}
