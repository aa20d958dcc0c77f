import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { until } from '../support/until.js';

/**
 * The README's `npm start` on a machine where Electron's download host cannot be reached:
 * ELECTRON_MIRROR points at a loopback port nothing listens on, an empty download cache, and
 * ELECTRON_OVERRIDE_DIST_PATH at an empty folder so an installed binary does not count.
 */
let tdb: TestDatabase;
let scratch: string;
let closedPort: number;

async function freePortNobodyListensOn(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function electronUnreachableEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MONGODB_URI: tdb.uri,
    PHOENIX_DATA_DIR: path.join(scratch, 'data'),
    ELECTRON_MIRROR: `http://127.0.0.1:${closedPort}/`,
    electron_config_cache: path.join(scratch, 'electron-cache'),
    ELECTRON_OVERRIDE_DIST_PATH: path.join(scratch, 'no-electron'),
  };
}

beforeAll(async () => {
  tdb = await openTestDatabase();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-start-'));
  fs.mkdirSync(path.join(scratch, 'no-electron'));
  closedPort = await freePortNobodyListensOn();
});
afterAll(async () => {
  await tdb.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('install and start without Electron', () => {
  it('the postinstall step says in one line why there is no binary, and succeeds', () => {
    const res = spawnSync(process.execPath, ['scripts/install-electron.js'], { encoding: 'utf8', env: electronUnreachableEnv(), timeout: 60_000 });
    expect(res.status, res.stderr).toBe(0);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`No Electron binary (its download failed: RequestError: connect ECONNREFUSED 127.0.0.1:${closedPort})`);
    expect(lines[0]).toContain('`npm start` will run the console headless');
  });

  it('`npm start` prints one line, no stack trace, then the URL of a working headless console', async () => {
    const child: ChildProcess = spawn('npm', ['start', '--', '--port', '0', '--no-schedule'], { env: electronUnreachableEnv(), detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await until(async () => /Phoenix RE Console at (\S+)/.test(stdout) || child.exitCode !== null, 170_000, 'the console URL');
      const url = /Phoenix RE Console at (\S+)/.exec(stdout)?.[1];
      expect(url, `${stdout}\n${stderr}`).toBeDefined();
      const fallback = stderr.split('\n').filter((l) => l.includes('Electron'));
      expect(fallback).toEqual([
        `No Electron binary (its download failed: RequestError: connect ECONNREFUSED 127.0.0.1:${closedPort}): the console runs headless instead; open the URL below.`,
      ]);
      expect(stderr).not.toMatch(/^\s+at /m);
      const { origin, hash } = new URL(url as string);
      const token = new URLSearchParams(hash.slice(1)).get('token');
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const health = await fetch(`${origin}/api/health.get`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      expect(health.status).toBe(200);
      expect((await health.json()) as { checks: unknown[] }).toHaveProperty('checks');
    } finally {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
      await until(async () => child.exitCode !== null || child.signalCode !== null, 20_000, 'npm start to stop');
    }
  }, 200_000);
});
