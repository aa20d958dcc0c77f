import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { BSON } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXACT_BSON } from '../../src/main/db/dump/dump-database.js';
import type { Run } from '../../src/shared/schemas/run.js';
import { manualClock } from '../support/clock.js';
import { fingerprint } from '../support/fingerprint.js';
import { openTestCore, type TestCore } from '../support/core.js';

const SECRETS = {
  OPENAI_API_KEY: 'sk-backup-test-key',
  MARICOPA_API_TOKEN: 'maricopa-backup-test-token-9876543210',
  WEBSHARE_API_TOKEN: 'webshare-backup-test-token-5555555555',
  TWOCAPTCHA_API_KEY: 'twocaptcha-backup-test-key-4444444444',
};

/** MongoDB Database Tools' mongorestore (`MONGORESTORE`, else on PATH); its test skips without it. */
const MONGORESTORE = process.env.MONGORESTORE ?? (spawnSync('mongorestore', ['--version']).error ? undefined : 'mongorestore');
if (!MONGORESTORE) console.warn('backup-restore: mongorestore not installed (MongoDB Database Tools, or MONGORESTORE=path); its compatibility test is skipped');

let t: TestCore;
let tmp: string;
const restored: string[] = [];
const clock = manualClock('2026-11-01T10:00:00Z');

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-backup-'));
  t = await openTestCore({ env: { ...SECRETS, BACKUP_DIR: path.join(tmp, 'managed'), BACKUP_KEEP: '2' }, clock: clock.clock });
  const { repos, api } = t.core;
  await repos.raw.upsertMany([
    { source: 'maricopa_api', source_id: '509-11-455', data: { address: '1 W ELM ST PHOENIX 85031', sale_price: 200_000, full_cash_value: 187_500.5 }, original: { raw: 'payload' } },
    { source: 'phoenix_mls', source_id: '6937912', data: { address: '5219 W EL CAMINITO Drive, Glendale, AZ 85302', list_price: 350_000, bedrooms: 3 }, original: {} },
  ]);
  await repos.queue.enqueue('maricopa_api:509-11-455');
  await repos.dailyStats.increment('2026-11-01', 'maricopa_api', { api_requests: 7, api_errors: 1, captcha_usd: 0.0123 });
  await api['settings.update']({ values: { QUALITY_REVIEW_THRESHOLD: '0.7' } });
  // The BSON types the documents may carry (FerretDB 1.24 has no Decimal128), to be restored as they were.
  await t.tdb.db.collection('type_probe').insertMany([
    {
      _id: 'types' as never,
      int: new BSON.Int32(7),
      double: new BSON.Double(1),
      long: BSON.Long.fromString('9007199254740993'),
      date: new Date('2026-11-01T10:00:00Z'),
      binary: new BSON.Binary(randomBytes(16)),
      oid: new BSON.ObjectId(),
      nested: { list: [1, 'two', null, { three: true }], empty: [] },
      text: 'Ünïcödé 🏠',
      nothing: null,
    },
    ...Array.from({ length: 1200 }, (_, i) => ({ _id: `bulk-${String(i).padStart(4, '0')}` as never, i, blob: randomBytes(64).toString('hex') })),
  ]);
  await t.tdb.db.collection('type_probe').createIndex({ i: 1 }, { name: 'i_1' });
  // The list's write mark goes out up to a second after a write: let it land before the backup,
  // so the copy and the source are compared at rest.
  await t.core.propertyIndex.flush();
});

