import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { BSON } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { SPELLINGS, echoPage, spelled, type Spelling } from '../support/echoed-headers.js';
import { MaricopaSimulator } from '../support/maricopa-simulator.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { leaks, stringsOf } from '../support/secret-search.js';
import { TwoCaptchaSimulator } from '../support/twocaptcha-simulator.js';
import { until } from '../support/until.js';
import { WebshareSimulator } from '../support/webshare-simulator.js';

/**
 * Issue #24: the log and CLI error lines carried the assessor token URL-encoded, HTML-escaped and
 * lower-cased. Every upstream here echoes its credential back in every spelling (as sent, lower-
 * and upper-cased, URL-encoded, HTML-escaped, base64, JSON-escaped: `echoPage`), while real
 * syncs and processing run through the CLI and through `serve` (the HTTP shell and its events);
 * then every spelling of every secret is looked for in the data folder's files (the log among
 * them), the CLI's output, every document of every collection, a `phoenix-re backup` read back
 * (gunzip, BSON), the events stream and the HTTP answers. The secrets hold characters that each
 * spelling changes (`/ + & < >` and both letter cases); they are plainly fake.
 */

const BIN = path.resolve('bin/phoenix-re.js');
const SECRETS = {
  assessor: 'Fake/Assessor+Token&7Fa<9cE>41',
  openai: 'Fake/OpenAI+Key&0042<AbC>Test',
  webshare: 'Fake/WebShare+Token&5Eb<77>Dd',
  twocaptcha: 'Fake/TwoCaptcha+Key&9Dc<31>Ee',
};
/** The spellings an echo can take besides the plain one (the plain one is the existing tests' case). */
const ENCODED = SPELLINGS.filter((s) => s !== 'plain');

let tdb: TestDatabase;
let dataDir: string;
let backupDir: string;
let assessor: MaricopaSimulator;
let llm: OpenAiSimulator;
let webshare: WebshareSimulator;
let captcha: TwoCaptchaSimulator;
let serve: ChildProcess;
let origin = '';
let httpToken = '';
/** Each place searched: its name and its text. */
const places: Record<string, string> = {};
const cliOutputs: string[] = [];
const httpAnswers: string[] = [];
let events = '';
let eventsAbort: AbortController;

function env(uri = tdb.uri): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MONGODB_URI: uri,
    PHOENIX_DATA_DIR: dataDir,
    LOG_LEVEL: 'debug',
    MARICOPA_API_BASE_URL: assessor.baseUrl,
    MARICOPA_API_TOKEN: SECRETS.assessor,
    MARICOPA_RATE_LIMIT_PER_MINUTE: '6000',
    OPENAI_BASE_URL: llm.baseUrl,
    OPENAI_API_KEY: SECRETS.openai,
    OPENAI_MODEL: 'gpt-4o-mini',
    OPENAI_MAX_RETRIES: '0',
    QUEUE_MAX_ATTEMPTS: '1',
    WEBSHARE_API_BASE_URL: webshare.baseUrl,
    WEBSHARE_API_TOKEN: SECRETS.webshare,
    TWOCAPTCHA_BASE_URL: captcha.baseUrl,
    TWOCAPTCHA_API_KEY: SECRETS.twocaptcha,
    // The proxy list is read before any browser starts: any existing file passes as the browser.
    BROWSER_EXECUTABLE_PATH: process.execPath,
  };
}

/** Run the CLI (asynchronously: the simulators answer from this process); its output is kept for the search. */
function cli(args: string[], uri = tdb.uri): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dataDir, env: env(uri) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (status) => {
      cliOutputs.push(`$ phoenix-re ${args.join(' ')}\n${out}`);
      resolve({ status, out });
    });
  });
}

/** A contract call to `serve`; its answer is kept for the search. */
async function call<T = Record<string, unknown>>(method: string, input: unknown): Promise<T> {
  const res = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${httpToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  httpAnswers.push(`${method} → ${res.status}\n${text}`);
  return JSON.parse(text) as T;
}

interface RunView {
  status: string;
  message?: string;
  errors: { message: string }[];
}

async function finished(runId: string): Promise<RunView> {
  let run: RunView | undefined;
  await until(async () => {
    run = await call<RunView>('runs.get', { runId });
    return run.status !== 'running';
  }, 60_000, `run ${runId} to end`);
  return run!;
}

/**
 * `spellings.length * 2 + clean` APNs of `zip`: for each spelling, one whose answer is an error
 * page quoting the request headers and one whose answer is a firewall's page naming the token
 * it matched (both HTTP 400, so each is one failed parcel of the run); then `clean` ones.
 */
function apnsWithEchoes(zip: string, spellings: readonly Spelling[], clean: number): string[] {
  const apns = assessor.apnsOfZip(zip).slice(0, spellings.length * 2 + clean);
  const parcel = (i: number) => new RegExp(`/parcel/${apns[i]!.replace(/-/g, '')}`);
  spellings.forEach((spelling, i) => {
    assessor.inject({ kind: 'echo-headers', status: 400, spelling }, 1, parcel(2 * i));
    assessor.inject({ kind: 'waf-match', status: 400, spelling }, 1, parcel(2 * i + 1));
  });
  return apns;
}

async function startServe(): Promise<void> {
  serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-schedule'], { cwd: dataDir, env: env() });
  let out = '';
  serve.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    serve.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /Phoenix RE Console at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  serve.once('exit', () => cliOutputs.push(`$ phoenix-re serve\n${out}`));
  origin = new URL(url).origin;
  httpToken = new URL(url).hash.slice('#token='.length);
  eventsAbort = new AbortController();
  const res = await fetch(`${origin}/api/events`, { headers: { authorization: `Bearer ${httpToken}` }, signal: eventsAbort.signal });
  const reader = res.body!.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done) return;
      events += decoder.decode(value, { stream: true });
    }
  })();
}

