import { spawn } from 'node:child_process';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

const CHILD = path.resolve('tests/support/contention-process.ts');
/** Far above what the work takes on a loaded machine; reaching it means the server hung. */
const HUNG_MS = 90_000;

let tdb: TestDatabase | undefined;
afterEach(async () => {
  await tdb?.close();
  tdb = undefined;
});

/** Run tests/support/contention-process.ts; resolves with its stdout, rejects on exit ≠ 0 or a hang. */
function contention(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), HUNG_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(signal ? `writer process killed after ${HUNG_MS} ms (server hung?)` : `writer process exited ${code}: ${err}`));
    });
  });
}

/** The server still answers a read and a write, from a new client, within a few seconds. */
async function answers(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, socketTimeoutMS: 10_000 });
  try {
    const probe = client.db().collection<{ _id: string; at: Date }>('answer_probe');
    await probe.updateOne({ _id: 'probe' }, { $set: { at: new Date() } }, { upsert: true });
    return (await probe.findOne({ _id: 'probe' })) !== null;
  } finally {
    await client.close();
  }
}

/**
 * Updates are atomic across processes and connections, as on MongoDB: our FerretDB build takes
 * one lock per collection around every read-modify-write (tools/ferretdb/atomic-updates.patch).
 * Upstream 1.24.2 keeps about 73 of 800 such `$inc`s, and with about 100 at once stops
 * answering for good (its connection pool deadlocks).
 */
describe('updates from several processes at once', () => {
  it('8 processes × 100 concurrent $inc to one document keep all 800, and the server answers afterwards', async () => {
    tdb = await openTestDatabase();
    await tdb.db.collection<{ _id: string; n: number }>('counters').insertOne({ _id: 'hot', n: 0 });
    await Promise.all(Array.from({ length: 8 }, () => contention([tdb!.uri, 'inc', 'counters', 'hot', '100'])));
    expect(await tdb.db.collection<{ _id: string; n: number }>('counters').findOne({ _id: 'hot' })).toEqual({ _id: 'hot', n: 800 });
    expect(await answers(tdb.uri)).toBe(true);
  }, 180_000);

  it('8 processes claiming 1,000 items by findOneAndUpdate alone claim each exactly once', async () => {
    tdb = await openTestDatabase();
    const items = tdb.db.collection<{ _id: string; status: string }>('claimables');
    await items.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: `item-${String(i).padStart(4, '0')}`, status: 'pending' })));
    const outputs = await Promise.all(Array.from({ length: 8 }, (_, w) => contention([tdb!.uri, 'claim', 'claimables', '4', `w${w}`])));
    const perProcess = outputs.map((o) => JSON.parse(o) as string[]);
    const all = perProcess.flat();
    expect(all).toHaveLength(1000);
    expect(new Set(all).size).toBe(1000);
    // Every process got a share: the claims really ran side by side.
    expect(perProcess.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
    const docs = await items.find({}).toArray();
    expect(docs.filter((d) => (d as { claims?: number }).claims !== 1)).toEqual([]);
    // The worker stored with each item is the process that got it back.
    const owner = new Map(perProcess.flatMap((ids, w) => ids.map((id) => [id, `w${w}`] as const)));
    expect(docs.filter((d) => (d as { worker?: string }).worker !== owner.get(d._id))).toEqual([]);
    expect(await answers(tdb.uri)).toBe(true);
  }, 300_000);

  it('concurrent upserts of one new document from several processes make one document with every $inc', async () => {
    tdb = await openTestDatabase();
    await Promise.all(Array.from({ length: 4 }, () => contention([tdb!.uri, 'upsert', 'fresh_counters', 'new-day', '50'])));
    expect(await tdb.db.collection('fresh_counters').find({}).toArray()).toEqual([{ _id: 'new-day', n: 200 }]);
  }, 180_000);
});
