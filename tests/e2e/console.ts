import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `phoenix-re serve` on a free port with a fresh database and data folder; its printed URL. */
export interface ServedConsole {
  url: string;
  dataDir: string;
  uri: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Where a console runs when it is to be restarted: its database (unset: a fresh one), its data
 * folder (made by the caller, kept on stop), its port, more arguments.
 */
export interface RestartOf {
  uri?: string;
  dataDir: string;
  port?: number;
  args?: string[];
}

export async function serveConsole(env: Record<string, string>, restart?: RestartOf): Promise<ServedConsole> {
  const base = process.env.MONGODB_URI ?? process.env.PHOENIX_E2E_MONGODB_URI;
  if (!base) throw new Error('no database: the global setup starts one, or set MONGODB_URI');
  const uri = restart?.uri ?? base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+)(\/[^?]*)?/, `$1/e2e_${randomBytes(5).toString('hex')}`);
  const dataDir = restart?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-e2e-'));
  const args = ['serve', '--port', String(restart?.port ?? 0), '--no-schedule', ...(restart?.args ?? [])];
  const child: ChildProcess = spawn(process.execPath, [path.resolve('bin/phoenix-re.js'), ...args], {
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: uri, PHOENIX_DATA_DIR: dataDir, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /Phoenix RE Console at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dataDir,
    uri,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!restart) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Call the served console's API as the page does (`POST /api/<method>` with the URL's token). */
export async function callApi<T = unknown>(served: ServedConsole, method: string, input: unknown = {}): Promise<T> {
  const url = new URL(served.url);
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  const res = await fetch(`${url.origin}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method}: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Poll `test` until it holds (the e2e tests wait on runs through the API). */
export async function waitFor(test: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The settings that point a served console at the assessor and LLM simulators. */
export function simulatorEnv(assessor: { baseUrl: string; token: string }, llm: { baseUrl: string; apiKey: string }): Record<string, string> {
  return {
    MARICOPA_API_BASE_URL: assessor.baseUrl,
    MARICOPA_API_TOKEN: assessor.token,
    MARICOPA_RATE_LIMIT_PER_MINUTE: '6000',
    OPENAI_API_KEY: llm.apiKey,
    OPENAI_BASE_URL: llm.baseUrl,
    TARGET_ZIP_CODES: '85035',
  };
}

/** Where the e2e specs put their screenshots, and the two sizes issue #23 names. */
export const SHOTS = 'tests/e2e/screenshots';
export const SIZES = [
  { name: '1024x700', width: 1024, height: 700 },
  { name: '1440x900', width: 1440, height: 900 },
] as const;

/** The real ARMLS export of 142 closed sales in ZIP 85251 (shared/fixtures). */
export const ARMLS_CLOSED_SALES = path.resolve(import.meta.dirname, '../../../shared/fixtures/armls-export/closed-sales-85251-2025.csv');

/**
 * Import the ARMLS export `file` into the served console and process it all, waiting for both
 * runs; answers the property list's first 200 ids, newest first.
 */
export async function importArmlsAndProcess(served: ServedConsole, file = ARMLS_CLOSED_SALES): Promise<string[]> {
  const { runId } = await callApi<{ runId: string }>(served, 'collect.import', { kind: 'armls', path: file });
  await waitFor(async () => (await callApi<{ status: string }>(served, 'runs.get', { runId })).status === 'succeeded', 'the ARMLS import');
  const processing = await callApi<{ runId: string }>(served, 'processing.run', { batchSize: 1000 });
  await waitFor(async () => (await callApi<{ status: string }>(served, 'runs.get', { runId: processing.runId })).status !== 'running', 'the processing run', 120_000);
  const rows = await callApi<{ items: { id: string }[] }>(served, 'properties.list', { page: 1, pageSize: 200, sort: { field: 'collected_at', direction: 'desc' }, filters: {} });
  return rows.items.map((r) => r.id);
}
