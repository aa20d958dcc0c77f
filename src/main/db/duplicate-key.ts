import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document, type WriteError } from 'mongodb';

/** True for MongoDB's duplicate key error (E11000), which FerretDB reports the same way. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 11000;
}

/**
 * The write errors of a bulk write that failed operation by operation, each naming its
 * operation's index; null for any other failure. A server that refuses a whole command (FerretDB
 * on a full disk answers an insert with `ok: 0` and no write errors) makes the driver throw a
 * MongoBulkWriteError with an empty list, which is no operation's failure but the command's:
 * read as "nothing failed", an import once reported 3,000 rows stored with 168 written (#24).
 */
export function bulkWriteErrorsOf(error: unknown): WriteError[] | null {
  if (!(error instanceof MongoBulkWriteError)) return null;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.length > 0 ? writeErrors : null;
}

/**
 * The indexes of the operations of a bulk write (an unordered insert, say) that failed on a
 * duplicate key, when nothing else failed; null for any other error (bulkWriteErrorsOf).
 */
export function duplicateKeyIndexes(error: unknown): number[] | null {
  const writeErrors = bulkWriteErrorsOf(error);
  if (!writeErrors || writeErrors.some((e) => e.code !== 11000)) return null;
  return writeErrors.map((e) => e.index);
}

/**
 * Run an upsert by `_id`, once more if it hit the unique `_id`: two writers upserting one new
 * `_id` at once both find no document and both insert, and one of them fails (on MongoDB too).
 * The second try finds the other's document and replaces or updates it.
 */
export async function upsertRetryingDuplicate<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    return write();
  }
}

/**
 * An unordered bulk of upserts. Two writers upserting one new `_id` at once make one of them hit
 * the unique `_id` (on MongoDB too): those operations run once more, when they are plain updates.
 */
export async function bulkUpsert<T extends Document>(collection: Collection<T>, ops: AnyBulkWriteOperation<T>[]): Promise<void> {
  if (ops.length === 0) return;
  try {
    await collection.bulkWrite(ops, { ordered: false });
  } catch (error) {
    const duplicates = duplicateKeyIndexes(error);
    if (!duplicates) throw error;
    await collection.bulkWrite(duplicates.map((i) => ops[i]!), { ordered: false });
  }
}

/**
 * Insert `docs` (each with an `_id`) in one unordered bulk, and for each one whose `_id` already
 * exists (another writer, or a record seen before) run `otherwise(doc)` instead, an update or
 * replacement by `_id` (through bulkUpsert). Inserting is the cheap path wherever most documents
 * are new: FerretDB writes an insert bulk in a few transactions, but runs every update or upsert
 * statement as its own read and write. Throws any other write error.
 */
export async function insertManyOrElse<T extends Document & { _id: unknown }>(
  collection: Collection<T>,
  docs: T[],
  otherwise: (doc: T) => AnyBulkWriteOperation<T>,
): Promise<void> {
  if (docs.length === 0) return;
  try {
    await collection.insertMany(docs as unknown as Parameters<Collection<T>['insertMany']>[0], { ordered: false });
  } catch (error) {
    const duplicates = duplicateKeyIndexes(error);
    if (!duplicates) throw error;
    await bulkUpsert(collection, duplicates.map((i) => otherwise(docs[i]!)));
  }
}
