import { MongoClient, type CommandStartedEvent, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findByIdBatcher, insertBatcher, replaceByIdBatcher, setByIdBatcher } from '../../src/main/db/command-batcher.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

interface Doc {
  _id: string;
  n?: number;
  a?: string;
  b?: string;
}

let tdb: TestDatabase;
let client: MongoClient;
let db: Db;
/** The commands sent, by name and collection, on a client of the test's own with command monitoring. */
let sent: string[] = [];

beforeAll(async () => {
  tdb = await openTestDatabase();
  client = new MongoClient(tdb.uri, { monitorCommands: true });
  client.on('commandStarted', (e: CommandStartedEvent) => sent.push(`${e.commandName} ${String(e.command[e.commandName])}`));
  await client.connect();
  db = client.db();
});
afterAll(async () => {
  await client.close();
  await tdb.close();
});

describe('command batchers', () => {
  it('insert what callers ask together in one command, each learning its own outcome', async () => {
    const c = db.collection<Doc>('batched_inserts');
    await c.insertOne({ _id: 'taken', n: 0 });
    const inserts = insertBatcher(c);
    sent = [];
    const outcomes = await Promise.all([...Array.from({ length: 20 }, (_, i) => inserts.add({ _id: `d${i}`, n: i })), inserts.add({ _id: 'taken', n: 1 })]);
    expect(sent.filter((s) => s.startsWith('insert '))).toEqual(['insert batched_inserts']);
    expect(outcomes.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 'inserted'));
    expect(outcomes[20]).toBe('duplicate');
    expect(await c.countDocuments({})).toBe(21);
    expect(await c.findOne({ _id: 'taken' })).toEqual({ _id: 'taken', n: 0 });
  });

  it('gather what arrives while a command is in flight into the next one, and settle each caller once its write landed', async () => {
    const c = db.collection<Doc>('batched_waves');
    const inserts = insertBatcher(c);
    sent = [];
    const first = inserts.add({ _id: 'w0' });
    // Asked on a later turn, while the first insert is on its way: all go in the second command.
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 10 }, (_, i) => inserts.add({ _id: `w${i + 1}` }));
    await first;
    expect(await c.findOne({ _id: 'w0' })).not.toBeNull();
    await Promise.all(later);
    expect(await c.countDocuments({})).toBe(11);
    expect(sent.filter((s) => s.startsWith('insert '))).toHaveLength(2);
  });

  it('merge the sets of one document in arrival order and write equal sets of many documents as one update', async () => {
    const c = db.collection<Doc>('batched_sets');
    await c.insertMany(Array.from({ length: 6 }, (_, i) => ({ _id: `s${i}`, a: 'old', b: 'old' })));
    const sets = setByIdBatcher(c);
    sent = [];
    await Promise.all([
      ...Array.from({ length: 5 }, (_, i) => sets.add({ _id: `s${i}`, $set: { a: 'processing' } })),
      sets.add({ _id: 's5', $set: { a: 'first', b: 'x' } }),
      sets.add({ _id: 's5', $set: { a: 'second' } }),
      sets.add({ _id: 'missing', $set: { a: 'never' } }),
    ]);
    expect(sent.filter((s) => s.startsWith('update '))).toEqual(['update batched_sets']);
    const docs = await c.find({}).sort({ _id: 1 }).toArray();
    expect(docs).toEqual([
      ...Array.from({ length: 5 }, (_, i) => ({ _id: `s${i}`, a: 'processing', b: 'old' })),
      { _id: 's5', a: 'second', b: 'x' },
    ]);
  });

  it('upsert replacements together, saying which inserted, the later of one id winning', async () => {
    const c = db.collection<Doc>('batched_replaces');
    await c.insertOne({ _id: 'r0', a: 'stored', b: 'gone' });
    const replaces = replaceByIdBatcher(c);
    const outcomes = await Promise.all([replaces.add({ _id: 'r0', a: 'new' }), replaces.add({ _id: 'r1', a: 'one' }), replaces.add({ _id: 'r1', a: 'two' })]);
    expect(outcomes).toEqual(['replaced', 'inserted', 'replaced']);
    expect(await c.find({}).sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'r0', a: 'new' },
      { _id: 'r1', a: 'two' },
    ]);
  });

  it('read the documents callers ask for together in one read, each caller with a document of its own', async () => {
    const c = db.collection<Doc>('batched_reads');
    await c.insertMany([{ _id: 'f0', n: 0 }, { _id: 'f1', n: 1 }]);
    const reads = findByIdBatcher(c);
    sent = [];
    const [a, b, again, none] = await Promise.all([reads.add('f0'), reads.add('f1'), reads.add('f0'), reads.add('nothing')]);
    expect(sent.filter((s) => s.startsWith('find ') || s.startsWith('getMore'))).toEqual(['find batched_reads']);
    expect([a, b, again, none]).toEqual([{ _id: 'f0', n: 0 }, { _id: 'f1', n: 1 }, { _id: 'f0', n: 0 }, null]);
    expect(again).not.toBe(a);
  });

  it('reject every caller of a command that failed as a whole, and send the next batch as usual', async () => {
    const c = db.collection<Doc>('batched_failures');
    await c.insertOne({ _id: 'x', n: 1 });
    const sets = setByIdBatcher(c);
    // `$set` of a field under a number: the server refuses the whole bulk's statement.
    const failing = await Promise.allSettled([sets.add({ _id: 'x', $set: { 'n.deep': 1 } }), sets.add({ _id: 'x', $set: { a: 'with it' } })]);
    expect(failing.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await sets.add({ _id: 'x', $set: { a: 'after' } });
    expect(await c.findOne({ _id: 'x' })).toEqual({ _id: 'x', n: 1, a: 'after' });
  });
});
