import { randomBytes } from 'node:crypto';
import type { Db, MongoClient } from 'mongodb';
import { inject } from 'vitest';
import { connectDatabase } from '../../src/main/db/connection.js';
import { ensureSchema } from '../../src/main/db/indexes.js';

export interface TestDatabase {
  client: MongoClient;
  db: Db;
  uri: string;
  /** Drop the database and disconnect. */
  close(): Promise<void>;
}

/** A fresh database with our collections and indexes on the run's real server. */
export async function openTestDatabase(): Promise<TestDatabase> {
  return openTestDatabaseOn(inject('mongoUri'));
}

/** A fresh database with our collections and indexes on the server of `base` (a test's own server). */
export async function openTestDatabaseOn(base: string): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const uri = base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+)(\/[^?]*)?/, `$1/${name}`);
  const connection = await connectDatabase(uri);
  await ensureSchema(connection.db);
  return {
    client: connection.client,
    db: connection.db,
    uri,
    async close() {
      await connection.db.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}
