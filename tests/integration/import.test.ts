import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsvOriginal } from '../../src/main/collectors/armls/csv-original.js';
import { underwrite } from '../../src/shared/underwriting/underwrite.js';
import { ARMLS_FIXTURE, armlsCsv, armlsExcelCsv, armlsFixture, armlsRows, withFeatures } from '../support/armls.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { loadParcelFixtures, PARCEL_FIXTURES_DIR, writeCondoParcel } from '../support/fixtures.js';
import { mlsListing, seedRaw } from '../support/seed.js';
import { until } from '../support/until.js';

let t: TestCore | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-import-'));
  dirs.push(dir);
  return dir;
}

async function importArmls(core: TestCore['core'], file: string, signal?: AbortSignal) {
  const { done } = await core.collection.startArmlsImport({ file }, { trigger: 'manual', ...(signal && { signal }) });
  return done;
}

async function importAssessor(core: TestCore['core'], target: string) {
  const { done } = await core.collection.startAssessorImport({ path: target }, { trigger: 'manual' });
  return done;
}

describe('ARMLS import', () => {
  it('stores the real export row with the field semantics of the issue, once, whatever the re-imports', async () => {
    t = await openTestCore();
    const run = await importArmls(t.core, ARMLS_FIXTURE);
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ kind: 'import', source: 'armls_export', status: 'succeeded', total: 1, counters: { fetched: 1, inserted: 1, enqueued: 1 } });
    expect(run.message).toBe('1 row stored (1 new, 0 changed, 0 unchanged), 0 bad rows');
    const raw = await t.core.repos.raw.get('armls_export:6181273');
    // Written once, already pending (the queue's status), and the list says so.
    expect(raw?.summary.status).toBe('pending');
    expect((await t.core.api['properties.list']({ filters: { status: 'pending' }, sort: { field: 'collected_at', direction: 'desc' }, page: 1, pageSize: 10 })).total).toBe(1);
    expect(raw?.data).toMatchObject({
      mls_number: '6181273',
      parcel_number: '173-35-524',
      address: '4600 N 68TH ST UNIT 371, Scottsdale, AZ 85251',
      zip: '85251',
      status: 'C',
      listing_status: 'closed',
      list_price: null,
      sale_price: 215000,
      sale_date: '2021-04-06',
      sales: [{ date: '2021-04-06', price: 215000, source: 'armls_export' }],
      bedrooms: 1,
      // Total Bathrooms 1.00 with Full Bathrooms blank.
      bathrooms: 1,
      square_feet: 702,
      // Approx Lot SqFt 738 (the `Source Apx Lot SqFt` column holds a code, `T`).
      lot_size: 738,
      year_built: 1974,
      property_type_label: 'Apartment',
      latitude: 33.503355,
      longitude: -111.935316,
      annual_taxes: 390,
      taxes_year: 2020,
      hoa_monthly: 145,
      hoa_text: '145 Monthly',
      land_lease_monthly: 138,
      land_lease_text: '138 Monthly',
      other_fees_monthly: 0,
      total_monthly_fees: 283,
      one_time_fees: [{ name: 'HOA Transfer Fee', amount: 400, unit: 'dollars' }],
      stories: 2,
      unread_values: [],
      garage_spaces: 0,
    });
    // The row as exported, as CSV text, less the do-not-disclose columns and phone numbers:
    // every other column's name and value exactly as in the file.
    expect(raw!.original).toMatchObject({ format: 'csv' });
    const { columns, values } = parseCsvOriginal(raw!.original);
    expect(columns.some((k) => /DND|Phone|Phn/.test(k))).toBe(false);
    expect(columns.length).toBe(96);
    const { header, row } = armlsFixture();
    const kept = header.map((h, i) => [h, row[i]!] as const).filter(([h]) => !/DND|Phone|Phn|Fax/i.test(h));
    expect(columns).toEqual(kept.map(([h]) => h));
    expect(values).toEqual(kept.map(([, v]) => v));
    expect(values[columns.indexOf('List Number')]).toBe('6181273');
    expect(values[columns.indexOf('Jr. High School')]).toBe('Ingleside');

    // Again: nothing changes, nothing is queued again.
    await t.core.processing.run({ trigger: 'manual' });
    const again = await importArmls(t.core, ARMLS_FIXTURE);
    expect(again.counters).toMatchObject({ fetched: 1, unchanged: 1, enqueued: 0 });
    expect(await t.core.repos.queue.counts()).toMatchObject({ pending: 0, completed: 1 });
    expect((await t.core.repos.raw.get('armls_export:6181273'))?.updated_at).toEqual(raw!.updated_at);
  });

  it('C05: the ARMLS Apartment is one condominium unit, processed as a condo', async () => {
    t = await openTestCore();
    await importArmls(t.core, ARMLS_FIXTURE);
    await t.core.processing.run({ trigger: 'manual' });
    const doc = await t.core.repos.processed.getByRawId('armls_export:6181273');
    expect(doc?.normalized.details).toMatchObject({ property_type: 'condo', bedrooms: 1, bathrooms: 1, square_feet: 702 });
    // A closed sale is a sale, never an asking price.
    expect(doc?.normalized.pricing.list_price).toBeNull();
  });

  it('counts a special assessment still being paid among the expenses the underwriting shows', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    // The real 6864846: a special assessment of $375 a month to 2033-12-31 beside the dues.
    const withAssessment = [...row];
    withAssessment[header.indexOf('Features')] = withFeatures(row[header.indexOf('Features')]!, {
      'Special Assessment HOA': 'Yes',
      'Special Assessment Amount Owed': '375',
      'Special Assessment Frequency': 'Monthly',
      'Payment Start Date': '2024-11-01',
      'Payment End Date': '2033-12-31',
    });
    const file = path.join(tmpDir(), 'export.csv');
    fs.writeFileSync(file, armlsCsv(header, [withAssessment]));
    await importArmls(t.core, file);
    await t.core.processing.run({ trigger: 'manual' });
    const doc = await t.core.repos.processed.getByRawId('armls_export:6181273');
    const inputs = doc!.underwriting!.inputs;
    expect(inputs).toMatchObject({ hoa_monthly: 145, land_lease_monthly: 138, other_fees_monthly: 375 });
    // With a price and a rent (the what-if's), the expenses carry it.
    const withRent = underwrite({ ...inputs, price: 215_000, rent: { monthly: 1_500, basis: 'rent_per_sqft', detail: 'what-if' } });
    expect(withRent.expenses).toMatchObject({ hoa: 145 * 12, land_lease: 138 * 12, other_fees: 375 * 12 });
  });

  it('reports each bad row with its row number and reason while the good rows go in', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const [good1, badZip, badNumber, good2, noNumber] = armlsRows(5, header, row);
    badZip![header.indexOf('Zip Code')] = '8525';
    badNumber![header.indexOf('Sold Price')] = 'two hundred';
    noNumber![header.indexOf('List Number')] = '';
    const short = good2!.slice(0, 40);
    const file = path.join(tmpDir(), 'export.csv');
    fs.writeFileSync(file, armlsCsv(header, [good1!, badZip!, badNumber!, short, good2!, noNumber!]));

    const run = await importArmls(t.core, file);
    expect(run.status).toBe('succeeded');
    expect(run).toMatchObject({ total: 6, counters: { fetched: 2, inserted: 2, failed: 4 } });
    expect(run.errors.map((e) => e.message)).toEqual([
      'row 2 (line 3): Zip Code: "8525" is not a 5-digit ZIP code',
      'row 3 (line 4): Sold Price: "two hundred" is not a number',
      'row 4 (line 5): has 40 columns, the header has 99',
      'row 6 (line 7): List Number: missing',
    ]);
    expect(await t.core.repos.raw.count()).toBe(2);
  });

  it('imports an export re-saved by Excel: Windows-1252, unquoted, M/D/YY days, prices without decimals', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const [sold, cancelled] = armlsRows(2, header, row);
    const set = (r: string[], changes: Record<string, string>) => Object.entries(changes).forEach(([k, v]) => (r[header.indexOf(k)] = v));
    // The forms of all-scopes.csv (odgsully/Actual): 6811031 closed, 6778094 cancelled (L).
    set(sold!, { 'Sold Price': '187500', 'List Price': '200000', 'Close of Escrow Date': '5/2/25', 'List Date': '1/26/25', 'Public Remarks': 'Kitchenware, linens, and décor included; 1½-bath' });
    set(cancelled!, { Status: 'L', 'Sold Price': '', 'Close of Escrow Date': '', 'Cancel Date': '9/30/25', 'List Price': '305000' });
    const file = path.join(tmpDir(), 'all-scopes.csv');
    fs.writeFileSync(file, armlsExcelCsv(header, [sold!, cancelled!]));

    const run = await importArmls(t.core, file);
    expect(run.errors).toEqual([]);
    expect(run.counters).toMatchObject({ fetched: 2, inserted: 2 });
    expect((await t.core.repos.raw.get(`armls_export:${sold![0]}`))?.data).toMatchObject({
      listing_status: 'closed',
      sale_price: 187500,
      sale_date: '2025-05-02',
      list_date: '2025-01-26',
      sales: [{ date: '2025-05-02', price: 187500, source: 'armls_export' }],
      description: 'Kitchenware, linens, and décor included; 1½-bath',
    });
    expect((await t.core.repos.raw.get(`armls_export:${cancelled![0]}`))?.data).toMatchObject({ listing_status: 'cancelled', list_price: 305000, sale_price: null, sales: [] });
  });

  it('reads a UTF-8 export with a BOM and LF lines, its columns in another order, one unknown and one missing', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const keep = header.map((h, i) => i).filter((i) => header[i] !== 'Approx Lot Acres').reverse();
    const text = [[...keep.map((i) => header[i]!), 'Virtual Tour URL'], [...keep.map((i) => row[i]!), 'https://example.com/tour']]
      .map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(','))
      .join('\n');
    const file = path.join(tmpDir(), 'reordered.csv');
    fs.writeFileSync(file, `\uFEFF${text}\n`);

    const run = await importArmls(t.core, file);
    expect(run.errors).toEqual([]);
    const raw = await t.core.repos.raw.get('armls_export:6181273');
    expect(raw?.data).toMatchObject({ parcel_number: '173-35-524', sale_price: 215000, lot_size: 738, hoa_monthly: 145 });
    const original = parseCsvOriginal(raw!.original);
    expect(original.values[original.columns.indexOf('Virtual Tour URL')]).toBe('https://example.com/tour');
  });

  it('stores a row with a value it cannot read as unknown, reporting the row, column and reason', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const [typo, elsewhere] = armlsRows(2, header, row);
    // 6838732: `Tax Year: 202`; a longitude without its minus sign.
    typo![header.indexOf('Tax Year')] = '202';
    elsewhere![header.indexOf('Geo Lon')] = '111.935316';
    const file = path.join(tmpDir(), 'export.csv');
    fs.writeFileSync(file, armlsCsv(header, [typo!, elsewhere!]));

    const run = await importArmls(t.core, file);
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ fetched: 2, inserted: 2 });
    expect(run.counters.failed ?? 0).toBe(0);
    expect(run.errors.map((e) => e.message)).toEqual([
      'row 1 (line 2): Tax Year: "202" is not a tax year; stored without it',
      'row 2 (line 3): Geo Lat/Geo Lon: 33.503355, 111.935316 is east of Greenwich: an Arizona longitude is negative (-111.935316?); stored without it',
    ]);
    expect((await t.core.repos.raw.get(`armls_export:${typo![0]}`))?.data).toMatchObject({ taxes_year: null, annual_taxes: 390, unread_values: [{ column: 'Tax Year', value: '202' }] });
    expect((await t.core.repos.raw.get(`armls_export:${elsewhere![0]}`))?.data).toMatchObject({ latitude: null, longitude: null });
  });

  it('refuses a file that is not an ARMLS export, naming the missing columns', async () => {
    t = await openTestCore();
    const file = path.join(tmpDir(), 'other.csv');
    fs.writeFileSync(file, 'Address,Price\n"1 Main St",100\n');
    const run = await importArmls(t.core, file);
    expect(run.status).toBe('failed');
    expect(run.message).toBe('other.csv is not an ARMLS export: no column "List Number", "House Number", "Street Name", "Zip Code", "Status" in its header');
    expect((await importArmls(t.core, path.join(tmpDir(), 'none.csv'))).message).toMatch(/none\.csv: no such file$/);
  });

  it('refuses a second import of a file being imported; a run whose owner is gone does not block', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const file = path.join(tmpDir(), 'big.csv');
    fs.writeFileSync(file, armlsCsv(header, armlsRows(2000, header, row)));
    const first = await t.core.collection.startArmlsImport({ file }, { trigger: 'manual' });
    const second = await importArmls(t.core, file);
    expect(second.status).toBe('failed');
    expect(second.message).toBe(`${file} is being imported already (run ${first.run._id}, started ${first.run.started_at.toISOString()}): wait for it to end, or cancel it, then import again`);
    expect(await first.done).toMatchObject({ status: 'succeeded', counters: { fetched: 2000, inserted: 2000, enqueued: 2000 } });
    expect(await t.core.repos.queue.counts()).toMatchObject({ pending: 2000 });
    // A run left "running" by a process that died (no heartbeat for long) blocks nothing.
    const orphan = await t.core.repos.runs.start({ kind: 'import', source: 'armls_export', trigger: 'manual', params: { file } });
    await t.tdb.db.collection('runs').updateOne({ _id: orphan._id as never }, { $set: { heartbeat_at: new Date(Date.now() - 3_600_000), updated_at: new Date(Date.now() - 3_600_000), started_at: new Date(Date.now() - 3_600_000) } });
    expect(await importArmls(t.core, file)).toMatchObject({ status: 'succeeded', counters: { unchanged: 2000 } });
  });

  it('cancels between batches, keeping the rows read, the run cancelled', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const file = path.join(tmpDir(), 'big.csv');
    fs.writeFileSync(file, armlsCsv(header, armlsRows(3000, header, row)));
    const controller = new AbortController();
    const off = t.core.events.on('run.progress', (run) => {
      if ((run.counters.fetched ?? 0) >= 500) controller.abort();
    });
    const run = await importArmls(t.core, file, controller.signal);
    off();
    expect(run.status).toBe('cancelled');
    expect(run.total).toBe(3000);
    expect(run.counters.fetched).toBeGreaterThanOrEqual(500);
    expect(run.counters.fetched).toBeLessThan(3000);
    expect(run.message).toMatch(/^Cancelled after \d+ rows stored/);
    expect(await t.core.repos.raw.count()).toBe(run.counters.fetched);
  }, 60_000);
});

