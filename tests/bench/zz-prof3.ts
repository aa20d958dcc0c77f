import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../../src/main/db/connection.js';
import { ensureSchema } from '../../src/main/db/indexes.js';
import { startLocalServer } from '../../src/main/db/local-server.js';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { createCore } from '../../src/main/core/create-core.js';
import { armlsFixture, armlsRows } from '../support/armls.js';
import { memoryLogger } from '../support/logger.js';
import { mapArmlsRow } from '../../src/main/collectors/armls/mapping.js';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-bench-'));
const local = await startLocalServer({ dataDir, dbName: 'phoenix_bench' });
const connection = await connectDatabase(local.uri);
const db = connection.db;
await ensureSchema(db);
const core = createCore({ settings: resolveSettings({ env: { MONGODB_URI: local.uri } }), dataDir, logger: memoryLogger().logger, db, client: connection.client, uri: local.uri });
const { header, row } = armlsFixture();
const inputs = armlsRows(6000, header, row).map((r) => { const f: Record<string, string> = {}; header.forEach((h, i) => (f[h] = r[i]!)); return mapArmlsRow(f); });
const time = async (name: string, fn: () => Promise<unknown>) => { const t = performance.now(); await fn(); console.log(name, (performance.now() - t).toFixed(0), 'ms'); };
const ids = (b: typeof inputs) => b.map((x) => `armls_export:${x.source_id}`);
for (let k = 0; k < 12; k += 1) {
  const batch = inputs.slice(k * 500, k * 500 + 500);
  if (k === 1 || k === 11) {
    await time(`[${k * 500} docs] find $in 500`, () => db.collection('raw_properties').find({ _id: { $in: ids(batch) } as never }, { projection: { content_hash: 1 } }).toArray());
    await time(`[${k * 500} docs] 500 findOne`, () => Promise.all(ids(batch).map((id) => db.collection('raw_properties').findOne({ _id: id as never }, { projection: { content_hash: 1 } }))));
    await time(`[${k * 500} docs] originals bulk`, () => db.collection('raw_originals').bulkWrite(batch.map((b) => ({ replaceOne: { filter: { _id: `x${b.source_id}` as never }, replacement: { original: b.original }, upsert: true } })), { ordered: false }));
    await time(`[${k * 500} docs] originals insertMany`, () => db.collection('raw_originals').insertMany(batch.map((b) => ({ _id: `y${b.source_id}` as never, original: b.original })), { ordered: false }));
    await time(`[${k * 500} docs] upsertMany`, () => core.repos.raw.upsertMany(batch));
    await time(`[${k * 500} docs] enqueueMany`, () => core.repos.queue.enqueueMany(ids(batch)));
  } else {
    await core.repos.raw.upsertMany(batch);
    await core.repos.queue.enqueueMany(ids(batch));
  }
}
await core.close(); await connection.close(); await local.stop(); fs.rmSync(dataDir, { recursive: true, force: true });
