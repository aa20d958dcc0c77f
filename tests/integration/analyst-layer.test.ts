import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PropertyListInput } from '../../src/shared/contract.js';
import { connectDatabase } from '../../src/main/db/connection.js';
import { startHttpShell } from '../../src/main/http/server.js';
import { armlsCsv, armlsFixture } from '../support/armls.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { PARCEL_FIXTURES_DIR, writeCondoParcel } from '../support/fixtures.js';

/**
 * The analyst's layer (issue #23): corrections, what-if terms, notes, tags and deal status are the
 * analyst's, kept apart from the collected data and applied over it, so no re-collection, merge,
 * reprocess or restore loses them. Real FerretDB, the real assessor files and ARMLS export row.
 */

const cores: TestCore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of cores.splice(0).reverse()) await c.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-layer-'));
  dirs.push(dir);
  return dir;
}

/** Every record held for review (a threshold none meets); no LLM key: the rules provider writes the prose. */
async function heldCore(): Promise<TestCore> {
  const t = await openTestCore({ env: { QUALITY_REVIEW_THRESHOLD: '0.99' } });
  cores.push(t);
  return t;
}

async function importAssessor(t: TestCore, target: string) {
  const { done } = await t.core.collection.startAssessorImport({ path: target }, { trigger: 'manual' });
  const run = await done;
  expect(run.status, run.message ?? '').toBe('succeeded');
  return run;
}

async function importArmls(t: TestCore, file: string) {
  const { done } = await t.core.collection.startArmlsImport({ file }, { trigger: 'manual' });
  const run = await done;
  expect(run.status, run.message ?? '').toBe('succeeded');
  return run;
}

/** The twelve real assessor files, copied so one can be changed as a re-collection would bring it. */
function assessorFolder(): string {
  const dir = tmpDir();
  for (const f of fs.readdirSync(PARCEL_FIXTURES_DIR).filter((f) => f.endsWith('.json'))) fs.copyFileSync(path.join(PARCEL_FIXTURES_DIR, f), path.join(dir, f));
  return dir;
}

const listInput = (filters: PropertyListInput['filters']): PropertyListInput => ({ page: 1, pageSize: 100, sort: { field: 'collected_at', direction: 'desc' }, filters });

/** The ids the list gives for `filters`, the database's answer and the in-memory one agreeing. */
async function listed(t: TestCore, filters: PropertyListInput['filters']): Promise<string[]> {
  const fromDb = (await t.core.repos.raw.list(listInput(filters))).items.map((d) => d._id).sort();
  await t.core.propertyIndex.warm();
  const inMemory = (await t.core.api['properties.list'](listInput(filters))).items.map((r) => r.id).sort();
  expect(inMemory).toEqual(fromDb);
  return fromDb;
}

async function statusOf(t: TestCore, id: string) {
  return (await t.core.repos.queue.get(id))?.status;
}

