import fs from 'node:fs';

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const RETURN = 0x0d;

/**
 * How many records (header included) a CSV file holds, read once as bytes: a line break (CRLF,
 * LF, or a lone CR as the "CSV (Macintosh)" of older Excel for Mac writes them) inside a quoted
 * field (RFC 4180; an escaped `""` toggles twice) does not end a record; a last record without a
 * final line break counts; blank lines do not. Used as an import's progress total.
 */
export async function countCsvRecords(file: string, signal?: AbortSignal): Promise<number> {
  let records = 0;
  let quoted = false;
  let lineHasContent = false;
  let afterReturn = false;
  for await (const chunk of fs.createReadStream(file, signal ? { signal } : {}) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      const lfOfCrlf = afterReturn && byte === NEWLINE;
      afterReturn = byte === RETURN;
      if (lfOfCrlf) continue;
      if (byte === QUOTE) quoted = !quoted;
      if ((byte === NEWLINE || byte === RETURN) && !quoted) {
        if (lineHasContent) records += 1;
        lineHasContent = false;
      } else lineHasContent = true;
    }
  }
  return lineHasContent ? records + 1 : records;
}
