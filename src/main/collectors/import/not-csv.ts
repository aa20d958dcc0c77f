import fs from 'node:fs';

/** How much of a file's start is read to tell what kind of file it is. */
export const HEAD_BYTES = 64 * 1024;

/** The first HEAD_BYTES bytes of `file` (fewer when it is shorter). */
export async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** How to get a CSV file again, said after each refusal. */
const EXPORT_AS_CSV = 'export the listings from Flexmls as CSV again, or in Excel use File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"';

/**
 * Files that are not text, by their first bytes: ZIP (PKWARE APPNOTE.TXT 4.3.7, local file header
 * `PK\3\4`; an .xlsx workbook is one, ECMA-376 Part 2), OLE2 compound file (MS-CFB 2.2, the .xls
 * workbook of Excel 97-2003), PDF (ISO 32000-1 7.5.2, `%PDF-`), gzip (RFC 1952 2.3.1, 1F 8B).
 */
const SIGNATURES: [Buffer, string][] = [
  [Buffer.from('504b0304', 'hex'), 'a ZIP archive (an Excel .xlsx workbook is one)'],
  [Buffer.from('d0cf11e0a1b11ae1', 'hex'), 'an Excel 97-2003 workbook (.xls)'],
  [Buffer.from('%PDF-'), 'a PDF document'],
  [Buffer.from('1f8b', 'hex'), 'a gzip archive'],
];

/** C0 controls other than tab, LF, FF and CR, and DEL: never in a text export. */
function isControl(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) || byte === 0x7f;
}

/** Commas, semicolons and tabs of a header line, outside quotes. */
function separators(line: string): { ',': number; ';': number; '\t': number } {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) counts[c] += 1;
  }
  return counts;
}

/**
 * Why a file whose first bytes are `head` is not a comma-separated text file, or null when it may
 * be one. `name` is the file's name as the message gives it. Never quotes the file's content.
 *
 * - empty, or only blanks: `X is empty`;
 * - UTF-16 (a BOM FF FE or FE FF, or ASCII with a zero byte after each character): the "Unicode
 *   Text" of Excel's Save As is UTF-16 little-endian with a BOM, tab-separated (Microsoft Support,
 *   "File formats that are supported in Excel": "Unicode Text (.txt)");
 * - a known binary format (SIGNATURES), else a zero byte or more than 1% of control bytes: not text;
 * - JSON: the text starts with `{`, or `[` then `{`, `[`, `"` or `]`;
 * - HTML or XML: the text starts with a tag (`<!DOCTYPE`, `<?xml`, `<html`, `<table`): a page
 *   saved from the browser, Excel's "XML Spreadsheet 2003" (`<?xml`, Microsoft Support, "File
 *   formats that are supported in Excel") or its "Web Page" (`.htm`);
 * - a header line with more semicolons or tabs than commas: Excel's "CSV" uses the list separator
 *   of the computer's region, `;` in much of Europe (Microsoft Support, "Import or export text
 *   (.txt or .csv) files": "change the separator … in Region settings"), and its "Text (Tab
 *   delimited)" tabs.
 */
export function whyNotCsv(head: Buffer, name: string): string | null {
  const notCsv = (what: string) => `${name} ${what}, not a CSV file: ${EXPORT_AS_CSV}`;
  if (head.length === 0) return `${name} is empty`;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return notCsv('is UTF-16 text (as Excel saves "Unicode Text")');
  const pairs = Math.min(64, Math.floor(head.length / 2));
  let zeroHalves = 0;
  for (let i = 0; i < pairs; i += 1) if ((head[2 * i] === 0) !== (head[2 * i + 1] === 0)) zeroHalves += 1;
  if (pairs >= 4 && zeroHalves >= pairs * 0.9) return notCsv('is UTF-16 text (as Excel saves "Unicode Text")');
  const signature = SIGNATURES.find(([bytes]) => head.subarray(0, bytes.length).equals(bytes));
  if (signature) return notCsv(`is ${signature[1]}`);
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return notCsv('is not a text file (it holds binary data)');
    if (isControl(byte)) controls += 1;
  }
  if (controls > head.length / 100) return notCsv('is not a text file (it holds binary data)');
  const text = head.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  if (text.trim() === '') return `${name} is empty`;
  if (/^\s*(?:\{|\[\s*[[{"\]])/.test(text)) return `${name} holds JSON, not a CSV file: a saved assessor /parcel answer is imported as Assessor parcels (phoenix-re import assessor <file|folder>, or Kind "Assessor parcels" on the Collection page); for an ARMLS export, ${EXPORT_AS_CSV}`;
  if (/^\s*<(?:[!?]|[a-z])/i.test(text)) return notCsv('holds HTML or XML (a web page, or a workbook saved as XML or HTML)');
  const count = separators(/^[^\r\n]*/.exec(text.replace(/^\s+/, ''))![0]);
  if (count[';'] > count[',']) return notCsv('is separated by semicolons, not commas');
  if (count['\t'] > count[',']) return notCsv('is separated by tabs, not commas');
  return null;
}
