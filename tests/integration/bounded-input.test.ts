import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_ROW_LIMIT, CSV_VALUE_LIMIT } from '../../src/main/collectors/import/input-bounds.js';
import { armlsCsv, armlsFixture, armlsRows } from '../support/armls.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { peakRssMb, runWatchingMemory } from '../support/peak-memory.js';
import { CountyLayerSimulator } from '../support/county-layer-simulator.js';
import { squareAround } from '../support/county-parcel-file.js';

/**
 * Issue #24: one value without bounds killed the console (a quoted value of 600 MB took `import
 * armls` to 4.4 GB; sent as `collect.import` to `serve`, the server died). Real files written
 * to disk as streams, imported by a real `serve` and a real CLI process, whose peak resident
 * memory (VmHWM, /proc/<pid>/status) is read.
 */

const BIN = path.resolve('bin/phoenix-re.js');
/** Peak resident memory a process may reach while refusing these files: generous, far under the 4.4 GB of the issue. */
const RSS_BOUND_MB = 600;
const MB = 1024 * 1024;

let tdb: TestDatabase;
let dataDir: string;
let serve: ChildProcess;
let origin: string;
let token: string;

beforeAll(async () => {
  tdb = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-bounds-'));
  serve = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: dataDir, env: env() });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /Phoenix RE Console at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  origin = new URL(url).origin;
  token = new URL(url).hash.slice('#token='.length);
}, 60_000);

afterAll(async () => {
  if (serve.exitCode === null) {
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
  }
  await tdb.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir };
}

