import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { BSON, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE } from '../../src/main/db/dump/dump-files.js';
import type { Run } from '../../src/shared/schemas/run.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { fingerprint, type CollectionFingerprint } from '../support/fingerprint.js';

// Issue #24: a damaged backup emptied the collections it was restored over ("unexpected end of
// file", no file named) and left half a database in an empty one.

let t: TestCore;
let tmp: string;
let good: string;
let populated: Db;
let empty: Db;
let before: { own: Record<string, CollectionFingerprint>; populated: Record<string, CollectionFingerprint> };
/** The restore runs of these tests, left out of the console's own `runs` when it is compared. */
const restoreRuns: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-torn-'));
  t = await openTestCore({ env: { BACKUP_DIR: path.join(tmp, 'managed') } });
  const { repos } = t.core;
  await repos.raw.upsertMany(
    Array.from({ length: 600 }, (_, i) => ({
      source: 'maricopa_api' as const,
      source_id: `509-11-${String(i).padStart(3, '0')}`,
      data: { address: `${i + 1} W ELM ST PHOENIX 85031`, sale_price: 200_000 + i },
      original: { raw: `payload ${i}`, padding: 'x'.repeat(200) },
    })),
  );
  for (let i = 0; i < 30; i++) await repos.queue.enqueue(`maricopa_api:509-11-${String(i).padStart(3, '0')}`);
  await repos.dailyStats.increment('2026-11-01', 'maricopa_api', { api_requests: 600, api_errors: 2 });
  await t.core.propertyIndex.flush();
  good = path.join(tmp, 'good');
  const backup = await (await t.core.backup.backup({ trigger: 'manual', out: good })).done;
  expect(backup.status, backup.message ?? '').toBe('succeeded');

  // Another database holding data that is not the backup's (restored, then changed), and one with nothing.
  populated = t.tdb.client.db(`${t.tdb.db.databaseName}_pop`);
  const seeded = await (await t.core.backup.restore({ trigger: 'manual', dir: good, database: populated.databaseName })).done;
  expect(seeded.status, seeded.message ?? '').toBe('succeeded');
  await populated.collection('raw_originals').deleteMany({ _id: { $in: ['maricopa_api:509-11-000', 'maricopa_api:509-11-001'] } as never });
  await populated.collection('raw_properties').insertOne({ _id: 'phoenix_mls:1' as never, source: 'phoenix_mls', source_id: '1', data: {} });
  await populated.collection('analyst_only').insertOne({ _id: 'kept' as never, note: 'not in the backup' });
  empty = t.tdb.client.db(`${t.tdb.db.databaseName}_empty`);
  before = { own: await fingerprint(t.tdb.db, { collection: 'runs', ids: restoreRuns }), populated: await fingerprint(populated) };
}, 120_000);

