import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { connectDatabase } from '../../src/main/db/connection.js';
import { openTestCore, type TestCore } from './core.js';

/**
 * Back `t` up (`backup`), restore the backup into another database of the same server and open a
 * core over that one, as a restore onto a new machine would. `closers` gets what to close after
 * the test (the core, the restored database, the backup folder), to be run last first.
 */
export async function restoredCopy(t: TestCore, closers: (() => Promise<void>)[], env: Record<string, string> = {}): Promise<TestCore> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-restore-'));
  closers.push(async () => fs.rmSync(out, { recursive: true, force: true }));
  const dir = path.join(out, 'backup');
  const backup = await (await t.core.backup.backup({ trigger: 'manual', out: dir })).done;
  expect(backup.status, backup.message ?? '').toBe('succeeded');
  const target = `${t.tdb.db.databaseName}_restored`;
  const restore = await (await t.core.backup.restore({ trigger: 'manual', dir, database: target })).done;
  expect(restore.status, restore.message ?? '').toBe('succeeded');
  const uri = t.tdb.uri.replace(/\/[^/?]+(\?|$)/, `/${target}$1`);
  const connection = await connectDatabase(uri);
  closers.push(async () => {
    await connection.db.dropDatabase().catch(() => undefined);
    await connection.close();
  });
  const restored = await openTestCore({ env, tdb: { client: connection.client, db: connection.db, uri, close: async () => {} } });
  closers.push(() => restored.close());
  return restored;
}
