import { parse } from 'csv-parse/sync';
import { SAFMR_ROW_LIMIT } from '../import/input-bounds.js';

/**
 * HUD's Small Area Fair Market Rents (SAFMR), as a CSV saved from HUD's yearly file
 * (huduser.gov, "FY20xx Small Area FMRs", one row per ZIP code and HUD area), read into the
 * `RENT_BY_ZIP_BEDROOMS` setting: `{ "85031": { "0": 1230, "1": 1350, ..., "4": 2480 } }`.
 *
 * Columns read (header names compared without case, spaces, underscores or line breaks, which
 * HUD's headers contain):
 * - `ZIP Code` (or `ZIP`, `zip_code`): five digits;
 * - the rents, dollars a month, `$1,530` or `1530`, in one of two layouts:
 *   HUD's own, `SAFMR 0BR` … `SAFMR 4BR` (or `safmr_0br` …); or a year-by-year extract,
 *   `fy2026_0br` … `fy2026_4br` beside `fy2024_0br` … (the shared fixture
 *   `hud_safmr_fy2026_vs_fy2024_phoenix_metro_extract.csv`), of which the latest fiscal year is read.
 * The payment-standard columns (`SAFMR 0BR - 90% Payment Standard`, `… 110% …`) and every other
 * column are ignored. A ZIP listed under two HUD areas keeps its first row.
 *
 * A rent cell that is blank is refused, never read as "no rent": a real copy of HUD's FY2024 file
 * (SLC-ALEX `fy2024_safmrs.clean.csv`, blob f9019260) has every `SAFMR nBR` cell blank, and
 * saving it would have replaced the rent table with empty ZIP entries.
 */
export interface SafmrImport {
  rents: Record<string, Record<string, number>>;
  rows: number;
  /** ZIP codes seen again under another HUD area (first row kept). */
  repeated: string[];
  /** Rows outside the ZIP prefixes asked for. */
  skipped: number;
  /** The fiscal year the columns name (`fy2026_0br`: 2026); null for HUD's `SAFMR 0BR` headers, which do not say. */
  fiscalYear: number | null;
}

const key = (header: string) => header.toLowerCase().replace(/[\s_]+/g, '');

export class SafmrFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafmrFormatError';
  }
}

/** Blank cells named in a refusal before "and N more". */
const BLANKS_NAMED = 5;

/** The bedroom columns (`"0"` … `"4"` → column index) and the fiscal year they are of. */
function bedroomColumnsOf(header: string[]): { columns: Map<string, number>; fiscalYear: number | null } {
  const hud = new Map<string, number>();
  const byYear = new Map<number, Map<string, number>>();
  header.map(key).forEach((k, i) => {
    const m = /^(?:safmr|fy(\d{4}))([0-4])br$/.exec(k);
    if (!m) return;
    const columns = m[1] === undefined ? hud : (byYear.get(Number(m[1])) ?? byYear.set(Number(m[1]), new Map()).get(Number(m[1]))!);
    if (!columns.has(m[2]!)) columns.set(m[2]!, i);
  });
  if (hud.size > 0) return { columns: hud, fiscalYear: null };
  const latest = Math.max(...byYear.keys());
  return byYear.size > 0 ? { columns: byYear.get(latest)!, fiscalYear: latest } : { columns: hud, fiscalYear: null };
}

/**
 * Parse a SAFMR CSV; `zipPrefixes` keeps only those ZIP codes (e.g. `['85', '86']` for Arizona).
 * Throws `SafmrFormatError` naming the row and column: no ZIP or rent columns, a ZIP that is not
 * five digits, a rent that is not dollars, and any blank rent cell of a row kept (all of them
 * blank: the file holds no rents at all).
 */
export function parseSafmrCsv(text: string, zipPrefixes: readonly string[] = []): SafmrImport {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: SAFMR_ROW_LIMIT });
  } catch (error) {
    throw new SafmrFormatError(`not a readable CSV: ${(error as Error).message}`);
  }
  const header = records[0];
  if (!header) throw new SafmrFormatError('the file is empty');
  const keys = header.map(key);
  const zipColumn = keys.findIndex((k) => k === 'zipcode' || k === 'zip');
  if (zipColumn < 0) throw new SafmrFormatError(`no "ZIP Code" column; columns found: ${header.join(', ').slice(0, 300)}`);
  const { columns: bedroomColumns, fiscalYear } = bedroomColumnsOf(header);
  if (bedroomColumns.size === 0) {
    throw new SafmrFormatError(`no "SAFMR 0BR" … "SAFMR 4BR" (or "fy2026_0br" …) columns; columns found: ${header.join(', ').slice(0, 300)}`);
  }

  const rents: Record<string, Record<string, number>> = {};
  const repeated: string[] = [];
  const blanks: string[] = [];
  let cells = 0;
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
      cells += 1;
      const raw = (row[column] ?? '').replace(/[$,\s]/g, '');
      if (raw === '') {
        blanks.push(`row ${line} (ZIP ${zip}) ${header[column]!.replace(/\s+/g, ' ')}`);
        continue;
      }
      const value = Number(raw);
      if (!Number.isFinite(value) || value <= 0) throw new SafmrFormatError(`row ${line}: ${header[column]} "${row[column]}" is not a rent in dollars`);
      byBedrooms[beds] = value;
    }
    rents[zip] = byBedrooms;
  }
  if (blanks.length > 0 && blanks.length === cells) {
    const names = [...bedroomColumns.values()].map((c) => `"${header[c]!.replace(/\s+/g, ' ')}"`).join(', ');
    throw new SafmrFormatError(`every rent cell is blank (${names} in all ${Object.keys(rents).length} rows kept): the file holds no rents; export HUD's table again with its values`);
  }
  if (blanks.length > 0) {
    const more = blanks.length > BLANKS_NAMED ? ` and ${blanks.length - BLANKS_NAMED} more` : '';
    throw new SafmrFormatError(`${blanks.length} of ${cells} rent cells are blank: ${blanks.slice(0, BLANKS_NAMED).join('; ')}${more}`);
  }
  return { rents, rows: records.length - 1, repeated, skipped, fiscalYear };
}
