import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
    expect(() => parseSafmrCsv('Zip,Rent\n85031,1200')).toThrowError(/no "SAFMR 0BR" … "SAFMR 4BR" columns; columns found: Zip, Rent/);
    expect(() => parseSafmrCsv('Area,SAFMR 2BR\nx,1')).toThrowError(/no "ZIP Code" column/);
    expect(() => parseSafmrCsv('ZIP Code,SAFMR 2BR\n85031,"n/a"')).toThrowError('row 2: SAFMR 2BR "n/a" is not a rent in dollars');
    expect(() => parseSafmrCsv('ZIP Code,SAFMR 2BR\n8503A,1500')).toThrowError('row 2: ZIP code "8503A" is not 5 digits');
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