describe('ARMLS import: a bad file or row says what and where, never its content', () => {
  /** The real header and rows, as ARMLS writes them, joined by `nl`. */
  const exportText = (rows: string[][], nl = '\r\n') => {
    const { header } = armlsFixture();
    return [header, ...rows].map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join(nl) + nl;
  };

  it('refuses a .env file without echoing it, in the message or the run record', async () => {
    t = await openTestCore();
    const file = path.join(tmpDir(), '.env');
    fs.writeFileSync(file, 'MARICOPA_API_TOKEN="abc123secret"x\nOPENAI_API_KEY=sk-other\n');
    const run = await importArmls(t.core, file);
    expect(run.status).toBe('failed');
    expect(run.message).toBe('.env is not a CSV file: in its header row (line 1), column 1: a quote (") inside a value that is not quoted, on line 1; in CSV such a value is quoted and its quote doubled ("")');
    expect(JSON.stringify(run)).not.toContain('abc123secret');
    expect(JSON.stringify(run)).not.toContain('sk-other');
  });

  it.each([
    ['a PNG renamed .csv', Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), 'x.csv is not a text file (it holds binary data), not a CSV file: export the listings from Flexmls as CSV again, or in Excel use File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"'],
    [
      'JSON renamed .csv',
      Buffer.from('{"a":1}'),
      'x.csv holds JSON, not a CSV file: a saved assessor /parcel answer is imported as Assessor parcels (phoenix-re import assessor <file|folder>, or Kind "Assessor parcels" on the Collection page); for an ARMLS export, export the listings from Flexmls as CSV again, or in Excel use File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"',
    ],
  ])('refuses %s as not CSV, not as empty', async (_, bytes, message) => {
    t = await openTestCore();
    const file = path.join(tmpDir(), 'x.csv');
    fs.writeFileSync(file, bytes);
    const run = await importArmls(t.core, file);
    expect(run).toMatchObject({ status: 'failed', message });
    for (const text of [run.message!, ...run.errors.map((e) => e.message)]) expect([...text].filter((c) => c < ' ')).toEqual([]);
  });

  it('says a folder is a folder', async () => {
    t = await openTestCore();
    const dir = tmpDir();
    expect((await importArmls(t.core, dir)).message).toBe(`${dir} is a folder, not a file: give the path of the ARMLS export (.csv) itself`);
  });

  it('names semicolons, tabs and UTF-16 (Excel "Unicode Text") though the columns are there', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const dir = tmpDir();
    const write = (name: string, data: string | Buffer) => (fs.writeFileSync(path.join(dir, name), data), path.join(dir, name));
    const semicolons = write('semi.csv', [header, row].map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(';')).join('\r\n'));
    const tabs = write('tabs.csv', [header, row].map((r) => r.join('\t')).join('\r\n'));
    const utf16 = write('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([header, row].map((r) => r.join('\t')).join('\r\n'), 'utf16le')]));
    const how = 'not a CSV file: export the listings from Flexmls as CSV again, or in Excel use File > Save As > "CSV UTF-8 (Comma delimited) (*.csv)"';
    expect((await importArmls(t.core, semicolons)).message).toBe(`semi.csv is separated by semicolons, not commas, ${how}`);
    expect((await importArmls(t.core, tabs)).message).toBe(`tabs.csv is separated by tabs, not commas, ${how}`);
    expect((await importArmls(t.core, utf16)).message).toBe(`unicode.txt is UTF-16 text (as Excel saves "Unicode Text"), ${how}`);
  });

  it('reports a quote left open with its row and the line it opened on, and what it took', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const [good, open, after] = armlsRows(3, header, row);
    const file = path.join(tmpDir(), 'export.csv');
    const rows = [good!, open!, after!];
    /** The export with row `n`'s `column` missing its closing quote. */
    const withOpenQuote = (column: string, n: number) => {
      const at = header.indexOf(column);
      const lines = exportText(rows).split('\r\n');
      lines[n] = rows[n - 1]!.map((v, i) => (i === at ? `"${v}` : `"${v.replace(/"/g, '""')}"`)).join(',');
      return lines.join('\r\n');
    };
    // The last column: the next row's first quote is taken for its closing one.
    fs.writeFileSync(file, withOpenQuote('Features', 2));
    const run = await importArmls(t.core, file);
    expect(run.counters).toMatchObject({ fetched: 1, failed: 1 });
    expect(run.errors.map((e) => e.message)).toEqual([
      'row 2 (line 3): Features: text after the closing quote of a quoted value, on line 4 (its quote opened on line 3); a quote inside a quoted value is written twice (""); this row takes lines 3 to 4, none of them imported',
    ]);
    // The last column of the last row: never closed.
    fs.writeFileSync(file, withOpenQuote('Features', 3));
    const last = await importArmls(t.core, file);
    expect(last.counters).toMatchObject({ fetched: 2, failed: 1 });
    expect(last.errors.map((e) => e.message)).toEqual(['row 3 (line 4): Features: the quote that opens this value on line 4 is never closed, so the rest of the file was read as this one value']);
    // A column before others: the next field's opening quote ends it, and the rows after are read.
    fs.writeFileSync(file, withOpenQuote('Public Remarks', 2));
    const middle = await importArmls(t.core, file);
    expect(middle.counters).toMatchObject({ fetched: 2, failed: 1 });
    expect(middle.errors.map((e) => e.message)).toEqual([
      'row 2 (line 3): Public Remarks: text after the closing quote of a quoted value, on line 3; a quote inside a quoted value is written twice ("")',
    ]);
  });

  it('counts a CRLF inside a value as one line, as an editor does', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const [multi, badZip] = armlsRows(2, header, row);
    badZip![header.indexOf('Zip Code')] = '8525';
    for (const nl of ['\r\n', '\n']) {
      multi![header.indexOf('Public Remarks')] = `Three lines:${nl}a pool${nl}and a view`;
      const file = path.join(tmpDir(), 'export.csv');
      fs.writeFileSync(file, exportText([multi!, badZip!]));
      const run = await importArmls(t.core, file);
      expect(run.errors.map((e) => e.message), JSON.stringify(nl)).toEqual(['row 2 (line 5): Zip Code: "8525" is not a 5-digit ZIP code']);
      expect((await t.core.repos.raw.get(`armls_export:${multi![0]}`))?.data.description).toBe(`Three lines:${nl}a pool${nl}and a view`);
    }
  });

  it('reads lines ended by a lone CR (older Excel for Mac, "CSV (Macintosh)"): progress total and line numbers right', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const [good, badZip] = armlsRows(2, header, row);
    badZip![header.indexOf('Zip Code')] = '8525';
    const file = path.join(tmpDir(), 'mac.csv');
    fs.writeFileSync(file, exportText([good!, badZip!], '\r'));
    const run = await importArmls(t.core, file);
    expect(run).toMatchObject({ total: 2, counters: { fetched: 1, failed: 1 } });
    expect(run.errors.map((e) => e.message)).toEqual(['row 2 (line 3): Zip Code: "8525" is not a 5-digit ZIP code']);
  });

  it('quotes a short escaped part of a bad value, never a whole line nor a control byte', async () => {
    t = await openTestCore();
    const { header, row } = armlsFixture();
    const [bad] = armlsRows(1, header, row);
    bad![header.indexOf('Zip Code')] = `MARICOPA_API_TOKEN=abc123secretsecretsecret\u001b[2J\u0007`;
    bad![header.indexOf('Public Remarks')] = 'He said "hi there';
    const file = path.join(tmpDir(), 'export.csv');
    fs.writeFileSync(file, exportText([bad!]));
    const run = await importArmls(t.core, file);
    expect(run.errors.map((e) => e.message)).toEqual(['row 1 (line 2): Zip Code: "MARICOPA_API_TOKEN=abc123secretsecretsec…" is not a 5-digit ZIP code']);
    const stray = exportText([bad!]).replace('He said ""hi there', 'He said "hi there');
    fs.writeFileSync(file, stray);
    const again = await importArmls(t.core, file);
    expect(again.errors.map((e) => e.message)).toEqual([
      'row 1 (line 2): Public Remarks: text after the closing quote of a quoted value, on line 2; a quote inside a quoted value is written twice ("")',
    ]);
  });

  it('the console refuses a relative path (the server would read it from its own folder); a full path is taken', async () => {
    t = await openTestCore();
    await expect(t.core.api['collect.import']({ kind: 'armls', path: 'Downloads/export.csv' })).rejects.toThrow(
      '"Downloads/export.csv" is a relative path, which the server would read from its own folder: give the full path of the file on this computer (starting with / , or with a drive such as C:\\ on Windows).',
    );
    await expect(t.core.api['collect.import']({ kind: 'assessor', path: './parcels' })).rejects.toThrow(/^"\.\/parcels" is a relative path/);
    expect(await t.core.repos.runs.list({ limit: 5 })).toEqual([]);
    // As Windows Explorer's "Copy as path" gives it: in double quotes.
    const { runId } = await t.core.api['collect.import']({ kind: 'armls', path: `"${ARMLS_FIXTURE}"` });
    await until(async () => (await t!.core.api['runs.get']({ runId })).status === 'succeeded', 30_000, 'the import of a full path');
  });
});

