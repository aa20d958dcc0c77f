import { callHead, contractError, leaks, rawRequest, repeat, stillAnswers, type ProbeCase, type ProbeContext, type RawAnswer } from './harness.js';

/**
 * Bad HTTP requests to `serve`, from tables: wrong tokens, wrong methods, unknown contract
 * methods, path tricks, header tricks, malformed JSON and huge bodies. Each must be refused with
 * its status and contract error code (or, for what Node's parser refuses itself, its status),
 * carry nothing secret and no stack, and leave `serve` answering.
 */

const MB = 1024 * 1024;

/** What a refused request must get. `code` null: Node's HTTP parser answers itself, with no JSON. */
interface Refusal {
  status: number | number[];
  code: string | null;
}

/** One HTTP case: how to build the request, and the refusal it must get. */
interface HttpCase extends Refusal {
  group: string;
  name: string;
  send(ctx: ProbeContext): Promise<RawAnswer>;
  /** A further check of the answer: what is wrong, or null. */
  also?: (answer: RawAnswer, ctx: ProbeContext) => string | null;
}

const UNAUTHORIZED: Refusal = { status: 401, code: 'UNAUTHORIZED' };
const BAD_REQUEST: Refusal = { status: 400, code: 'BAD_REQUEST' };

/** The judgement every HTTP case shares. */
function judged(c: HttpCase): ProbeCase {
  return {
    group: c.group,
    name: c.name,
    async run(ctx) {
      const answer = await c.send(ctx);
      const statuses = [c.status].flat();
      if (!statuses.includes(answer.status)) return `status ${answer.status}, not ${statuses.join(' or ')}: ${JSON.stringify(answer.body.slice(0, 160))}`;
      if (c.code !== null) {
        const wrong = contractError(answer, c.code);
        if (wrong) return wrong;
      }
      if (answer.headers['access-control-allow-origin']) return `the answer allows another origin (${answer.headers['access-control-allow-origin']})`;
      return leaks(answer.text, ctx) ?? c.also?.(answer, ctx) ?? (await stillAnswers(ctx));
    },
  };
}

/** A request of `head` lines and `body` (text or chunks). */
const raw = (head: (ctx: ProbeContext) => string[], body: (() => Buffer | Iterable<Buffer>) | string = '') => (ctx: ProbeContext) =>
  rawRequest(ctx, head(ctx), typeof body === 'string' ? Buffer.from(body) : body());

/** Contract calls with a JSON body, a token of `authorization`. */
function withAuthorization(authorization: ((token: string) => string) | null) {
  return (ctx: ProbeContext, request: string) => [request, `host: ${ctx.host}`, ...(authorization ? [`authorization: ${authorization(ctx.token)}`] : []), 'content-type: application/json', 'content-length: 2', 'connection: close'];
}

const AUTHORIZATIONS: [string, ((token: string) => string) | null][] = [
  ['no Authorization header', null],
  ['an empty Authorization header', () => ''],
  ['"Bearer" alone', () => 'Bearer'],
  ['"Bearer " and nothing', () => 'Bearer '],
  ['a wrong token', () => 'Bearer wrong-token'],
  ['the token and one character more', (t) => `Bearer ${t}x`],
  ['the token less its last character', (t) => `Bearer ${t.slice(0, -1)}`],
  ['the token upper-cased', (t) => `Bearer ${t.toUpperCase()}`],
  ['the token as Basic credentials', (t) => `Basic ${Buffer.from(`user:${t}`).toString('base64')}`],
  ['the token under another scheme', (t) => `Token ${t}`],
  ['the token twice', (t) => `Bearer ${t} ${t}`],
  ['a token of 10 KB', () => `Bearer ${'t'.repeat(10_000)}`],
];

const AUTH_TARGETS = ['POST /api/health.get', 'POST /api/settings.get', 'GET /metrics', 'GET /api/events'];

const authCases: HttpCase[] = AUTHORIZATIONS.flatMap(([what, authorization]) =>
  AUTH_TARGETS.map((target) => ({
    group: 'http: token',
    name: `${target} with ${what}`,
    ...UNAUTHORIZED,
    send: raw((ctx) => withAuthorization(authorization)(ctx, `${target} HTTP/1.1`), '{}'),
  })),
);

const methodCases: HttpCase[] = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'].flatMap((verb) =>
  ['health.get', 'settings.update', 'collect.import'].map((method) => ({
    group: 'http: wrong method',
    name: `${verb} /api/${method}`,
    status: 405,
    code: 'BAD_REQUEST',
    send: raw((ctx) => [`${verb} /api/${method} HTTP/1.1`, `host: ${ctx.host}`, `authorization: Bearer ${ctx.token}`, 'connection: close']),
    also: (answer: RawAnswer) => (answer.headers.allow === 'POST' ? null : `no "Allow: POST" header (${answer.headers.allow})`),
  })),
);

const UNKNOWN_METHODS = ['nope', 'health', 'health.get.x', 'health.get/', 'HEALTH.GET', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 'health.get%00', 'health.get%20', 'a'.repeat(5000), 'settings.get;rm', 'api/health.get'];

