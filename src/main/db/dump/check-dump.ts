import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BSON } from 'mongodb';
import { EXACT_BSON } from './dump-database.js';
import {
  BSON_SUFFIX,
  MANIFEST_FILE,
  MAX_MANIFEST_BYTES,
  MAX_METADATA_BYTES,
  METADATA_SUFFIX,
  backupManifestSchema,
  bsonDocuments,
  collectionFileName,
  collectionFromFileName,
  dumpMetadataSchema,
  type BackupManifest,
  type DumpMetadata,
} from './dump-files.js';

/** A dump folder that cannot be read, or a restore that would overwrite data: the message says which file or collection and why. */
export class RestoreError extends Error {}

/** A dump found on disk: its database folder, the database it was taken from, our manifest if any. */
export interface LocatedDump {
  dbDir: string;
  sourceDatabase: string;
  manifest: BackupManifest | null;
  /** Collection names (from the `.bson.gz` file names), in order. */
  collections: string[];
}

/** One collection of a dump, read through and found whole. */
export interface CheckedCollection {
  name: string;
  /** Its `<collection>.bson.gz`, absolute. */
  file: string;
  documents: number;
  /** SHA-256 (lowercase hex) of its BSON, decompressed: what the manifest's `sha256` holds. */
  sha256: string;
  /** Its `.metadata.json.gz`, parsed; null when a mongodump folder has none. */
  metadata: DumpMetadata | null;
}

/** A dump every file of which was read in full and found whole and consistent with its manifest. */
export interface CheckedDump extends LocatedDump {
  checked: CheckedCollection[];
}

/**
 * Find the dump in `dir`: either the folder of one database (holding `<collection>.bson.gz`) or a
 * dump root holding exactly one such folder (what `phoenix-re backup` and `mongodump --gzip
 * --out` write), with our manifest beside the database folder if there is one (read only up to
 * `MAX_MANIFEST_BYTES`). Throws `RestoreError` saying what was expected, or which file is wrong.
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
  const collections = bsonFiles(dbDir)
    .map((f) => collectionFromFileName(f.slice(0, -BSON_SUFFIX.length)))
    .sort((a, b) => a.localeCompare(b));
  return { dbDir, sourceDatabase: path.basename(dbDir), manifest: readManifest(path.join(path.dirname(dbDir), MANIFEST_FILE)), collections };
}

/**
 * Read every file of the dump in `dir` (see `locateDump`) through before anything is written:
 * each `.metadata.json.gz` parsed and validated, each `.bson.gz` fully decompressed and every
 * document parsed, one document in memory at a time (`MAX_DOCUMENT_BYTES`). With our manifest,
 * its collections must be exactly the dump's files, each with its metadata, its document count
 * and, when the manifest has one, its SHA-256. Throws `RestoreError` naming the file and what is
 * wrong with it; an aborted `signal` stops between documents and throws its reason.
 */
export async function checkDump(dir: string, signal?: AbortSignal): Promise<CheckedDump> {
  const dump = locateDump(dir);
  const manifestFile = path.join(path.dirname(dump.dbDir), MANIFEST_FILE);
  if (dump.manifest) {
    const listed = dump.manifest.collections.map((c) => c.name);
    const missing = listed.filter((name) => !dump.collections.includes(name));
    if (missing.length > 0) throw new RestoreError(`${manifestFile} lists ${missing.join(', ')}, but ${missing.map((n) => `${collectionFileName(n)}${BSON_SUFFIX}`).join(', ')} is missing from ${dump.dbDir}: the backup is incomplete.`);
    const extra = dump.collections.filter((name) => !listed.includes(name));
    if (extra.length > 0) throw new RestoreError(`${extra.map((n) => path.join(dump.dbDir, `${collectionFileName(n)}${BSON_SUFFIX}`)).join(', ')} is not listed in ${manifestFile}: the backup was changed after it was written.`);
  }
  const checked: CheckedCollection[] = [];
  for (const name of dump.collections) {
    const metadata = readMetadata(dump.dbDir, name, dump.manifest !== null);
    const file = path.join(dump.dbDir, `${collectionFileName(name)}${BSON_SUFFIX}`);
    const { documents, sha256 } = await readDocuments(file, signal);
    const expected = dump.manifest?.collections.find((c) => c.name === name);
    if (expected && expected.documents !== documents) throw new RestoreError(`${file} holds ${documents} documents, but ${manifestFile} counts ${expected.documents}: the backup is damaged.`);
    if (expected?.sha256 !== undefined && expected.sha256 !== sha256) throw new RestoreError(`${file} does not match its checksum in ${manifestFile} (its ${documents} documents differ from those backed up): the backup is damaged.`);
    checked.push({ name, file, documents, sha256, metadata });
  }
  return { ...dump, checked };
}