afterAll(async () => {
  await populated?.dropDatabase().catch(() => undefined);
  await empty?.dropDatabase().catch(() => undefined);
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every file of the good backup, relative to it. */
function backupFiles(): string[] {
  return fs
    .readdirSync(good, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(good, path.join(e.parentPath, e.name)))
    .sort();
}

let copies = 0;
/** A copy of the good backup, and the path of its `file`. */
function copyOfGood(file: string): { dir: string; file: string } {
  const dir = path.join(tmp, `copy-${++copies}`);
  fs.cpSync(good, dir, { recursive: true });
  return { dir, file: path.join(dir, file) };
}

/** A copy of the good backup with `file` cut in half, or with one bit of its middle byte flipped. */
function damaged(file: string, how: 'cut' | 'flipped'): { dir: string; file: string } {
  const { dir, file: target } = copyOfGood(file);
  const bytes = fs.readFileSync(target);
  if (how === 'cut') fs.writeFileSync(target, bytes.subarray(0, Math.floor(bytes.length / 2)));
  else {
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    fs.writeFileSync(target, bytes);
  }
  return { dir, file: target };
}

async function restore(dir: string, into: Db | null, drop: boolean): Promise<Run> {
  const { run, done } = await t.core.backup.restore({ trigger: 'manual', dir, drop, ...(into && { database: into.databaseName }) });
  restoreRuns.push(run._id);
  return done;
}

async function expectUnchanged(): Promise<void> {
  expect(await fingerprint(populated)).toEqual(before.populated);
  expect(await fingerprint(empty)).toEqual({});
  expect(await fingerprint(t.tdb.db, { collection: 'runs', ids: restoreRuns })).toEqual(before.own);
}

describe('a restore from a damaged backup changes nothing', () => {
  it('the backup has the files these tests damage, each in turn', () => {
    const files = backupFiles();
    expect(files).toContain(MANIFEST_FILE);
    expect(files).toContain(path.join(t.tdb.db.databaseName, 'raw_originals.bson.gz'));
    expect(files.filter((f) => f.endsWith('.metadata.json.gz')).length).toBe(files.filter((f) => f.endsWith('.bson.gz')).length);
    expect(files.length).toBeGreaterThan(10);
  });

  for (const how of ['cut', 'flipped'] as const) {
    it(`with each file ${how === 'cut' ? 'cut in half' : 'with a bit flipped'}: into a populated, an empty and the console's own database, with and without --drop`, async () => {
      for (const file of backupFiles()) {
        const torn = damaged(file, how);
        for (const [into, drop] of [[populated, true], [populated, false], [empty, true], [empty, false], [null, true]] as const) {
          const run = await restore(torn.dir, into, drop);
          const where = `${file} ${how}, into ${into?.databaseName ?? 'its own database'}${drop ? ' with --drop' : ''}`;
          expect(run.status, where).toBe('failed');
          expect(run.message, where).toContain(torn.file);
          expect(run.message, where).toMatch(/^Restore failed: /);
        }
        await expectUnchanged();
        fs.rmSync(torn.dir, { recursive: true });
      }
    }, 600_000);
  }

  it("the issue's case: raw_originals.bson.gz cut in half, restored with --drop over the console's own database", async () => {
    const torn = damaged(path.join(t.tdb.db.databaseName, 'raw_originals.bson.gz'), 'cut');
    const run = await restore(torn.dir, null, true);
    expect(run.status).toBe('failed');
    expect(run.message).toMatch(new RegExp(`^Restore failed: ${torn.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot be read after byte \\d+ of its documents \\(unexpected end of file\\)`));
    expect(await t.tdb.db.collection('raw_originals').countDocuments({})).toBe(600);
    await expectUnchanged();
  });

  it('refuses a file whose documents were changed but still gzip whole (the checksum), and a file left out or added', async () => {
    const changed = copyOfGood(path.join(t.tdb.db.databaseName, 'raw_properties.bson.gz'));
    const bson = zlib.gunzipSync(fs.readFileSync(path.join(good, t.tdb.db.databaseName, 'raw_properties.bson.gz')));
    const first = BSON.deserialize(bson.subarray(0, bson.readInt32LE(0)));
    const altered = Buffer.concat([BSON.serialize({ ...first, data: { address: 'ALTERED' } }), bson.subarray(bson.readInt32LE(0))]);
    fs.writeFileSync(changed.file, zlib.gzipSync(altered));
    const run = await restore(changed.dir, populated, true);
    expect(run.message).toContain(`${changed.file} does not match its checksum in ${path.join(changed.dir, MANIFEST_FILE)}`);

    const missing = copyOfGood(path.join(t.tdb.db.databaseName, 'daily_stats.metadata.json.gz'));
    fs.rmSync(missing.file);
    expect((await restore(missing.dir, empty, true)).message).toContain(`${missing.file} is missing: the backup is incomplete`);

    const removed = copyOfGood(path.join(t.tdb.db.databaseName, 'daily_stats.bson.gz'));
    fs.rmSync(removed.file);
    expect((await restore(removed.dir, empty, true)).message).toMatch(/lists daily_stats, but daily_stats\.bson\.gz is missing/);

    const added = copyOfGood(MANIFEST_FILE);
    const extra = path.join(added.dir, t.tdb.db.databaseName, 'extra.bson.gz');
    fs.writeFileSync(extra, zlib.gzipSync(Buffer.alloc(0)));
    expect((await restore(added.dir, empty, true)).message).toContain(`${extra} is not listed in ${path.join(added.dir, MANIFEST_FILE)}`);
    await expectUnchanged();
  });

  it('refuses, by name and without reading it, a document or a metadata file beyond its bound', async () => {
    const huge = copyOfGood(path.join(t.tdb.db.databaseName, 'settings.bson.gz'));
    // A document that says it holds 300 MB: refused from its length, not read.
    const header = Buffer.alloc(4);
    header.writeInt32LE(300 * 1024 * 1024);
    fs.writeFileSync(huge.file, zlib.gzipSync(Buffer.concat([header, Buffer.alloc(1024)])));
    const run = await restore(huge.dir, populated, true);
    expect(run.message).toContain(`${huge.file}: the document at byte 0 says it holds ${300 * 1024 * 1024} bytes, beyond the`);

    // A metadata file that unpacks to 64 MiB (it is 64 KB gzipped).
    const bomb = copyOfGood(path.join(t.tdb.db.databaseName, 'settings.metadata.json.gz'));
    fs.writeFileSync(bomb.file, zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)));
    expect((await restore(bomb.dir, populated, true)).message).toContain(`${bomb.file} unpacks to more than the ${16 * 1024 * 1024} bytes collection metadata may: not read.`);

    const manifest = copyOfGood(MANIFEST_FILE);
    fs.writeFileSync(manifest.file, `{"pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    expect((await restore(manifest.dir, populated, true)).message).toContain(`${manifest.file} holds ${2 * 1024 * 1024 + 11} bytes, beyond the ${1024 * 1024} a backup manifest may`);
    await expectUnchanged();
  });

  it('a failure while writing (a duplicate _id in a mongodump folder without our manifest) changes nothing', async () => {
    const dup = copyOfGood(path.join(t.tdb.db.databaseName, 'raw_properties.bson.gz'));
    fs.rmSync(path.join(dup.dir, MANIFEST_FILE));
    const bson = zlib.gunzipSync(fs.readFileSync(path.join(good, t.tdb.db.databaseName, 'raw_properties.bson.gz')));
    const first = bson.subarray(0, bson.readInt32LE(0));
    fs.writeFileSync(dup.file, zlib.gzipSync(Buffer.concat([bson, first])));
    for (const [into, drop] of [[populated, true], [empty, false], [null, true]] as const) {
      const run = await restore(dup.dir, into, drop);
      expect(run.status).toBe('failed');
      expect(run.message).toMatch(new RegExp(`${dup.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: documents \\d+ to 601 could not be written \\(.*duplicate key`));
    }
    await expectUnchanged();
  });

  it('a cancel part-way changes nothing', async () => {
    const controller = new AbortController();
    const { run, done } = await t.core.backup.restore({
      trigger: 'manual',
      dir: good,
      database: populated.databaseName,
      drop: true,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.collection === 'raw_properties') controller.abort(new Error('stopped'));
      },
    });
    restoreRuns.push(run._id);
    const finished = await done;
    expect(finished.status).toBe('cancelled');
    expect(finished.message).toBe(`Restore cancelled (stopped); database ${populated.databaseName} is as it was`);
    await expectUnchanged();
  });

  it('a rename that fails during the swap is undone (FerretDB refuses to rename a collection with a dot in its name)', async (ctx) => {
    if (!('ferretdbVersion' in (await t.tdb.db.admin().command({ buildInfo: 1 })))) ctx.skip();
    const dotted = copyOfGood(path.join(t.tdb.db.databaseName, 'settings.bson.gz'));
    fs.rmSync(path.join(dotted.dir, MANIFEST_FILE));
    // Last in name order: every other collection is swapped in before it fails, then swapped back.
    fs.copyFileSync(dotted.file, path.join(dotted.dir, t.tdb.db.databaseName, 'zz.dotted.bson.gz'));
    const run = await restore(dotted.dir, populated, true);
    expect(run.status).toBe('failed');
    expect(run.message).toMatch(/^Restore failed: The restored collections could not be put in place \(.*\); nothing was changed\.$/);
    await expectUnchanged();
  });

  it('a good backup restores over the populated database with --drop, leaving what the backup does not hold', async () => {
    const run = await restore(good, populated, true);
    expect(run.status, run.message ?? '').toBe('succeeded');
    const after = await fingerprint(populated);
    expect(after['raw_originals']!.count).toBe(600);
    expect(after['raw_properties']!.count).toBe(600);
    expect(after['analyst_only']).toEqual(before.populated['analyst_only']);
    expect(Object.keys(after).filter((name) => name.startsWith('_restore_'))).toEqual([]);
    const { analyst_only: _kept, ...restored } = after;
    const source = await fingerprint(t.tdb.db, { collection: 'runs', ids: restoreRuns });
    const { runs: restoredRuns, ...restoredRest } = restored;
    const { runs: _sourceRuns, ...sourceRest } = source;
    expect(restoredRest).toEqual(sourceRest);
    // No run came before the backup's own, which a backup leaves out.
    expect(restoredRuns!.count).toBe(0);
  });
});
