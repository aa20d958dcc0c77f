import type { UpdateFilter } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

let tdb: TestDatabase | undefined;
afterEach(async () => {
  await tdb?.close();
  tdb = undefined;
});

/**
 * Our FerretDB build (tools/ferretdb/sqlite-id-index.patch) looks documents up by `_id`, and by
 * `_id: {$in: [...]}`, through the `_id_` index, also when other conditions sit beside `_id`, as
 * every guarded queue transition is written. Upstream 1.24.2 answers these with a full table
 * scan. batched-updates.patch writes what one update statement modifies in one transaction.
 */
describe('the FerretDB build', () => {
  it('finds by _id, alone or guarded, through the _id index', async (ctx) => {
    tdb = await openTestDatabase();
    const info = await tdb.db.admin().command({ buildInfo: 1 });
    if (!('ferretdbVersion' in info)) ctx.skip(); // MONGODB_URI names a MongoDB server
    const items = tdb.db.collection<{ _id: string; status: string }>('plan_probe');
    await items.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, status: 'pending' })));
    const plan = async (filter: Record<string, unknown>) => {
      const res = await tdb!.db.command({ explain: { find: 'plan_probe', filter } });
      return JSON.stringify(res.queryPlanner);
    };
    expect(await plan({ _id: 'k7' })).toMatch(/USING INDEX \S+__id_/);
    expect(await plan({ _id: 'k7', status: 'pending' })).toMatch(/USING INDEX \S+__id_/);
    expect(await plan({ status: 'pending' })).toMatch(/SCAN/);
    // The guard is still applied to what the index finds.
    expect(await items.findOne({ _id: 'k7', status: 'done' })).toBeNull();
    expect(await items.updateOne({ _id: 'k7', status: 'done' }, { $set: { status: 'x' } })).toMatchObject({ matchedCount: 0 });
    expect(await items.updateOne({ _id: 'k7', status: 'pending' }, { $set: { status: 'done' } })).toMatchObject({ modifiedCount: 1 });
    expect(await items.countDocuments({ status: 'done' })).toBe(1);
  });

  it('finds and updates by _id $in through the _id index, with the rest of the filter still applied', async (ctx) => {
    tdb = await openTestDatabase();
    const info = await tdb.db.admin().command({ buildInfo: 1 });
    if (!('ferretdbVersion' in info)) ctx.skip();
    const items = tdb.db.collection<{ _id: string | number; status: string; n?: number | string }>('in_probe');
    await items.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, status: i % 2 === 0 ? 'pending' : 'done' })));
    await items.insertOne({ _id: 7, status: 'pending' });
    const plan = async (filter: Record<string, unknown>) => JSON.stringify((await tdb!.db.command({ explain: { find: 'in_probe', filter } })).queryPlanner);
    expect(await plan({ _id: { $in: ['k1', 'k2', 'k3'] } })).toMatch(/USING INDEX \S+__id_/);
    expect(await plan({ _id: { $in: ['k1', 'k2'] }, status: 'pending' })).toMatch(/USING INDEX \S+__id_/);
    // Numbers compare by BSON rules (7 equals 7.0), so they are left to the filter: a scan, still right.
    expect(await plan({ _id: { $in: ['k1', 7] } })).toMatch(/SCAN/);
    const ids = async (filter: Record<string, unknown>) => (await items.find(filter).toArray()).map((d) => d._id).sort();
    expect(await ids({ _id: { $in: ['k1', 'k2', 'k3', 'absent'] } })).toEqual(['k1', 'k2', 'k3']);
    expect(await ids({ _id: { $in: ['k1', 'k2', 'k3'] }, status: 'pending' })).toEqual(['k2']);
    expect(await ids({ _id: { $in: ['k1', 7.0] } })).toEqual([7, 'k1']);
    expect(await ids({ _id: { $in: [] } })).toEqual([]);
    expect(await ids({ _id: { $in: ['k1', 'k2'], $ne: 'k1' } })).toEqual(['k2']);
    const res = await items.updateMany({ _id: { $in: ['k4', 'k5', 'k6'] }, status: 'pending' }, { $set: { status: 'claimed' } });
    expect(res).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    expect(await ids({ status: 'claimed' })).toEqual(['k4', 'k6']);
    expect((await items.deleteMany({ _id: { $in: ['k4', 'k5'] } })).deletedCount).toBe(2);
    expect(await items.countDocuments({})).toBe(49);
  });

  it('writes every document a multi-update modifies, past one transaction of 1,000, and stops at an error as MongoDB does', async () => {
    tdb = await openTestDatabase();
    const items = tdb.db.collection<{ _id: string; n: number | string }>('batch_probe');
    const inc = { $inc: { n: 1 } } as unknown as UpdateFilter<{ _id: string; n: number | string }>;
    await items.insertMany(Array.from({ length: 2_500 }, (_, i) => ({ _id: `k${String(i).padStart(4, '0')}`, n: i })));
    const res = await items.updateMany({}, inc);
    expect(res).toMatchObject({ matchedCount: 2_500, modifiedCount: 2_500 });
    const sum = await items.aggregate<{ s: number }>([{ $group: { _id: null, s: { $sum: '$n' } } }]).toArray();
    expect(sum[0]!.s).toBe((2_500 * 2_499) / 2 + 2_500);
    // One document that $inc cannot apply to: the statement fails (TypeMismatch, code 14); the
    // documents left untouched and the ones written are each whole, and the server goes on.
    await items.updateOne({ _id: 'k1200' }, { $set: { n: 'text' } });
    await expect(items.updateMany({}, inc)).rejects.toMatchObject({ code: 14 });
    const after = await items.find({ _id: { $ne: 'k1200' } }).toArray();
    const bumped = after.filter((d) => d.n === Number(d._id.slice(1)) + 2).length;
    const kept = after.filter((d) => d.n === Number(d._id.slice(1)) + 1).length;
    expect(bumped + kept).toBe(2_499);
    expect(await items.findOne({ _id: 'k1200' })).toMatchObject({ n: 'text' });
  });
});