afterAll(async () => {
  for (const name of restored) await t.tdb.client.db(name).dropDatabase().catch(() => undefined);
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function gunzipAll(dir: string): string {
  let text = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = fs.readFileSync(file);
    text += (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('latin1');
  }
  return text;
}

describe('backup and restore', () => {
  const out = () => path.join(tmp, 'b1');

  it("writes mongodump's --gzip layout with canonical Extended JSON metadata", async () => {
    const { run, done } = await t.core.backup.backup({ trigger: 'manual', out: out() });
    expect(run).toMatchObject({ kind: 'maintenance', status: 'running', params: { task: 'backup' } });
    const finished = await done;
    expect(finished.status, finished.message ?? '').toBe('succeeded');
    expect(finished.counters.documents).toBeGreaterThan(1200);

    const dbDir = path.join(out(), t.tdb.db.databaseName);
    const files = fs.readdirSync(dbDir).sort();
    expect(files).toContain('raw_properties.bson.gz');
    expect(files).toContain('raw_properties.metadata.json.gz');
    expect(files).toContain('type_probe.bson.gz');
    expect(files.every((f) => f.endsWith('.bson.gz') || f.endsWith('.metadata.json.gz'))).toBe(true);
    const metaText = zlib.gunzipSync(fs.readFileSync(path.join(dbDir, 'type_probe.metadata.json.gz'))).toString('utf8');
    const meta = JSON.parse(metaText) as { indexes: { v: unknown; key: unknown; name: string }[]; collectionName: string; type: string; uuid?: string };
    expect(Object.keys(meta)).toEqual(expect.arrayContaining(['indexes', 'collectionName', 'type']));
    expect(meta.collectionName).toBe('type_probe');
    expect(meta.type).toBe('collection');
    expect(meta.indexes.map((i) => i.name).sort()).toEqual(['_id_', 'i_1']);
    expect(meta.indexes.find((i) => i.name === 'i_1')!.key).toEqual({ i: { $numberInt: '1' } });
    if (meta.uuid !== undefined) expect(meta.uuid).toMatch(/^[0-9a-f]{32}$/);

    // The first document of the BSON file is a whole BSON document.
    const bson = zlib.gunzipSync(fs.readFileSync(path.join(dbDir, 'type_probe.bson.gz')));
    const first = BSON.deserialize(bson.subarray(0, bson.readInt32LE(0)));
    expect(first).toHaveProperty('_id');
  });

  it('holds none of the configured secrets', () => {
    const text = gunzipAll(out());
    expect(text).toContain('1 W ELM ST PHOENIX 85031');
    for (const [name, value] of Object.entries(SECRETS)) expect(text.includes(value), name).toBe(false);
  });

  it('restores into a new database with the same counts, content hashes and indexes', async () => {
    const target = `${t.tdb.db.databaseName}_r`;
    restored.push(target);
    const before = await fingerprint(t.tdb.db);
    const { done } = await t.core.backup.restore({ trigger: 'manual', dir: out(), database: target });
    const finished = await done;
    expect(finished.status, finished.message ?? '').toBe('succeeded');
    expect(finished.params).toMatchObject({ task: 'restore', database: target });
    const after = await fingerprint(t.tdb.client.db(target));
    // The restore's own run record is in the source database, not in the copy.
    const { runs: beforeRuns, ...beforeRest } = before;
    const { runs: afterRuns, ...afterRest } = after;
    expect(afterRest).toEqual(beforeRest);
    expect(afterRuns!.count).toBe(beforeRuns!.count - 1);
    expect(after['type_probe']!.count).toBe(1201);
    const probe = await t.tdb.client.db(target).collection('type_probe').findOne({ _id: 'types' as never }, EXACT_BSON);
    expect(probe!['int']).toBeInstanceOf(BSON.Int32);
    expect(probe!['double']).toBeInstanceOf(BSON.Double);
    expect(probe!['long']).toBeInstanceOf(BSON.Long);
    expect(String(probe!['long'])).toBe('9007199254740993');
  });

  it('refuses to restore over documents without --drop, and replaces them with it', async () => {
    const target = `${t.tdb.db.databaseName}_r`;
    const refused = await (await t.core.backup.restore({ trigger: 'manual', dir: out(), database: target })).done;
    expect(refused.status).toBe('failed');
    expect(refused.message).toMatch(/already holds documents in .*raw_properties.*--drop/);
    const replaced = await (await t.core.backup.restore({ trigger: 'manual', dir: out(), database: target, drop: true })).done;
    expect(replaced.status, replaced.message ?? '').toBe('succeeded');
    expect(await t.tdb.client.db(target).collection('type_probe').countDocuments({})).toBe(1201);
  });

  it("is read by MongoDB's own mongorestore --gzip", { skip: !MONGORESTORE }, async () => {
    const target = `${t.tdb.db.databaseName}_m`;
    restored.push(target);
    const source = t.tdb.db.databaseName;
    // FerretDB 1.24 refuses the `ns` option mongorestore adds to every index it creates (MongoDB
    // ignores it): there the documents are restored by mongorestore and the indexes compared apart.
    const ferret = 'ferretdbVersion' in (await t.tdb.db.admin().command({ buildInfo: 1 }));
    const serverUri = t.tdb.uri.replace(/^(mongodb:\/\/[^/]+)\/[^?]*/, '$1/');
    const args = ['--uri', serverUri, '--gzip', `--nsFrom=${source}.*`, `--nsTo=${target}.*`, ...(ferret ? ['--noIndexRestore'] : []), out()];
    const res = spawnSync(MONGORESTORE!, args, { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/[1-9]\d* document\(s\) restored successfully\. 0 document\(s\) failed to restore\./);
    // Compared with our own restore of the same backup (the source has moved on since).
    const before = await fingerprint(t.tdb.client.db(`${source}_r`));
    const after = await fingerprint(t.tdb.client.db(target));
    const withoutIndexes = (f: typeof before) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, { count: v.count, sha256: v.sha256 }]));
    if (ferret) expect(withoutIndexes(after)).toEqual(withoutIndexes(before));
    else expect(after).toEqual(before);
  });

  it('restores over the console\'s own database with --drop, keeping its own run record', async () => {
    const { done, run } = await t.core.backup.restore({ trigger: 'manual', dir: out(), drop: true });
    const finished = await done;
    expect(finished.status, finished.message ?? '').toBe('succeeded');
    expect(await t.core.repos.runs.get(run._id)).toMatchObject({ status: 'succeeded', params: { task: 'restore' } });
    expect(await t.tdb.db.collection('type_probe').countDocuments({})).toBe(1201);
  });

  it('says which file is broken when a backup is truncated', async () => {
    const broken = path.join(tmp, 'broken');
    fs.cpSync(out(), broken, { recursive: true });
    const file = path.join(broken, t.tdb.db.databaseName, 'type_probe.bson.gz');
    const bson = zlib.gunzipSync(fs.readFileSync(file));
    fs.writeFileSync(file, zlib.gzipSync(bson.subarray(0, bson.length - 10)));
    const target = `${t.tdb.db.databaseName}_b`;
    restored.push(target);
    const run = await (await t.core.backup.restore({ trigger: 'manual', dir: broken, database: target })).done;
    expect(run.status).toBe('failed');
    expect(run.message).toContain(`${file}: ends inside a document`);
  });

  it('cancels a backup part-way and keeps nothing of it', async () => {
    const controller = new AbortController();
    const cancelled = path.join(tmp, 'cancelled');
    const { done } = await t.core.backup.backup({
      trigger: 'cli',
      out: cancelled,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.documents > 0) controller.abort(new Error('stopped'));
      },
    });
    const run = await done;
    expect(run.status).toBe('cancelled');
    expect(run.message).toMatch(/^Backup cancelled/);
    expect(fs.existsSync(cancelled)).toBe(false);
    expect(fs.existsSync(`${cancelled}.partial`)).toBe(false);
  });

  it('runs monthly from the schedule into BACKUP_DIR, keeping the last BACKUP_KEEP', async () => {
    const listed = await t.core.scheduler.list();
    expect(listed.find((j) => j.id === 'backup-monthly')).toMatchObject({ cron: '0 3 1 * *', work: { kind: 'backup' }, enabled: true });
    // What a backup killed mid-way leaves: removed once untouched for a day.
    const managed = path.join(tmp, 'managed');
    const abandoned = path.join(managed, 'phoenix-re-2026-10-01T10-00-00Z.partial');
    fs.mkdirSync(path.join(abandoned, 'db'), { recursive: true });
    fs.utimesSync(abandoned, new Date('2026-10-01T10:00:00Z'), new Date('2026-10-01T10:00:00Z'));
    const made: string[] = [];
    let last: Run | undefined;
    for (let i = 0; i < 3; i++) {
      clock.advance(31 * 86_400_000);
      const result = await t.core.scheduler.runNow('backup-monthly');
      expect(result.outcome).toBe('started');
      const run = await (result as Extract<typeof result, { outcome: 'started' }>).done;
      expect(run).toMatchObject({ kind: 'maintenance', status: 'succeeded', params: { task: 'backup' } });
      expect((await t.core.repos.schedules.state('backup-monthly')).last_run).toMatchObject({ run_id: run._id, status: 'succeeded' });
      made.push(String(run.params['out']));
      last = run;
    }
    expect(t.core.backup.list()).toEqual([made[2], made[1]]);
    expect(fs.existsSync(made[0]!)).toBe(false);
    expect(fs.existsSync(abandoned)).toBe(false);
    expect(last?.message).toMatch(/deleted 1 older backup \(keeping 2\)$/);
  });
});