const unknownMethodCases: HttpCase[] = UNKNOWN_METHODS.map((method) => ({
  group: 'http: unknown method',
  name: `POST /api/${method.length > 40 ? `${method.slice(0, 12)}… (${method.length} characters)` : method}`,
  status: 404,
  code: 'NOT_FOUND',
  send: raw((ctx) => callHead(ctx, method, [], 2), '{}'),
}));

/** Paths that try to leave the console's own files: none may answer with a file from outside. */
const TRICK_PATHS = [
  '/../../../../etc/passwd',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e%5c%2e%2e%5cetc%5cpasswd',
  '//etc/passwd',
  '/index.html/../../package.json',
  '/.env',
  '/settings.json',
  '/%00',
  '/%zz',
  '/api/../../etc/passwd',
  '/assets/%2e%2e/%2e%2e/package.json',
];

const pathCases: HttpCase[] = TRICK_PATHS.map((target) => ({
  group: 'http: path tricks',
  name: `GET ${target}`,
  status: [400, 401, 404],
  code: null,
  send: raw((ctx) => [`GET ${target} HTTP/1.1`, `host: ${ctx.host}`, 'connection: close']),
  also: (answer: RawAnswer) => (/root:x:0|"name": "phoenix-re-console"|MONGODB_URI/.test(answer.body) ? 'the answer is a file from outside the console build' : null),
}));

/** Header tricks: each row a request head (the body `{}` follows) and its refusal. */
const HEADER_TRICKS: [string, (ctx: ProbeContext) => string[], Refusal][] = [
  ['two Host headers', (ctx) => callHead(ctx, 'health.get', [`host: ${ctx.host}`], 2), BAD_REQUEST],
  ['another Host', (ctx) => ['POST /api/health.get HTTP/1.1', 'host: evil.example', `authorization: Bearer ${ctx.token}`, 'content-type: application/json', 'content-length: 2', 'connection: close'], { status: 403, code: 'FORBIDDEN' }],
  ['a Host that ends in another domain', (ctx) => ['POST /api/health.get HTTP/1.1', `host: 127.0.0.1.evil.example:${new URL(ctx.origin).port}`, `authorization: Bearer ${ctx.token}`, 'content-type: application/json', 'content-length: 2', 'connection: close'], { status: 403, code: 'FORBIDDEN' }],
  ['no Host header', (ctx) => ['POST /api/health.get HTTP/1.1', `authorization: Bearer ${ctx.token}`, 'content-type: application/json', 'content-length: 2', 'connection: close'], { status: 400, code: null }],
  ['Content-Type text/plain', (ctx) => callHead(ctx, 'health.get', [], 2).map((l) => l.replace('application/json', 'text/plain')), BAD_REQUEST],
  ['no Content-Type', (ctx) => callHead(ctx, 'health.get', [], 2).filter((l) => !l.startsWith('content-type')), BAD_REQUEST],
  ['Content-Type multipart/form-data', (ctx) => callHead(ctx, 'health.get', [], 2).map((l) => l.replace('application/json', 'multipart/form-data; boundary=x')), BAD_REQUEST],
  ['Content-Length of 1 GB', (ctx) => callHead(ctx, 'health.get', [], 1024 * MB), { status: 413, code: 'PAYLOAD_TOO_LARGE' }],
  ['Content-Length of 2^53', (ctx) => callHead(ctx, 'health.get', [], 2 ** 53), { status: [413, 400], code: null }],
  ['Content-Length not a number', (ctx) => [...callHead(ctx, 'health.get'), 'content-length: abc'], { status: 400, code: null }],
  ['a negative Content-Length', (ctx) => [...callHead(ctx, 'health.get'), 'content-length: -5'], { status: 400, code: null }],
  ['two different Content-Lengths', (ctx) => [...callHead(ctx, 'health.get', [], 2), 'content-length: 3'], { status: 400, code: null }],
  ['Transfer-Encoding and Content-Length together', (ctx) => [...callHead(ctx, 'health.get', [], 2), 'transfer-encoding: chunked'], { status: 400, code: null }],
  ['headers of 20 KB', (ctx) => [...callHead(ctx, 'health.get', [], 2), `x-filler: ${'f'.repeat(20_000)}`], { status: 431, code: null }],
  ['a header line without a colon', (ctx) => [...callHead(ctx, 'health.get', [], 2), 'no colon here'], { status: 400, code: null }],
  ['a NUL in a header value', (ctx) => [...callHead(ctx, 'health.get', [], 2), 'x-probe: a\u0000b'], { status: 400, code: null }],
  ['a request line that is not HTTP', () => ['HELLO THERE'], { status: 400, code: null }],
  ['an Origin of another site on a preflight', (ctx) => [`OPTIONS /api/settings.get HTTP/1.1`, `host: ${ctx.host}`, 'origin: http://evil.example', 'access-control-request-method: POST', 'connection: close'], { status: 401, code: 'UNAUTHORIZED' }],
];

