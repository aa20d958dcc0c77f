import fs from 'node:fs';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * How many records (header included) a CSV file holds, read once as bytes: a line break inside a
 * quoted field (RFC 4180; an escaped `""` toggles twice) does not end a record; a last record
 * without a final line break counts; blank lines do not. Used as an import's progress total.
 */
export async function countCsvRecords(file: string, signal?: AbortSignal): Promise<number> {
  let records = 0;
  let quoted = false;
  let lineHasContent = false;
  for await (const chunk of fs.createReadStream(file, signal ? { signal } : {}) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (byte === QUOTE) quoted = !quoted;
      if (byte === NEWLINE && !quoted) {
        if (lineHasContent) records += 1;
        lineHasContent = false;
      } else if (byte !== 0x0d) lineHasContent = true;
    }
  }
  return lineHasContent ? records + 1 : records;
}
