import { randomBytes } from 'node:crypto';
import { type Collection, type Db, type Document, type IndexDescription } from 'mongodb';
import { checkDump, readDocuments, RestoreError, type CheckedCollection } from './check-dump.js';
import type { DumpProgress } from './dump-database.js';
import { restoreCollectionName } from './dump-files.js';

export interface RestoreOptions {
  /** Replace collections that already hold documents (like mongorestore's `--drop`); otherwise refuse. */
  drop?: boolean;
  signal?: AbortSignal;
  /** Called as documents are staged (every `BATCH_DOCUMENTS` and at each collection's start and end). */
  onProgress?: (progress: DumpProgress) => void;
  /** A document that is not part of the restore and stays through it (the restore's own run record). */
  keep?: { collection: string; id: string };
  /**
   * Each document of collection `collection` as it is to be written (a copy; the original is not
   * changed): the console passes its scrubber, so a backup made by an older version brings in no
   * secret (issue #24). Unset: written as read.
   */
  transform?: (collection: string, document: Document) => Document;
}

export interface RestoreSummary {
  from: string;
  database: string;
  collections: { name: string; documents: number; indexes: number }[];
  /** Collections holding the replaced data that could not be dropped after the swap (normally none). */
  leftOver: string[];
}

const BATCH_DOCUMENTS = 1000;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Restore the dump in `dir` into `db`, all or nothing:
 *
 * 1. Every file is read through and checked first (`checkDump`: gzip whole, every document
 *    parsed, counts and checksums as the manifest says); a damaged backup is refused naming the
 *    file, before anything is written.
 * 2. Without `drop`, a collection to restore that already holds documents refuses the restore.
 * 3. Each collection is written to a staging collection (`_restore_<token>_new_<name>`) with its
 *    options, documents (exact BSON types), the backup's indexes and any index the target has
 *    that the backup lacks. Any failure, or an aborted `signal`, drops the staging collections.
 * 4. The swap: each target collection is renamed aside (`_restore_<token>_old_<name>`) and its
 *    staging collection renamed into its place; a failed rename undoes the renames already done.
 *    Then the collections set aside are dropped. `renameCollection` with `dropTarget` would be one
 *    step, but FerretDB 1.24 does not implement it (FerretDB issue #2565), and neither server
 *    renames several collections at once, so the swap is a series of renames, each atomic.
 *
 * Documents pass through `options.transform` on their way in. Collections of `db` that the
 * backup does not hold are left alone, as mongorestore does. Throws
 * `RestoreError` (or the aborted signal's reason) with `db` as it was.
 */
export async function restoreDatabase(db: Db, dir: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const dump = await checkDump(dir, options.signal);
  const others = (name: string): Document => (options.keep?.collection === name ? { _id: { $ne: options.keep.id } } : {});
  if (!options.drop) {
    const occupied: string[] = [];
    for (const { name } of dump.checked) if ((await db.collection(name).countDocuments(others(name), { limit: 1 })) > 0) occupied.push(name);
    if (occupied.length > 0) {
      throw new RestoreError(
        `Database ${db.databaseName} already holds documents in ${occupied.join(', ')}: restore into another database (--db NAME) or replace them (--drop).`,
      );
    }
  }
  const token = randomBytes(4).toString('hex');
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const staged: Staged[] = [];
  const summary: RestoreSummary = { from: dump.dbDir, database: db.databaseName, collections: [], leftOver: [] };
  try {
    for (const checked of dump.checked) {
      options.signal?.throwIfAborted();
      const staging = restoreCollectionName(token, 'new', checked.name);
      await db.createCollection(staging, checked.metadata?.options ?? {});
      staged.push({ name: checked.name, staging, aside: existing.has(checked.name) ? restoreCollectionName(token, 'old', checked.name) : null });
      await stageDocuments(db.collection(staging), checked, options);
      const indexes = await stageIndexes(db, staging, checked, existing.has(checked.name));
      summary.collections.push({ name: checked.name, documents: checked.documents, indexes });
    }
    options.signal?.throwIfAborted();
  } catch (error) {
    await dropAll(db, staged.map((s) => s.staging));
    throw error;
  }
  await swap(db, staged, options.keep);
  for (const { aside } of staged) {
    if (aside === null) continue;
    // The restore is done; a collection that will not drop is reported, not a failure.
    if (!(await db.collection(aside).drop().catch(() => false))) summary.leftOver.push(aside);
  }
  return summary;
}

/** One collection on its way in: its name, where it is staged, where the collection it replaces goes (null: none). */
interface Staged {
  name: string;
  staging: string;
  aside: string | null;
}

/** Write the checked file's documents to `staging`, reading it again: it must still match what was checked. */
async function stageDocuments(staging: Collection, checked: CheckedCollection, options: RestoreOptions): Promise<void> {
  let written = 0;
  let batch: Document[] = [];
  let bytes = 0;
  const report = () => options.onProgress?.({ collection: checked.name, documents: written, total: checked.documents });
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      await staging.insertMany(batch, { ordered: true });
    } catch (error) {
      throw new RestoreError(`${checked.file}: documents ${written + 1} to ${written + batch.length} could not be written (${(error as Error).message}).`);
    }
    written += batch.length;
    batch = [];
    bytes = 0;
    report();
  };
  report();
  const again = await readDocuments(checked.file, options.signal, async (document, raw) => {
    batch.push(options.transform ? options.transform(checked.name, document) : document);
    bytes += raw.length;
    if (batch.length >= BATCH_DOCUMENTS || bytes >= BATCH_BYTES) await flush();
  });
  await flush();
  if (again.sha256 !== checked.sha256) throw new RestoreError(`${checked.file} changed while it was being restored: restore again from a backup nobody is writing.`);
}

