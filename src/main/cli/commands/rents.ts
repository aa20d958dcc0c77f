import fs from 'node:fs';
import { parseSafmrCsv, SafmrFormatError } from '../../collectors/hud/safmr.js';
import { readFileWithinSync } from '../../collectors/import/bounded-read.js';
import { SAFMR_FILE_LIMIT } from '../../collectors/import/input-bounds.js';
import type { Core } from '../../core/create-core.js';
import type { CliOutput } from '../output.js';

/**
 * `phoenix-re rents import <file>`: HUD Small Area FMRs into `RENT_BY_ZIP_BEDROOMS` (saved to the
 * settings document; applies at the next start). Exit 1 with the reason on a bad file: one
 * over SAFMR_FILE_LIMIT (measured before reading), a row over SAFMR_ROW_LIMIT, one without ZIP
 * or rent columns, or with a blank rent cell (parseSafmrCsv), is never saved.
 */
export async function rentsImport(core: Core, file: string, opts: { zipPrefix: string; dryRun?: boolean }, output: CliOutput): Promise<number> {
  let text: string;
  try {
    const bytes = fs.statSync(file).size;
    if (bytes > SAFMR_FILE_LIMIT) {
      output.err(`${file}: ${(bytes / 1024 / 1024).toFixed(0)} MB, over the ${SAFMR_FILE_LIMIT / 1024 / 1024} MB a HUD SAFMR table may have (HUD's national table is about 15 MB); not read`);
      return 1;
    }
    // Read within the bound too: a file whose size reads 0 (/dev/zero, a pipe) is otherwise read without end.
    text = readFileWithinSync(file, { bytes: SAFMR_FILE_LIMIT, what: 'a HUD SAFMR table may have' }).toString('utf8');
  } catch (error) {
    output.err(`Cannot read ${file}: ${(error as Error).message}`);
    return 1;
  }
  const prefixes = opts.zipPrefix.split(',').map((p) => p.trim()).filter(Boolean);
  let imported;
  try {
    imported = parseSafmrCsv(text, prefixes);
  } catch (error) {
    if (error instanceof SafmrFormatError) {
      output.err(`${file}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const zips = Object.keys(imported.rents).length;
  output.out(`${file}: ${imported.fiscalYear === null ? '' : `FY${imported.fiscalYear} rents, `}${imported.rows} rows, ${zips} ZIP codes kept (prefixes ${prefixes.join(', ') || 'any'}), ${imported.skipped} skipped${imported.repeated.length ? `, ${imported.repeated.length} listed again under another HUD area (first kept)` : ''}.`);
  if (zips === 0) {
    output.err('No ZIP codes to import: check --zip-prefix.');
    return 1;
  }
  if (opts.dryRun) return 0;
  const result = await core.api['settings.update']({ values: { RENT_BY_ZIP_BEDROOMS: JSON.stringify(imported.rents) } });
  if (!result.saved) {
    output.err(`Not saved: ${Object.entries(result.errors).map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    return 1;
  }
  output.out(`Saved RENT_BY_ZIP_BEDROOMS to the settings document; it applies at the next start${result.overridden.length ? ' (the environment overrides it now)' : ''}.`);
  return 0;
}
