import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { appRoot } from '../runtime/app-root.js';
import { pingDatabase } from './connection.js';

export const FERRETDB_VERSION = '1.24.2';
/** Our build of it: FERRETDB_VERSION with tools/ferretdb/*.patch applied (see build.sh). */
export const FERRETDB_BUILD = `${FERRETDB_VERSION}-phoenix.5`;

export interface LocalServer {
  kind: 'mongod' | 'ferretdb';
  uri: string;
  port: number;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** Folder for the server's data files; created if missing. */
  dataDir: string;
  /** Database named in the returned URI. */
  dbName: string;
  /** 0 or unset: a free port. */
  port?: number;
  env?: NodeJS.ProcessEnv;
  /** Told what is happening (building FerretDB can take minutes the first time). */
  onStatus?: (message: string) => void;
  /**
   * Pragmas SQLite runs on every connection of FerretDB (`-sqlite-pragma`, tools/ferretdb/main.go),
   * each `name(value)`: `max_page_count(2000)` makes a write past 2,000 pages fail as on a full
   * disk. Given, the server is FerretDB even with a mongod on PATH.
   */
  sqlitePragmas?: string[];
}

/** Where the FerretDB wrapper binary is cached: outside the repository's tracked files. */
export function ferretdbBinaryPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PHOENIX_FERRETDB_BIN) return env.PHOENIX_FERRETDB_BIN;
  const cacheRoot = env.PHOENIX_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'phoenix-re');
  return path.join(cacheRoot, `ferretdb-sqlite-${FERRETDB_BUILD}${process.platform === 'win32' ? '.exe' : ''}`);
}

/** A `mongod` on PATH, if any. */
export function findMongod(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const names = process.platform === 'win32' ? ['mongod.exe'] : ['mongod'];
  for (const dir of dirs) for (const name of names) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Build the FerretDB wrapper (tools/ferretdb) with Go if it is not cached yet.
 *
 * Throws with the build's own output when Go is missing or the build fails.
 */
export function ensureFerretdbBinary(env: NodeJS.ProcessEnv = process.env, onStatus?: (m: string) => void): string {
  const binary = ferretdbBinaryPath(env);
  if (fs.existsSync(binary)) return binary;
  const script = path.join(appRoot(), 'tools', 'ferretdb', 'build.sh');
  if (!fs.existsSync(script)) {
    throw new Error(`No MongoDB server found: no mongod on PATH and no FerretDB binary at ${binary}. Set MONGODB_URI.`);
  }
  onStatus?.(`Building FerretDB ${FERRETDB_VERSION} once with Go (this takes a few minutes)...`);
  // On a terminal the build's progress (build.sh writes it to stderr) shows as it goes, so the
  // first `npm start` is not silent for minutes (issue #23); elsewhere it is kept for the error.
  const live = process.stderr.isTTY === true;
  const res = spawnSync('bash', [script, binary], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', live ? 'inherit' : 'pipe'] });
  if (res.status !== 0 || !fs.existsSync(binary)) {
    const output = `${res.stdout ?? ''}${live ? '(its progress and errors are above)' : (res.stderr ?? '')}${res.error ? String(res.error) : ''}`.trim().slice(-2000);
    throw new Error(
      `No MongoDB server found (no mongod on PATH) and building FerretDB failed. Install Go or MongoDB, or set MONGODB_URI.\n${output}`,
    );
  }
  return binary;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Start a MongoDB-compatible server on loopback with its data in `dataDir`: `mongod` when one is
 * on PATH, else FerretDB 1.24 with its SQLite backend (built from the Go module proxy once).
 * Resolves once the server answers a ping.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const env = options.env ?? process.env;
  const port = options.port || (await freePort());
  const mongod = options.sqlitePragmas ? undefined : findMongod(env);
  const kind: LocalServer['kind'] = mongod ? 'mongod' : 'ferretdb';
  const dataDir = path.join(options.dataDir, kind);
  fs.mkdirSync(dataDir, { recursive: true });

  const [command, args] = mongod
    ? [mongod, ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet']]
    : [ensureFerretdbBinary(env, options.onStatus), ['-listen', `127.0.0.1:${port}`, '-dir', dataDir, ...(options.sqlitePragmas ?? []).flatMap((p) => ['-sqlite-pragma', p])]];

  const logFile = path.join(options.dataDir, `${kind}.log`);
  const log = fs.openSync(logFile, 'a', 0o600);
  fs.fchmodSync(log, 0o600);
  const child = spawn(command, args, { stdio: ['ignore', log, log], env });
  fs.closeSync(log);

  const uri = `mongodb://127.0.0.1:${port}/${options.dbName}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} exited with code ${child.exitCode} at start; see ${logFile}`);
    if (await pingDatabase(uri, 500)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${kind} did not answer on port ${port} within 30 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    kind,
    uri,
    port,
    pid: child.pid ?? -1,
    dataDir,
    stop: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}