/** A contract call to `serve`: its HTTP status and JSON answer. */
async function call(method: string, input: unknown): Promise<{ status: number; body: Record<string, unknown> & { error?: { message: string } } }> {
  const res = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/** Write `parts` to `file` as a stream (a part may repeat one buffer many times), never holding the file. */
async function writeFile(file: string, parts: Iterable<string | Buffer>): Promise<void> {
  await pipeline(Readable.from(parts), fs.createWriteStream(file));
}

/** `count` times the same buffer. */
function* repeat(buffer: Buffer, count: number): Generator<Buffer> {
  for (let i = 0; i < count; i += 1) yield buffer;
}

/** An export of `rows` real rows (the fixture's, varied) as text, cut in two where the value of `column` in row `placeholderRow` (0-based) goes. */
function exportAround(rows: number, placeholderRow: number, column: string): [string, string] {
  const { header, row } = armlsFixture();
  const all = armlsRows(rows, header, row);
  all[placeholderRow]![header.indexOf(column)] = 'PLACEHOLDER';
  const [before, after] = armlsCsv(header, all).split('PLACEHOLDER');
  return [before!, after!];
}

/**
 * Import `file` through `serve` (`collect.import`), asking `health.get` all along: the run at
 * its end, how many health answers came while it ran (all of them 200), and the peak memory.
 */
async function importThroughServe(file: string, kind: 'armls' | 'parcels' = 'armls'): Promise<{ run: { status: string; message?: string; errors: { message: string }[]; counters: Record<string, number> }; healthAnswers: number; peakMb: number }> {
  const started = await call('collect.import', { kind, path: file });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const runId = started.body.runId as string;
  let healthAnswers = 0;
  for (;;) {
    const health = await call('health.get', {});
    expect(health.status).toBe(200);
    const run = (await call('runs.get', { runId })).body as never as { status: string };
    if (run.status !== 'running') return { run: run as never, healthAnswers, peakMb: peakRssMb(serve.pid!) };
    healthAnswers += 1;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * Write `parts` (over 300 MB, one value of them huge) to `name` in the data folder and import it
 * through `serve`: the run succeeds with the two records around the value stored and the value's
 * record refused as `error`, `serve` answering health calls all along within RSS_BOUND_MB.
 */
async function expectValueRefusedThroughServe(name: string, parts: Iterable<string | Buffer>, expected: { kind: 'armls' | 'parcels'; message: string; error: string; source: string }): Promise<void> {
  const file = path.join(dataDir, name);
  await writeFile(file, parts);
  try {
    expect(fs.statSync(file).size).toBeGreaterThan(300 * MB);
    const { run, healthAnswers, peakMb } = await importThroughServe(file, expected.kind);
    expect(run.status).toBe('succeeded');
    expect(run.message).toBe(expected.message);
    expect(run.errors.map((e) => e.message)).toEqual([expected.error]);
    expect(healthAnswers).toBeGreaterThan(0);
    expect(peakMb).toBeLessThan(RSS_BOUND_MB);
    expect(await tdb.db.collection('raw_properties').countDocuments({ source: expected.source })).toBe(2);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** The index of a row's last value that is not empty. */
function lastFilled(values: string[]): number {
  let i = values.length - 1;
  while (i > 0 && values[i] === '') i -= 1;
  return i;
}

describe('an import holds bounded memory, whatever the file', () => {
  it('refuses a 300 MB value by row and column while `serve` answers; the rows around it go in', async () => {
    const [before, after] = exportAround(3, 1, 'Public Remarks');
    await expectValueRefusedThroughServe('huge-value.csv', [before, ...repeat(Buffer.alloc(MB, 'a'), 300), after], {
      kind: 'armls',
      message: '2 rows stored (2 new, 0 changed, 0 unchanged), 1 bad row',
      error: 'row 2 (line 3): Public Remarks: a value over 1 MB, from line 3 on (the longest real ARMLS value, Features, is about 6 KB); the row is not imported',
      source: 'armls_export',
    });
  }, 240_000);

  it('refuses a 1 GB file before reading it, naming its size and the bound, while `serve` answers', async () => {
    const file = path.join(dataDir, 'huge-file.csv');
    const { header, row } = armlsFixture();
    const rows = Buffer.from(armlsCsv(header, armlsRows(200, header, row)).split('\r\n').slice(1).join('\r\n'));
    await writeFile(file, [armlsCsv(header, []), ...repeat(rows, Math.ceil((1024 * MB) / rows.length))]);
    try {
      expect(fs.statSync(file).size).toBeGreaterThan(1024 * MB);
      const { run, peakMb } = await importThroughServe(file);
      expect(run.status).toBe('failed');
      expect(run.message).toMatch(/^huge-file\.csv is 1\.0 GB, over the 512 MB an import reads \(about 110,000 rows of a real export\): export fewer listings at a time/);
      expect(peakMb).toBeLessThan(RSS_BOUND_MB);
      expect((await call('health.get', {})).status).toBe(200);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 240_000);

  it('`import armls` refuses the issue’s file (a header, then a quote and 300 MB of `a`) with bounded memory', async () => {
    const file = path.join(dataDir, 'open-quote.csv');
    const { header } = armlsFixture();
    await writeFile(file, [armlsCsv(header, []), '"', ...repeat(Buffer.alloc(MB, 'a'), 300)]);
    try {
      const { code, stdout, stderr, peakMb } = await runWatchingMemory([BIN, 'import', 'armls', file], { cwd: dataDir, env: env(), everyMs: 100 });
      expect(code, stderr).toBe(1);
      expect(stdout).toMatch(/failed: 0 rows stored \(0 new, 0 changed, 0 unchanged\), 1 bad row/);
      expect(stderr).toContain('row 1 (line 2): List Number: the quote that opens this value on line 2 is never closed, so the rest of the file was read as this one value');
      expect(peakMb).toBeGreaterThan(0);
      expect(peakMb).toBeLessThan(RSS_BOUND_MB);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 240_000);

  /** A county parcel GeoJSON of three invented parcels (the layer simulator's), cut in two where feature 2's `field` value goes. */
  function parcelFileAround(field: string): [string, string] {
    const parcels = new CountyLayerSimulator({ seed: 5 }).parcelsOf('85039').slice(0, 3);
    const features = parcels.map((a, i) => ({ type: 'Feature', properties: i === 1 ? { ...a, [field]: 'PLACEHOLDER' } : a, geometry: squareAround(a) }));
    const [before, after] = JSON.stringify({ type: 'FeatureCollection', features }).split('"PLACEHOLDER"');
    return [before!, after!];
  }

  it('`collect.import` of a county parcel file refuses a 300 MB value by feature and field while `serve` answers; the features around it go in', async () => {
    const [before, after] = parcelFileAround('OWNER_NAME');
    await expectValueRefusedThroughServe('huge-value.geojson', [before, '"', ...repeat(Buffer.alloc(MB, 'a'), 300), '"', after], {
      kind: 'parcels',
      message: '2 parcels stored (2 new, 0 changed, 0 unchanged), 1 bad feature',
      error: "feature 2: properties.OWNER_NAME: a value over 1 MB (a real parcel's longest value is some tens of characters); the feature is not imported",
      source: 'county_layer',
    });
  }, 240_000);

  it('`import parcels` refuses a number of 300 MB digits in a feature with bounded memory', async () => {
    const file = path.join(dataDir, 'huge-number.geojson');
    const [before, after] = parcelFileAround('SALE_PRICE');
    await writeFile(file, [before, ...repeat(Buffer.alloc(MB, '7'), 300), after]);
    try {
      const { code, stdout, stderr, peakMb } = await runWatchingMemory([BIN, 'import', 'parcels', file], { cwd: dataDir, env: env(), everyMs: 100 });
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/succeeded: 2 parcels stored \(\d new, \d changed, \d unchanged\), 1 bad feature/);
      expect(stderr).toContain('feature 2: properties.SALE_PRICE: a value over 1 MB');
      expect(peakMb).toBeGreaterThan(0);
      expect(peakMb).toBeLessThan(RSS_BOUND_MB);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 240_000);

  it('imports values and rows just under the bounds; one character more is refused by row and column', async () => {
    const { header, row } = armlsFixture();
    const rows = armlsRows(4, header, row);
    const at = (name: string) => header.indexOf(name);
    // Listings of their own (the tests before stored the first of armlsRows).
    rows.forEach((r, i) => (r[at('List Number')] = String(8_000_000 + i)));
    // Row 1: a value of exactly CSV_VALUE_LIMIT characters.
    rows[0]![at('Public Remarks')] = 'r'.repeat(CSV_VALUE_LIMIT);
    // Row 2: four long values that bring the row to exactly CSV_ROW_LIMIT characters.
    const free = ['Public Remarks', 'Directions', 'Legal Description (Abbrev)', 'Cross Street'].map(at);
    expect(free).not.toContain(-1);
    for (const i of free) rows[1]![i] = '';
    const rest = rows[1]!.reduce((sum, v) => sum + v.length, 0);
    const share = Math.floor((CSV_ROW_LIMIT - rest) / free.length);
    free.forEach((i, k) => (rows[1]![i] = 'd'.repeat(k === 0 ? CSV_ROW_LIMIT - rest - share * (free.length - 1) : share)));
    expect(rows[1]!.reduce((sum, v) => sum + v.length, 0)).toBe(CSV_ROW_LIMIT);
    // Rows 3 and 4: one character more than each.
    rows[2]![at('Public Remarks')] = 'r'.repeat(CSV_VALUE_LIMIT + 1);
    rows[3] = [...rows[1]!];
    rows[3][at('List Number')] = `${rows[3][at('List Number')]}9`;
    const file = path.join(dataDir, 'just-under.csv');
    await writeFile(file, [armlsCsv(header, rows)]);
    try {
      const { run } = await importThroughServe(file);
      expect(run.message).toBe('2 rows stored (2 new, 0 changed, 0 unchanged), 2 bad rows');
      expect(run.errors.map((e) => e.message)).toEqual([
        'row 3 (line 4): Public Remarks: a value over 1 MB, from line 4 on (the longest real ARMLS value, Features, is about 6 KB); the row is not imported',
        // The character over the bound is the row's last: in its last column that is not empty.
        `row 4 (line 5): ${header[lastFilled(rows[3])]}: the row passes 4 MB in this column, on line 5 (a real ARMLS row is under 7 KB); the row is not imported`,
      ]);
      const stored = await tdb.db.collection('raw_properties').findOne({ _id: `armls_export:${rows[0]![at('List Number')]}` as never });
      expect((stored?.data as { description: string }).description).toHaveLength(CSV_VALUE_LIMIT);
    } finally {
      fs.rmSync(file, { force: true });
    }
  }, 120_000);
});

/**
 * One raw HTTP/1.1 request to `serve`: `head` lines, then `body` chunks written as the socket
 * takes them until the answer comes; the answer's status and text, and the body bytes sent.
 */
function rawRequest(head: string[], body: Iterable<Buffer>): Promise<{ status: number; text: string; sent: number }> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(origin);
    const socket = net.connect(Number(port), '127.0.0.1');
    let text = '';
    let sent = 0;
    let answered = false;
    const done = () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text, sent });
    socket.on('data', (d) => {
      text += d.toString();
      answered = true;
    });
    socket.on('close', done);
    // The server closes the connection while the body is still being sent: the answer came first.
    socket.on('error', (error: NodeJS.ErrnoException) => (answered || error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    const chunks = body[Symbol.iterator]();
    const writeOn = () => {
      while (!answered && !socket.destroyed) {
        const next = chunks.next();
        if (next.done) return;
        sent += next.value.length;
        if (!socket.write(next.value)) return void socket.once('drain', writeOn);
      }
    };
    socket.write([...head, '', ''].join('\r\n'), writeOn);
  });
}

describe('the HTTP shell reads at most 1 MB of a request', () => {
  const head = (extra: string) => ['POST /api/health.get HTTP/1.1', `host: ${new URL(origin).host}`, `authorization: Bearer ${token}`, 'content-type: application/json', extra];

  it('refuses a body declared as 1 GB before reading it, and answers the next call', async () => {
    const res = await rawRequest(head(`content-length: ${1024 * MB}`), []);
    expect(res.status).toBe(413);
    expect(res.text).toContain('Request body over 1 MB (1048576 bytes)');
    expect((await call('health.get', {})).status).toBe(200);
  });

  it('stops reading a chunked body of 1 GB once it passes 1 MB, its memory bounded', async () => {
    const chunk = Buffer.concat([Buffer.from(`${MB.toString(16)}\r\n`), Buffer.alloc(MB, 'a'), Buffer.from('\r\n')]);
    const res = await rawRequest(head('transfer-encoding: chunked'), repeat(chunk, 1024));
    expect(res.status).toBe(413);
    expect(res.sent).toBeLessThan(512 * MB);
    expect(peakRssMb(serve.pid!)).toBeLessThan(RSS_BOUND_MB);
    expect((await call('health.get', {})).status).toBe(200);
  }, 60_000);
});
