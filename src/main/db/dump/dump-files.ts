import type { Readable } from 'node:stream';
import { z } from 'zod';

/**
 * mongodump's directory layout with `--gzip` (MongoDB Database Tools), which `mongorestore
 * --gzip` reads: `<root>/<database>/<collection>.bson.gz` (the documents, BSON one after
 * another, gzipped) beside `<collection>.metadata.json.gz` (canonical Extended JSON: `options`
 * when not empty, `indexes` as `listIndexes` gives them, `uuid` as 32 hex digits, `collectionName`,
 * `type`). With `--gzip`, mongorestore recognises only names ending `.bson.gz` and
 * `.metadata.json.gz` (mongo-tools, mongorestore/filepath.go `getInfoFromFile`). Our own manifest
 * sits beside the database folder; mongorestore skips it with a notice.
 */
export const BSON_SUFFIX = '.bson.gz';
export const METADATA_SUFFIX = '.metadata.json.gz';
export const MANIFEST_FILE = 'phoenix-re-backup.json';

/**
 * The collections a restore stages before it swaps them in (`_restore_<token>_new_<name>`) and
 * those it moves the replaced ones to (`…_old_<name>`), which a restore killed part-way leaves
 * behind: a backup leaves them out. No dot: FerretDB 1.24's `renameCollection` refuses a name
 * with one (handlerparams.SplitNamespace).
 */
export function restoreCollectionName(token: string, role: 'new' | 'old', name: string): string {
  return `_restore_${token}_${role}_${name}`;
}
export const RESTORE_COLLECTION = /^_restore_[0-9a-f]{8}_(new|old)_/;

/** A collection name as a file name: mongodump's escaping (`%` and `/` percent-encoded). */
export function collectionFileName(name: string): string {
  return name.replace(/%/g, '%25').replace(/\//g, '%2F');
}

export function collectionFromFileName(file: string): string {
  return decodeURIComponent(file);
}

/** One index as `listIndexes` returns it (and mongodump keeps it). */
const indexSchema = z.looseObject({ key: z.record(z.string(), z.unknown()), name: z.string() });

/** `<collection>.metadata.json` after Extended JSON parsing; unknown fields are kept. */
export const dumpMetadataSchema = z.looseObject({
  options: z.record(z.string(), z.unknown()).optional(),
  indexes: z.array(indexSchema),
  uuid: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex digits').optional(),
  collectionName: z.string().min(1),
  type: z.string().optional(),
});
export type DumpMetadata = z.infer<typeof dumpMetadataSchema>;

/**
 * Our record of a finished backup: which database, when, and each collection's document count and
 * the SHA-256 (lowercase hex) of its BSON as written, before gzip. Backups written before the
 * checksum existed have none; a restore then checks their counts only.
 */
export const backupManifestSchema = z.strictObject({
  format: z.literal('mongodump-directory-gzip'),
  database: z.string().min(1),
  created_at: z.iso.datetime(),
  collections: z.array(
    z.strictObject({
      name: z.string().min(1),
      documents: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits').optional(),
    }),
  ),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/**
 * What one document of a `.bson.gz` may cost a reader: the largest BSON document a server accepts
 * (16 MiB, MongoDB's `maxBsonObjectSize`) plus its command overhead. A length beyond it is refused
 * before it is read.
 */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 + 16 * 1024;
/** What a `.metadata.json.gz` may cost, compressed or not (mongodump's hold options and a few indexes: kilobytes). */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;
/** What our manifest file may cost (about 100 bytes a collection). */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/**
 * The documents of a BSON stream (each starts with its length, a little-endian int32 counting
 * itself), as buffers, holding at most one document (`MAX_DOCUMENT_BYTES`) in memory. Throws
 * naming `what` on a truncated or implausible document, and on a stream error (a gzip stream's
 * "unexpected end of file" of a cut file, its "incorrect data check" of a changed byte).
 */
export async function* bsonDocuments(stream: Readable, what: string): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0;
  const chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw new Error(`${what}: cannot be read after byte ${offset + pending.length} of its documents (${(error as Error).message}): the file is damaged or cut short`);
    }
    if (next.done) break;
    pending = pending.length === 0 ? next.value : Buffer.concat([pending, next.value]);
    let at = 0;
    while (pending.length - at >= 4) {
      const size = pending.readInt32LE(at);
      if (size < 5) throw new Error(`${what}: not BSON at byte ${offset + at} (a document of ${size} bytes)`);
      if (size > MAX_DOCUMENT_BYTES) throw new Error(`${what}: the document at byte ${offset + at} says it holds ${size} bytes, beyond the ${MAX_DOCUMENT_BYTES} a document may (16 MiB): not read`);
      if (pending.length - at < size) break;
      yield pending.subarray(at, at + size);
      at += size;
    }
    offset += at;
    pending = pending.subarray(at);
  }
  if (pending.length > 0) throw new Error(`${what}: ends inside a document at byte ${offset} (the file is truncated)`);
}
