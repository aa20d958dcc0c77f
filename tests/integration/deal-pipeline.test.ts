import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { dispatch } from '../../src/main/core/dispatch.js';
import type { DealPipeline, DealPipelineInput } from '../../src/shared/schemas/deal-pipeline.js';
import { armlsCsv, armlsFixture } from '../support/armls.js';
import { manualClock } from '../support/clock.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { PARCEL_FIXTURES_DIR, writeCondoParcel } from '../support/fixtures.js';

/**
 * The Pipeline (issue #23): the analyst's deals by status, served by `properties.pipeline` from
 * the list rows' `summary.deal_status`, and each move kept in the status history with who and
 * when, through re-import, reprocess and a merge. Real FerretDB, the twelve real assessor files
 * and the real ARMLS export row.
 */

const DAY = 86_400_000;
/** A folder removed when the test ends. */
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-pipeline-'));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A core over a fresh database whose clock the test moves (closed when the test ends). */
async function clockedCore() {
  const time = manualClock('2026-11-02T17:00:00Z');
  const t = await openTestCore({ clock: time.clock });
  onTestFinished(() => t.close());
  return { t, time };
}

async function importAssessor(t: TestCore, target: string) {
  const { done } = await t.core.collection.startAssessorImport({ path: target }, { trigger: 'manual' });
  const run = await done;
  expect(run.status, run.message ?? '').toBe('succeeded');
}

/** The twelve real assessor files, the full cash value of `apn` 5% lower, as a re-collection would bring it. */
function changedAssessorFolder(apn: string): string {
  const dir = tmpDir();
  for (const f of fs.readdirSync(PARCEL_FIXTURES_DIR).filter((f) => f.endsWith('.json'))) fs.copyFileSync(path.join(PARCEL_FIXTURES_DIR, f), path.join(dir, f));
  const file = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(apn))!);
  const payload = JSON.parse(fs.readFileSync(file, 'utf8')) as { Valuations: { FullCashValue: string }[] };
  payload.Valuations[0]!.FullCashValue = String(Math.round(Number(payload.Valuations[0]!.FullCashValue) * 0.95));
  fs.writeFileSync(file, JSON.stringify(payload));
  return dir;
}

async function importArmls(t: TestCore, file: string) {
  const { done } = await t.core.collection.startArmlsImport({ file }, { trigger: 'manual' });
  const run = await done;
  expect(run.status, run.message ?? '').toBe('succeeded');
}

/** The Pipeline as a shell serves it: input and output checked against the contract. */
async function pipeline(t: TestCore, input: Partial<DealPipelineInput> = {}): Promise<DealPipeline> {
  const result = await dispatch(t.core.api, 'properties.pipeline', input, t.log.logger);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as DealPipeline;
}

/** Each column's status, count and card ids, in the board's order. */
const shape = (board: DealPipeline) => board.columns.map((c) => ({ status: c.status, count: c.count, ids: c.cards.map((k) => k.id) }));
const cardIn = (board: DealPipeline, status: string, id: string) => board.columns.find((c) => c.status === status)?.cards.find((k) => k.id === id);

