import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpShell } from '../../src/main/http/server.js';
import { buildPropertyReport } from '../../src/main/reports/property-report.js';
import { ARMLS_FIXTURE } from '../support/armls.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { pdfText } from '../support/pdf-text.js';

let t: TestCore;
beforeAll(async () => {
  t = await openTestCore();
  const { done } = await t.core.collection.startArmlsImport({ file: ARMLS_FIXTURE }, { trigger: 'manual' });
  expect((await done).status).toBe('succeeded');
});
afterAll(async () => t.close());

describe('property report', () => {
  it("carries the imported property's address, APN, the analyst's notes and tags, and says which photo it could not include", async () => {
    const id = 'armls_export:6181273';
    await t.core.api['properties.setNotes']({ id, notes: 'Roof redone 2019; ask the HOA about the reserve study.' });
    await t.core.api['properties.setTags']({ id, tags: ['lender-pack'] });
    const detail = await t.core.api['properties.get']({ id });
    const { pdf, filename } = await buildPropertyReport(detail, [{ url: 'https://cdn.example/1.jpg', problem: 'not on the configured MLS site' }], new Date('2026-12-07T10:00:00Z'));
    const text = await pdfText(pdf);
    expect(text).toContain('4600 N 68TH ST UNIT 371');
    expect(text).toContain('APN 173-35-524');
    expect(text).toContain('Roof redone 2019; ask the HOA about the reserve study.');
    expect(text).toContain('lender-pack');
    expect(text).toContain('not on the configured MLS site');
    expect(text).toContain('Report made 2026-12-07');
    expect(filename).toBe('4600 N 68TH ST UNIT 371, Scottsdale, AZ 85251 report.pdf');
  });

  it('downloads over the HTTP shell with the bearer token, as an attachment named for the address; an unknown id is a 404 naming it', async () => {
    const shell = await startHttpShell({ core: t.core, token: 'fake-test-token' });
    try {
      const base = `http://127.0.0.1:${shell.port}/api/properties.report`;
      const auth = { authorization: 'Bearer fake-test-token' };
      expect((await fetch(`${base}?id=armls_export:6181273`)).status).toBe(401);
      const res = await fetch(`${base}?id=armls_export:6181273`, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toContain('attachment; filename="4600 N 68TH ST UNIT 371, Scottsdale, AZ 85251 report.pdf"');
      expect(await pdfText(new Uint8Array(await res.arrayBuffer()))).toContain('APN 173-35-524');
      const missing = await fetch(`${base}?id=armls_export:nope`, { headers: auth });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No property with id "armls_export:nope".' } });
    } finally {
      await shell.close();
    }
  });
});
