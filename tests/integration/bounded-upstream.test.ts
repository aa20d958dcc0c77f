import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MaricopaClient } from '../../src/main/collectors/maricopa/client.js';
import { TwoCaptchaClient } from '../../src/main/collectors/phoenix-mls/twocaptcha.js';
import { fetchWebshareProxies } from '../../src/main/collectors/phoenix-mls/webshare.js';
import { OpenAiProvider } from '../../src/main/processing/enrich/openai-provider.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { PARCEL_FIXTURES_DIR } from '../support/fixtures.js';
import { runWatchingMemory, type WatchedRun } from '../support/peak-memory.js';

/**
 * Issue #24: every reader bounds what one answer or file may cost. A real HTTP server plays a
 * broken or hostile upstream that answers every request with 1 GB (streamed until the client
 * hangs up, or declared by `content-length`); real files of 1 GB (sparse) and /dev/zero (endless,
 * its size 0) are given to `import assessor` and as the settings file. The clients must refuse
 * each with the service (or file), the size and the bound, having read only about the bound;
 * CLI processes' peak resident memory (VmHWM) is read as bounded-input.test.ts does.
 */

const BIN = path.resolve('bin/phoenix-re.js');
const MB = 1024 * 1024;
/** Peak resident memory a CLI process may reach while refusing these inputs: generous, far under the 1 GB sent. */
const RSS_BOUND_MB = 600;
/** Bytes the upstream may have written before the client hung up: the largest bound (16 MB) and socket buffers, far under the 1 GB it offers. */
const SENT_BOUND = 100 * MB;

/** An upstream answering `mode` to every request, counting the body bytes it wrote to each. */
class HostileUpstream {
  readonly sent: number[] = [];
  mode: 'endless' | 'declared' = 'endless';
  private readonly server = http.createServer((req, res) => this.answer(res));

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Body bytes written to the last request. */
  get lastSent(): number {
    return this.sent.at(-1) ?? 0;
  }

