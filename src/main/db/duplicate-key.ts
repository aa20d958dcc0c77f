import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';

/** True for MongoDB's duplicate key error (E11000), which FerretDB reports the same way. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 11000;
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
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    if (writeErrors.some((e) => e.code !== 11000)) throw error;
    await collection.bulkWrite(writeErrors.map((e) => ops[e.index]!), { ordered: false });
  }
}