async function stopServe(): Promise<void> {
  eventsAbort.abort();
  if (serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
  }
}

/** A text as a reader sees it: itself, and when it is JSON (a line, a document), its strings unescaped. */
function readable(text: string): string {
  const parts = [text];
  for (const line of text.split('\n')) {
    const json = line.startsWith('data: ') ? line.slice(6) : line;
    if (!/^[[{]/.test(json)) continue;
    try {
      parts.push(...stringsOf(JSON.parse(json)));
    } catch {
      // not JSON: searched as it is
    }
  }
  return parts.join('\n');
}

/** Every file under `dir` (the data folder): path → readable text; gzipped backups are read apart. */
function filesUnder(dir: string, skip: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || file.startsWith(skip)) continue;
    out[`file ${path.relative(dir, file)}`] = readable(fs.readFileSync(file, 'latin1'));
  }
  return out;
}

/** Every document of every collection of the database named `name`, as readable text. */
async function databaseText(name: string): Promise<Record<string, string>> {
  const db = tdb.client.db(name);
  const out: Record<string, string> = {};
  for (const { name: collection } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const documents = await db.collection(collection).find({}).toArray();
    out[`${name}.${collection}`] = [JSON.stringify(documents), ...stringsOf(documents)].join('\n');
  }
  return out;
}

/** A backup folder's documents, gunzipped and read as BSON, by file. */
function backupText(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile()) continue;
    const bytes = file.endsWith('.gz') ? zlib.gunzipSync(fs.readFileSync(file)) : fs.readFileSync(file);
    const parts = [bytes.toString('latin1')];
    if (file.endsWith('.bson.gz')) {
      for (let at = 0; at < bytes.length; ) {
        const size = bytes.readInt32LE(at);
        parts.push(...stringsOf(BSON.deserialize(bytes.subarray(at, at + size))));
        at += size;
      }
    }
    out[`backup ${path.relative(dir, file)}`] = parts.join('\n');
  }
  return out;
}

beforeAll(async () => {
  tdb = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-spellings-'));
  backupDir = path.join(dataDir, 'backup-under-test');
  assessor = await new MaricopaSimulator({ seed: 24, token: SECRETS.assessor }).start();
  llm = await new OpenAiSimulator({ apiKey: SECRETS.openai }).start();
  webshare = await new WebshareSimulator([], SECRETS.webshare).start();
  captcha = await new TwoCaptchaSimulator({ apiKey: SECRETS.twocaptcha }).start();
  await startServe();

  // The CLI: an assessor sync whose parcels echo the token, one spelling each; processing whose
  // LLM gateway echoes the key, one spelling a call; an MLS sync whose proxy list echoes its token.
  const apns = apnsWithEchoes('85031', ENCODED, ENCODED.length + 1);
  const sync = await cli(['sync', ...apns.flatMap((apn) => ['--apn', apn]), '--refresh']);
  expect(sync.out).toContain('HTTP 400');
  llm.onRequest = (n) => (llm.echoSpelling = ENCODED[(n - 1) % ENCODED.length]!);
  llm.inject(...ENCODED.map(() => 'echo-headers-502' as const));
  const processed = await cli(['process', '--concurrency', '1']);
  expect(processed.status, processed.out).not.toBeNull();
  llm.onRequest = undefined;
  for (const spelling of ['html', 'base64'] as const) {
    webshare.echoSpelling = spelling;
    webshare.echoHeaders = 1;
    expect((await cli(['sync', '--source', 'phoenix_mls', '--zip', '85031'])).out).toContain('WebShare proxy list answered HTTP 502');
  }

  // `serve`: the same through the HTTP shell, and each service's Test connection in each spelling.
  const served = apnsWithEchoes('85033', ENCODED, 2);
  const { runId } = await call<{ runId: string }>('collect.sync', { source: 'maricopa_api', apns: served, refresh: true });
  expect((await finished(runId)).errors.length).toBeGreaterThanOrEqual(2 * ENCODED.length);
  llm.inject(...ENCODED.map(() => 'echo-headers-502' as const));
  llm.onRequest = (n) => (llm.echoSpelling = ENCODED[(n - 1) % ENCODED.length]!);
  const processing = await call<{ runId: string }>('processing.run', { concurrency: 1 });
  await finished(processing.runId);
  llm.onRequest = undefined;
  for (const spelling of ENCODED) {
    assessor.inject({ kind: 'waf-match', status: 400, spelling }, 1, /\/search\/property/);
    webshare.echoSpelling = spelling;
    webshare.echoHeaders = 1;
    captcha.echoSpelling = spelling;
    captcha.echoRequests = 1;
    llm.keyEcho = spelling;
    llm.revoked = true;
    for (const target of ['maricopa', 'llm', 'webshare', 'twocaptcha']) {
      const answer = await call<{ ok: boolean; detail: string }>('settings.test', { target });
      expect(answer.ok, `${target} in ${spelling}: ${answer.detail}`).toBe(false);
    }
    llm.revoked = false;
    webshare.echoHeaders = 1;
    const mls = await call<{ runId: string }>('collect.sync', { source: 'phoenix_mls', zips: ['85031'] });
    expect((await finished(mls.runId)).status).toBe('failed');
  }
  await call('runs.list', { limit: 100 });
  await call('queue.items', { status: 'failed', limit: 100, offset: 0 });
  await call('stats.overview', {});
  await call('health.get', {});

  const backup = await cli(['backup', '--out', backupDir]);
  expect(backup.status, backup.out).toBe(0);
  await stopServe();

  Object.assign(places, filesUnder(dataDir, backupDir), await databaseText(tdb.db.databaseName), backupText(backupDir));
  places['CLI output'] = cliOutputs.map(readable).join('\n');
  places['HTTP answers'] = httpAnswers.map(readable).join('\n');
  places['events stream'] = readable(events);
}, 300_000);

