import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { collectionsOf } from '../../src/main/db/collections.js';
import { connectDatabase, type DatabaseConnection } from '../../src/main/db/connection.js';
import { DiskFullError } from '../../src/main/db/disk-full.js';
import { DiskReserve } from '../../src/main/db/disk-reserve.js';
import { ensureSchema } from '../../src/main/db/indexes.js';
import { RunRepository } from '../../src/main/db/repositories/runs.js';
import { startLocalServer, type LocalServer } from '../../src/main/db/local-server.js';
import { armlsCsv, armlsFixture, armlsRows } from '../support/armls.js';
import { loadParcelFixtures } from '../support/fixtures.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';

/**
 * A full disk, made without privileges: our FerretDB build runs SQLite's `max_page_count(N)` on
 * every connection (`-sqlite-pragma`, tools/ferretdb/main.go), and SQLite refuses a write past N
 * pages with SQLITE_FULL (13, "database or disk is full"), its answer on a full disk. The pragma
 * holds per connection, so restarting the server without it is "space freed".
 *
 * PAGES (4 KB each) holds the schema and a few hundred of the ROWS rows, so the import fills it part way.
 * HEADROOM is what a database filled before gets beyond its size: the disk reserve (64 pages)
 * and a little, so the work started on it fills the disk part way.
 */
const PAGES = 2_500;
const HEADROOM = 100;
const ROWS = 3_000;
const DB_NAME = 'phoenix_real_estate';
const BIN = path.resolve('bin/phoenix-re.js');

/** What a plain message never shows: SQLite's own text, Go source frames, FerretDB's code name. */
const RAW_TEXT = /\(13\)|database or disk is full|\.go:\d+|InternalError|sqlite\./i;

let dataDir: string;
let server: LocalServer | undefined;
let connection: DatabaseConnection | undefined;

afterEach(async () => {
  await connection?.close();
  await server?.stop();
  connection = undefined;
  server = undefined;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/**
 * A server on `dataDir`, its database capped at `cap` pages: PAGES, HEADROOM pages beyond its
 * size ('headroom'), or none (space freed).
 */
async function startServer(cap: 'pages' | 'headroom' | 'none'): Promise<Db> {
  await connection?.close();
  await server?.stop();
  // Stopped, the server has written its WAL back: the file's size is the database's.
  const file = path.join(dataDir, 'server', 'ferretdb', `${DB_NAME}.sqlite`);
  const pages = cap === 'pages' ? PAGES : cap === 'headroom' ? Math.ceil(fs.statSync(file).size / 4096) + HEADROOM : null;
  server = await startLocalServer({ dataDir: path.join(dataDir, 'server'), dbName: DB_NAME, sqlitePragmas: pages === null ? [] : [`max_page_count(${pages})`] });
  connection = await connectDatabase(server.uri);
  return connection.db;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dataDir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: server!.uri, PHOENIX_DATA_DIR: dataDir, ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (status) => resolve({ status, out }));
  });
}

/** An ARMLS export of ROWS distinct listings. */
function exportFile(rows = ROWS, change?: (row: string[], header: string[]) => void): string {
  const { header, row } = armlsFixture();
  const file = path.join(dataDir, `export-${rows}${change ? '-changed' : ''}.csv`);
  const rowsOut = armlsRows(rows, header, row);
  for (const r of rowsOut) change?.(r, header);
  fs.writeFileSync(file, armlsCsv(header, rowsOut));
  return file;
}

/** The run's record says the disk is full, where, and what to do, in plain words. */
function expectPlainDiskFull(text: string, where = `database ${DB_NAME} at mongodb://127.0.0.1:`): void {
  expect(text).toContain("The database's disk is full");
  expect(text).toContain(where);
  expect(text).toContain('Free space on that disk, then run the command again');
  expect(text).not.toMatch(RAW_TEXT);
}

/** Every stored record has a queue item; nothing is claimed; no run is left running. */
async function expectConsistent(db: Db): Promise<void> {
  const raw = (await db.collection('raw_properties').find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id));
  const queued = new Set((await db.collection('processing_queue').find({}, { projection: { _id: 1 } }).toArray()).map((d) => String(d._id)));
  expect(raw.filter((id) => !queued.has(id))).toEqual([]);
  expect(await db.collection('processing_queue').countDocuments({ status: 'processing' })).toBe(0);
  expect(await db.collection('runs').countDocuments({ status: 'running' })).toBe(0);
}

