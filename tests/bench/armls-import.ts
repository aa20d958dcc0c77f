import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db, MongoClient } from 'mongodb';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { createCore } from '../../src/main/core/create-core.js';
import { armlsCsv, armlsFixture, armlsRows } from '../support/armls.js';
import { memoryLogger } from '../support/logger.js';

/**
 * Importing an ARMLS export of `rows` rows (the real row varied into distinct listings, 99
 * columns, ~5 KB a row): rows a second, file to stored and queued (goal ≥ 2,000 rows/s on
 * FerretDB), then the same file again (every row unchanged).
 */
export async function benchArmlsImport(client: MongoClient, db: Db, uri: string, rows: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-bench-armls-'));
  const file = path.join(dir, 'export.csv');
  const { header, row } = armlsFixture();
  const chunk = 5_000;
  fs.writeFileSync(file, armlsCsv(header, []));
  for (let from = 0; from < rows; from += chunk) {
    const part = armlsRows(Math.min(rows, from + chunk), header, row).slice(from);
    fs.appendFileSync(file, armlsCsv(header, part).split('\r\n').slice(1).join('\r\n'));
  }
  const settings = resolveSettings({ env: { MONGODB_URI: uri } });
  const core = createCore({ settings, dataDir: dir, logger: memoryLogger().logger, db, client, uri });
  try {
    const mb = fs.statSync(file).size / 1e6;
    for (const pass of ['first import', 're-import (unchanged)']) {
      const started = performance.now();
      const { done } = await core.collection.startArmlsImport({ file }, { trigger: 'manual' });
      const run = await done;
      const seconds = (performance.now() - started) / 1000;
      if (run.status !== 'succeeded') throw new Error(`ARMLS import bench: ${run.status}: ${run.message}`);
      console.log(
        `ARMLS import, ${pass}: ${rows.toLocaleString('en-US')} rows (${mb.toFixed(0)} MB) in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s (goal ≥ 2,000); ${run.message}`,
      );
    }
  } finally {
    await core.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