describe('the Pipeline', () => {
  it('serves the deals by status with counts, days in status and the row figures; moves are kept with who and when through a re-import and a reprocess', async () => {
    const { t, time } = await clockedCore();
    const { api } = t.core;
    await importAssessor(t, PARCEL_FIXTURES_DIR);
    await t.core.processing.run({ trigger: 'manual' });
    const ids = (await t.core.repos.raw.list({ page: 1, pageSize: 100, sort: { field: 'collected_at', direction: 'asc' }, filters: {} })).items.map((d) => d._id).sort();
    expect(ids).toHaveLength(12);
    const [a, b, c, d] = ids as [string, string, string, string];

    // Nothing in the pipeline yet: five empty columns, not the twelve properties.
    expect(shape(await pipeline(t))).toEqual(['new', 'watching', 'offer', 'under_contract', 'passed'].map((status) => ({ status, count: 0, ids: [] })));

    const added = time.clock();
    await api['properties.setStatus']({ id: a, status: 'new' });
    time.advance(DAY);
    await api['properties.setStatus']({ id: a, status: 'watching' });
    await api['properties.setStatus']({ id: b, status: 'watching' });
    time.advance(2 * DAY);
    const offered = time.clock();
    await api['properties.setStatus']({ id: a, status: 'offer' });
    // Set again to the status it has: no new history entry.
    await api['properties.setStatus']({ id: a, status: 'offer' });
    time.advance(DAY);
    await api['properties.setStatus']({ id: d, status: 'watching' });
    await api['properties.setStatus']({ id: c, status: 'passed' });
    await api['properties.setTags']({ id: a, tags: ['flip'] });
    await api['properties.setTags']({ id: c, tags: ['flip', 'north'] });
    time.advance(2 * DAY + 3_600_000);

    const board = await pipeline(t);
    expect(board.as_of).toEqual(time.clock());
    expect(shape(board)).toEqual([
      { status: 'new', count: 0, ids: [] },
      // The latest moved first.
      { status: 'watching', count: 2, ids: [d, b] },
      { status: 'offer', count: 1, ids: [a] },
      { status: 'under_contract', count: 0, ids: [] },
      { status: 'passed', count: 1, ids: [c] },
    ]);
    // Days in status, counted from the move: a offered 3 days 1 hour ago, b watching for 5 days.
    expect(cardIn(board, 'offer', a)).toMatchObject({ status: 'offer', status_since: offered, days_in_status: 3, tags: ['flip'] });
    expect(cardIn(board, 'watching', b)?.days_in_status).toBe(5);
    // The card's figures are the list row's: asking price, value with its basis and day, cap rate.
    const row = (await t.core.repos.raw.getData(a))!.summary;
    expect(row.value).toEqual(expect.any(Number));
    expect(cardIn(board, 'offer', a)).toMatchObject({ address: row.address, price: row.price, value: row.value, value_basis: row.value_basis, value_date: row.value_date, cap_rate: row.cap_rate ?? null });

    // A row whose status was set before rows kept since when: taken from the analyst's layer.
    await t.tdb.db.collection('raw_properties').updateOne({ _id: b as never }, { $unset: { 'summary.deal_status_at': '' } });
    expect(cardIn(await pipeline(t), 'watching', b)).toMatchObject({ status_since: new Date(added.getTime() + DAY), days_in_status: 5 });

    // A column brings at most `perColumn` cards; its count is the whole column's.
    expect(shape(await pipeline(t, { perColumn: 1 }))[1]).toEqual({ status: 'watching', count: 2, ids: [d] });
    // The analyst's list by tag: only the deals tagged.
    expect(shape(await pipeline(t, { tag: 'flip' })).filter((col) => col.count > 0)).toEqual([
      { status: 'offer', count: 1, ids: [a] },
      { status: 'passed', count: 1, ids: [c] },
    ]);
    await expect(pipeline(t, { tag: 'no<tags>' })).rejects.toThrow(/BAD_REQUEST: .*tag.*a tag holds letters, digits/);
    await expect(pipeline(t, { perColumn: 0 })).rejects.toThrow(/BAD_REQUEST: .*perColumn/);

    const history = async (id: string) => (await api['properties.get']({ id })).analyst?.status_history;
    const moves = [
      { status: 'new', at: added, by: 'analyst' },
      { status: 'watching', at: new Date(added.getTime() + DAY), by: 'analyst' },
      { status: 'offer', at: offered, by: 'analyst' },
    ];
    expect(await history(a)).toEqual(moves);

    // The files imported again, the assessor's value of `a` changed (a re-collection rewrites its
    // row): before processing, the rows keep the status and since when.
    await importAssessor(t, changedAssessorFolder(a.split(':')[1]!));
    time.advance(DAY);
    expect(cardIn(await pipeline(t), 'offer', a)).toMatchObject({ status_since: offered, days_in_status: 4 });
    // Everything processed again: the same board, the same history.
    await api['processing.reprocess']({ status: 'all' });
    await t.core.processing.run({ trigger: 'manual' });
    const after = await pipeline(t);
    expect(shape(after)).toEqual(shape(board));
    expect(cardIn(after, 'offer', a)).toMatchObject({ status_since: offered, days_in_status: 4 });
    expect(await history(a)).toEqual(moves);
  });

  it('shows a listing merged with its parcel once, under the parcel, its status and history kept', async () => {
    const { t, time } = await clockedCore();
    const { api } = t.core;
    const { header, row } = armlsFixture();
    const active = [...row];
    active[header.indexOf('Status')] = 'A';
    active[header.indexOf('List Price')] = '229000.00';
    const file = path.join(tmpDir(), 'export.csv');
    fs.writeFileSync(file, armlsCsv(header, [active]));
    const listing = 'armls_export:6181273';
    await importArmls(t, file);
    await t.core.processing.run({ trigger: 'manual' });
    await api['properties.setStatus']({ id: listing, status: 'watching' });
    time.advance(DAY);
    await api['properties.setStatus']({ id: listing, status: 'under_contract' });
    expect(shape(await pipeline(t))[3]).toEqual({ status: 'under_contract', count: 1, ids: [listing] });

    await importAssessor(t, writeCondoParcel(tmpDir()));
    await t.core.processing.run({ trigger: 'manual' });
    const parcel = 'maricopa_api:173-35-524';
    const board = await pipeline(t);
    expect(shape(board).filter((col) => col.count > 0)).toEqual([{ status: 'under_contract', count: 1, ids: [parcel] }]);
    expect(cardIn(board, 'under_contract', parcel)).toMatchObject({ price: 229000, days_in_status: 0 });
    expect((await api['properties.get']({ id: parcel })).analyst?.status_history.map((h) => [h.status, h.by])).toEqual([
      ['watching', 'analyst'],
      ['under_contract', 'analyst'],
    ]);
  });

  it('has an index on the status the columns are read by', async () => {
    const { t } = await clockedCore();
    const names = (await t.tdb.db.collection('raw_properties').indexes()).map((i) => i.name);
    expect(names).toContain('summary_deal_status');
  });
});
