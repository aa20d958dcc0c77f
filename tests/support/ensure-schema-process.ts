/**
 * A separate process that opens a database and creates our collections and indexes, as every
 * `phoenix-re` command does on start-up: for the test that starts several at once on a new
 * database (issue #24). Usage: `node --import tsx ensure-schema-process.ts <uri>`; prints `ok`,
 * exits 1 with the error on stderr when the start-up fails.
 */
import { connectDatabase } from '../../src/main/db/connection.js';
import { ensureSchema } from '../../src/main/db/indexes.js';

const uri = process.argv[2];
if (!uri) throw new Error('usage: ensure-schema-process.ts <uri>');
const connection = await connectDatabase(uri);
try {
  await ensureSchema(connection.db);
  console.log('ok');
} finally {
  await connection.close();
}
