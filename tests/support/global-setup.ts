import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalServer } from '../../src/main/db/local-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A MongoDB-compatible server for this test run; each test file uses its own database. */
    mongoUri: string;
  }
}

/**
 * One real database server for the whole run: `MONGODB_URI` when set, else a FerretDB (or a
 * mongod on PATH) on a free port with a fresh data folder, removed afterwards.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return async () => undefined;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-test-db-'));
  const server = await startLocalServer({ dataDir, dbName: 'phoenix_test', onStatus: (m) => console.log(m) });
  console.log(`Test database: ${server.kind} at ${server.uri}`);
  project.provide('mongoUri', server.uri);
  return async () => {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