/**
 * The documents of one `.bson.gz`, streamed: their count and the SHA-256 of their BSON. Each is
 * parsed as the restore will parse it, so a restore that reaches the database reads the same.
 */
export async function readDocuments(file: string, signal?: AbortSignal, each?: (document: BSON.Document, raw: Buffer) => Promise<void>): Promise<{ documents: number; sha256: string }> {
  const hash = createHash('sha256');
  let documents = 0;
  const stream = fs.createReadStream(file).pipe(zlib.createGunzip());
  try {
    for await (const raw of bsonDocuments(stream, file)) {
      signal?.throwIfAborted();
      let document: BSON.Document;
      try {
        document = BSON.deserialize(raw, EXACT_BSON);
      } catch (error) {
        throw new RestoreError(`${file}: document ${documents + 1} is not valid BSON (${(error as Error).message}): the backup is damaged.`);
      }
      hash.update(raw);
      documents += 1;
      await each?.(document, raw);
    }
  } catch (error) {
    if (error instanceof RestoreError || signal?.aborted) throw error;
    throw new RestoreError((error as Error).message);
  } finally {
    stream.destroy();
  }
  return { documents, sha256: hash.digest('hex') };
}

function readManifest(file: string): BackupManifest | null {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) return null;
  if (stat.size > MAX_MANIFEST_BYTES) throw new RestoreError(`${file} holds ${stat.size} bytes, beyond the ${MAX_MANIFEST_BYTES} a backup manifest may: not read.`);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new RestoreError(`${file} is not JSON (${(error as Error).message}): the backup's manifest is damaged.`);
  }
  const parsed = backupManifestSchema.safeParse(value);
  if (!parsed.success) throw new RestoreError(`${file} is not a backup manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** A collection's `.metadata.json.gz`, read up to `MAX_METADATA_BYTES` either side of gzip; null when absent and not `required`. */
function readMetadata(dbDir: string, name: string, required: boolean): DumpMetadata | null {
  const file = path.join(dbDir, `${collectionFileName(name)}${METADATA_SUFFIX}`);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    if (required) throw new RestoreError(`${file} is missing: the backup is incomplete.`);
    return null;
  }
  if (stat.size > MAX_METADATA_BYTES) throw new RestoreError(`${file} holds ${stat.size} bytes, beyond the ${MAX_METADATA_BYTES} collection metadata may: not read.`);
  let text: string;
  try {
    text = zlib.gunzipSync(fs.readFileSync(file), { maxOutputLength: MAX_METADATA_BYTES }).toString('utf8');
  } catch (error) {
    const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new RestoreError(tooLarge ? `${file} unpacks to more than the ${MAX_METADATA_BYTES} bytes collection metadata may: not read.` : `${file} is not a whole gzip file (${(error as Error).message}): the backup is damaged.`);
  }
  let value: unknown;
  try {
    value = BSON.EJSON.parse(text, { relaxed: false });
  } catch (error) {
    throw new RestoreError(`${file} is not Extended JSON (${(error as Error).message}): the backup is damaged.`);
  }
  const parsed = dumpMetadataSchema.safeParse(value);
  if (!parsed.success) throw new RestoreError(`${file} is not collection metadata: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (parsed.data.collectionName !== name) throw new RestoreError(`${file} describes collection ${parsed.data.collectionName}, not ${name}: the backup was changed after it was written.`);
  return parsed.data;
}
