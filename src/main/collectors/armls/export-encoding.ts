import fs from 'node:fs';
import { Transform } from 'node:stream';

/** The character sets an ARMLS export comes in. */
export type ExportEncoding = 'utf-8' | 'windows-1252';

/**
 * The character set of an export file: UTF-8 when every byte sequence is valid UTF-8 (a BOM or
 * none), else Windows-1252. Real exports come in both: as downloaded, UTF-8; re-saved by Excel on
 * Windows, Windows-1252 (`décor` written as the byte E9, `1½-bath` as BD, in two of the real
 * exports of odgsully/Actual, `apps/gs-crm/mcao-upload-temp/`). Read as UTF-8, those bytes would
 * become U+FFFD in every remark and name. Reads the file once, as bytes.
 */
export async function detectExportEncoding(file: string, signal?: AbortSignal): Promise<ExportEncoding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(file, signal ? { signal } : {}) as AsyncIterable<Buffer>) decoder.decode(chunk, { stream: true });
    decoder.decode();
    return 'utf-8';
  } catch (error) {
    if (error instanceof TypeError) return 'windows-1252';
    throw error;
  }
}

/** A stream turning the file's bytes into text in `encoding` (Windows-1252 by the WHATWG table). */
export function exportDecoder(encoding: ExportEncoding): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    decodeStrings: true,
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      done(null, decoder.decode(chunk, { stream: true }));
    },
    flush(done) {
      done(null, decoder.decode());
    },
  });
}
