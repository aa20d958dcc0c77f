import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { BSON, type Db, type Document, type Filter } from 'mongodb';
import { BSON_SUFFIX, METADATA_SUFFIX, RESTORE_COLLECTION, collectionFileName, type BackupManifest, type DumpMetadata } from './dump-files.js';
import { DISK_RESERVE_COLLECTION } from '../disk-reserve.js';

/** Where a dump or restore is: the collection under way, its documents so far and its total. */
export interface DumpProgress {
  collection: string;
  documents: number;
  total: number;
}

export interface DumpOptions {
  signal?: AbortSignal;
  /** Called as documents go by (every `PROGRESS_EVERY` documents and at each collection's end). */
  onProgress?: (progress: DumpProgress) => void;
  /** When the backup is taken (the manifest's `created_at`); unset: now. */
  at?: Date;
  /** A document left out of the dump (the backup's own run record, which is still running). */
  skip?: { collection: string; id: string };
}

const PROGRESS_EVERY = 500;

/** Values read as stored: Int32, Int64, Double and Decimal128 keep their types, regexes their flags. */
export const EXACT_BSON = { promoteValues: false, promoteBuffers: false, bsonRegExp: true } as const;

/**
 * Dump every collection of `db` (views, `system.*` and what a killed restore left aside) into
 * `root/<database>/` in mongodump's `--gzip` layout (see dump-files.ts). Documents are read with
 * their exact BSON types and written with the driver's `bson` serialiser, one after another,
 * gzipped. Returns the manifest to keep beside it (each collection's document count and the
 * SHA-256 of its BSON as written). An aborted `signal` stops between documents and throws.
 */
export async function dumpDatabase(db: Db, root: string, options: DumpOptions = {}): Promise<BackupManifest> {
  const dir = path.join(root, db.databaseName);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const infos = (await db.listCollections({}, { nameOnly: false }).toArray())
    // The disk reserve is filler, made again at the next start (DiskReserve).
    .filter((c) => (c.type ?? 'collection') === 'collection' && !c.name.startsWith('system.') && !RESTORE_COLLECTION.test(c.name) && c.name !== DISK_RESERVE_COLLECTION)
    .sort((a, b) => a.name.localeCompare(b.name));
  const manifest: BackupManifest = { format: 'mongodump-directory-gzip', database: db.databaseName, created_at: (options.at ?? new Date()).toISOString(), collections: [] };
  for (const info of infos) {
    options.signal?.throwIfAborted();
    const collection = db.collection<{ _id: string }>(info.name);
    const file = path.join(dir, collectionFileName(info.name));
    const indexes = await collection.listIndexes({ ...EXACT_BSON }).toArray();
    const metadata: DumpMetadata = {
      ...(info.options && Object.keys(info.options).length > 0 && { options: info.options as Record<string, unknown> }),
      indexes,
      ...(uuidHex(info.info?.uuid) && { uuid: uuidHex(info.info?.uuid) }),
      collectionName: info.name,
      type: 'collection',
    };
    await writeGzip(`${file}${METADATA_SUFFIX}`, Readable.from([BSON.EJSON.stringify(metadata, { relaxed: false })]));

    const filter: Filter<{ _id: string }> = options.skip?.collection === info.name ? { _id: { $ne: options.skip.id } } : {};
    const total = await collection.countDocuments(filter);
    let documents = 0;
    const hash = createHash('sha256');
    const report = () => options.onProgress?.({ collection: info.name, documents, total });
    report();
    const cursor = collection.find(filter, { ...EXACT_BSON, batchSize: 1000 });
    async function* serialised(): AsyncGenerator<Buffer> {
      try {
        for await (const doc of cursor) {
          options.signal?.throwIfAborted();
          const bytes = Buffer.from(BSON.serialize(doc as Document));
          hash.update(bytes);
          yield bytes;
          if (++documents % PROGRESS_EVERY === 0) report();
        }
      } finally {
        await cursor.close();
      }
    }
    await writeGzip(`${file}${BSON_SUFFIX}`, Readable.from(serialised()), options.signal);
    report();
    manifest.collections.push({ name: info.name, documents, sha256: hash.digest('hex') });
  }
  return manifest;
}

async function writeGzip(file: string, source: Readable, signal?: AbortSignal): Promise<void> {
  const target = fs.createWriteStream(file, { mode: 0o600 });
  await pipeline(source, zlib.createGzip(), target, { signal });
}

/** A collection UUID (BSON binary subtype 4) as mongodump writes it: 32 lowercase hex digits. */
function uuidHex(uuid: unknown): string | undefined {
  if (uuid instanceof BSON.Binary && uuid.sub_type === BSON.Binary.SUBTYPE_UUID) return Buffer.from(uuid.buffer).toString('hex');
  return undefined;
}
