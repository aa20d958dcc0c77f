import { ARMLS_REQUIRED_COLUMNS } from '../armls/mapping.js';
import { csvRecords } from './csv-records.js';

/**
 * What a file given to the wrong import is, by its first bytes: an ARMLS export (a CSV file whose
 * header row has every ARMLS_REQUIRED_COLUMNS), another CSV file (a header row of two or more
 * comma-separated names), or JSON (the text starts with `{` or `[`). Null when it is none of them.
 */
export type ImportFileKind = 'armls_export' | 'csv' | 'json';

/** The first record of `text` (a BOM dropped), or null when there is none. */
async function headerRow(text: string): Promise<string[] | null> {
  const chunks = (async function* () {
    yield text;
  })();
  for await (const record of csvRecords(chunks)) return record.error ? null : record.fields.map((f) => f.trim());
  return null;
}

/**
 * The kind of a file from the start of its text (`head`: decoded as UTF-8 or Latin-1, a few KB
 * are enough), or null when it looks like none of ImportFileKind. Reads only the first line of a
 * CSV text; never returns any of the file's content.
 */
export async function importFileKind(head: string): Promise<ImportFileKind | null> {
  if (/^\ufeff?\s*[[{]/.test(head)) return 'json';
  const firstLine = /^[^\r\n]*/.exec(head.replace(/^\ufeff/, ''))![0];
  const header = await headerRow(firstLine);
  if (!header || header.length < 2) return null;
  if (ARMLS_REQUIRED_COLUMNS.every((c) => header.includes(c))) return 'armls_export';
  return 'csv';
}

/** Where the analyst imports a file as ARMLS: the CLI command and the Collection page's choice. */
export const IMPORT_AS_ARMLS = 'import it as ARMLS (phoenix-re import armls <file.csv>, or Kind "ARMLS export (.csv)" on the Collection page)';

/**
 * Why a file given to the assessor import (which reads saved `/parcel` answers, JSON) is for
 * another import, or null when it may be a parcel answer. Issue #23: a CSV imported as Assessor
 * was refused as "not JSON (unreadable at character 14)", which did not say what to do.
 */
export async function whyNotParcelFile(head: string): Promise<string | null> {
  switch (await importFileKind(head)) {
    case 'armls_export':
      return `this looks like an ARMLS export (a CSV file with the columns ${ARMLS_REQUIRED_COLUMNS.join(', ')}), not a saved assessor /parcel answer (JSON): ${IMPORT_AS_ARMLS}`;
    case 'csv':
      return `this is a CSV file, not a saved assessor /parcel answer (JSON, one parcel a file named like 501-79-632.json); if it is an ARMLS export, ${IMPORT_AS_ARMLS}`;
    case 'json':
    case null:
      return null;
  }
}