describe('assessor import', () => {
  it('imports a folder of saved /parcel answers, the APN from each file name, once', async () => {
    t = await openTestCore();
    const run = await importAssessor(t.core, PARCEL_FIXTURES_DIR);
    expect(run).toMatchObject({ kind: 'import', source: 'maricopa_api', status: 'succeeded', total: 12, counters: { fetched: 12, inserted: 12, enqueued: 12 } });
    expect((await t.core.repos.raw.get('maricopa_api:509-11-455'))?.data).toMatchObject({ parcel_number: '509-11-455', square_feet: 1647, bathrooms: 2.5, bathrooms_estimated: true });
    const again = await importAssessor(t.core, PARCEL_FIXTURES_DIR);
    expect(again.counters).toMatchObject({ fetched: 12, unchanged: 12, enqueued: 0 });
  });

  it('reports a bad file by name and reason while the good ones go in', async () => {
    t = await openTestCore();
    const dir = tmpDir();
    writeCondoParcel(dir);
    fs.writeFileSync(path.join(dir, 'notes.json'), '{"PropertyAddress": "1 Main St"}');
    fs.writeFileSync(path.join(dir, '501-79-632.json'), '{ not json');
    const run = await importAssessor(t.core, dir);
    expect(run.counters).toMatchObject({ fetched: 1, failed: 2 });
    expect(run.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^501-79-632\.json: .*JSON/),
      'notes.json: not a /parcel answer: missing Owner, Valuations',
    ]);
    expect((await t.core.repos.raw.get('maricopa_api:173-35-524'))?.data).toMatchObject({ address: '4600 N 68TH ST 371 SCOTTSDALE 85251', lot_size: 73 });
  });

  it('refuses a file that is no /parcel answer, and one whose name names another parcel than its payload', async () => {
    t = await openTestCore();
    const dir = tmpDir();
    // The tester's cases: `{"foo":1}` saved as 501-11-112.json; the real answer of 501-79-677 saved as 130-20-103-A.json.
    fs.writeFileSync(path.join(dir, '501-11-112.json'), '{"foo":1}');
    fs.copyFileSync(path.join(PARCEL_FIXTURES_DIR, '501-79-677.json'), path.join(dir, '130-20-103-A.json'));
    const { TreasurersTransitionUrl: _link, ...noLink } = loadParcelFixtures().get('509-11-455')!;
    fs.writeFileSync(path.join(dir, '509-11-455.json'), JSON.stringify(noLink));
    const run = await importAssessor(t.core, dir);
    expect(run.counters).toMatchObject({ fetched: 1, inserted: 1, failed: 2 });
    expect(run.errors.map((e) => e.message)).toEqual([
      '130-20-103-A.json: 501-79-677 in the payload, 130-20-103A in the file name: rename the file or check that it holds the right parcel',
      '501-11-112.json: not a /parcel answer: missing PropertyAddress, Owner, Valuations',
    ]);
    expect(await t.core.repos.raw.get('maricopa_api:501-11-112')).toBeNull();
    expect(await t.core.repos.raw.get('maricopa_api:130-20-103A')).toBeNull();
    expect(await t.core.repos.raw.get('maricopa_api:501-79-677')).toBeNull();
    expect((await t.core.repos.raw.get('maricopa_api:509-11-455'))?.data).toMatchObject({ parcel_number: '509-11-455', sale_price: 153000 });
  });

  it('never echoes a file it cannot read, and stores no payload that describes nothing', async () => {
    t = await openTestCore();
    const dir = tmpDir();
    // A `.env` renamed, a payload whose APN holds a secret and a terminal escape, an answer of nulls.
    fs.writeFileSync(path.join(dir, '501-11-201.json'), 'OPENAI_API_KEY=secret-value-123\n');
    const fixture = loadParcelFixtures().get('501-79-632')!;
    const { TreasurersTransitionUrl: _link, ...noLink } = fixture;
    fs.writeFileSync(path.join(dir, '501-11-202.json'), JSON.stringify({ ...noLink, APN: 'token=abcdefghijklmnopqrstuvwxyz0123456789ABCD\n\u001b[31mRED' }));
    fs.writeFileSync(path.join(dir, '501-97-020.json'), JSON.stringify({ PropertyAddress: null, Owner: null, Valuations: null }));
    const run = await importAssessor(t.core, dir);
    expect(run.counters).toMatchObject({ failed: 3 });
    expect(run.counters.fetched ?? 0).toBe(0);
    expect(run.errors.map((e) => e.message)).toEqual([
      '501-11-201.json: not JSON',
      '501-11-202.json: the payload\'s APN "token=abcdefghijklmnopqrstuvwxyz01234567…" is not a Maricopa APN',
      '501-97-020.json: not a /parcel answer: no PropertyAddress and no Valuations (nothing of a parcel)',
    ]);
    for (const leak of ['secret-value-123', '\u001b', 'RED']) expect(JSON.stringify(run)).not.toContain(leak);
  });

  it('says an ARMLS export or another CSV given as Assessor is for the ARMLS import, never "not JSON" (#23)', async () => {
    t = await openTestCore();
    const asArmls = 'import it as ARMLS (phoenix-re import armls <file.csv>, or Kind "ARMLS export (.csv)" on the Collection page)';
    // The real ARMLS export, given as one file: the run fails saying what it is and what to do.
    const run = await importAssessor(t.core, ARMLS_FIXTURE);
    expect(run.status).toBe('failed');
    expect(run.message).toBe(`${path.basename(ARMLS_FIXTURE)}: this looks like an ARMLS export (a CSV file with the columns List Number, House Number, Street Name, Zip Code, Status), not a saved assessor /parcel answer (JSON): ${asArmls}`);
    expect(run.message).not.toContain('unreadable');
    // A folder holding only the export: no .json files, and what to do with the .csv one.
    const dir = tmpDir();
    fs.copyFileSync(ARMLS_FIXTURE, path.join(dir, 'export.csv'));
    expect((await importAssessor(t.core, dir)).message).toBe(`${dir}: no .json files; it holds 1 .csv file: an ARMLS export is imported one file at a time, ${asArmls}`);
    // Another CSV saved as .json in a folder of parcels: that file is reported, the parcel goes in.
    writeCondoParcel(dir);
    fs.writeFileSync(path.join(dir, '501-79-632.json'), 'APN,Address\r\n501-79-632,15868 W Banff Ln\r\n');
    const mixed = await importAssessor(t.core, dir);
    expect(mixed.counters).toMatchObject({ fetched: 1, failed: 1 });
    expect(mixed.errors.map((e) => e.message)).toEqual([`501-79-632.json: this is a CSV file, not a saved assessor /parcel answer (JSON, one parcel a file named like 501-79-632.json); if it is an ARMLS export, ${asArmls}`]);
    expect(JSON.stringify(mixed)).not.toContain('Banff');
  });

  it('reads a payload saved by Windows PowerShell (UTF-16LE with a BOM) or with a UTF-8 BOM as the same parcel', async () => {
    t = await openTestCore();
    const dir = tmpDir();
    const text = fs.readFileSync(path.join(PARCEL_FIXTURES_DIR, '501-79-632.json'), 'utf8');
    fs.writeFileSync(path.join(dir, '501-79-632.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    fs.writeFileSync(path.join(dir, '509-11-600.json'), `\ufeff${fs.readFileSync(path.join(PARCEL_FIXTURES_DIR, '509-11-600_registered_rental.json'), 'utf8')}`);
    fs.writeFileSync(path.join(dir, '501-92-652.json'), Buffer.from([0x7b, 0xff, 0x7d]));
    const run = await importAssessor(t.core, dir);
    expect(run.counters).toMatchObject({ fetched: 2, inserted: 2, failed: 1 });
    expect(run.errors.map((e) => e.message)).toEqual(['501-92-652.json: not UTF-8 or UTF-16 text']);
    expect((await t.core.repos.raw.get('maricopa_api:501-79-632'))?.data).toMatchObject({ address: '15868 W BANFF LN SURPRISE 85379', sale_price: 288816 });
    expect((await t.core.repos.raw.get('maricopa_api:509-11-600'))?.data).toMatchObject({ rental_registered: true });
  });
});

