import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

/** `../shared/fixtures/armls-export/closed-condo-173-35-524.csv`: one real ARMLS export row. */
export const ARMLS_FIXTURE = path.resolve(import.meta.dirname, '../../../shared/fixtures/armls-export/closed-condo-173-35-524.csv');

/** The real export's header and its one row, as the file has them. */
export function armlsFixture(): { header: string[]; row: string[] } {
  const [header, row] = parse(fs.readFileSync(ARMLS_FIXTURE), { bom: true }) as string[][];
  return { header: header!, row: row! };
}

/** A CSV field as ARMLS writes every one: quoted, quotes doubled. */
const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
/** A CSV field as Excel re-saves one: quoted only when it must be. */
const quoteIfNeeded = (v: string) => (/[",\r\n]/.test(v) ? quote(v) : v);

/** Rows written as an ARMLS export writes them (every field quoted, CRLF). */
export function armlsCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

/**
 * Rows written as the real exports re-saved by Excel on Windows are (odgsully/Actual,
 * `apps/gs-crm/mcao-upload-temp/all-scopes.csv`): fields quoted only when needed, CRLF,
 * Windows-1252 bytes (`é` is E9, `½` BD: the Latin-1 range of Windows-1252).
 */
export function armlsExcelCsv(header: string[], rows: string[][]): Buffer {
  return Buffer.from([header, ...rows].map((r) => r.map(quoteIfNeeded).join(',')).join('\r\n') + '\r\n', 'latin1');
}

/**
 * A `Features` text with `Association & Fees` fields set (a triple replaced in place or added)
 * or, given `''`, removed: `withFeatures(features, { 'HOA Fee': '3,300' })`.
 */
export function withFeatures(features: string, changes: Record<string, string>): string {
  const group = 'Association & Fees';
  const triples = features.split(';').filter(Boolean);
  for (const [field, value] of Object.entries(changes)) {
    const at = triples.findIndex((t) => t.startsWith(`${group}|${field}|`));
    const triple = `${group}|${field}|${value}`;
    if (value === '') {
      if (at >= 0) triples.splice(at, 1);
    } else if (at >= 0) triples[at] = triple;
    else triples.push(triple);
  }
  return `${triples.join(';')};`;
}

/**
 * The real row varied into `count` distinct listings: list number, house number, unit, ZIP,
 * APN and prices change; every other column stays as exported.
 */
export function armlsRows(count: number, header: string[], row: string[]): string[][] {
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`the ARMLS fixture has no column ${name}`);
    return i;
  };
  const cols = {
    list: at('List Number'),
    house: at('House Number'),
    unit: at('Unit #'),
    zip: at('Zip Code'),
    apn: at('Assessor Number'),
    book: at("Assessor's Book #"),
    map: at("Assessor's Map #"),
    parcel: at("Assessor's Parcel #"),
    sold: at('Sold Price'),
  };
  return Array.from({ length: count }, (_, i) => {
    const r = [...row];
    const book = 100 + (i % 800);
    const map = Math.floor(i / 800) % 100;
    const parcel = (i * 7) % 1000;
    r[cols.list] = String(7_000_000 + i);
    r[cols.house] = String(1000 + (i % 9000));
    r[cols.unit] = String(100 + (i % 400));
    r[cols.zip] = String(85001 + (i % 99));
    r[cols.apn] = `${book}-${String(map).padStart(2, '0')}-${String(parcel).padStart(3, '0')}`;
    r[cols.book] = `${book}.00`;
    r[cols.map] = `${map}.00`;
    r[cols.parcel] = `${parcel}.00`;
    r[cols.sold] = `${200_000 + (i % 500) * 1000}.00`;
    return r;
  });
}
