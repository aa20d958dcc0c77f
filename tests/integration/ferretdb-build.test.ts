import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

let tdb: TestDatabase | undefined;
afterEach(async () => {
  await tdb?.close();
  tdb = undefined;
});

/**
 * Our FerretDB build (tools/ferretdb/sqlite-id-index.patch) looks documents up by `_id`
 * through the `_id_` index, also when other conditions sit beside `_id`, as every guarded
 * queue transition is written. Upstream 1.24.2 answers these with a full table scan.
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
});
