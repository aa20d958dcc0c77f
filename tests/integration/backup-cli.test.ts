import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

const BIN = path.resolve('bin/phoenix-re.js');
let tdb: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  tdb = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-backup-cli-'));
  await tdb.db.collection('raw_properties').insertOne({ _id: 'maricopa_api:509-11-455' as never, source: 'maricopa_api', source_id: '509-11-455', data: { address: '1 W ELM ST' } });
});
afterAll(async () => {
  await tdb.client.db(`${tdb.db.databaseName}_cli`).dropDatabase();
  await tdb.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir },
    timeout: 60_000,
  });
}

describe('phoenix-re backup and restore', () => {
  it('backs up into the data folder by default and restores into another database', () => {
    const backup = cli(['backup']);
    expect(backup.status, backup.stderr).toBe(0);
    const match = /backed up to (\S+)$/m.exec(backup.stdout);
    expect(match, backup.stdout).not.toBeNull();
    const out = match![1]!;
    expect(path.dirname(out)).toBe(path.join(dataDir, 'backups'));
    expect(fs.existsSync(path.join(out, tdb.db.databaseName, 'raw_properties.bson.gz'))).toBe(true);

    const restore = cli(['restore', out, '--db', `${tdb.db.databaseName}_cli`]);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/succeeded: \d+ documents in \d+ collections restored from .* into .*_cli$/m);

    const again = cli(['restore', out, '--db', `${tdb.db.databaseName}_cli`]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already holds documents in');
  }, 180_000);

  it('refuses a folder that holds no backup and a database name with a slash', () => {
    const empty = cli(['restore', dataDir, '--db', 'x']);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain(`${dataDir} holds no backup: expected <database>/<collection>.bson.gz`);
    const bad = cli(['restore', dataDir, '--db', 'a/b']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('expected a database name');
  }, 60_000);
});
