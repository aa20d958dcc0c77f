import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSafmrCsv } from '../../src/main/collectors/hud/safmr.js';
import { rentsImport } from '../../src/main/cli/commands/rents.js';
import { openTestCore, type TestCore } from '../support/core.js';

// HUD's SAFMR layout: headers with line breaks, dollar signs and thousands separators, the
// payment-standard columns beside each bedroom count, a ZIP listed under two HUD areas.
const HUD_CSV = [
  '"ZIP\nCode","HUD Area Code","HUD Fair Market Rent Area Name","SAFMR\n0BR","SAFMR\n0BR -\n90%\nPayment\nStandard","SAFMR\n0BR -\n110%\nPayment\nStandard","SAFMR\n1BR","SAFMR\n2BR","SAFMR\n3BR","SAFMR\n4BR"',
  '85031,METRO38060M38060,"Phoenix-Mesa-Chandler, AZ MSA","$1,230","$1,107","$1,353","$1,350","$1,610","$2,170","$2,480"',
  '85379,METRO38060M38060,"Phoenix-Mesa-Chandler, AZ MSA","$1,520","$1,368","$1,672","$1,660","$1,980","$2,640","$3,020"',
  '85379,METRO99999M99999,"Elsewhere, AZ","$1,000","$900","$1,100","$1,100","$1,300","$1,700","$2,000"',
  '10001,METRO35620M35620,"New York-Newark-Jersey City, NY-NJ-PA MSA","$2,950","$2,655","$3,245","$3,050","$3,460","$4,290","$4,690"',
].join('\r\n');

// The real HUD tables of ../shared/fixtures/rents (SOURCE.md there): HUD's FY2024 file, and the
// FY2026 extract with its year-by-year columns.
const RENTS_DIR = path.resolve(import.meta.dirname, '../../../shared/fixtures/rents');
const FY2024 = path.join(RENTS_DIR, 'hud_safmr_fy2024_phoenix_metro38060_extract.csv');
const FY2026 = path.join(RENTS_DIR, 'hud_safmr_fy2026_vs_fy2024_phoenix_metro_extract.csv');

