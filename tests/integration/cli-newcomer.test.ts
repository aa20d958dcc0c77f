import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SettingsRepository } from '../../src/main/db/repositories/settings.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { until } from '../support/until.js';

const BIN = path.resolve('bin/phoenix-re.js');
let tdb: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  tdb = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-cli-newcomer-'));
});
afterAll(async () => {
  await tdb.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const baseEnv = () => ({ PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir });

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: dataDir, env: { ...baseEnv(), ...env }, timeout: 60_000 });
}

/** `serve` until it printed its token, then stopped; the token it printed. */
async function serveOnce(args: string[] = []): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-schedule', ...args], { cwd: dataDir, env: baseEnv() });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await until(async () => /API token: \S+/.test(out) || child.exitCode !== null, 60_000, 'serve to print its token');
  child.kill('SIGTERM');
  await until(async () => child.exitCode !== null || child.signalCode !== null, 20_000, 'serve to stop');
  const token = /API token: (\S+)/.exec(out)?.[1];
  if (!token) throw new Error(`serve printed no token:\n${out}`);
  return token;
}

describe('the CLI tells the same truth as the console', () => {
  it('config show prints the effective values, the console\'s saved edits included, JSON as JSON, each with its source', async () => {
    const schedules = [{ id: 'nightly', cron: '0 2 * * *', enabled: true, work: { kind: 'process' } }];
    await new SettingsRepository(tdb.db.collection('settings'), () => new Date()).put({ targetZipCodes: ['85040'], schedules } as never);
    const res = cli(['config', 'show'], { LLM_DAILY_BUDGET_USD: '7.5' });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).not.toContain('[object Object]');
    expect(res.stdout).toMatch(/^TARGET_ZIP_CODES\s+85040 {2}\[the console \(saved in the database\)\]$/m);
    expect(res.stdout).toContain(`SCHEDULES                        ${JSON.stringify(schedules)}  [the console (saved in the database)]`);
    expect(res.stdout).toMatch(/^LLM_DAILY_BUDGET_USD\s+7\.5 {2}\[the environment\]$/m);
    expect(res.stdout).toMatch(/^LOG_LEVEL\s+info {2}\[default\]$/m);

    const json = JSON.parse(cli(['config', 'show', '--json']).stdout) as { settings: Record<string, { value: unknown; origin: string }> };
    expect(json.settings.SCHEDULES).toEqual({ value: schedules, origin: 'the console (saved in the database)' });
    expect(json.settings.TARGET_ZIP_CODES).toEqual({ value: ['85040'], origin: 'the console (saved in the database)' });
    await tdb.db.collection('settings').deleteMany({});
  });

  it('config show without a database says the console\'s edits are missing, and still prints the rest', () => {
    const res = cli(['config', 'show'], { MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(res.status).toBe(0);
    expect(res.stderr).toContain('values saved in the console are not included');
    expect(res.stdout).toMatch(/^MONGODB_URI\s+mongodb:\/\/127\.0\.0\.1:1\/x {2}\[the environment\]$/m);
  });

  it('sync --zip is checked like the console: five digits, the same message, nothing collected', async () => {
    const res = cli(['sync', '--zip', '8503', '--zip', '85031'], { MARICOPA_API_TOKEN: 'tok' });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe('--zip: "8503" is not a 5-digit ZIP code.');
    expect(await tdb.db.collection('runs').countDocuments({})).toBe(0);
  });

  it('serve on a port in use exits 1 with what to do, and does not hang', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const res = cli(['serve', '--port', String(port), '--no-schedule']);
      expect(res.error, 'serve hung').toBeUndefined();
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`port ${port} is in use: is the console already running? Use --port 0`);
      expect(res.stderr).not.toContain('EADDRINUSE');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('serve keeps one token per data folder (mode 0600) across restarts; --new-token replaces it', async () => {
    const first = await serveOnce();
    const file = path.join(dataDir, 'http-token');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first);
    expect(await serveOnce()).toBe(first);
    const rotated = await serveOnce(['--new-token']);
    expect(rotated).not.toBe(first);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(rotated);
    expect(await serveOnce()).toBe(rotated);
  }, 120_000);
});

describe('phoenix-re sample', () => {
  it('load stores and processes the sample; remove deletes it', async () => {
    const loaded = cli(['sample', 'load']);
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(loaded.stdout).toMatch(/succeeded: 24 sample records stored \(24 new, 0 changed, 0 unchanged\), 0 failed/);
    expect(loaded.stdout).toMatch(/succeeded: \d+ processed, \d+ to review, 0 to retry, 0 failed; batch done/);
    // 12 parcels and 4 listings at 4 of their addresses, and 8 parcels of the layer: 20 properties.
    expect(await tdb.db.collection('processed_properties').countDocuments({})).toBe(20);
    const removed = cli(['sample', 'remove']);
    expect(removed.status, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('Removed the sample data: 24 records, 20 processed records, 24 queue items, 2 runs.');
    expect(await tdb.db.collection('raw_properties').countDocuments({})).toBe(0);
  }, 60_000);
});