  private answer(res: http.ServerResponse): void {
    const index = this.sent.push(0) - 1;
    if (this.mode === 'declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 * MB) });
      res.write('{"a":"');
      this.sent[index] = 6;
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(MB, 'a');
    res.write('{"a":"');
    const pump = () => {
      while (!res.destroyed && this.sent[index]! < 1024 * MB) {
        this.sent[index]! += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end('"}');
    };
    pump();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

let upstream: HostileUpstream;
let tdb: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  upstream = await new HostileUpstream().start();
  tdb = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-upstream-bounds-'));
}, 60_000);

afterAll(async () => {
  await upstream.stop();
  await tdb.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A file of `bytes` zeros that takes no room on disk (sparse): its size is real to `stat` and to a reader. */
function sparseFile(file: string, bytes: number): void {
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, bytes);
}

/** Run the CLI with `extraEnv`: its exit code, output and peak memory. */
function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<WatchedRun> {
  return runWatchingMemory([BIN, ...args], {
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir, ...extraEnv },
  });
}

describe('an upstream answer of 1 GB is refused, naming the service and the bound', () => {
  it('`sync --apn` against an assessor API that sends 1 GB: the parcel fails with the bound, memory bounded', async () => {
    upstream.mode = 'endless';
    const { stdout, stderr, peakMb } = await cli(['sync', '--apn', '501-79-632'], { MARICOPA_API_BASE_URL: upstream.baseUrl, MARICOPA_API_TOKEN: 'fake-assessor-token' });
    expect(`${stdout}${stderr}`).toContain('The Maricopa assessor API answered /parcel/50179632 with more than 8 MB, over the 8 MB one answer may have (a real /parcel answer is under 60 KB); the answer is refused');
    expect(upstream.lastSent).toBeLessThan(SENT_BOUND);
    expect(peakMb).toBeGreaterThan(0);
    expect(peakMb).toBeLessThan(RSS_BOUND_MB);
  }, 120_000);

  it('an assessor answer declaring 1 GB is refused before its body is read', async () => {
    upstream.mode = 'declared';
    const client = new MaricopaClient({ baseUrl: upstream.baseUrl, token: 'fake-assessor-token', rateLimit: { max: 100, windowMs: 1000 }, timeoutMs: 5000 });
    await expect(client.getParcel('501-79-632')).rejects.toThrow('The Maricopa assessor API answered /parcel/50179632 with 1 GB, over the 8 MB one answer may have');
    await client.stop();
  });

  it('WebShare, 2captcha and the LLM server sending 1 GB are each refused having sent about the bound', async () => {
    upstream.mode = 'endless';
    await expect(fetchWebshareProxies({ baseUrl: upstream.baseUrl, token: 'fake-webshare-token', mode: 'direct' })).rejects.toThrow(
      'WebShare answered /api/v2/proxy/list/ with more than 8 MB, over the 8 MB one answer may have (a real proxy-list page is about 40 KB); the answer is refused',
    );
    expect(upstream.lastSent).toBeLessThan(SENT_BOUND);

    const captcha = new TwoCaptchaClient({ baseUrl: upstream.baseUrl, apiKey: 'fake-captcha-key', pollMs: 10 });
    const refused = await captcha.balance().catch((error: Error) => error);
    expect((refused as Error).message).toBe('2captcha answered /res.php with more than 1 MB, over the 1 MB one answer may have (a real answer is under 10 KB); the answer is refused');
    expect((refused as Error).message).not.toContain('fake-captcha-key');
    expect(upstream.lastSent).toBeLessThan(SENT_BOUND);

    const llm = new OpenAiProvider({ apiKey: 'fake-llm-key', baseURL: `${upstream.baseUrl}/v1`, model: 'gpt-4o-mini', server: 'compatible', reasoningEffort: 'auto', maxOutputTokens: 500, timeoutMs: 30_000, maxRetries: 0 });
    const probe = await llm.probe(30_000);
    expect(probe.ok).toBe(false);
    expect(probe.detail).toContain('The LLM server answered /v1/chat/completions with more than 16 MB, over the 16 MB one answer may have (a real completion is some KB)');
    expect(upstream.lastSent).toBeLessThan(SENT_BOUND);
  }, 120_000);
});

describe('a file of 1 GB, or endless, is refused by name, size and bound', () => {
  it('`import assessor` of a folder: a real parcel goes in, a 1 GB file and an endless one are bad files', async () => {
    const dir = path.join(dataDir, 'parcels');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(PARCEL_FIXTURES_DIR, '501-79-632.json'), path.join(dir, '501-79-632.json'));
    sparseFile(path.join(dir, '501-79-633.json'), 1024 * MB);
    fs.symlinkSync('/dev/zero', path.join(dir, '501-79-634.json'));
    const { stdout, stderr, peakMb } = await cli(['import', 'assessor', dir]);
    expect(stdout).toMatch(/1 parcel.* stored .*2 bad files/);
    expect(stderr).toContain('501-79-633.json: the file is 1 GB, over the 8 MB a parcel file may hold (a real /parcel answer is under 60 KB); it is not read');
    expect(stderr).toContain('501-79-634.json: the file is over 8 MB, over the 8 MB a parcel file may hold');
    expect(peakMb).toBeLessThan(RSS_BOUND_MB);
    expect(await tdb.db.collection('raw_properties').countDocuments({ _id: 'maricopa_api:501-79-632' as never })).toBe(1);
  }, 120_000);

  it('a settings file of 1 GB, or endless, stops start-up with its path and the bound', async () => {
    const file = path.join(dataDir, 'settings.json');
    for (const make of [() => sparseFile(file, 1024 * MB), () => fs.symlinkSync('/dev/zero', file)]) {
      fs.rmSync(file, { force: true });
      make();
      const { code, stderr, peakMb } = await cli(['config', 'show']);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the file is (1 GB|over 1 MB), over the 1 MB a settings file may hold`));
      expect(peakMb).toBeLessThan(RSS_BOUND_MB);
    }
    fs.rmSync(file, { force: true });
  }, 60_000);
});