describe("the analyst's corrections", () => {
  it('survive a re-import of the same assessor files, a reprocess and a changed file, and keep the approved items out of review', async () => {
    const t = await heldCore();
    const { api } = t.core;
    const dir = assessorFolder();
    await importAssessor(t, dir);
    await t.core.processing.run({ trigger: 'manual' });
    const held = await api['queue.items']({ status: 'review', limit: 100, offset: 0 });
    expect(held.total).toBe(12);
    // Review list → select two parcels → Bedrooms 3 → Approve selected.
    const named = [held.items[0]!.id, held.items[1]!.id];
    expect(await api['review.approveMany']({ ids: named, edits: { bedrooms: 3 } })).toEqual({ approved: 2, skipped: [] });

    // `import assessor` the same files, then every record processed again.
    await importAssessor(t, dir);
    await api['processing.reprocess']({ status: 'all' });
    await t.core.processing.run({ trigger: 'manual' });

    for (const id of named) {
      const doc = await t.core.repos.processed.getByRawId(id);
      expect(doc?.normalized.details.bedrooms, id).toBe(3);
      expect(doc?.field_sources?.details?.bedrooms).toBe('analyst');
      expect(await statusOf(t, id)).toBe('completed');
      const detail = await api['properties.get']({ id });
      expect(detail.analyst?.corrections.bedrooms).toMatchObject({ value: 3, by: 'analyst' });
      expect(detail.analyst?.corrections.bedrooms?.set_at).toBeInstanceOf(Date);
      expect(detail.analyst?.approval?.reasons.length).toBeGreaterThan(0);
    }
    // The others were never approved: still held.
    expect((await api['queue.items']({ status: 'review', limit: 100, offset: 0 })).total).toBe(10);
    // The list shows, filters and sorts on the corrected count (database and in-memory paths).
    expect((await t.core.repos.raw.list(listInput({ minBeds: 3 }))).items.map((d) => d._id).sort()).toEqual([...named].sort());
    await t.core.propertyIndex.warm();
    expect((await api['properties.list'](listInput({ minBeds: 3 }))).items.map((r) => r.id).sort()).toEqual([...named].sort());

    // The assessor publishes a lower full cash value for one of them: re-collected, queued, processed.
    const apn = named[0]!.split(':')[1]!;
    const file = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(apn))!);
    const payload = JSON.parse(fs.readFileSync(file, 'utf8')) as { Valuations: { FullCashValue: string }[] };
    const lower = Math.round(Number(payload.Valuations[0]!.FullCashValue) * 0.95);
    payload.Valuations[0]!.FullCashValue = String(lower);
    fs.writeFileSync(file, JSON.stringify(payload));
    expect((await importAssessor(t, dir)).counters).toMatchObject({ updated: 1 });
    // Collected again, not processed yet: the row still shows the analyst's bedrooms.
    expect((await t.core.repos.raw.getData(named[0]!))?.summary).toMatchObject({ bedrooms: 3, analyst_fields: ['bedrooms'] });
    await t.core.processing.run({ trigger: 'manual' });
    const doc = await t.core.repos.processed.getByRawId(named[0]!);
    // The new collected value is used, the analyst's bedrooms stay over it.
    expect((await t.core.repos.raw.getData(named[0]!))?.data.full_cash_value).toBe(lower);
    expect(doc?.normalized.details.bedrooms).toBe(3);
    expect(await statusOf(t, named[0]!)).toBe('completed');
    expect((await api['properties.list'](listInput({ minBeds: 3 }))).items.map((r) => r.id)).toContain(named[0]);
  });

  it('made before the layer existed (kept on the processed record only) are adopted by the next processing, not lost', async () => {
    const t = await heldCore();
    const { api } = t.core;
    await importAssessor(t, assessorFolder());
    await t.core.processing.run({ trigger: 'manual' });
    const id = 'maricopa_api:509-11-455';
    await api['review.resolve']({ id, action: 'approve', edits: { bedrooms: 4 } });
    const approvedAt = (await t.core.repos.processed.getByRawId(id))!.analyst_review!.approved_at;
    // What the code before the layer left behind: the approval on the processed record alone.
    await t.tdb.db.collection('analyst_layer').deleteMany({});

    await api['processing.reprocess']({ ids: [id] });
    await t.core.processing.run({ trigger: 'manual' });
    expect((await t.core.repos.processed.getByRawId(id))?.normalized.details.bedrooms).toBe(4);
    expect(await statusOf(t, id)).toBe('completed');
    expect((await api['properties.get']({ id })).analyst).toMatchObject({ corrections: { bedrooms: { value: 4, set_at: approvedAt } }, approval: { at: approvedAt } });
  });

  it('set on the property page win over every source until cleared; clearing brings the collected value back', async () => {
    const t = await openTestCore();
    cores.push(t);
    const { api } = t.core;
    await importAssessor(t, assessorFolder());
    await t.core.processing.run({ trigger: 'manual' });
    const id = 'maricopa_api:509-11-455';
    expect((await t.core.repos.processed.getByRawId(id))?.normalized.details.square_feet).toBe(1647);

    const { analyst } = await api['properties.correct']({ id, corrections: { square_feet: 1700, year_built: 2004 } });
    expect(analyst.corrections).toMatchObject({ square_feet: { value: 1700 }, year_built: { value: 2004 } });
    expect((await t.core.repos.processed.getByRawId(id))?.normalized.details.square_feet).toBe(1700);

    await api['processing.reprocess']({ ids: [id] });
    await t.core.processing.run({ trigger: 'manual' });
    const kept = await t.core.repos.processed.getByRawId(id);
    expect(kept?.normalized.details).toMatchObject({ square_feet: 1700, year_built: 2004 });
    expect(kept?.field_sources?.details).toMatchObject({ square_feet: 'analyst', year_built: 'analyst' });
    // The value per sq ft follows the analyst's size.
    expect(kept?.normalized.pricing.price_per_sqft).toBe(Math.round((kept!.normalized.pricing.value! / 1700) * 100) / 100);

    expect(await api['properties.clearCorrections']({ id, fields: ['square_feet'] })).toMatchObject({ queued: true, analyst: { corrections: { year_built: { value: 2004 } } } });
    await t.core.processing.run({ trigger: 'manual' });
    const cleared = await t.core.repos.processed.getByRawId(id);
    expect(cleared?.normalized.details).toMatchObject({ square_feet: 1647, year_built: 2004 });
    expect(cleared?.field_sources?.details?.square_feet).toBe('maricopa_api');
    expect((await t.core.repos.raw.getData(id))?.summary).toMatchObject({ square_feet: 1647, year_built: 2004, analyst_fields: ['year_built'] });
    await expect(api['properties.correct']({ id: 'maricopa_api:000-00-000', corrections: { bedrooms: 2 } })).rejects.toThrow('No property with id "maricopa_api:000-00-000".');
  });
});

