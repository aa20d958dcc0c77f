import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Run } from '../../src/shared/schemas/run.js';
import { RUN_HEARTBEAT_MS, RUN_STALE_MS } from '../../src/main/runs/orphaned-runs.js';
import { RunRecorder } from '../../src/main/runs/run-recorder.js';
import { manualClock } from '../support/clock.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';

let sim: MaricopaSimulator;
beforeAll(async () => {
  sim = await new MaricopaSimulator({ seed: 21 }).start();
});
afterAll(async () => sim.stop());

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  sim.latencyMs = 0;
});

/** Poll `find` every 50 ms until it gives a value; fails naming `what` after `timeoutMs`. */
async function eventually<T>(find: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A run record as another process would have left it. */
function orphan(id: string, owner: string | null, heartbeatAgoMs: number, kind: Run['kind'] = 'sync', source: string | null = 'maricopa_api'): Run {
  const at = new Date(Date.now() - heartbeatAgoMs);
  return { _id: id, kind, source, trigger: 'cli', params: {}, status: 'running', counters: {}, total: null, errors: [], errors_count: 0, message: null, started_at: at, updated_at: at, finished_at: null, owner, heartbeat_at: at };
}

function cli(dataDir: string, uri: string, args: string[]) {
  const child = spawn(process.execPath, [path.resolve('bin/phoenix-re.js'), ...args], {
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: uri, PHOENIX_DATA_DIR: dataDir, MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) => child.on('exit', (status, signal) => resolve({ status, signal, out })));
  return { child, exited };
}

describe('runs whose owner is gone', () => {
  it('become interrupted (dead process here, stale heartbeat elsewhere); live ones and our own stay running', async () => {
    t = await openTestCore();
    const runs = t.tdb.db.collection<Run>('runs');
    const host = os.hostname();
    await runs.insertMany([
      orphan('dead-here', `${host}:999999999:aaaa1111`, 1_000),
      orphan('stale-elsewhere', 'other-host:4242:bbbb2222', RUN_STALE_MS + 60_000, 'process', null),
      orphan('fresh-elsewhere', 'other-host:4243:cccc3333', 5_000),
      orphan('alive-here', `${host}:${process.pid}:dddd4444`, 1_000),
      { ...orphan('legacy', null, RUN_STALE_MS + 60_000), owner: undefined, heartbeat_at: undefined } as unknown as Run,
    ]);
    const { items } = await t.core.api['runs.list']({ limit: 20 });
    const status = Object.fromEntries(items.map((r) => [r._id, r.status]));
    expect(status).toEqual({ 'dead-here': 'interrupted', 'stale-elsewhere': 'interrupted', legacy: 'interrupted', 'fresh-elsewhere': 'running', 'alive-here': 'running' });
    const dead = items.find((r) => r._id === 'dead-here')!;
    expect(dead.message).toMatch(/stopped without finishing it; resume with: phoenix-re sync --resume dead-here/);
    expect(dead.finished_at).not.toBeNull();
    expect(items.find((r) => r._id === 'stale-elsewhere')!.message).toMatch(/^Interrupted: no heartbeat from other-host:4242:bbbb2222 since /);

    const mine = await t.core.repos.runs.start({ kind: 'sync', source: 'maricopa_api', trigger: 'manual' });
    await runs.updateOne({ _id: mine._id }, { $set: { heartbeat_at: new Date(0) } });
    expect(await t.core.interruptOrphanedRuns()).toBe(0);
    expect((await t.core.repos.runs.get(mine._id))?.status).toBe('running');
  });

  it('a running run renews its heartbeat, so another instance never takes it for an orphan; it stops at the end', async () => {
    const time = manualClock();
    t = await openTestCore({ clock: time.clock });
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const recorder = await RunRecorder.start(t.core.repos.runs, t.core.events, { kind: 'process', trigger: 'manual' });
      for (let beat = 1; beat <= 3; beat += 1) {
        time.advance(RUN_HEARTBEAT_MS);
        vi.advanceTimersByTime(RUN_HEARTBEAT_MS);
        const expected = time.clock().getTime();
        await eventually(async () => ((await t!.core.repos.runs.get(recorder.id))?.heartbeat_at?.getTime() === expected ? true : undefined), 10_000, `heartbeat ${beat}`);
      }
      time.advance(RUN_STALE_MS - RUN_HEARTBEAT_MS);
      const other = await openTestCore({ tdb: t.tdb, clock: time.clock });
      expect(await other.core.interruptOrphanedRuns()).toBe(0);
      await other.close();
      await recorder.finish('succeeded', 'done');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('after kill -9 of a CLI sync, the run is interrupted, offered for resume, and the resume finishes it', async () => {
    t = await openTestCore();
    const tc = t;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-kill-'));
    sim.latencyMs = 150;
    const first = cli(dataDir, tc.tdb.uri, ['sync', '--zip', '85035', '--limit', '40']);
    const started = await eventually(async () => {
      const run = await tc.core.repos.runs.list({ limit: 5, kind: 'sync' });
      const mine = run.find((r) => r.owner?.split(':')[1] === String(first.child.pid));
      return mine && (mine.counters.fetched ?? 0) >= 3 ? mine : undefined;
    }, 30_000, 'the CLI sync to fetch three parcels');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect((await tc.core.repos.runs.get(started._id))?.status).toBe('running');

    const [listed] = (await tc.core.api['runs.list']({ limit: 1, kind: 'sync' })).items;
    expect(listed).toMatchObject({ _id: started._id, status: 'interrupted' });
    expect(listed!.message).toContain(`phoenix-re sync --resume ${started._id}`);

    sim.latencyMs = 0;
    const before = sim.parcelRequests().length;
    const resumed = await cli(dataDir, tc.tdb.uri, ['sync', '--resume', started._id]).exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(resumed.status, resumed.out).toBe(0);
    const runs = await tc.core.repos.runs.list({ limit: 5, kind: 'sync' });
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    const again = runs.find((r) => r.params.resumed_from === started._id)!;
    expect(again.status).toBe('succeeded');
    expect(again.counters.cached ?? 0).toBeGreaterThanOrEqual(3);
    expect(sim.parcelRequests().length - before).toBeLessThanOrEqual(40 - 3);
  });

  it('runs.resume refuses unknown, finished and live runs, and resumes an interrupted one', async () => {
    t = await openTestCore({ env: { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' } });
    const runs = t.tdb.db.collection<Run>('runs');
    await runs.insertMany([
      { ...orphan('gone', `${os.hostname()}:999999998:eeee5555`, 1_000), params: { zips: [], apns: ['509-11-455'], queries: [], refresh: false } },
      { ...orphan('done', null, 0), status: 'succeeded' },
      orphan('live', 'other-host:1:ffff6666', 1_000),
    ]);
    await expect(t.core.api['runs.resume']({ runId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.core.api['runs.resume']({ runId: 'done' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.core.api['runs.resume']({ runId: 'live' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const { runId } = await t.core.api['runs.resume']({ runId: 'gone' });
    const finished = await eventually(async () => {
      const run = await t!.core.repos.runs.get(runId);
      return run && run.status !== 'running' ? run : undefined;
    }, 20_000, 'the resumed run to finish');
    expect(finished).toMatchObject({ status: 'succeeded', params: { resumed_from: 'gone' }, counters: { inserted: 1 } });
    expect((await t.core.repos.runs.get('gone'))?.status).toBe('interrupted');
  });
});
