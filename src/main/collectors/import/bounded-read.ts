import fs from 'node:fs';
import { UPSTREAM_ANSWER_LIMITS, sizeText, type Upstream } from './input-bounds.js';

/** What a bounded file read refuses: `what` names the kind of file and the real size (`a parcel file may hold (a real … is under 60 KB)`). */
export interface FileBound {
  /** Bytes the file may have. */
  bytes: number;
  /** The words after "over the <bound>": what may hold it and the real size, e.g. `a parcel file may hold (a real /parcel answer is under 60 KB)`. */
  what: string;
}

/**
 * A file or an upstream answer over its bound (input-bounds.ts): the message gives its size and
 * the bound, and names the service of an answer; the caller names the file (`settings.json: the file is …`).
 */
export class InputTooLargeError extends Error {
  override readonly name = 'InputTooLargeError';
}

function fileTooLarge(size: string, bound: FileBound): InputTooLargeError {
  return new InputTooLargeError(`the file is ${size}, over the ${sizeText(bound.bytes)} ${bound.what}; it is not read`);
}

/**
 * The bytes of `file`, refused with InputTooLargeError when it has more than `bound.bytes`: its
 * size by `stat` first, then read as a stream of at most one byte past the bound (a file that
 * grows, or a device such as /dev/zero whose size reads 0, still costs only the bound). Other
 * errors (ENOENT, EACCES, EISDIR) are thrown as `fs` throws them.
 */
export async function readFileWithin(file: string, bound: FileBound): Promise<Buffer> {
  const { size } = await fs.promises.stat(file);
  if (size > bound.bytes) throw fileTooLarge(sizeText(size), bound);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of fs.createReadStream(file, { end: bound.bytes }) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
  }
  if (length > bound.bytes) throw fileTooLarge(`over ${sizeText(bound.bytes)}`, bound);
  return Buffer.concat(chunks, length);
}

/** readFileWithin for start-up reads that are synchronous (the settings file): the same bound, the same errors. */
export function readFileWithinSync(file: string, bound: FileBound): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    if (size > bound.bytes) throw fileTooLarge(sizeText(size), bound);
    const buffer = Buffer.allocUnsafe(bound.bytes + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return buffer.subarray(0, length);
      length += n;
      if (length > bound.bytes) throw fileTooLarge(`over ${sizeText(bound.bytes)}`, bound);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function answerTooLarge(upstream: Upstream, where: string, size: string): InputTooLargeError {
  const bound = UPSTREAM_ANSWER_LIMITS[upstream];
  return new InputTooLargeError(`${bound.service} answered ${where} with ${size}, over the ${sizeText(bound.bytes)} one answer may have (${bound.real}); the answer is refused`);
}

/**
 * The body of `res` from `upstream` as bytes, read as a stream and refused with InputTooLargeError
 * once it passes the service's bound (UPSTREAM_ANSWER_LIMITS), or at once when its
 * `content-length` says so; the rest is never read (the stream is cancelled). `where` names the
 * request in the message (`/parcel/50179632`).
 */
export async function readAnswerWithin(res: Response, upstream: Upstream, where: string): Promise<Uint8Array> {
  const limit = UPSTREAM_ANSWER_LIMITS[upstream].bytes;
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw answerTooLarge(upstream, where, sizeText(declared));
  }
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      throw answerTooLarge(upstream, where, `more than ${sizeText(limit)}`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** readAnswerWithin as UTF-8 text (invalid bytes replaced, as `Response.text()` does). */
export async function answerTextWithin(res: Response, upstream: Upstream, where: string): Promise<string> {
  return new TextDecoder().decode(await readAnswerWithin(res, upstream, where));
}

/**
 * A `fetch` whose answers' bodies error with InputTooLargeError once they pass `upstream`'s
 * bound, for clients that read bodies themselves (the OpenAI SDK's `fetch` option). An answer
 * for which `exempt(url)` is true is passed as it came (its reader bounds it itself).
 */
export function fetchWithin(upstream: Upstream, exempt: (url: string) => boolean = () => false): typeof fetch {
  const limit = UPSTREAM_ANSWER_LIMITS[upstream].bytes;
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!res.body || exempt(url)) return res;
    const where = new URL(url).pathname;
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > limit) {
      await res.body.cancel().catch(() => undefined);
      throw answerTooLarge(upstream, where, sizeText(declared));
    }
    let length = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        length += chunk.length;
        if (length > limit) controller.error(answerTooLarge(upstream, where, `more than ${sizeText(limit)}`));
        else controller.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(counter), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
