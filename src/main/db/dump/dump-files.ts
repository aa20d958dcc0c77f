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

/** Our record of a finished backup: which database, when, and each collection's document count. */
export const backupManifestSchema = z.strictObject({
  format: z.literal('mongodump-directory-gzip'),
  database: z.string().min(1),
  created_at: z.iso.datetime(),
  collections: z.array(z.strictObject({ name: z.string().min(1), documents: z.number().int().nonnegative() })),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;

/** Largest BSON document a server accepts (16 MiB) plus its command overhead. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024 + 16 * 1024;

/**
 * The documents of a BSON stream (each starts with its length, a little-endian int32 counting
 * itself), as buffers. Throws naming `what` on a truncated or implausible document.
 */
export async function* bsonDocuments(stream: Readable, what: string): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let offset = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4) {
      const size = pending.readInt32LE(at);
      if (size < 5 || size > MAX_DOCUMENT_BYTES) throw new Error(`${what}: not BSON at byte ${offset + at} (a document of ${size} bytes)`);
      if (pending.length - at < size) break;
      yield pending.subarray(at, at + size);
      at += size;
    }
    offset += at;
    pending = pending.subarray(at);
  }
  if (pending.length > 0) throw new Error(`${what}: ends inside a document at byte ${offset} (the file is truncated)`);
}
