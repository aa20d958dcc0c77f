import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';

/**
 * Ids per `_id: {$in: [...]}` command. Our FerretDB build answers such a filter through the
 * `_id_` index for up to 10,000 string or ObjectID ids (tools/ferretdb/sqlite-id-index.patch);
 * 1,000 keeps each command's reply small on every server.
 */
export const IDS_PER_COMMAND = 1_000;

/** `ids` without repeats, in chunks of at most IDS_PER_COMMAND. */
function chunksOf(ids: readonly string[]): string[][] {
  const unique = [...new Set(ids)];
  const chunks: string[][] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_COMMAND) chunks.push(unique.slice(i, i + IDS_PER_COMMAND));
  return chunks;
}

/**
 * The documents of `collection` whose `_id` is one of `ids` (string ids), with `projection`, in
 * one `_id: {$in}` read per IDS_PER_COMMAND ids; a missing id is simply absent from the result,
 * whose order is the server's.
 *
 * On MongoDB `$in` on `_id` is an index lookup; on FerretDB 1.24's SQLite backend it is one only
 * with our patched build (upstream decodes every document of the collection for any `$in`:
 * measured 313 ms for 500 ids among 5,000 documents of 4 KB, 60 ms patched; a server given by
 * MONGODB_URI must be MongoDB or our build, as the README says).
 */
export async function findByIds<T extends Document & { _id: string }>(collection: Collection<T>, ids: readonly string[], projection: Document): Promise<T[]> {
  const found: T[] = [];
  // The whole chunk in the first reply, the cursor closed with it (the limit): no getMore round trips.
  for (const chunk of chunksOf(ids)) found.push(...((await collection.find({ _id: { $in: chunk } } as Filter<T>, { projection, batchSize: chunk.length, limit: chunk.length }).toArray()) as T[]));
  return found;
}

/**
 * `update` applied to every document of `ids` that also matches `filter`, in one `updateMany`
 * per IDS_PER_COMMAND ids (see findByIds for the index). Returns how many documents changed.
 */
export async function updateByIds<T extends Document & { _id: string }>(collection: Collection<T>, ids: readonly string[], filter: Filter<T>, update: UpdateFilter<T>): Promise<number> {
  let modified = 0;
  for (const chunk of chunksOf(ids)) modified += (await collection.updateMany({ ...filter, _id: { $in: chunk } } as Filter<T>, update)).modifiedCount;
  return modified;
}

/** Delete the documents of `ids`, in one `deleteMany` per IDS_PER_COMMAND ids (see findByIds). Returns how many were deleted. */
export async function deleteByIds<T extends Document & { _id: string }>(collection: Collection<T>, ids: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const chunk of chunksOf(ids)) deleted += (await collection.deleteMany({ _id: { $in: chunk } } as Filter<T>)).deletedCount;
  return deleted;
}