describe('one property from every source (C01)', () => {
  it('lists the condo once when its parcel arrives after its ARMLS row was processed alone', async () => {
    t = await openTestCore();
    await importArmls(t.core, ARMLS_FIXTURE);
    await t.core.processing.run({ trigger: 'manual' });
    await importAssessor(t.core, writeCondoParcel(tmpDir()));
    await t.core.processing.run({ trigger: 'manual' });
    await t.core.propertyIndex.warm();
    const all = { page: 1, pageSize: 50, sort: { field: 'collected_at' as const, direction: 'desc' as const } };
    for (const filters of [{}, { search: '6181273' }, { source: 'armls_export' as const }]) {
      const page = await t.core.api['properties.list']({ ...all, filters });
      expect({ filters, ids: page.items.map((r) => r.id) }).toEqual({ filters, ids: ['maricopa_api:173-35-524'] });
    }
    expect((await t.core.repos.raw.list({ ...all, filters: {} })).items.map((r) => r._id)).toEqual(['maricopa_api:173-35-524']);
    expect((await t.core.repos.raw.getData('armls_export:6181273'))?.summary.merged_into).toBe('maricopa_api:173-35-524');
  });

  it('merges the assessor parcel, the ARMLS row (by APN) and a listing (by address) of the condo into one processed property', async () => {
    t = await openTestCore();
    const dir = tmpDir();
    await importAssessor(t.core, writeCondoParcel(dir));
    await importArmls(t.core, ARMLS_FIXTURE);
    // The listing writes the unit with `UNIT` and carries no APN: only the address joins it.
    await seedRaw(t.core, [
      mlsListing('6999001', { address: '4600 N 68TH ST UNIT 371, SCOTTSDALE, AZ 85251', list_price: 239000, bedrooms: 1, bathrooms: 1, square_feet: 702, lot_size: null, property_type_label: 'Apartment' }),
    ]);
    const run = await t.core.processing.run({ trigger: 'manual' });
    expect((run.counters.completed ?? 0) + (run.counters.review ?? 0)).toBe(3);
    expect(await t.core.repos.processed.count()).toBe(1);
    const ids = ['armls_export:6181273', 'maricopa_api:173-35-524', 'phoenix_mls:6999001'];
    const docs = await Promise.all(ids.map((id) => t!.core.repos.processed.getByRawId(id)));
    for (const doc of docs) expect(doc?._id).toBe('maricopa_api:173-35-524');
    const doc = docs[0]!;
    expect(doc.raw_ids).toEqual(ids);
    expect(doc.address_key).toBe('4600 N 68TH ST #371|85251');
    expect(doc.normalized.address).toEqual({ street: '4600 N 68th St Unit 371', city: 'Scottsdale', state: 'AZ', zip: '85251' });
    expect(doc.normalized.details).toMatchObject({ property_type: 'condo', lot_sqft: 73, bedrooms: 1, bathrooms: 1, square_feet: 702 });
    // One of each, in the singular (#23: "1 bedrooms").
    expect(doc.llm_enrichment.description).toContain('with 1 bedroom, 1 bathroom, 702 sq ft');
    // The asking price is the price the underwriting pays, never the value: the parcel's full cash
    // value (its ARMLS sale of 2021 is older than the 36 months of evidence), said unadjusted.
    expect(doc.normalized.pricing).toMatchObject({ list_price: 239000, value: 345000, value_basis: 'assessor_full_cash_value' });
    expect(doc.underwriting?.inputs).toMatchObject({ price: 239000, price_basis: 'asking_price', value: 345000 });
    expect(doc.field_sources).toMatchObject({ details: { lot_sqft: 'maricopa_api', bedrooms: 'phoenix_mls' } });
    // C04: the condo's 73 sq ft share of the land costs nothing.
    expect(doc.quality_reasons.join(' | ')).not.toMatch(/lot/);

    // One property, one row: listed under the parcel, with the merged facts and its three records,
    // found by the listing's MLS number and by either source; the other records are left out.
    const list = (filters: Record<string, unknown>) =>
      t!.core.api['properties.list']({ page: 1, pageSize: 50, sort: { field: 'collected_at', direction: 'desc' }, filters });
    await t.core.propertyIndex.warm();
    // Also by the forms the other records write: the APN without dashes (the ARMLS export's
    // `Assessor Number`), the address with `UNIT` (the listing) or `#`, with its city and ZIP.
    const searches = ['6999001', '6181273', '17335524', '4600 N 68TH ST UNIT 371', '4600 N 68TH ST #371', '4600 N 68th Street Unit 371, Scottsdale, AZ 85251'];
    for (const filters of [{}, ...searches.map((search) => ({ search })), { source: 'armls_export' }, { source: 'phoenix_mls' }, { source: 'maricopa_api' }]) {
      const page = await list(filters);
      expect({ filters, total: page.total, ids: page.items.map((r) => r.id) }).toEqual({ filters, total: 1, ids: ['maricopa_api:173-35-524'] });
    }
    const [row] = (await list({})).items;
    expect(row).toMatchObject({ records: ids, merged_into: null, bedrooms: 1, bathrooms: 1, square_feet: 702, estimated: [], value: 345000, value_basis: 'assessor_full_cash_value', list_to_value: 0.6928 });
    // The row listed under the parcel carries its listing's asking price (the parcel has none),
    // so the list shows it, filters and sorts on it, and the CSV (the rows) exports it.
    expect(row?.price).toBe(239000);
    for (const [filters, total] of [[{ minPrice: 239000 }, 1], [{ maxPrice: 239000 }, 1], [{ minPrice: 239001 }, 0]] as const) {
      expect({ filters, total: (await list(filters)).total }).toEqual({ filters, total });
      expect({ filters, total: (await t.core.repos.raw.list({ page: 1, pageSize: 50, sort: { field: 'price', direction: 'desc' }, filters })).total }).toEqual({ filters, total });
    }
    // The database answers the same when the list is not in memory.
    expect((await t.core.repos.raw.list({ page: 1, pageSize: 50, sort: { field: 'collected_at', direction: 'desc' }, filters: {} })).items.map((r) => r._id)).toEqual(['maricopa_api:173-35-524']);
    for (const search of searches) {
      expect((await t.core.repos.raw.list({ page: 1, pageSize: 50, sort: { field: 'collected_at', direction: 'desc' }, filters: { search } })).items.map((r) => r._id), search).toEqual(['maricopa_api:173-35-524']);
    }
    // The property page of the row names its three records, with every record's photos and sales
    // (the ARMLS closing is not in the parcel's data), and no payloads.
    const detail = await t.core.api['properties.get']({ id: 'maricopa_api:173-35-524' });
    expect(detail.records.map((r) => r.id)).toEqual(['maricopa_api:173-35-524', 'armls_export:6181273', 'phoenix_mls:6999001']);
    expect(detail.records.flatMap((r) => r.photo_urls)).toEqual(['http://cdn.photos.sparkplatform.com/az/20210115062540930001000000-o.jpg']);
    expect(detail.records.flatMap((r) => r.sales)).toEqual([
      { date: '2015-02-01', price: 153000, source: 'maricopa_api' },
      { date: '2021-04-06', price: 215000, source: 'armls_export' },
    ]);
    expect(detail.records[1]).toMatchObject({ source: 'armls_export', source_id: '6181273', sale_price: 215000, sale_date: '2021-04-06', listing_status: 'closed', list_price: null });
    expect(detail.records[2]).toMatchObject({ list_price: 239000, sales: [], price_history: [{ price: 239000, field: 'list_price' }] });
    for (const r of detail.records) expect(Object.keys(r)).not.toContain('original');
    // Opened from a record listed under the parcel: that record first, then the others.
    expect((await t.core.api['properties.get']({ id: 'armls_export:6181273' })).records.map((r) => r.id)).toEqual(['armls_export:6181273', 'maricopa_api:173-35-524', 'phoenix_mls:6999001']);
    // A unit of the building that is not this one finds nothing.
    expect((await list({ search: '4600 N 68TH ST UNIT 372' })).total).toBe(0);
  });
});
