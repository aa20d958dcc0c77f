import fs from 'node:fs';
import path from 'node:path';
import { maskUri, type Settings } from '../../shared/settings.js';
import type { Logger } from '../observability/logger.js';
import { DEFAULT_DATABASE_NAME, DEFAULT_MONGODB_URI, connectDatabase, pingDatabase, type DatabaseConnection } from './connection.js';
import { ensureSchema } from './indexes.js';
import { startLocalServer, type LocalServer } from './local-server.js';

export interface OpenedDatabase {
  connection: DatabaseConnection;
  /** Where the URI came from. */
  origin: 'setting' | 'default' | 'local-started' | 'local-reused';
  /** The local server this process started (stopped again by `close`). */
  local: LocalServer | null;
  ttlIndex: boolean;
  close(): Promise<void>;
}

interface ServerState {
  pid: number;
  uri: string;
  kind: string;
}

/**
 * Find the database the way a new user expects: `MONGODB_URI` when set; else a server at the
 * default local URI; else the local server another of our processes already started for this
 * data folder; else start one in `<data folder>/db`. Then create collections and indexes.
 */
export async function openDatabase(options: { settings: Settings; dataDir: string; logger: Logger; env?: NodeJS.ProcessEnv }): Promise<OpenedDatabase> {
  const { settings, dataDir, logger } = options;
  let uri: string;
  let origin: OpenedDatabase['origin'];
  let local: LocalServer | null = null;
  const stateFile = path.join(dataDir, 'db', 'server.json');

  if (settings.mongodbUri) {
    uri = settings.mongodbUri;
    origin = 'setting';
  } else if (await pingDatabase(DEFAULT_MONGODB_URI)) {
    uri = DEFAULT_MONGODB_URI;
    origin = 'default';
  } else {
    const reused = await reusableServer(stateFile);
    if (reused) {
      uri = reused.uri;
      origin = 'local-reused';
    } else if (settings.localDatabase === 'off') {
      throw new Error(
        `No MongoDB answers at ${DEFAULT_MONGODB_URI} and PHOENIX_LOCAL_DATABASE=off. Set MONGODB_URI to your server or Atlas cluster.`,
      );
    } else {
      local = await startLocalServer({
        dataDir: path.join(dataDir, 'db'),
        dbName: DEFAULT_DATABASE_NAME,
        env: options.env,
        onStatus: (message) => logger.info(message),
      });
      uri = local.uri;
      origin = 'local-started';
      fs.writeFileSync(stateFile, JSON.stringify({ pid: local.pid, uri, kind: local.kind } satisfies ServerState));
      logger.info({ kind: local.kind, port: local.port }, 'started local database server');
    }
  }

  let connection: DatabaseConnection | undefined;
  let ttlIndex: boolean;
  try {
    connection = await connectDatabase(uri);
    logger.info({ uri: maskUri(uri), origin }, 'connected to MongoDB');
    ({ ttlIndex } = await ensureSchema(connection.db, logger));
  } catch (error) {
    await connection?.close();
    if (local) {
      await local.stop();
      fs.rmSync(stateFile, { force: true });
    }
    throw error;
  }

  return {
    connection,
    origin,
    local,
    ttlIndex,
    async close() {
      await connection.close();
      if (local) {
        await local.stop();
        fs.rmSync(stateFile, { force: true });
      }
    },
  };
}

async function reusableServer(stateFile: string): Promise<ServerState | null> {
  let state: ServerState;
  try {
    state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ServerState;
  } catch {
    return null;
  }
  if (!isAlive(state.pid) || !(await pingDatabase(state.uri))) {
    fs.rmSync(stateFile, { force: true });
    return null;
  }
  return state;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
