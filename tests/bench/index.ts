/**
 * `npm run bench`: figures for the parts whose speed matters, as ratios and medians (never
 * pass/fail on wall-clock time). Runs against MONGODB_URI or a fresh local server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../../src/main/db/connection.js';
import { ensureSchema } from '../../src/main/db/indexes.js';
import { startLocalServer, type LocalServer } from '../../src/main/db/local-server.js';
import { benchAccuracyReport } from './accuracy-report.js';
import { benchArmlsImport } from './armls-import.js';
import { benchCountyFileImport } from './county-file-import.js';
import { benchLlmCosts } from './llm-costs.js';
import { benchComparables } from './comparables.js';
import { benchMaricopaLimiter } from './maricopa-limiter.js';
import { benchQueueClaims } from './queue-claims.js';
import { benchNormalize, benchProcessing } from './processing.js';
import { benchPropertyList } from './properties-list.js';

let local: LocalServer | undefined;
let dataDir: string | undefined;
let uri = process.env.MONGODB_URI;
if (!uri) {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-bench-'));
  local = await startLocalServer({ dataDir, dbName: 'phoenix_bench' });
  uri = local.uri;
}
const benchUri = uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+)(\/[^?]*)?/, `$1/bench_${Date.now()}`);
const connection = await connectDatabase(benchUri);
try {
  await ensureSchema(connection.db);
  console.log(`Database: ${local ? `${local.kind} (local)` : 'MONGODB_URI'}\n`);
  const fresh = async () => {
    await connection.db.dropDatabase();
    await ensureSchema(connection.db);
  };
  const steps: [string, () => unknown][] = [
    ['queue', () => benchQueueClaims(connection.db)],
    ['limiter', () => benchMaricopaLimiter()],
    ['normalize', () => benchNormalize()],
    ['comparables', () => benchComparables(Number(process.env.BENCH_PROPERTIES ?? 100_000))],
    ['accuracy', () => benchAccuracyReport(Number(process.env.BENCH_ACCURACY_SALES ?? 10_000))],
    ['processing', async () => (await fresh(), benchProcessing(benchUri, local?.kind === 'ferretdb' ? local.pid : undefined))],
    ['llm-costs', () => benchLlmCosts(connection.client, connection.db, benchUri)],
    ['list', async () => (await fresh(), benchPropertyList(connection.db, Number(process.env.BENCH_PROPERTIES ?? 100_000)))],
    ['armls', async () => (await fresh(), benchArmlsImport(connection.client, connection.db, benchUri, Number(process.env.BENCH_ARMLS_ROWS ?? 50_000)))],
    ['county-file', async () => (await fresh(), benchCountyFileImport(connection.client, benchUri, Number(process.env.BENCH_PARCEL_FEATURES ?? 500_000), Number(process.env.BENCH_PARCEL_RUNS ?? 3)))],
  ];
  // BENCH_ONLY=processing,normalize runs those steps alone.
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const unknown = only?.filter((name) => !steps.some(([n]) => n === name)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: no step ${unknown.join(', ')}; the steps are ${steps.map(([n]) => n).join(', ')}`);
  for (const [name, step] of steps) {
    if (only && !only.includes(name)) continue;
    await step();
    console.log();
  }
} finally {
  await connection.db.dropDatabase().catch(() => undefined);
  await connection.close();
  await local?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
