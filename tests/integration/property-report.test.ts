import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpShell } from '../../src/main/http/server.js';
import { buildPropertyReport } from '../../src/main/reports/property-report.js';
import { fetchReportPhoto, fetchReportPhotos } from '../../src/main/reports/report-photos.js';
import type { PropertyDetail } from '../../src/shared/contract.js';
import { dealInputsOf } from '../../src/shared/deal/from-underwriting.js';
import { projectDeal } from '../../src/shared/deal/projection.js';
import { STARTING_PLAN } from '../../src/shared/deal/starting-plan.js';
import { underwrite } from '../../src/shared/underwriting/underwrite.js';
import { ARMLS_FIXTURE, armlsCsv, armlsFixture } from '../support/armls.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { listenLocal } from '../support/local-http.js';
import { pdfImageCounts, pdfText } from '../support/pdf-text.js';
import { greyJpeg, solidPng } from '../support/tiny-images.js';

const ID = 'armls_export:6181273';
/** Whole dollars as an analyst writes them, for the expectations ("$1,210", "-$85"). */
const usd = (n: number) => `${n < 0 ? '-' : ''}$${Math.round(Math.abs(n)).toLocaleString('en-US')}`;

/**
 * A photo host on a loopback port, as a listing CDN answers: a JPEG, a PNG sent as
 * `application/octet-stream` (the bytes decide), a 404, an HTML page sent as `image/jpeg`, a PNG
 * cut short, a photo that never comes, one of 64 KB sent in chunks with no length, and one
 * declaring 64 MB.
 */
const JPEG = greyJpeg();
const PNG = solidPng(32, 24, [200, 60, 20]);
let photos: Awaited<ReturnType<typeof listenLocal>>;
const requested: string[] = [];

