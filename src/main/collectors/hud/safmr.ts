import { parse } from 'csv-parse/sync';

/**
 * HUD's Small Area Fair Market Rents (SAFMR), as a CSV saved from HUD's yearly file
 * (huduser.gov, "FY20xx Small Area FMRs", one row per ZIP code and HUD area), read into the
 * `RENT_BY_ZIP_BEDROOMS` setting: `{ "85031": { "0": 1230, "1": 1350, ..., "4": 2480 } }`.
 *
 * Columns read (header names compared without case, spaces or line breaks, which HUD's headers
 * contain):
 * - `ZIP Code` (or `ZIP`, `zip_code`): five digits;
 * - `SAFMR 0BR` … `SAFMR 4BR` (or `safmr_0br` …): dollars a month, `$1,530` or `1530`.
 * The payment-standard columns (`SAFMR 0BR - 90% Payment Standard`, `… 110% …`) and every other
 * column are ignored. A ZIP listed under two HUD areas keeps its first row.
 */
export interface SafmrImport {
  rents: Record<string, Record<string, number>>;
  rows: number;
  /** ZIP codes seen again under another HUD area (first row kept). */
  repeated: string[];
  /** Rows outside the ZIP prefixes asked for. */
  skipped: number;
}

const key = (header: string) => header.toLowerCase().replace(/[\s_]+/g, '');

export class SafmrFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafmrFormatError';
  }
}

/** Parse a SAFMR CSV; `zipPrefixes` keeps only those ZIP codes (e.g. `['85', '86']` for Arizona). Throws `SafmrFormatError` naming the row and column. */
export function parseSafmrCsv(text: string, zipPrefixes: readonly string[] = []): SafmrImport {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new SafmrFormatError(`not a readable CSV: ${(error as Error).message}`);
  }
  const header = records[0];
  if (!header) throw new SafmrFormatError('the file is empty');
  const keys = header.map(key);
  const zipColumn = keys.findIndex((k) => k === 'zipcode' || k === 'zip');
  if (zipColumn < 0) throw new SafmrFormatError(`no "ZIP Code" column; columns found: ${header.join(', ').slice(0, 300)}`);
  const bedroomColumns = new Map<string, number>();
  keys.forEach((k, i) => {
    const m = /^safmr([0-4])br$/.exec(k);
    if (m && !bedroomColumns.has(m[1]!)) bedroomColumns.set(m[1]!, i);
  });
  if (bedroomColumns.size === 0) throw new SafmrFormatError(`no "SAFMR 0BR" … "SAFMR 4BR" columns; columns found: ${header.join(', ').slice(0, 300)}`);

  const rents: Record<string, Record<string, number>> = {};
  const repeated: string[] = [];
  let skipped = 0;
  for (const [index, row] of records.slice(1).entries()) {
    const line = index + 2;
    const zip = (row[zipColumn] ?? '').padStart(5, '0');
    if (!/^\d{5}$/.test(zip)) throw new SafmrFormatError(`row ${line}: ZIP code "${row[zipColumn] ?? ''}" is not 5 digits`);
    if (zipPrefixes.length > 0 && !zipPrefixes.some((p) => zip.startsWith(p))) {
      skipped += 1;
      continue;
    }
    if (rents[zip]) {
      repeated.push(zip);
      continue;
    }
    const byBedrooms: Record<string, number> = {};
    for (const [beds, column] of bedroomColumns) {
      const raw = (row[column] ?? '').replace(/[$,\s]/g, '');
      if (raw === '') continue;
      const value = Number(raw);
      if (!Number.isFinite(value) || value <= 0) throw new SafmrFormatError(`row ${line}: ${header[column]} "${row[column]}" is not a rent in dollars`);
      byBedrooms[beds] = value;
    }
    rents[zip] = byBedrooms;
  }
  return { rents, rows: records.length - 1, repeated, skipped };
}
