import fs from 'node:fs';
import path from 'node:path';
import type { RentTable } from '../../../shared/underwriting/rent.js';
import { appRoot } from '../../runtime/app-root.js';
import { parseSafmrCsv } from './safmr.js';

/** The shipped SAFMR table (assets/rents/SOURCE.md: HUD FY2026, Phoenix metro METRO38060M38060, public domain). */
export const DEFAULT_SAFMR_FILE = 'assets/rents/hud_safmr_fy2026_phoenix_metro38060.csv';

/** HUD's fiscal year starts on October 1 of the year before (FY2026: from 2025-10-01). */
const fiscalYearStart = (year: number) => `${year - 1}-10-01`;

/**
 * A SAFMR CSV of HUD area `area` (`Phoenix metro`) as a rent table (basis `safmr`, dated from its fiscal year's first day when its
 * columns name the year), read by the `rents import` parser. Throws `SafmrFormatError` when the
 * file is not a rent table, and the file system's error when it cannot be read.
 */
export function readSafmrTable(file: string, area: string): RentTable {
  const parsed = parseSafmrCsv(fs.readFileSync(file, 'utf8'));
  const year = parsed.fiscalYear;
  return {
    rents: parsed.rents,
    basis: 'safmr',
    source: `HUD ${year === null ? '' : `FY${year} `}Small Area FMR, ${area}`,
    date: year === null ? null : fiscalYearStart(year),
  };
}

let cached: RentTable | undefined;

/** The shipped table (`DEFAULT_SAFMR_FILE`), read once: the rents when `RENT_BY_ZIP_BEDROOMS` is not set. */
export function defaultSafmrTable(): RentTable {
  cached ??= readSafmrTable(path.join(appRoot(), DEFAULT_SAFMR_FILE), 'Phoenix metro, shipped default');
  return cached;
}

/**
 * The ZIP × bedrooms rent table of the settings: the analyst's `RENT_BY_ZIP_BEDROOMS` (basis
 * `zip_bedrooms`) when it holds any ZIP code, else the shipped SAFMR table.
 */
export function rentTableOf(rentByZipBedrooms: Record<string, Record<string, number>>): RentTable {
  if (Object.keys(rentByZipBedrooms).length > 0) return { rents: rentByZipBedrooms, basis: 'zip_bedrooms', source: 'RENT_BY_ZIP_BEDROOMS', date: null };
  return defaultSafmrTable();
}