let t: TestCore;
beforeAll(async () => {
  photos = await listenLocal((req, res) => {
    requested.push(req.url ?? '');
    const route = new URL(req.url ?? '/', 'http://photos').pathname;
    if (route === '/az/front.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    if (route === '/az/pool.png') return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(PNG);
    if (route === '/az/page.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<!doctype html><title>Photo moved</title>');
    if (route === '/az/cut.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(PNG.subarray(0, 40));
    if (route === '/az/slow.jpg') return void res.writeHead(200, { 'content-type': 'image/jpeg' }).write(JPEG.subarray(0, 4));
    if (route === '/az/huge.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      for (let k = 0; k < 64; k += 1) res.write(Buffer.concat([JPEG.subarray(0, 3), Buffer.alloc(1021)]));
      return res.end();
    }
    if (route === '/az/declared-huge.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(64 * 1024 * 1024) }).end();
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no such photo');
  });
  t = await openTestCore();
  const { done } = await t.core.collection.startArmlsImport({ file: ARMLS_FIXTURE }, { trigger: 'manual' });
  expect((await done).status).toBe('succeeded');
  await t.core.processing.run({ trigger: 'manual' });
});
afterAll(async () => {
  await t.close();
  await photos.stop();
});

describe('property report', () => {
  it("carries the imported property's address, APN, the analyst's notes and tags, and says which photo it could not include", async () => {
    await t.core.api['properties.setNotes']({ id: ID, notes: 'Roof redone 2019; ask the HOA about the reserve study.' });
    await t.core.api['properties.setTags']({ id: ID, tags: ['lender-pack'] });
    const detail = await t.core.api['properties.get']({ id: ID });
    const { pdf, filename } = await buildPropertyReport(detail, [{ url: 'https://cdn.example/1.jpg', problem: 'not on the configured MLS site' }], new Date('2026-12-07T10:00:00Z'));
    const text = await pdfText(pdf);
    expect(text).toContain('4600 N 68th St Unit 371');
    expect(text).toContain('APN 173-35-524');
    expect(text).toContain('Roof redone 2019; ask the HOA about the reserve study.');
    expect(text).toContain('lender-pack');
    expect(text).toContain('not on the configured MLS site');
    expect(text).toContain('Report made 2026-12-07');
    expect(filename).toBe('4600 N 68th St Unit 371, Scottsdale, AZ 85251 report.pdf');
  });

  it("carries the deal figures and the year-by-year projection on the analyst's saved terms, as the page computes them", async () => {
    await t.core.api['properties.setTerms']({ id: ID, terms: { price: 200_000, down_payment_rate: 0.3 } });
    const detail: PropertyDetail = await t.core.api['properties.get']({ id: ID });
    const inputs = detail.processed!.underwriting!.inputs;
    expect(inputs.price).toBe(200_000);
    const u = underwrite(inputs);
    const projection = projectDeal(dealInputsOf(inputs, STARTING_PLAN)!);
    expect(projection.years).toHaveLength(5);
    const text = (await pdfText((await buildPropertyReport(detail, [], new Date('2026-12-07T10:00:00Z'))).pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Saved terms for this property: price $200,000, 30% down.');
    expect(text).toContain('Purchase price: $200,000');
    expect(text).toContain(`Cap rate: ${(u.cap_rate! * 100).toFixed(2)}%`);
    expect(text).toContain(`Cash flow: ${usd(u.cash_flow_monthly!)} a month (${usd(u.cash_flow_annual!)} a year)`);
    expect(text).toContain('Year Cash flow Value Loan balance Equity Total return');
    for (const y of projection.years) expect(text).toContain(`${y.year} ${usd(y.cashFlow)} ${usd(y.propertyValue)} ${usd(y.loanBalance)} ${usd(y.equity)} ${usd(y.totalReturn)}`);
    expect(text).toContain(`sale at ${usd(projection.sale.price)} less ${usd(projection.sale.sellingCosts)} selling costs): ${(projection.irr! * 100).toFixed(2)}%`);
    await t.core.api['properties.setTerms']({ id: ID, terms: null });
  });

  it('comes over the HTTP shell as the contract method, the PDF itself for the browser to download; an unknown id is a 404 naming it', async () => {
    const shell = await startHttpShell({ core: t.core, token: 'fake-test-token' });
    try {
      const url = `http://127.0.0.1:${shell.port}/api/properties.report`;
      const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer fake-test-token' }) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      expect((await post({ id: ID }, {})).status).toBe(401);
      const res = await post({ id: ID });
      expect(res.status).toBe(200);
      const answer = (await res.json()) as { delivered: string; filename: string; pdf_base64: string };
      expect(answer.delivered).toBe('attached');
      expect(answer.filename).toBe('4600 N 68th St Unit 371, Scottsdale, AZ 85251 report.pdf');
      expect(await pdfText(Buffer.from(answer.pdf_base64, 'base64'))).toContain('APN 173-35-524');
      const missing = await post({ id: 'armls_export:nope' });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No property with id "armls_export:nope".' } });
      expect((await post({})).status).toBe(400);
    } finally {
      await shell.close();
    }
  });

  it('in the desktop app is saved where the save dialog says, offering its name, and not at all when the dialog is canceled', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-report-'));
    const offered: string[] = [];
    let answer: string | null = path.join(folder, 'for the lender.pdf');
    const desktop = await openTestCore({ tdb: t.tdb, chooseReportPath: async (name) => (offered.push(name), answer) });
    try {
      const saved = await desktop.core.api['properties.report']({ id: ID });
      expect(saved).toEqual({ delivered: 'saved', filename: '4600 N 68th St Unit 371, Scottsdale, AZ 85251 report.pdf', path: path.join(folder, 'for the lender.pdf') });
      expect(offered).toEqual(['4600 N 68th St Unit 371, Scottsdale, AZ 85251 report.pdf']);
      expect(await pdfText(fs.readFileSync(path.join(folder, 'for the lender.pdf')))).toContain('APN 173-35-524');
      answer = null;
      expect(await desktop.core.api['properties.report']({ id: ID })).toEqual({ delivered: 'canceled', filename: '4600 N 68th St Unit 371, Scottsdale, AZ 85251 report.pdf' });
      expect(fs.readdirSync(folder)).toEqual(['for the lender.pdf']);
    } finally {
      await desktop.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('fetches each photo within its limits, judges JPEG and PNG by their bytes, and says why each other one is missing without its query or credentials', async () => {
    const at = (p: string) => `${photos.baseUrl}/az/${p}`;
    const limits = { timeoutMs: 400, maxBytes: 32 * 1024 };
    const jpeg = await fetchReportPhoto(at('front.jpg'), limits);
    expect(jpeg).toEqual({ url: at('front.jpg'), image: JPEG, format: 'jpeg' });
    expect(await fetchReportPhoto(`${at('pool.png')}?Signature=s3cr3t-sig&Key-Pair-Id=K123`, limits)).toEqual({ url: at('pool.png'), image: PNG, format: 'png' });
    const problem = async (url: string) => {
      const photo = await fetchReportPhoto(url, limits);
      if ('image' in photo) throw new Error(`${url} was fetched`);
      return `${photo.url}: ${photo.problem}`;
    };
    expect(await problem(`${at('gone.jpg')}?token=s3cr3t`)).toBe(`${at('gone.jpg')}: HTTP 404 Not Found`);
    expect(await problem(at('page.jpg'))).toBe(`${at('page.jpg')}: not an image the report can include (neither JPEG nor PNG by its bytes; the server said image/jpeg)`);
    expect(await problem(at('slow.jpg'))).toBe(`${at('slow.jpg')}: timed out (no whole answer within 0.4 s)`);
    expect(await problem(at('huge.jpg'))).toBe(`${at('huge.jpg')}: larger than 32 KB`);
    expect(await problem(at('declared-huge.jpg'))).toBe(`${at('declared-huge.jpg')}: larger than 32 KB (64 MB)`);
    const withCredentials = at('front.jpg').replace('http://', 'http://analyst:hunter2@');
    expect(await problem(withCredentials)).toBe(`${at('front.jpg')}: its URL carries a user name or password, which the report does not send`);
    expect(await problem('ftp://photos.example/az/1.jpg')).toBe('ftp://photos.example/az/1.jpg: not an http(s) URL (ftp:)');
    const closed = await listenLocal((_req, res) => res.end());
    await closed.stop();
    expect(await problem(`${closed.baseUrl}/az/1.jpg`)).toBe(`${closed.baseUrl}/az/1.jpg: connection refused (ECONNREFUSED)`);
  });

  it('carries the photos it could fetch as images (JPEG and PNG) and one line for each it could not, whatever failed, the first six of the property only', async () => {
    const detail = await t.core.api['properties.get']({ id: ID });
    const at = (p: string) => `${photos.baseUrl}/az/${p}`;
    const urls = [at('front.jpg'), `${at('pool.png')}?Signature=s3cr3t-sig`, at('gone.jpg'), at('page.jpg'), at('cut.png'), at('slow.jpg'), at('seventh.jpg')];
    requested.length = 0;
    const fetched = await fetchReportPhotos({ records: [{ ...detail.records[0]!, photo_urls: urls }] }, { timeoutMs: 400, maxBytes: 5 * 1024 * 1024 });
    expect(fetched.map((p) => ('image' in p ? p.format : p.problem))).toEqual([
      'jpeg',
      'png',
      'HTTP 404 Not Found',
      'not an image the report can include (neither JPEG nor PNG by its bytes; the server said image/jpeg)',
      'png',
      'timed out (no whole answer within 0.4 s)',
    ]);
    expect(requested.some((u) => u.includes('seventh'))).toBe(false);
    const { pdf } = await buildPropertyReport(detail, fetched, new Date('2026-12-07T10:00:00Z'));
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain(`Photo not included (${at('gone.jpg')}): HTTP 404 Not Found`);
    expect(text).toContain(`Photo not included (${at('page.jpg')}): not an image`);
    expect(text).toContain(`Photo not included (${at('cut.png')}): not an image the report can read (a cut-short or corrupt PNG)`);
    expect(text).toContain(`Photo not included (${at('slow.jpg')}): timed out`);
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('front.jpg');
    expect((await pdfImageCounts(pdf)).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('fetches the photo of an imported listing when the report is asked for, over the contract, and the PDF shows it', async () => {
    const { header, row } = armlsFixture();
    const photoColumn = header.indexOf('Photo URL');
    expect(photoColumn).toBeGreaterThanOrEqual(0);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-report-photo-'));
    const file = path.join(folder, 'with-local-photo.csv');
    fs.writeFileSync(file, armlsCsv(header, [row.map((v, i) => (i === photoColumn ? `${photos.baseUrl}/az/front.jpg?sig=s3cr3t` : v))]));
    try {
      const { done } = await t.core.collection.startArmlsImport({ file }, { trigger: 'manual' });
      expect((await done).status).toBe('succeeded');
      requested.length = 0;
      const answer = await t.core.api['properties.report']({ id: ID });
      if (answer.delivered !== 'attached') throw new Error(`delivered ${answer.delivered}`);
      expect(requested).toEqual(['/az/front.jpg?sig=s3cr3t']);
      const pdf = Buffer.from(answer.pdf_base64, 'base64');
      expect((await pdfImageCounts(pdf)).reduce((a, b) => a + b, 0)).toBe(1);
      expect(await pdfText(pdf)).not.toContain('Photo not included');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