describe('a full disk', () => {
  it('ends an ARMLS import failed with a plain message; after space is freed the re-run stores and queues every row', { timeout: 240_000 }, async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-full-disk-'));
    let db = await startServer('pages');
    const file = exportFile();

    const full = await cli(['import', 'armls', file]);
    expect(full.status, full.out).toBe(1);
    expectPlainDiskFull(full.out);
    const [run] = await db.collection('runs').find({ kind: 'import' }).toArray();
    expect(run).toMatchObject({ status: 'failed' });
    expectPlainDiskFull(run!.message as string);
    for (const e of run!.errors as { message: string }[]) expect(e.message).not.toMatch(RAW_TEXT);
    const stored = await db.collection('raw_properties').countDocuments();
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(ROWS);
    expect(await db.collection('runs').countDocuments({ status: 'running' })).toBe(0);

    db = await startServer('none');
    const again = await cli(['import', 'armls', file]);
    expect(again.status, again.out).toBe(0);
    expect(await db.collection('raw_properties').countDocuments()).toBe(ROWS);
    expect(await db.collection('processing_queue').countDocuments({ status: 'pending' })).toBe(ROWS);
    await expectConsistent(db);
  });

  it('ends a Maricopa sync failed at the first parcel it cannot store, not once per parcel', { timeout: 240_000 }, async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-full-disk-'));
    await startServer('none');
    expect((await cli(['import', 'armls', exportFile(400)])).status).toBe(0);
    let db = await startServer('headroom');
    const sim = await new MaricopaSimulator().start();
    try {
      const env = { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' };
      const apns = [...loadParcelFixtures().keys()];
      const full = await cli(['sync', '--source', 'maricopa', ...apns.flatMap((apn) => ['--apn', apn])], env);
      expect(full.status, full.out).toBe(1);
      expectPlainDiskFull(full.out);
      const [run] = await db.collection('runs').find({ kind: 'sync' }).toArray();
      expect(run).toMatchObject({ status: 'failed' });
      expectPlainDiskFull(run!.message as string);
      expect(run!.errors_count as number).toBeLessThanOrEqual(1);
      expect(run!.counters.failed ?? 0).toBe(0);

      db = await startServer('none');
      const again = await cli(['sync', '--source', 'maricopa', ...apns.flatMap((apn) => ['--apn', apn])], env);
      expect(again.status, again.out).toBe(0);
      expect(await db.collection('raw_properties').countDocuments({ source: 'maricopa_api' })).toBe(apns.length);
      await expectConsistent(db);
    } finally {
      await sim.stop();
    }
  });

  it('ends a processing run failed with its claims handed back and no item failed or retried for it', { timeout: 240_000 }, async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-full-disk-'));
    await startServer('none');
    expect((await cli(['import', 'armls', exportFile(400)])).status).toBe(0);
    const db = await startServer('headroom');

    const full = await cli(['process', '--batch-size', '400']);
    expect(full.status, full.out).toBe(1);
    expectPlainDiskFull(full.out);
    const [run] = await db.collection('runs').find({ kind: 'process' }).toArray();
    expect(run).toMatchObject({ status: 'failed' });
    expectPlainDiskFull(run!.message as string);
    expect(await db.collection('processing_queue').countDocuments({ status: 'processing' })).toBe(0);
    expect(await db.collection('processing_queue').countDocuments({ status: { $in: ['failed', 'review'] } })).toBe(0);
    expect(await db.collection('processing_queue').countDocuments({ attempts: { $gt: 0 }, status: 'pending' })).toBe(0);
    expect(await db.collection('runs').countDocuments({ status: 'running' })).toBe(0);
  });

  it('queues again, once space is freed, the changed rows an import stored but could not queue', { timeout: 240_000 }, async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-full-disk-'));
    await startServer('none');
    expect((await cli(['import', 'armls', exportFile(400)])).status).toBe(0);
    const processed = await cli(['process', '--batch-size', '400']);
    expect(processed.status, processed.out).toBe(0);
    // The next export: every listing's remarks rewritten (longer), so every row is a change to process.
    const changed = exportFile(400, (r, header) => {
      const at = header.indexOf('Public Remarks');
      r[at] = `${r[at]} Updated: ${'new paint, new roof, new appliances; '.repeat(40)}`;
    });
    await startServer('headroom');
    const full = await cli(['import', 'armls', changed]);
    expect(full.status, full.out).toBe(1);
    expectPlainDiskFull(full.out);

    const db = await startServer('none');
    const again = await cli(['import', 'armls', changed]);
    expect(again.status, again.out).toBe(0);
    // Every changed row waits to be processed again, those the failed import stored included.
    expect(await db.collection('raw_properties').countDocuments({ 'data.description': /Updated:/ })).toBe(400);
    expect(await db.collection('processing_queue').countDocuments({ status: 'pending' })).toBe(400);
    await expectConsistent(db);
  });

  it('keeps room for a run to record its end on a disk too full for one more page', { timeout: 120_000 }, async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-full-disk-'));
    await ensureSchema(await startServer('none'));
    const db = await startServer('headroom');
    const collections = collectionsOf(db);
    const reserve = new DiskReserve(collections.diskReserve);
    expect(await reserve.keep(new Date())).toBe(true);
    const runs = new RunRepository(collections.runs, () => new Date(), 'test:1', reserve);
    const run = await runs.start({ kind: 'import', trigger: 'cli' });
    // Fill every page: big documents, then ever smaller ones, the last into the runs' own pages.
    const fill = async (collection: 'apiCache' | 'runs', bytes: number) => {
      for (let i = 0; ; i += 1) {
        const doc = { _id: `fill-${bytes}-${i}`, pad: 'x'.repeat(bytes) };
        const error = await (collections[collection] as unknown as { insertOne(d: object): Promise<unknown> }).insertOne(doc).then(() => null, (e: unknown) => e);
        if (error) return expect(error).toBeInstanceOf(DiskFullError);
      }
    };
    for (const bytes of [16_384, 2_048, 256]) await fill('apiCache', bytes);
    for (const bytes of [2_048, 256, 16]) await fill('runs', bytes);
    const message = 'x'.repeat(2_000);
    // Without the reserve the end cannot be written: the run would stay "running".
    await expect(new RunRepository(collections.runs, () => new Date(), 'test:1').finish(run._id, 'failed', message)).rejects.toBeInstanceOf(DiskFullError);
    const ended = await runs.finish(run._id, 'failed', message, { counters: { fetched: 3 } });
    expect(ended).toMatchObject({ status: 'failed', message, counters: { fetched: 3 } });
    expect(await collections.diskReserve.countDocuments()).toBe(0);

    // Space freed: the next start makes the reserve again.
    const freed = collectionsOf(await startServer('none'));
    expect(await new DiskReserve(freed.diskReserve).keep(new Date())).toBe(true);
    expect(await freed.diskReserve.countDocuments()).toBe(1);
  });
});