afterAll(async () => {
  if (serve && serve.exitCode === null) await stopServe();
  await Promise.all([assessor?.stop(), llm?.stop(), webshare?.stop(), captcha?.stop()]);
  await tdb?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a credential echoed back in any spelling', () => {
  it('is found by the search in each echo as the simulators send it (the search can fail)', () => {
    for (const spelling of SPELLINGS) {
      for (const quoted of [`authorization: ${SECRETS.assessor}\nhost: x`, `GET /res.php?action=getbalance&key=${encodeURIComponent(SECRETS.twocaptcha)}&json=1`]) {
        const page = echoPage(quoted, 502, spelling).body;
        expect(leaks({ page }, SECRETS), `${spelling}: ${page}`).not.toEqual([]);
      }
    }
  });

  it('reached the console: the runs, the CLI and the events carry the upstream errors', () => {
    expect(places['CLI output']).toContain('HTTP 400');
    expect(places['events stream']).toContain('HTTP 502');
    expect(places['HTTP answers']).toContain('Incorrect API key provided');
    expect(Object.keys(places).some((p) => p.startsWith('file logs/'))).toBe(true);
    expect(Object.keys(places).some((p) => p.endsWith('runs.bson.gz'))).toBe(true);
  });

  it('appears nowhere: data folder files (the log), CLI output, database, backup, events, HTTP answers', () => {
    expect(leaks(places, SECRETS)).toEqual([]);
  });

  it('comes not back with a restore of a backup that an older version made with it stored', async () => {
    // An older version stored upstream errors as they came: its database, backed up by the CLI.
    const old = tdb.client.db(`${tdb.db.databaseName}_old`);
    const restored = `${tdb.db.databaseName}_restored`;
    const echoes = SPELLINGS.map((s) => `HTTP 400: authorization: ${spelled(SECRETS.assessor, s)} / key ${spelled(SECRETS.openai, s)}`);
    try {
      await old.collection('runs').insertOne({ _id: 'older-run' as never, kind: 'sync', status: 'failed', message: echoes[0], errors: echoes.map((message) => ({ at: new Date(), message })) });
      await old.collection('processing_queue').insertOne({ _id: 'older-item' as never, status: 'failed', last_error: echoes.join('\n'), errors: echoes });
      const oldBackup = path.join(dataDir, 'older-backup');
      const uri = tdb.uri.replace(`/${tdb.db.databaseName}`, `/${old.databaseName}`);
      const backup = await cli(['backup', '--out', oldBackup], uri);
      expect(backup.status, backup.out).toBe(0);
      expect(leaks(backupText(oldBackup), SECRETS)).not.toEqual([]);

      const restore = await cli(['restore', oldBackup, '--db', restored]);
      expect(restore.status, restore.out).toBe(0);
      const documents = await databaseText(restored);
      expect(documents[`${restored}.runs`]).toContain('HTTP 400: authorization: [redacted]');
      expect(documents[`${restored}.processing_queue`]).toContain('HTTP 400');
      expect(leaks({ ...documents, 'restore output': restore.out }, SECRETS)).toEqual([]);
    } finally {
      await old.dropDatabase();
      await tdb.client.db(restored).dropDatabase();
    }
  }, 120_000);
});
