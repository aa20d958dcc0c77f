import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { ARMLS_FIXTURE, armlsCsv, armlsFixture, armlsRows } from '../support/armls.js';
import { PARCEL_FIXTURES_DIR } from '../support/fixtures.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';

const BIN = path.resolve('bin/phoenix-re.js');
let tdb: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  tdb = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-cli-'));
});
afterAll(async () => {
  await tdb.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir, ...env },
    timeout: 60_000,
  });
}

/** Like `cli`, without blocking the event loop (the simulator runs in this process). */
function cliAsync(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dataDir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('phoenix-re CLI', () => {
  it('prints help', () => {
    const res = cli(['--help']);
    expect(res.status).toBe(0);
    for (const command of ['serve', 'sync', 'health', 'config', 'db']) expect(res.stdout).toContain(command);
  });

  it('health --json reports every check and exits 0 when all pass', () => {
    const res = cli(['health', '--json'], { MARICOPA_API_TOKEN: 'tok-cli-secret-123' });
    expect(res.status, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['mongodb', 'database_size', 'disk', 'keys', 'queue', 'llm_budget', 'captcha_balance', 'proxies']);
    expect(res.stdout).toContain('MARICOPA_API_TOKEN set');
    expect(res.stdout).not.toContain('tok-cli-secret-123');
    const log = fs.readFileSync(path.join(dataDir, 'logs', 'phoenix-re.log'), 'utf8');
    expect(log).toContain('connected to MongoDB');
    expect(log).not.toContain('tok-cli-secret-123');
  });

  it('health exits 1 when a check fails (the day\'s budget is spent)', async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Phoenix' }).format(new Date());
    await tdb.db.collection('llm_usage').insertOne({ at: new Date(), day: day, model: 'gpt-4o-mini', prompt_tokens: 1000, cached_tokens: 0, completion_tokens: 200, reasoning_tokens: 0, cost_usd: 2, raw_id: null, source: 'maricopa_api', purpose: 'enrich' });
    const res = cli(['health'], { LLM_DAILY_BUDGET_USD: '1.5' });
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/FAIL\s+llm_budget\s+\$2\.0000 of \$1\.50/);
    await tdb.db.collection('llm_usage').deleteMany({});
  });

  it('config show masks secrets and the URI password', () => {
    const res = cli(['config', 'show'], { OPENAI_API_KEY: 'sk-cli-secret-abcdef', MONGODB_URI: 'mongodb://ana:hunter22@127.0.0.1:1/x' });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/OPENAI_API_KEY\s+\(set\)/);
    expect(res.stdout).toContain('mongodb://ana:***@127.0.0.1:1/x');
    expect(res.stdout).not.toContain('sk-cli-secret-abcdef');
    expect(res.stdout).not.toContain('hunter22');
  });

  it('stops on an invalid setting with its name and reason, exit code 1', () => {
    const res = cli(['health'], { LLM_DAILY_BUDGET_USD: '-3' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('LLM_DAILY_BUDGET_USD from the environment: must be at least 0 (got -3)');
  });

  it('sync collects from the assessor with a summary, and exits 1 when the token is refused', async () => {
    const sim = await new MaricopaSimulator().start();
    try {
      const env = { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' };
      const ok = await cliAsync(['sync', '--source', 'maricopa', '--apn', '509-11-455', '--apn', '50911600', '--apn', '999-99-999'], env);
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/Run \S+ succeeded: 2 parcels stored \(2 new, 0 changed, 0 unchanged\), 0 failed, 1 not found/);
      expect(await tdb.db.collection('raw_properties').countDocuments({ source: 'maricopa_api' })).toBe(2);

      const refused = await cliAsync(['sync', '--zip', '85031'], { ...env, MARICOPA_API_TOKEN: 'wrong-token-456' });
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain("failed: Maricopa API rejected the token (HTTP 500 'Unauthorized access')");
      expect(refused.stdout + refused.stderr).not.toContain('wrong-token-456');

      const nothing = cli(['sync']);
      expect(nothing.status).toBe(1);
      expect(nothing.stderr).toContain('Nothing to sync: give --zip, --apn or --query');
    } finally {
      await sim.stop();
    }
  });

  it('schedule list, run and disable; daemon runs until stopped', async () => {
    const sim = await new MaricopaSimulator().start();
    const schedules = JSON.stringify([
      { id: 'assessor-morning', cron: '0 6 * * *', work: { kind: 'sync', source: 'maricopa_api', zips: ['85035'], limit: 2 } },
      { id: 'processing-evening', cron: '0 20 * * *', work: { kind: 'process', batch_size: 5 } },
    ]);
    const env = { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000', SCHEDULES: schedules };
    try {
      const list = await cliAsync(['schedule', 'list', '--json'], env);
      expect(list.status, list.stderr).toBe(0);
      const jobs = (JSON.parse(list.stdout) as { jobs: { id: string; enabled: boolean; next_run_at: string }[] }).jobs;
      expect(jobs.map((j) => [j.id, j.enabled])).toEqual([['assessor-morning', true], ['processing-evening', true]]);
      expect(new Date(jobs[0]!.next_run_at).getUTCHours()).toBe(13); // 06:00 Phoenix

      const run = await cliAsync(['schedule', 'run', 'assessor-morning'], env);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Run \S+ succeeded: 2 parcels stored/);
      const [record] = await tdb.db.collection('runs').find({ 'params.zips': ['85035'] }).toArray();
      expect(record).toMatchObject({ kind: 'sync', trigger: 'cli', status: 'succeeded' });

      const unknown = await cliAsync(['schedule', 'run', 'nightly'], env);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('No schedule "nightly". Schedules: assessor-morning, processing-evening.');

      const off = await cliAsync(['schedule', 'disable', 'processing-evening'], env);
      expect(off.status, off.stderr).toBe(0);
      expect(off.stdout).toMatch(/^processing-evening\s+0 20 \* \* \*\s+off\s+next -/);

      const child = spawn(process.execPath, [BIN, 'daemon'], {
        cwd: dataDir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir, ...env },
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', () => err.includes('Scheduler running') && resolve());
        child.once('exit', (code) => reject(new Error(`daemon exited with ${code}: ${err}`)));
      });
      expect(err).toContain('Scheduler running (1 of 2 jobs on)');
      child.kill('SIGTERM');
      const code = await new Promise((r) => child.once('exit', r));
      expect(code).toBe(0);
      expect(err).toContain('Scheduler stopped.');
    } finally {
      await sim.stop();
    }
  });

  it('serve prints the console URL and token, and answers with them', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
      cwd: dataDir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir },
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /Phoenix RE Console at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const { origin, hash } = new URL(url);
      const token = hash.slice('#token='.length);
      const res = await fetch(`${origin}/api/queue.summary`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBe(await tdb.db.collection('processing_queue').countDocuments({}));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });

  it('import armls and import assessor store files like a sync, list bad rows and exit 1 only when the run failed', async () => {
    const armls = await cliAsync(['import', 'armls', ARMLS_FIXTURE]);
    expect(armls.status, armls.stderr).toBe(0);
    expect(armls.stdout).toMatch(/^Run \S+ succeeded: 1 row stored \(1 new, 0 changed, 0 unchanged\), 0 bad rows\n {2}queued 1/);
    expect(await tdb.db.collection('raw_properties').countDocuments({ _id: 'armls_export:6181273' as never })).toBe(1);

    const { header, row } = armlsFixture();
    const rows = armlsRows(2, header, row);
    rows[1]![header.indexOf('Zip Code')] = 'none';
    const file = path.join(dataDir, 'export.csv');
    fs.writeFileSync(file, armlsCsv(header, rows));
    const partly = await cliAsync(['import', 'armls', file]);
    expect(partly.status, partly.stderr).toBe(0);
    expect(partly.stdout).toContain('1 row stored (1 new, 0 changed, 0 unchanged), 1 bad row');
    expect(partly.stderr).toContain('  row 2 (line 3): Zip Code: "none" is not a 5-digit ZIP code');

    const missing = await cliAsync(['import', 'armls', path.join(dataDir, 'missing.csv')]);
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/failed: .*missing\.csv: no such file/);

    const assessor = await cliAsync(['import', 'assessor', PARCEL_FIXTURES_DIR]);
    expect(assessor.status, assessor.stderr).toBe(0);
    expect(assessor.stdout).toContain('12 parcels stored');
    // The ARMLS export given as assessor parcels: exit 1, saying to import it as ARMLS (#23).
    const wrongKind = await cliAsync(['import', 'assessor', file]);
    expect(wrongKind.status).toBe(1);
    expect(wrongKind.stdout).toContain('failed: export.csv: this looks like an ARMLS export');
    expect(wrongKind.stdout).toContain('import it as ARMLS (phoenix-re import armls <file.csv>');

    const unknown = cli(['import', 'zillow', file]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('Unknown import "zillow" (available: armls <file.csv>, assessor <file.json|folder>, parcels <file.geojson|file.csv>).');
  }, 120_000);
});
