import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERROR_CODES, EVENT_NAMES, type ErrorCode } from '../../shared/contract.js';
import type { Core } from '../core/create-core.js';
import { dispatch } from '../core/dispatch.js';
import { generateToken, hasSingleHost, hasValidBearer, isAllowedHost } from './auth.js';
import { serveStatic } from './static-files.js';

/**
 * Bytes a request body may have: 1 MB. Every contract input is small (the largest real one, a
 * `settings.update` carrying a rent table of every Arizona ZIP code, is some 30 KB; an import
 * sends a path, and the server reads the file, bounded by the import itself). A body declared
 * larger is refused before it is read; one that grows larger is refused once it passes the
 * bound, the rest never read (issue #24).
 */
export const MAX_BODY_BYTES = 1024 * 1024;
const SSE_HEARTBEAT_MS = 15_000;
/** How long a connection whose body was refused stays open after the answer, for the client to read it. */
const LINGER_MS = 1000;

/** Another process (often a console already running) listens on the port asked for. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use: is the console already running? Use --port 0 for any free port.`);
    this.name = 'PortInUseError';
  }
}

export interface HttpShellOptions {
  core: Pick<Core, 'api' | 'events' | 'metrics' | 'refreshMetrics' | 'logger'>;
  /** 0: any free port. */
  port?: number;
  /** Fixed token (PHOENIX_HTTP_TOKEN); else a random one for this start. */
  token?: string;
  /** Built renderer to serve at `/`; unset: API only. */
  staticDir?: string;
}

export interface HttpShell {
  port: number;
  token: string;
  /** The console's address; the token travels in the fragment, which browsers never send. */
  consoleUrl: string;
  close(): Promise<void>;
}

/**
 * The contract over HTTP, bound to 127.0.0.1 only: `POST /api/<method>` with a JSON body,
 * `GET /api/events` (server-sent events), `GET /metrics` (Prometheus). Each of these needs
 * `Authorization: Bearer <token>`; the built console itself is served without it.
 */
export async function startHttpShell(options: HttpShellOptions): Promise<HttpShell> {
  const { core } = options;
  const token = options.token ?? generateToken();
  const sockets = new Set<ServerResponse>();
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      core.logger.error({ err: error, url: req.url }, 'http shell failed');
      if (!res.headersSent) sendError(res, 'INTERNAL', 'Internal error.');
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hasSingleHost(req.rawHeaders)) return sendError(res, 'BAD_REQUEST', 'Send exactly one Host header.');
    if (!isAllowedHost(req.headers.host, port)) return sendError(res, 'FORBIDDEN', 'Host not allowed.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const pathname = decodedPath(url.pathname);
    if (pathname === null) return sendError(res, 'BAD_REQUEST', 'Malformed %-encoding in the path.');
    const isApi = url.pathname.startsWith('/api/') || url.pathname === '/metrics';
    if (!isApi) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 'NOT_FOUND', 'Not found.');
      if (!options.staticDir) return sendError(res, 'NOT_FOUND', 'This server has no console build; use /api/<method>.');
      return serveStatic(options.staticDir, url.pathname, res);
    }
    if (!hasValidBearer(req.headers.authorization, token)) {
      return sendError(res, 'UNAUTHORIZED', 'Missing or wrong bearer token: send the token printed at start as "Authorization: Bearer <token>".');
    }
    if (url.pathname === '/metrics') {
      if (req.method !== 'GET') return sendError(res, 'NOT_FOUND', 'Use GET /metrics.');
      await core.refreshMetrics();
      const body = await core.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': core.metrics.registry.contentType });
      res.end(body);
      return;
    }
    if (url.pathname === '/api/events') {
      if (req.method !== 'GET') return sendError(res, 'NOT_FOUND', 'Use GET /api/events.');
      return openEventStream(req, res);
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendJson(res, 405, { error: { code: 'BAD_REQUEST', message: 'Contract methods are called with POST.' } });
    }
    const contentType = req.headers['content-type'] ?? '';
    if (!contentType.startsWith('application/json')) return sendError(res, 'BAD_REQUEST', 'Send the input as application/json.');
    const declared = Number(req.headers['content-length'] ?? 0);
    const body = declared > MAX_BODY_BYTES ? null : await readBody(req);
    if (body === null) {
      // The rest of the body is not kept. The connection is closed LINGER_MS after the answer, not
      // with it: closing a socket with unread data sends a reset, which can make the client's
      // system drop the answer before the client reads it (the "lingering close" of RFC 9112
      // §9.6). Node discards what arrives meanwhile. A request that asked to close (`Connection:
      // close`, HTTP/1.0) would have Node close the socket as soon as the answer is written, the
      // same reset with no linger (the probe saw EPIPE and no 413): the answer is kept open too.
      res.shouldKeepAlive = true;
      res.once('finish', () => setTimeout(() => req.socket.destroy(), LINGER_MS).unref());
      return sendError(res, 'PAYLOAD_TOO_LARGE', `Request body over ${MAX_BODY_BYTES / (1024 * 1024)} MB (${MAX_BODY_BYTES} bytes): a contract call's input is a small JSON object.`);
    }
    let input: unknown;
    try {
      input = body.length === 0 ? undefined : JSON.parse(body);
    } catch (error) {
      // V8's message quotes the body back ("Unexpected token …, \"…\" is not valid JSON"), and a body
      // may carry a key being saved: only where it stopped is said.
      const at = /position (\d+)/.exec((error as Error).message)?.[1];
      return sendError(res, 'BAD_REQUEST', `Body is not valid JSON${at ? ` (stopped at character ${at})` : ''}: send one JSON object, the method's input.`);
    }
    const method = pathname.slice('/api/'.length);
    const result = await dispatch(core.api, method, input, core.logger);
    if (result.ok) sendJson(res, 200, result.value);
    else sendError(res, result.error.code, result.error.message);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    sockets.add(res);
    const unsubscribe = EVENT_NAMES.map((name) =>
      core.events.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)),
    );
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      for (const off of unsubscribe) off();
      sockets.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port ?? 0) : error));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    consoleUrl: `http://127.0.0.1:${port}/#token=${token}`,
    async close() {
      for (const res of sockets) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The path with its %-escapes decoded; null when one is malformed (`/%E0%A4%A`, `/%zz`). */
function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

/** The request's body as UTF-8 text, or null once it passes MAX_BODY_BYTES (then reading stops, the request paused). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

function sendError(res: ServerResponse, code: ErrorCode, message: string): void {
  sendJson(res, ERROR_CODES[code], { error: { code, message } });
}