/** The FY2024 file with every `SAFMR nBR` cell blank, as a real copy of HUD's file had them (SLC-ALEX blob f9019260). */
function blanked(text: string): string {
  const [header, ...rows] = parse(text) as string[][];
  const rent = header!.map((h) => /^SAFMR \dBR$/.test(h));
  return [header!, ...rows.map((r) => r.map((v, i) => (rent[i] ? '' : v)))].map((r) => r.map((v) => (/[",]/.test(v) ? `"${v}"` : v)).join(',')).join('\n');
}

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('HUD Small Area FMR import', () => {
  it('reads the bedroom rents by ZIP, keeping the prefixes asked for', () => {
    const r = parseSafmrCsv(HUD_CSV, ['85']);
    expect(r.rents).toEqual({
      '85031': { '0': 1230, '1': 1350, '2': 1610, '3': 2170, '4': 2480 },
      '85379': { '0': 1520, '1': 1660, '2': 1980, '3': 2640, '4': 3020 },
    });
    expect(r).toMatchObject({ rows: 4, repeated: ['85379'], skipped: 1 });
  });

  it('says what is wrong and where', () => {
    expect(() => parseSafmrCsv('Zip,Rent\n85031,1200')).toThrowError(/no "SAFMR 0BR" … "SAFMR 4BR" \(or "fy2026_0br" …\) columns; columns found: Zip, Rent/);
    expect(() => parseSafmrCsv('Area,SAFMR 2BR\nx,1')).toThrowError(/no "ZIP Code" column/);
    expect(() => parseSafmrCsv('ZIP Code,SAFMR 2BR\n85031,"n/a"')).toThrowError('row 2: SAFMR 2BR "n/a" is not a rent in dollars');
    expect(() => parseSafmrCsv('ZIP Code,SAFMR 2BR\n8503A,1500')).toThrowError('row 2: ZIP code "8503A" is not 5 digits');
  });

  it('reads both real layouts: HUD’s `SAFMR 0BR` columns and the FY2026 extract’s `fy2026_0br`, the latest year of it', () => {
    const fy2024 = parseSafmrCsv(fs.readFileSync(FY2024, 'utf8'), ['85']);
    expect(fy2024).toMatchObject({ rows: 224, repeated: [], skipped: 0, fiscalYear: null });
    expect(Object.keys(fy2024.rents)).toHaveLength(224);
    expect(fy2024.rents['85251']).toEqual({ '0': 1660, '1': 1810, '2': 2130, '3': 2880, '4': 3280 });
    const fy2026 = parseSafmrCsv(fs.readFileSync(FY2026, 'utf8'));
    expect(fy2026).toMatchObject({ rows: 224, skipped: 0, fiscalYear: 2026 });
    expect(fy2026.rents['85251']).toEqual({ '0': 1740, '1': 1890, '2': 2200, '3': 2930, '4': 3250 });
  });

  it('refuses blank rent cells, saying where, never an empty table', () => {
    expect(() => parseSafmrCsv(blanked(fs.readFileSync(FY2024, 'utf8')))).toThrowError(
      'every rent cell is blank ("SAFMR 0BR", "SAFMR 1BR", "SAFMR 2BR", "SAFMR 3BR", "SAFMR 4BR" in all 224 rows kept): the file holds no rents; export HUD\'s table again with its values',
    );
    const oneBlank = 'ZIP Code,SAFMR 2BR,SAFMR 3BR\n85031,1500,1800\n85033,1450,\n';
    expect(() => parseSafmrCsv(oneBlank)).toThrowError('1 of 4 rent cells are blank: row 3 (ZIP 85033) SAFMR 3BR');
    // A blank row outside the prefixes asked for is not read.
    expect(parseSafmrCsv(`${oneBlank}10001,,\n`, ['85031']).rents).toEqual({ '85031': { '2': 1500, '3': 1800 } });
  });

  it('phoenix-re rents import imports the real FY2026 table and refuses the blanked FY2024 one without saving it', async () => {
    t = await openTestCore();
    const lines: string[] = [];
    const output = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(`ERR ${s}`) };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'safmr-')), 'fy2024_safmrs.clean.csv');
    fs.writeFileSync(file, blanked(fs.readFileSync(FY2024, 'utf8')));
    expect(await rentsImport(t.core, file, { zipPrefix: '85' }, output)).toBe(1);
    expect(lines).toEqual([`ERR ${file}: every rent cell is blank ("SAFMR 0BR", "SAFMR 1BR", "SAFMR 2BR", "SAFMR 3BR", "SAFMR 4BR" in all 224 rows kept): the file holds no rents; export HUD's table again with its values`]);
    const unsaved = (await t.core.api['settings.get']({})).settings.find((s) => s.env === 'RENT_BY_ZIP_BEDROOMS')!;
    expect(unsaved.origin).not.toBe('the console (saved in the database)');

    lines.length = 0;
    expect(await rentsImport(t.core, FY2026, { zipPrefix: '85' }, output)).toBe(0);
    expect(lines[0]).toBe(`${FY2026}: FY2026 rents, 224 rows, 224 ZIP codes kept (prefixes 85), 0 skipped.`);
    const saved = (await t.core.api['settings.get']({})).settings.find((s) => s.env === 'RENT_BY_ZIP_BEDROOMS')!;
    expect(saved.origin).toBe('the console (saved in the database)');
    expect(JSON.parse(saved.input!)).toMatchObject({ '85251': { '3': 2930 } });
  });

  it('refuses a file over 32 MB before reading it, and a row over 64 KB by its line, saving nothing (issue #24)', async () => {
    t = await openTestCore();
    const lines: string[] = [];
    const output = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(`ERR ${s}`) };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safmr-big-'));
    const big = path.join(dir, 'big.csv');
    const fd = fs.openSync(big, 'w');
    fs.writeSync(fd, fs.readFileSync(FY2026));
    fs.ftruncateSync(fd, 33 * 1024 * 1024); // a sparse tail: 33 MB on stat, next to nothing on disk
    fs.closeSync(fd);
    expect(await rentsImport(t.core, big, { zipPrefix: '85' }, output)).toBe(1);
    expect(lines).toEqual([`ERR ${big}: 33 MB, over the 32 MB a HUD SAFMR table may have (HUD's national table is about 15 MB); not read`]);

    lines.length = 0;
    const wide = path.join(dir, 'wide.csv');
    fs.writeFileSync(wide, `${HUD_CSV}\r\n85032,METRO38060M38060,"${'a'.repeat(70 * 1024)}",1,1,1,1,1,1,1`);
    expect(await rentsImport(t.core, wide, { zipPrefix: '85' }, output)).toBe(1);
    // Line 20 of the file: the header's quoted names span 15 lines, as HUD writes them.
    expect(lines[0]).toBe(`ERR ${wide}: not a readable CSV: Max Record Size: record exceed the maximum number of tolerated bytes of 65536 at line 20`);
    const unsaved = (await t.core.api['settings.get']({})).settings.find((s) => s.env === 'RENT_BY_ZIP_BEDROOMS')!;
    expect(unsaved.origin).not.toBe('the console (saved in the database)');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('phoenix-re rents import saves RENT_BY_ZIP_BEDROOMS to the settings document', async () => {
    t = await openTestCore();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'safmr-')), 'fy2026_safmrs.csv');
    fs.writeFileSync(file, HUD_CSV);
    const lines: string[] = [];
    const output = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(`ERR ${s}`) };
    expect(await rentsImport(t.core, file, { zipPrefix: '85,86' }, output)).toBe(0);
    expect(lines[0]).toBe(`${file}: 4 rows, 2 ZIP codes kept (prefixes 85, 86), 1 skipped, 1 listed again under another HUD area (first kept).`);
    const settings = await t.core.api['settings.get']({});
    const saved = settings.settings.find((s) => s.env === 'RENT_BY_ZIP_BEDROOMS')!;
    expect(saved.origin).toBe('the console (saved in the database)');
    expect(JSON.parse(saved.input!)).toMatchObject({ '85031': { '3': 2170 } });
    expect(await rentsImport(t.core, `${file}.missing`, { zipPrefix: '85' }, output)).toBe(1);
    expect(lines.at(-1)).toMatch(/^ERR Cannot read .*missing/);
  });
});
