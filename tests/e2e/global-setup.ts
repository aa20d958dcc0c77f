import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalServer } from '../../src/main/db/local-server.js';

/**
 * Build the renderer (the console page `serve` hands out) and start one database server for the
 * run, unless MONGODB_URI names one. Each test then uses its own database and data folder.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const vite = path.resolve('node_modules/vite/bin/vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', '--config', 'src/renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the renderer failed');
  if (process.env.MONGODB_URI) return async () => undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-e2e-db-'));
  const server = await startLocalServer({ dataDir, dbName: 'phoenix_e2e', onStatus: (m) => console.log(m) });
  process.env.PHOENIX_E2E_MONGODB_URI = server.uri;
  return async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