/**
 * Create the backup's indexes on `staging`, then those the target collection has and the backup
 * lacks (by name: the console's own, which `ensureSchema` made), so the swap loses no index.
 * Only indexes not already there are created (FerretDB 1.24 fails a createIndexes of only
 * existing ones). Returns how many the backup listed.
 */
async function stageIndexes(db: Db, staging: string, checked: CheckedCollection, targetExists: boolean): Promise<number> {
  const wanted: Document[] = [...(checked.metadata?.indexes ?? [])];
  if (targetExists) {
    for (const index of await db.collection(checked.name).listIndexes().toArray()) if (!wanted.some((w) => w['name'] === index['name'])) wanted.push(index);
  }
  const have = new Set((await db.collection(staging).listIndexes().toArray()).map((i) => String(i['name'])));
  const missing: IndexDescription[] = wanted
    .filter((i) => !have.has(String(i['name'])))
    .map((index) => {
      const { v: _v, ns: _ns, key, ...rest } = index;
      return { ...rest, key: key as IndexDescription['key'] };
    });
  try {
    if (missing.length > 0) await db.collection(staging).createIndexes(missing);
  } catch (error) {
    throw new RestoreError(`${checked.name}: its indexes (${missing.map((i) => i.name).join(', ')}) could not be built on the restored documents (${(error as Error).message}).`);
  }
  return checked.metadata?.indexes.length ?? 0;
}

/**
 * Put each staged collection in its target's place (the target renamed aside first), carrying
 * `keep` over at the last moment; on a failure, undo every rename done, drop the staged
 * collections and throw. If an undo fails too, the error names where the old data is.
 */
async function swap(db: Db, staged: Staged[], keep: RestoreOptions['keep']): Promise<void> {
  const done: { step: Staged; movedAside: boolean; movedIn: boolean }[] = [];
  try {
    for (const step of staged) {
      const record = { step, movedAside: false, movedIn: false };
      done.push(record);
      if (keep?.collection === step.name) {
        const kept = await db.collection(step.name).findOne({ _id: keep.id as never });
        if (kept) await db.collection(step.staging).replaceOne({ _id: keep.id as never }, kept, { upsert: true });
      }
      if (step.aside !== null) {
        await db.renameCollection(step.name, step.aside);
        record.movedAside = true;
      }
      await db.renameCollection(step.staging, step.name);
      record.movedIn = true;
    }
  } catch (error) {
    const stranded: string[] = [];
    for (const { step, movedAside, movedIn } of done.reverse()) {
      try {
        if (movedIn) await db.renameCollection(step.name, step.staging);
        if (movedAside && step.aside !== null) await db.renameCollection(step.aside, step.name);
      } catch {
        stranded.push(`${step.name} (its data before the restore is in ${step.aside ?? 'nothing: it did not exist'})`);
      }
    }
    if (stranded.length > 0) {
      throw new RestoreError(`The restored collections could not be put in place (${(error as Error).message}), and undoing it failed for ${stranded.join('; ')}: rename them back by hand.`);
    }
    await dropAll(db, staged.map((s) => s.staging));
    throw new RestoreError(`The restored collections could not be put in place (${(error as Error).message}); nothing was changed.`);
  }
}

async function dropAll(db: Db, names: string[]): Promise<void> {
  for (const name of names) await db.collection(name).drop().catch(() => false);
}