const listing = 'armls_export:6181273';

/** The real export row as the listing it was before it sold (Active at `listPrice`), written as an export. */
function exportOf(listPrice: string): string {
  const { header, row } = armlsFixture();
  const active = [...row];
  active[header.indexOf('Status')] = 'A';
  active[header.indexOf('List Price')] = listPrice;
  const file = path.join(tmpDir(), 'export.csv');
  fs.writeFileSync(file, armlsCsv(header, [active]));
  return file;
}

describe("a listing's analyst layer", () => {
  it('keeps a listing approved at 2.5 baths at 2.5 and out of review when it is re-imported at a lower price', async () => {
    const t = await heldCore();
    await importArmls(t, exportOf('229000.00'));
    await t.core.processing.run({ trigger: 'manual' });
    await t.core.api['review.resolve']({ id: listing, action: 'approve', edits: { bathrooms: 2.5 } });
    await importArmls(t, exportOf('199000.00'));
    await t.core.processing.run({ trigger: 'manual' });
    const doc = await t.core.repos.processed.getByRawId(listing);
    expect(doc?.normalized.pricing.list_price).toBe(199000);
    expect(doc?.normalized.details.bathrooms).toBe(2.5);
    expect(await statusOf(t, listing)).toBe('completed');
  });

  it('survives a lower-priced re-import, the merge with its parcel, a reprocess, and a backup and restore', async () => {
    const t = await heldCore();
    const { api } = t.core;
    await importArmls(t, exportOf('229000.00'));
    expect((await t.core.repos.raw.getData(listing))?.data.list_price).toBe(229000);
    await t.core.processing.run({ trigger: 'manual' });
    expect(await statusOf(t, listing)).toBe('review');

    // Approved at 2.5 baths, with the analyst's terms, a note, tags and a deal status.
    await api['review.resolve']({ id: listing, action: 'approve', edits: { bathrooms: 2.5 } });
    await api['properties.setTerms']({ id: listing, terms: { down_payment_rate: 0.3, interest_rate: 0.065 } });
    await api['properties.setNotes']({ id: listing, notes: 'Seller motivated; HOA covers the roof.' });
    await api['properties.setTags']({ id: listing, tags: ['condo', 'scottsdale', 'condo'] });
    await api['properties.setStatus']({ id: listing, status: 'watching' });
    await api['properties.setStatus']({ id: listing, status: 'offer' });

    const expectLayer = async (core: TestCore, id: string) => {
      const detail = await core.core.api['properties.get']({ id });
      expect(detail.analyst).toMatchObject({
        corrections: { bathrooms: { value: 2.5, by: 'analyst' } },
        terms: { value: { down_payment_rate: 0.3, interest_rate: 0.065 }, by: 'analyst' },
        notes: { text: 'Seller motivated; HOA covers the roof.', by: 'analyst' },
        tags: ['condo', 'scottsdale'],
        status: { value: 'offer', by: 'analyst' },
        status_history: [{ status: 'watching' }, { status: 'offer' }],
      });
      const doc = detail.processed!;
      expect(doc.normalized.details.bathrooms).toBe(2.5);
      expect(doc.field_sources?.details?.bathrooms).toBe('analyst');
      expect(doc.underwriting?.inputs.assumptions).toMatchObject({ downPaymentRate: 0.3, interestRate: 0.065 });
      return detail;
    };
    await expectLayer(t, listing);
    // The list's row says its figures were computed with the analyst's terms.
    const terms = { down_payment_rate: 0.3, interest_rate: 0.065 };
    expect((await t.core.repos.raw.getData(listing))?.summary.own_terms).toEqual(terms);
    // The analyst's lists: by tag and by deal status.
    expect(await listed(t, { tag: 'condo' })).toEqual([listing]);
    expect(await listed(t, { dealStatus: 'offer' })).toEqual([listing]);
    expect(await listed(t, { dealStatus: 'watching' })).toEqual([]);

    // Re-imported at a lower price: the new price is collected, the analyst's work stays over it.
    expect((await importArmls(t, exportOf('199000.00'))).counters).toMatchObject({ updated: 1, enqueued: 1 });
    // Before it is processed again the row keeps the analyst's bathrooms, tags and status.
    expect((await t.core.repos.raw.getData(listing))?.summary).toMatchObject({ price: 199000, bathrooms: 2.5, tags: ['condo', 'scottsdale'], deal_status: 'offer' });
    expect(await listed(t, { tag: 'scottsdale' })).toEqual([listing]);
    await t.core.processing.run({ trigger: 'manual' });
    expect((await t.core.repos.raw.getData(listing))?.data.list_price).toBe(199000);
    expect((await expectLayer(t, listing)).processed?.normalized.pricing.list_price).toBe(199000);
    expect(await statusOf(t, listing)).toBe('completed');

    // Its parcel arrives: one property named by the parcel, the listing's layer applied to it.
    await importAssessor(t, writeCondoParcel(tmpDir()));
    await t.core.processing.run({ trigger: 'manual' });
    const parcel = 'maricopa_api:173-35-524';
    expect((await t.core.repos.processed.getByRawId(listing))?._id).toBe(parcel);
    await expectLayer(t, parcel);
    await expectLayer(t, listing);
    // One row, the parcel's, in the analyst's lists.
    expect(await listed(t, { tag: 'condo', dealStatus: 'offer' })).toEqual([parcel]);
    expect((await t.core.repos.raw.getData(parcel))?.summary).toMatchObject({ bathrooms: 2.5, tags: ['condo', 'scottsdale'], deal_status: 'offer' });

    // Everything processed again.
    await api['processing.reprocess']({ status: 'all' });
    await t.core.processing.run({ trigger: 'manual' });
    await expectLayer(t, parcel);
    expect((await t.core.repos.raw.getData(parcel))?.summary.own_terms).toEqual(terms);

    // Backup, then restore into another database: the layer comes back and is applied there too.
    const out = path.join(tmpDir(), 'backup');
    const backup = await (await t.core.backup.backup({ trigger: 'manual', out })).done;
    expect(backup.status, backup.message ?? '').toBe('succeeded');
    const target = `${t.tdb.db.databaseName}_restored`;
    const restore = await (await t.core.backup.restore({ trigger: 'manual', dir: out, database: target })).done;
    expect(restore.status, restore.message ?? '').toBe('succeeded');
    const uri = t.tdb.uri.replace(/\/[^/?]+(\?|$)/, `/${target}$1`);
    const connection = await connectDatabase(uri);
    cores.push({
      close: async () => {
        await connection.db.dropDatabase().catch(() => undefined);
        await connection.close();
      },
    } as TestCore);
    const restored = await openTestCore({
      env: { QUALITY_REVIEW_THRESHOLD: '0.99' },
      tdb: { client: connection.client, db: connection.db, uri, close: async () => {} },
    });
    cores.push(restored);
    await restored.core.api['processing.reprocess']({ status: 'all' });
    await restored.core.processing.run({ trigger: 'manual' });
    await expectLayer(restored, parcel);
    expect((await restored.core.repos.raw.getData(parcel))?.summary.own_terms).toEqual(terms);
    expect(await listed(restored, { tag: 'scottsdale' })).toEqual([parcel]);
  });
});

