import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/main/db/local-server.js';

/**
 * Issue #24: two processes starting together on a new database. On FerretDB 1.24 as released, a
 * `createIndexes` naming two or more indexes that another process had just made panicked
 * (`slice bounds out of range [:2:1]`) and closed the connection; our build patches it
 * (tools/ferretdb/concurrent-ddl.patch). This test starts a server of its own on an empty data
 * folder (so its log is its alone), then four start-ups at the same instant.
 */
const CHILD = path.resolve('tests/support/ensure-schema-process.ts');
let dir: string;
let server: LocalServer;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-concurrent-'));
  server = await startLocalServer({ dataDir: dir, dbName: 'concurrent_start' });
}, 300_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function startUp(uri: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, uri], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

function serverLog(): string {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.log'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

describe('several processes starting together on a new database', () => {
  it('all create the schema, and the server does not panic', async () => {
    for (const round of ['first', 'second']) {
      const uri = server.uri.replace(/\/concurrent_start/, `/concurrent_${round}`);
      const results = await Promise.all([0, 1, 2, 3].map(() => startUp(uri)));
      for (const r of results) {
        expect(r.err, `${round} round`).not.toMatch(/closed|Error/);
        expect(r.code, r.err).toBe(0);
        expect(r.out.trim()).toBe('ok');
      }
    }
    expect(serverLog()).not.toMatch(/panic|slice bounds out of range/);
  }, 180_000);
});
