import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/schemas/run.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { seedFixtureParcels } from '../support/seed.js';
import { WebshareSimulator } from '../support/webshare-simulator.js';

/**
 * Upstream error pages that echo our request headers (the assessor token, the OpenAI key) must
 * leave no secret in any stored document or any answer of a shell.
 */
let sim: MaricopaSimulator;
let llm: OpenAiSimulator;
beforeAll(async () => {
  sim = await new MaricopaSimulator({ seed: 11, token: 'assessor-token-7f3a9c2e41d0' }).start();
  llm = await new OpenAiSimulator().start();
});
afterAll(async () => {
  await sim.stop();
  await llm.stop();
});

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const SECRETS = () => [sim.token, llm.apiKey];

function expectClean(where: string, value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of SECRETS()) {
    expect(text, `${where} holds a secret`).not.toContain(secret);
    expect(text, `${where} holds a secret's first characters`).not.toContain(secret.slice(0, 10));
  }
}

async function syncWithEchoes(tc: TestCore): Promise<Run> {
  const apns = sim.apnsOfZip('85031');
  sim.inject({ kind: 'echo-headers', status: 400 }, 1, new RegExp(`/parcel/${apns[1]!.replace(/-/g, '')}`));
  sim.inject({ kind: 'echo-headers', status: 400 }, 1, /\/search\/property\/\?q=PALM/);
  const { done } = await tc.core.collection.startMaricopa({ zips: [], apns: apns.slice(0, 3), queries: ['PALM'], limit: 5, refresh: true }, { trigger: 'manual' });
  return done;
}

describe('secrets echoed by upstream error pages', () => {
  it('never reach runs.errors or runs.message, runs.list, stats.overview or the pushed events', async () => {
    t = await openTestCore({ env: { MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token, MARICOPA_RATE_LIMIT_PER_MINUTE: '6000' } });
    const pushed: unknown[] = [];
    t.core.events.on('run.progress', (run) => pushed.push(run));
    const run = await syncWithEchoes(t);
    expect(run.status).toBe('failed');
    expect(run.message).toContain('HTTP 400');
    expect(run.message).toContain('authorization: [redacted]');
    expect(run.errors.length).toBeGreaterThanOrEqual(1);

    expectClean('the runs collection', await t.tdb.db.collection('runs').find({}).toArray());
    expectClean('runs.list', await t.core.api['runs.list']({ limit: 20 }));
    expectClean('stats.overview', await t.core.api['stats.overview']({}));
    expectClean('run.progress events', pushed);
  });

  it('never reach the queue item errors or last_error, queue.items or properties.get', async () => {
    t = await openTestCore({
      env: { OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'gpt-4o-mini', OPENAI_MAX_RETRIES: '0', QUEUE_MAX_ATTEMPTS: '1' },
    });
    const [id] = await seedFixtureParcels(t.core);
    // A gateway's 502 is transient: each item's error is kept on it.
    llm.inject(...Array.from({ length: 12 }, () => 'echo-headers-502' as const));
    await t.core.processing.run({ trigger: 'manual', concurrency: 1 });

    const stored = await t.tdb.db.collection('processing_queue').find({}).toArray();
    expect(stored.some((item) => String(item.last_error).includes('502'))).toBe(true);
    expectClean('the processing_queue collection', stored);
    expectClean('queue.items', await t.core.api['queue.items']({ status: 'failed', limit: 50, offset: 0 }));
    expectClean('properties.get', await t.core.api['properties.get']({ id: id! }));
    expectClean('runs.list', await t.core.api['runs.list']({ limit: 20 }));
  });

  it('never reach the run record of an MLS sync whose proxy list answer echoed the WebShare token', async () => {
    const webshare = await new WebshareSimulator([]).start();
    webshare.echoHeaders = 1;
    try {
      // The proxy list is read before any browser starts: any existing file passes as the browser here.
      t = await openTestCore({ env: { WEBSHARE_API_BASE_URL: webshare.baseUrl, WEBSHARE_API_TOKEN: webshare.token, BROWSER_EXECUTABLE_PATH: process.execPath } });
      const { done } = await t.core.collection.startMls({ zips: ['85031'] }, { trigger: 'manual' });
      const run = await done;
      expect(run.status).toBe('failed');
      expect(run.message).toContain('WebShare proxy list answered HTTP 502');
      const text = JSON.stringify([await t.tdb.db.collection('runs').find({}).toArray(), await t.core.api['runs.list']({ limit: 5 })]);
      expect(text).not.toContain(webshare.token);
      expect(text).not.toContain(webshare.token.slice(0, 10));
    } finally {
      await webshare.stop();
    }
  });

  it('never reach the run that a gateway 400 (a configuration error) stops', async () => {
    t = await openTestCore({ env: { OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'gpt-4o-mini', OPENAI_MAX_RETRIES: '0' } });
    await seedFixtureParcels(t.core);
    llm.inject('echo-headers');
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 1 });
    expect(run.status).toBe('failed');
    expect(run.message).toContain('HTTP 400');
    expectClean('the run', run);
    expectClean('the runs collection', await t.tdb.db.collection('runs').find({}).toArray());
    expectClean('the processing_queue collection', await t.tdb.db.collection('processing_queue').find({}).toArray());
  });

  it('never reach the CLI output of a sync that hit them', async () => {
    const tc = await openTestCore();
    t = tc;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-scrub-cli-'));
    const apns = sim.apnsOfZip('85033');
    sim.inject({ kind: 'echo-headers', status: 400 }, 2, new RegExp(`/parcel/${apns[0]!.replace(/-/g, '')}`));
    const result = await new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('bin/phoenix-re.js'), 'sync', '--apn', apns[0]!, '--apn', apns[1]!, '--refresh'], {
        cwd: dataDir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tc.tdb.uri, PHOENIX_DATA_DIR: dataDir, MARICOPA_API_BASE_URL: sim.baseUrl, MARICOPA_API_TOKEN: sim.token },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (status) => resolve({ status, out }));
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
    expect(result.out).toContain('HTTP 400');
    expectClean('the CLI output', result.out);
  });
});