const headerCases: HttpCase[] = HEADER_TRICKS.map(([name, head, refusal]) => ({
  group: 'http: header tricks',
  name,
  ...refusal,
  send: raw(head, name.startsWith('Content-Length of') || name.includes('not HTTP') ? '' : '{}'),
}));

/** Bodies that are not JSON, or JSON that tries a trick: each sent to `properties.list`. */
const BAD_BODIES: [string, () => Buffer][] = [
  ['an open brace', () => Buffer.from('{')],
  ['a cut-off object', () => Buffer.from('{"page":')],
  ['a bare word', () => Buffer.from('nul')],
  ['single quotes', () => Buffer.from("{'page':1}")],
  ['a trailing comma', () => Buffer.from('{"page":1,}')],
  ['an unclosed array', () => Buffer.from('[1,2')],
  ['a NUL byte', () => Buffer.from('\u0000')],
  ['NaN', () => Buffer.from('{"page":NaN}')],
  ['undefined', () => Buffer.from('undefined')],
  ['a byte-order mark before the object', () => Buffer.from('\ufeff{}')],
  ['bytes that are not UTF-8', () => Buffer.from([0xff, 0xfe, 0x7b, 0x7d])],
  ['a number too large (1e99999)', () => Buffer.from('{"page":1e99999}')],
  ['a lone surrogate in a key', () => Buffer.from('{"\\ud800":1}')],
  ['arrays nested 100,000 deep', () => Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)],
  ['objects nested 50,000 deep', () => Buffer.from(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`)],
  ['__proto__ at the top', () => Buffer.from('{"__proto__":{"polluted":true}}')],
  ['constructor.prototype', () => Buffer.from('{"constructor":{"prototype":{"polluted":true}}}')],
  ['__proto__ inside filters', () => Buffer.from('{"filters":{"__proto__":{"polluted":true}}}')],
  ["50,000 unknown keys", () => Buffer.from(`{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":0`).join(',')}}`)],
  ['a page of -1', () => Buffer.from('{"page":-1}')],
  ['a page of 1e308', () => Buffer.from('{"page":1e308}')],
  ['a page that is a string', () => Buffer.from('{"page":"1"}')],
  ['a page size of a million', () => Buffer.from('{"pageSize":1000000}')],
  ['a sort field that is not one', () => Buffer.from('{"sort":{"field":"$where","direction":"desc"}}')],
  ['a filter holding a query operator', () => Buffer.from('{"filters":{"zip":{"$ne":null}}}')],
];

const bodyCases: HttpCase[] = BAD_BODIES.map(([name, body]) => ({
  group: 'http: malformed JSON',
  name: `properties.list with ${name}`,
  ...BAD_REQUEST,
  send: (ctx) => {
    const bytes = body();
    return rawRequest(ctx, callHead(ctx, 'properties.list', [], bytes.length), bytes);
  },
  also: (answer) => (answer.body.length > 64 * 1024 ? `the error is ${answer.body.length} bytes long` : null),
}));

/** A chunked body of `mb` 1 MB chunks. */
function* chunked(mb: number): Generator<Buffer> {
  const chunk = Buffer.concat([Buffer.from(`${MB.toString(16)}\r\n`), Buffer.alloc(MB, ' '), Buffer.from('\r\n')]);
  yield* repeat(chunk, mb);
  yield Buffer.from('0\r\n\r\n');
}

const hugeCases: HttpCase[] = [
  ...['health.get', 'settings.update', 'collect.import', 'properties.get'].map((method) => ({
    group: 'http: huge bodies',
    name: `${method} with a JSON string of 1 MB and one byte`,
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    send: (ctx: ProbeContext) => {
      const bytes = Buffer.from(JSON.stringify({ id: 'x'.repeat(MB - 8) }));
      return rawRequest(ctx, callHead(ctx, method, [], bytes.length), bytes);
    },
  })),
  ...[2, 64].map((mb) => ({
    group: 'http: huge bodies',
    name: `a chunked body of ${mb} MB`,
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    send: (ctx: ProbeContext) => rawRequest(ctx, [...callHead(ctx, 'health.get'), 'transfer-encoding: chunked'], chunked(mb)),
  })),
  {
    group: 'http: huge bodies',
    name: 'properties.get with an id of 900 KB',
    ...BAD_REQUEST,
    send: (ctx: ProbeContext) => {
      const bytes = Buffer.from(JSON.stringify({ id: 'x'.repeat(900 * 1024) }));
      return rawRequest(ctx, callHead(ctx, 'properties.get', [], bytes.length), bytes);
    },
    also: (answer: RawAnswer) => (answer.body.length > 64 * 1024 ? `the error echoes ${answer.body.length} bytes` : null),
  },
];

/** Every HTTP case. */
export const httpCases: ProbeCase[] = [...authCases, ...methodCases, ...unknownMethodCases, ...pathCases, ...headerCases, ...bodyCases, ...hugeCases].map(judged);
