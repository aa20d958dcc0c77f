import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Db } from 'mongodb';

/**
 * The probe's machinery (issue #24: "the probe's script in `tests/` runnable as one command,
 * reporting tried / held counts"): a real `phoenix-re serve` on a temporary data folder, raw HTTP
 * to it, the CLI as a child process, and the checks every case shares (the answer plain, nothing
 * secret in it, the server still answering, no data lost).
 */

export const BIN = path.resolve(import.meta.dirname, '../../bin/phoenix-re.js');

/**
 * Secret values the probed console holds (plainly fake, never key-shaped): none may appear in any
 * answer, in any spelling an echo could take (see `secretSpellings`).
 */
export const PROBE_SECRETS = {
  MARICOPA_API_TOKEN: 'probe-assessor-token-7f3e9a',
  OPENAI_API_KEY: 'probe-llm-key-2b8c41',
  WEBSHARE_API_TOKEN: 'probe-webshare-token-91d0',
  TWOCAPTCHA_API_KEY: 'probe-captcha-key-5e77',
} as const;

/** One probe case: what it tries, and what did not hold (null when everything held). */
export interface ProbeCase {
  group: string;
  name: string;
  /** Cases a quick run (the vitest test) skips: the slow ones beyond a sample. */
  slow?: boolean;
  run(ctx: ProbeContext): Promise<string | null>;
}

/** A raw HTTP answer: status (0 when the connection closed without one), headers, body text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The whole answer as received (status line, headers, body). */
  text: string;
}

/** What a CLI run gave. */
export interface CliAnswer {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The live console a case probes. */
export interface ProbeContext {
  origin: string;
  host: string;
  token: string;
  dataDir: string;
  /** A scratch folder for the case's files (emptied between cases). */
  scratch: string;
  db: Db;
  env: NodeJS.ProcessEnv;
  serve: ChildProcess;
}

/** Every spelling of `value` an upstream or a log might echo: plain, lower and upper case, URL-encoded, HTML-escaped, base64. */
export function secretSpellings(value: string): string[] {
  return [value, value.toLowerCase(), value.toUpperCase(), encodeURIComponent(value), value.replace(/-/g, '&#45;'), Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')];
}

/** What an answer must not carry: a secret in any spelling, the bearer token, a stack trace, a server path. */
export function leaks(text: string, ctx: Pick<ProbeContext, 'token'>): string | null {
  for (const [name, value] of Object.entries(PROBE_SECRETS)) {
    if (secretSpellings(value).some((s) => text.includes(s))) return `the answer carries ${name}`;
  }
  if (text.includes(ctx.token)) return 'the answer carries the bearer token';
  if (/\n\s+at .+:\d+:\d+\)?/.test(text) || text.includes('node:internal')) return 'the answer carries a stack trace';
  if (text.includes(path.resolve(import.meta.dirname, '../../src'))) return 'the answer carries a source path';
  return null;
}

/**
 * One raw HTTP/1.1 request: `head` lines (request line first), then `body` written as the
 * socket takes it until the answer comes. Never throws: a connection the server closes without
 * an answer gives status 0.
 */
export function rawRequest(ctx: Pick<ProbeContext, 'origin'>, head: string[], body: Buffer | Iterable<Buffer> = Buffer.alloc(0), timeoutMs = 20_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(new URL(ctx.origin).port), '127.0.0.1');
    const received: Buffer[] = [];
    let answered = false;
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('utf8');
      const [headText = '', ...rest] = text.split('\r\n\r\n');
      const headers: Record<string, string> = {};
      for (const line of headText.split('\r\n').slice(1)) {
        const at = line.indexOf(':');
        if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      const body = rest.join('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), headers, body: headers['transfer-encoding'] === 'chunked' ? dechunked(body) : body, text });
    };
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (d: Buffer) => {
      received.push(d);
      answered = true;
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    const chunks = (Buffer.isBuffer(body) ? [body] : body)[Symbol.iterator]();
    const writeOn = () => {
      while (!answered && !socket.destroyed) {
        const next = chunks.next();
        if (next.done) return;
        if (!socket.write(next.value)) return void socket.once('drain', writeOn);
      }
    };
    socket.write([...head, '', ''].join('\r\n'), writeOn);
  });
}

