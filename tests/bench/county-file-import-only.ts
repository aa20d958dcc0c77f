/**
 * `npm run bench:parcels`: the county parcel file import alone (benchCountyFileImport), on a fresh
 * local server: `BENCH_PARCEL_FEATURES` invented parcels (default 20,000) written as GeoJSON by the
 * bench's own generator, imported `BENCH_PARCEL_RUNS` times (default 3) into fresh databases and
 * once more over the last (every parcel unchanged). A few minutes instead of the whole bench's hour.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../../src/main/db/connection.js';
import { startLocalServer } from '../../src/main/db/local-server.js';
import { benchCountyFileImport } from './county-file-import.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-bench-parcels-db-'));
const local = await startLocalServer({ dataDir, dbName: 'phoenix_bench' });
const connection = await connectDatabase(local.uri);
try {
  console.log(`Database: ${local.kind} (local)\n`);
  await benchCountyFileImport(connection.client, local.uri, Number(process.env.BENCH_PARCEL_FEATURES ?? 20_000), Number(process.env.BENCH_PARCEL_RUNS ?? 3));
} finally {
  await connection.close();
  await local.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