describe("the analyst's lists", () => {
  it('filter the Properties list by tag and by deal status on the server, over the HTTP shell as in the core, a tag that cannot be refused naming the field', async () => {
    const t = await heldCore();
    await importAssessor(t, assessorFolder());
    await t.core.processing.run({ trigger: 'manual' });
    const ids = (await t.core.api['properties.list'](listInput({}))).items.map((r) => r.id).sort();
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const [a, b, c] = ids as [string, string, string];
    await t.core.api['properties.setTags']({ id: a, tags: ['flip', 'west valley'] });
    await t.core.api['properties.setStatus']({ id: a, status: 'offer' });
    await t.core.api['properties.setTags']({ id: b, tags: ['flip'] });
    await t.core.api['properties.setStatus']({ id: b, status: 'watching' });
    await t.core.api['properties.setStatus']({ id: c, status: 'offer' });

    expect(await listed(t, { tag: 'flip' })).toEqual([a, b].sort());
    expect(await listed(t, { tag: 'west valley' })).toEqual([a]);
    expect(await listed(t, { dealStatus: 'offer' })).toEqual([a, c].sort());
    expect(await listed(t, { tag: 'flip', dealStatus: 'watching' })).toEqual([b]);
    expect(await listed(t, { tag: 'rental' })).toEqual([]);
    expect(await listed(t, { dealStatus: 'passed' })).toEqual([]);

    const shell = await startHttpShell({ core: t.core, token: 'fake-test-token' });
    try {
      const post = (filters: unknown) =>
        fetch(`http://127.0.0.1:${shell.port}/api/properties.list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer fake-test-token' }, body: JSON.stringify({ page: 1, pageSize: 100, filters }) });
      const res = await post({ tag: 'flip', dealStatus: 'offer' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: { id: string; tags?: string[]; deal_status?: string }[]; total: number };
      expect(body.total).toBe(1);
      expect(body.items[0]).toMatchObject({ id: a, tags: ['flip', 'west valley'], deal_status: 'offer' });
      const badTag = await post({ tag: 'no<tags>' });
      expect(badTag.status).toBe(400);
      expect(((await badTag.json()) as { error: { message: string } }).error.message).toMatch(/filters\.tag: a tag holds letters, digits, spaces and - _ \/ & # only/);
      const badStatus = await post({ dealStatus: 'sold' });
      expect(badStatus.status).toBe(400);
      expect(((await badStatus.json()) as { error: { message: string } }).error.message).toContain('filters.dealStatus: expected a deal status: new, watching, offer, under_contract, passed');
    } finally {
      await shell.close();
    }
  });
});
