import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BSON, type Db, type Document, type Filter, type IndexDescription } from 'mongodb';
import { EXACT_BSON, type DumpProgress } from './dump-database.js';
import {
  BSON_SUFFIX,
  MANIFEST_FILE,
  METADATA_SUFFIX,
  backupManifestSchema,
  bsonDocuments,
  collectionFileName,
  collectionFromFileName,
  dumpMetadataSchema,
  type BackupManifest,
  type DumpMetadata,
} from './dump-files.js';

/** A dump folder that cannot be read, or a restore that would overwrite data: the message says which and why. */
export class RestoreError extends Error {}

/** A dump found on disk: its database folder, the database it was taken from, our manifest if any. */
export interface LocatedDump {
  dbDir: string;
  sourceDatabase: string;
  manifest: BackupManifest | null;
  /** Collection names, in order. */
  collections: string[];
}

export interface RestoreOptions {
  /** Empty collections that already hold documents before restoring them (like mongorestore's `--drop`); otherwise refuse. */
  drop?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: DumpProgress) => void;
  /** A document that is not part of the restore and stays through it (the restore's own run record). */
  keep?: { collection: string; id: string };
}

export interface RestoreSummary {
  from: string;
  database: string;
  collections: { name: string; documents: number; indexes: number }[];
}

const BATCH_DOCUMENTS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Find the dump in `dir`: either the folder of one database (holding `<collection>.bson.gz`) or a
 * dump root holding exactly one such folder (what `phoenix-re backup` and `mongodump --gzip
 * --out` write). Throws `RestoreError` saying what was expected.
 */
export function locateDump(dir: string): LocatedDump {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw new RestoreError(`${dir} is not a folder.`);
  const bsonFiles = (d: string) => fs.readdirSync(d).filter((f) => f.endsWith(BSON_SUFFIX));
  let dbDir = dir;
  if (bsonFiles(dir).length === 0) {
    const dbs = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && bsonFiles(path.join(dir, e.name)).length > 0)
      .map((e) => e.name);
    if (dbs.length === 0) throw new RestoreError(`${dir} holds no backup: expected <database>/<collection>${BSON_SUFFIX} (mongodump --gzip's layout).`);
    if (dbs.length > 1) throw new RestoreError(`${dir} holds dumps of several databases (${dbs.join(', ')}): give the folder of one.`);
    dbDir = path.join(dir, dbs[0]!);
  }
  const manifestFile = path.join(path.dirname(dbDir), MANIFEST_FILE);
  let manifest: BackupManifest | null = null;
  if (fs.existsSync(manifestFile)) {
    const parsed = backupManifestSchema.safeParse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
    if (!parsed.success) throw new RestoreError(`${manifestFile} is not a backup manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    manifest = parsed.data;
  }
  const collections = bsonFiles(dbDir)
    .map((f) => collectionFromFileName(f.slice(0, -BSON_SUFFIX.length)))
    .sort((a, b) => a.localeCompare(b));
  return { dbDir, sourceDatabase: path.basename(dbDir), manifest, collections };
}

/**
 * Restore the dump in `dir` (see `locateDump`) into `db`: each collection's documents with their
 * exact BSON types, then its indexes from the metadata (those missing only; `_id_` is always
 * there). Refuses, before writing anything, when a collection to restore already holds documents,
 * unless `drop`. When our manifest is there, each collection's count must match it. An aborted
 * `signal` stops between batches and throws (what was inserted stays; restore again with `drop`).
 */
export async function restoreDatabase(db: Db, dir: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const dump = locateDump(dir);
  const metadata = new Map(dump.collections.map((name) => [name, readMetadata(dump.dbDir, name)]));
  const others = (name: string): Filter<{ _id: string }> => (options.keep?.collection === name ? { _id: { $ne: options.keep.id } } : {});
  if (!options.drop) {
    const occupied: string[] = [];
    for (const name of dump.collections) if ((await db.collection<{ _id: string }>(name).countDocuments(others(name), { limit: 1 })) > 0) occupied.push(name);
    if (occupied.length > 0) {
      throw new RestoreError(
        `Database ${db.databaseName} already holds documents in ${occupied.join(', ')}: restore into another database (--db NAME) or replace them (--drop).`,
      );
    }
  }
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const summary: RestoreSummary = { from: dump.dbDir, database: db.databaseName, collections: [] };
  for (const name of dump.collections) {
    options.signal?.throwIfAborted();
    const meta = metadata.get(name) ?? null;
    // Emptied rather than dropped: FerretDB 1.24 keeps a dropped collection's SQLite indexes, and
    // creating them again then fails.
    if (existing.has(name)) {
      if (options.drop) await db.collection<{ _id: string }>(name).deleteMany(others(name));
    } else await db.createCollection(name, meta?.options ?? {});
    const total = dump.manifest?.collections.find((c) => c.name === name)?.documents ?? 0;
    const documents = await insertAll(db, dump.dbDir, name, total, options);
    const expected = dump.manifest?.collections.find((c) => c.name === name)?.documents;
    if (expected !== undefined && expected !== documents) {
      throw new RestoreError(`${name}: the backup's manifest counts ${expected} documents, its file holds ${documents}.`);
    }
    const indexes = meta ? await createMissingIndexes(db, name, meta) : 0;
    summary.collections.push({ name, documents, indexes });
  }
  return summary;
}

function readMetadata(dbDir: string, name: string): DumpMetadata | null {
  const file = path.join(dbDir, `${collectionFileName(name)}${METADATA_SUFFIX}`);
  if (!fs.existsSync(file)) return null;
  let value: unknown;
  try {
    value = BSON.EJSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'), { relaxed: false });
  } catch (error) {
    throw new RestoreError(`${file} is not gzipped Extended JSON: ${(error as Error).message}`);
  }
  const parsed = dumpMetadataSchema.safeParse(value);
  if (!parsed.success) throw new RestoreError(`${file} is not collection metadata: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

async function insertAll(db: Db, dbDir: string, name: string, total: number, options: RestoreOptions): Promise<number> {
  const file = path.join(dbDir, `${collectionFileName(name)}${BSON_SUFFIX}`);
  const collection = db.collection(name);
  let documents = 0;
  let batch: Document[] = [];
  let bytes = 0;
  const report = () => options.onProgress?.({ collection: name, documents, total });
  const flush = async () => {
    if (batch.length === 0) return;
    await collection.insertMany(batch, { ordered: true });
    documents += batch.length;
    batch = [];
    bytes = 0;
    report();
  };
  report();
  const stream = fs.createReadStream(file).pipe(zlib.createGunzip());
  try {
    for await (const raw of bsonDocuments(stream, file)) {
      options.signal?.throwIfAborted();
      batch.push(BSON.deserialize(raw, EXACT_BSON));
      bytes += raw.length;
      if (batch.length >= BATCH_DOCUMENTS || bytes >= BATCH_BYTES) await flush();
    }
    await flush();
  } finally {
    stream.destroy();
  }
  return documents;
}

/** Create the metadata's indexes the collection lacks (FerretDB 1.24 fails a createIndexes of only existing ones). */
async function createMissingIndexes(db: Db, name: string, meta: DumpMetadata): Promise<number> {
  const have = new Set((await db.collection(name).listIndexes().toArray()).map((i) => String(i.name)));
  const missing: IndexDescription[] = meta.indexes
    .filter((i) => !have.has(i.name))
    .map((index) => {
      const { v: _v, ns: _ns, key, ...rest } = index;
      return { ...rest, key: key as IndexDescription['key'] };
    });
  if (missing.length > 0) await db.collection(name).createIndexes(missing);
  return meta.indexes.length;
}
