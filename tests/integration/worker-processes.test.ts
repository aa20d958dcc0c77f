import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../support/core.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { until } from '../support/until.js';
import { mlsListing, seedRaw } from '../support/seed.js';

const BIN = path.resolve('bin/phoenix-re.js');
let llm: OpenAiSimulator;
let dataDir: string;
beforeAll(async () => {
  llm = await new OpenAiSimulator().start();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-workers-'));
});
afterAll(async () => {
  await llm.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function worker(t: TestCore, env: Record<string, string> = {}, stdio: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker', '--concurrency', '4'], {
    cwd: dataDir,
    stdio,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      MONGODB_URI: t.tdb.uri,
      PHOENIX_DATA_DIR: dataDir,
      OPENAI_API_KEY: llm.apiKey,
      OPENAI_BASE_URL: llm.baseUrl,
      ...env,
    },
  });
}


/** The shortest lease allowed with a 2 s LLM timeout (2 s + 5 s margin). */
const SHORT_LEASE = { OPENAI_TIMEOUT_MS: '2000', QUEUE_LEASE_MS: '7000' };

const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

async function seedListings(t: TestCore, n: number, prefix: string): Promise<string[]> {
  return seedRaw(
    t.core,
    Array.from({ length: n }, (_, i) => mlsListing(`${prefix}${String(i).padStart(3, '0')}`, { address: `${100 + i} W Elm St, Phoenix, AZ 85031`, square_feet: 1200 + i * 10 })),
  );
}

describe('worker processes sharing one queue', () => {
  it('two workers process every item exactly once, and stop with nothing claimed', async () => {
    const t = await openTestCore();
    llm.latencyMs = 150;
    const children: ChildProcess[] = [];
    try {
      await seedListings(t, 30, '7');
      children.push(worker(t), worker(t));
      await until(async () => (await t.core.repos.queue.counts()).completed === 30, 90_000, '30 items completed');
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map(exited));
      const perItem = await t.tdb.db
        .collection('llm_usage')
        .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$raw_id', n: { $sum: 1 } } }])
        .toArray();
      expect(perItem).toHaveLength(30);
      expect(perItem.filter((r) => r.n !== 1)).toEqual([]);
      expect(await t.core.repos.processed.count()).toBe(30);
      expect((await t.core.repos.queue.counts()).processing).toBe(0);
      const runs = await t.core.repos.runs.list({ limit: 10, kind: 'process' });
      expect(runs).toHaveLength(2);
      for (const run of runs) expect(run.counters.completed ?? 0).toBeGreaterThan(0);
    } finally {
      for (const c of children) c.kill('SIGKILL');
      llm.latencyMs = 0;
      await t.close();
    }
  }, 120_000);

  it('a worker killed mid-batch loses nothing: its items are re-claimed after the lease', async () => {
    const t = await openTestCore();
    llm.latencyMs = 1500;
    let a: ChildProcess | undefined;
    let b: ChildProcess | undefined;
    try {
      const ids = await seedListings(t, 8, '8');
      a = worker(t, SHORT_LEASE);
      await until(async () => (await t.core.repos.queue.counts()).processing >= 4, 30_000, 'worker A to claim');
      a.kill('SIGKILL');
      await exited(a);
      const held = await t.tdb.db.collection('processing_queue').find({ status: 'processing' }).toArray();
      expect(held.length).toBeGreaterThanOrEqual(4);
      llm.latencyMs = 50;
      b = worker(t, SHORT_LEASE);
      await until(async () => (await t.core.repos.queue.counts()).completed === ids.length, 60_000, 'all items completed');
      b.kill('SIGTERM');
      await exited(b);
      expect(await t.core.repos.processed.count()).toBe(ids.length);
      for (const h of held) expect((await t.core.repos.queue.get(h._id as unknown as string))?.attempts).toBe(2);
    } finally {
      a?.kill('SIGKILL');
      b?.kill('SIGKILL');
      llm.latencyMs = 0;
      await t.close();
    }
  }, 120_000);

  it('three workers with a short lease keep the rollups and the spend exact: each item processed and billed once', async () => {
    const t = await openTestCore();
    llm.latencyMs = 20;
    const children: ChildProcess[] = [];
    try {
      const n = 150;
      await seedListings(t, n, '6');
      children.push(worker(t, SHORT_LEASE), worker(t, SHORT_LEASE), worker(t, SHORT_LEASE));
      await until(async () => {
        const c = await t.core.repos.queue.counts();
        return c.completed + c.review === n;
      }, 240_000, `${n} items settled`);
      for (const c of children) c.kill('SIGTERM');
      await Promise.all(children.map(exited));
      const usage = await t.tdb.db.collection<{ raw_id: string; prompt_tokens: number; completion_tokens: number; cost_usd: number }>('llm_usage').find({}).toArray();
      const callsPerItem = new Map<string, number>();
      for (const u of usage) callsPerItem.set(u.raw_id, (callsPerItem.get(u.raw_id) ?? 0) + 1);
      expect(callsPerItem.size).toBe(n);
      expect([...callsPerItem.values()].filter((calls) => calls !== 1)).toEqual([]);
      expect(await t.core.repos.processed.count()).toBe(n);
      const rows = await t.core.repos.dailyStats.range('2000-01-01', '2999-12-31');
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((acc, r) => acc + f(r), 0);
      expect(sum((r) => r.processed)).toBe(n);
      expect(sum((r) => r.quality_count)).toBe(n);
      expect(sum((r) => r.tokens)).toBe(usage.reduce((acc, u) => acc + u.prompt_tokens + u.completion_tokens, 0));
      expect(sum((r) => r.cost_usd)).toBeCloseTo(usage.reduce((acc, u) => acc + u.cost_usd, 0), 10);
      // Three processes really shared the work.
      const runs = await t.core.repos.runs.list({ limit: 10, kind: 'process' });
      expect(runs.filter((run) => (run.counters.completed ?? 0) + (run.counters.review ?? 0) > 0).length).toBeGreaterThan(1);
    } finally {
      for (const c of children) c.kill('SIGKILL');
      llm.latencyMs = 0;
      await t.close();
    }
  }, 300_000);

  it('refuses to start with a lease shorter than the LLM timeout plus margin, naming both settings', async () => {
    const t = await openTestCore();
    try {
      const child = worker(t, { QUEUE_LEASE_MS: '8000' }, 'pipe');
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      expect(await exited(child)).toBe(1);
      expect(stderr).toContain('QUEUE_LEASE_MS');
      expect(stderr).toContain('OPENAI_TIMEOUT_MS 60000 ms');
      expect(stderr).toContain('at least 65000');
      expect(await t.core.repos.runs.list({ limit: 10, kind: 'process' })).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
