import { MongoClient, type Db } from 'mongodb';
import { maskUri } from '../../shared/settings.js';

export const DEFAULT_MONGODB_URI = 'mongodb://127.0.0.1:27017/phoenix_real_estate';
export const DEFAULT_DATABASE_NAME = 'phoenix_real_estate';

export interface DatabaseConnection {
  client: MongoClient;
  db: Db;
  uri: string;
  close(): Promise<void>;
}

/** The database named in the URI's path, else `phoenix_real_estate`; throws naming MONGODB_URI on malformed %-encoding. */
export function databaseNameOf(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  if (!match?.[1]) return DEFAULT_DATABASE_NAME;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    throw new Error(`MONGODB_URI: the database name "${match[1]}" has malformed %-encoding (a % must be followed by two hex digits).`);
  }
}

/**
 * Connect with the official driver and check the server answers.
 *
 * Errors name the URI with its password masked and what to do.
 */
export async function connectDatabase(
  uri: string,
  options: { serverSelectionTimeoutMS?: number; appName?: string; dbName?: string } = {},
): Promise<DatabaseConnection> {
  const client = new MongoClient(uri, {
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    appName: options.appName ?? 'phoenix-re',
  });
  try {
    await client.connect();
    const db = client.db(options.dbName ?? databaseNameOf(uri));
    await db.command({ ping: 1 });
    return { client, db, uri, close: () => client.close() };
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new Error(
      `Cannot reach MongoDB at ${maskUri(uri)}: ${(error as Error).message}. ` +
        'Check MONGODB_URI, or unset it to let the console start its local server.',
      { cause: error },
    );
  }
}

/** True when a MongoDB-compatible server answers a ping at `uri` within `timeoutMs`. */
export async function pingDatabase(uri: string, timeoutMs = 700): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}
