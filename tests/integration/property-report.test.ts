import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpShell } from '../../src/main/http/server.js';
import { buildPropertyReport } from '../../src/main/reports/property-report.js';
import type { PropertyDetail } from '../../src/shared/contract.js';
import { dealInputsOf } from '../../src/shared/deal/from-underwriting.js';
import { projectDeal } from '../../src/shared/deal/projection.js';
import { STARTING_PLAN } from '../../src/shared/deal/starting-plan.js';
import { underwrite } from '../../src/shared/underwriting/underwrite.js';
import { ARMLS_FIXTURE } from '../support/armls.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { pdfText } from '../support/pdf-text.js';

const ID = 'armls_export:6181273';
/** Whole dollars as an analyst writes them, for the expectations ("$1,210", "-$85"). */
const usd = (n: number) => `${n < 0 ? '-' : ''}$${Math.round(Math.abs(n)).toLocaleString('en-US')}`;

let t: TestCore;
beforeAll(async () => {
  t = await openTestCore();
  const { done } = await t.core.collection.startArmlsImport({ file: ARMLS_FIXTURE }, { trigger: 'manual' });
  expect((await done).status).toBe('succeeded');
  await t.core.processing.run({ trigger: 'manual' });
});
afterAll(async () => t.close());

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
    expect(text).toContain('Saved terms for this property: price, down payment rate.');
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
});
