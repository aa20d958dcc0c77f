import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const pdf = await buildPropertyReport(detail, [{ url: 'https://cdn.example/1.jpg', problem: 'not on the configured MLS site' }], new Date('2026-12-07T10:00:00Z'));
    const text = await pdfText(pdf);
    expect(text).toContain('4600 N 68TH ST UNIT 371');
    expect(text).toContain('APN 173-35-524');
    expect(text).toContain('Roof redone 2019; ask the HOA about the reserve study.');
    expect(text).toContain('lender-pack');
    expect(text).toContain('not on the configured MLS site');
    expect(text).toContain('Report made 2026-12-07');
  });
});