/** A chunked body's content (RFC 9112 §7.1): the chunks joined, sizes and trailers dropped. */
function dechunked(body: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) return out;
    const size = parseInt(body.slice(at, end), 16);
    if (!(size > 0)) return out;
    out += body.slice(end + 2, end + 2 + size);
    at = end + 2 + size + 2;
  }
}

/** The usual head of a contract call: `POST /api/<method>` with the right host, token and type, closing after. */
export function callHead(ctx: Pick<ProbeContext, 'host' | 'token'>, method: string, extra: string[] = [], bodyLength?: number): string[] {
  return [
    `POST /api/${method} HTTP/1.1`,
    `host: ${ctx.host}`,
    `authorization: Bearer ${ctx.token}`,
    'content-type: application/json',
    'connection: close',
    ...(bodyLength === undefined ? [] : [`content-length: ${bodyLength}`]),
    ...extra,
  ];
}

/** A contract call with a JSON body: the raw answer. */
export function call(ctx: ProbeContext, method: string, input: unknown): Promise<RawAnswer> {
  const body = Buffer.from(input === undefined ? '' : JSON.stringify(input));
  return rawRequest(ctx, callHead(ctx, method, [], body.length), body);
}

/** The contract error of an answer, or what is wrong with it when it is not one of `code`. */
export function contractError(answer: RawAnswer, code: string): string | null {
  let parsed: { error?: { code?: unknown; message?: unknown } };
  try {
    parsed = JSON.parse(answer.body) as never;
  } catch {
    return `the answer is not JSON: ${JSON.stringify(answer.body.slice(0, 120))}`;
  }
  if (parsed.error?.code !== code) return `error code ${JSON.stringify(parsed.error?.code)}, not ${code}`;
  if (typeof parsed.error.message !== 'string' || parsed.error.message.trim() === '') return 'the error has no message';
  return null;
}

/** Whether `serve` still answers `health.get` with 200. */
export async function stillAnswers(ctx: ProbeContext): Promise<string | null> {
  if (ctx.serve.exitCode !== null || ctx.serve.signalCode !== null) return `serve exited (${ctx.serve.exitCode ?? ctx.serve.signalCode})`;
  const health = await call(ctx, 'health.get', {});
  return health.status === 200 ? null : `serve no longer answers health.get (status ${health.status})`;
}

/** Run the CLI against the probed console's database and data folder. */
export function cli(ctx: ProbeContext, args: string[], timeoutMs = 120_000): Promise<CliAnswer> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ctx.dataDir, env: ctx.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Documents in each collection that holds collected data or settings: what no refused input may change. */
export async function dataCounts(db: Db): Promise<Record<string, number>> {
  const names = ['raw_properties', 'raw_originals', 'processing_queue', 'processed_properties', 'settings'];
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = await db.collection(name).countDocuments();
  return counts;
}

/** What changed between two `dataCounts`, in words, or null. */
export function countsChanged(before: Record<string, number>, after: Record<string, number>): string | null {
  const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
  return changed.length === 0 ? null : `data changed: ${changed.map((k) => `${k} ${before[k]} → ${after[k]}`).join(', ')}`;
}

/** Write `parts` to `file` (a part may be a generator of buffers), never holding the whole. */
export async function writeParts(file: string, parts: Iterable<string | Buffer>): Promise<void> {
  const { pipeline } = await import('node:stream/promises');
  const { Readable } = await import('node:stream');
  await pipeline(Readable.from(parts), fs.createWriteStream(file));
}

/** `count` times the same buffer. */
export function* repeat(buffer: Buffer, count: number): Generator<Buffer> {
  for (let i = 0; i < count; i += 1) yield buffer;
}

/** Bytes of a fixed pseudo-random sequence (a linear congruential generator): the same binary garbage each run. */
export function garbage(length: number, seed = 7): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}
