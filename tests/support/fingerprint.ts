import { createHash } from 'node:crypto';
import { BSON, type Db } from 'mongodb';
import { EXACT_BSON } from '../../src/main/db/dump/dump-database.js';

/** One collection as `fingerprint` sees it: its document count, a SHA-256 of its documents and its indexes. */
export interface CollectionFingerprint {
  count: number;
  sha256: string;
  indexes: string[];
}

/**
 * Every collection of `db` (`system.*` aside): its count, a hash of its documents (exact BSON, in
 * `_id` order) and its indexes (name, key, unique). `ignore` leaves documents out by `_id` (a
 * run record the comparison is not about). Two equal fingerprints: the same documents, byte for byte.
 */
export async function fingerprint(db: Db, ignore: { collection: string; ids: string[] } | null = null): Promise<Record<string, CollectionFingerprint>> {
  const out: Record<string, CollectionFingerprint> = {};
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    if (name.startsWith('system.')) continue;
    const filter = ignore?.collection === name ? { _id: { $nin: ignore.ids } } : {};
    const docs = await db.collection(name).find(filter as never, EXACT_BSON).toArray();
    const keyed = docs.map((d) => ({ key: BSON.EJSON.stringify({ id: d._id }), bytes: BSON.serialize(d) })).sort((a, b) => a.key.localeCompare(b.key));
    const hash = createHash('sha256');
    for (const { bytes } of keyed) hash.update(bytes);
    const indexes = (await db.collection(name).listIndexes().toArray()).map((i) => `${String(i.name)} ${JSON.stringify(i.key)}${i.unique ? ' unique' : ''}`).sort();
    out[name] = { count: docs.length, sha256: hash.digest('hex'), indexes };
  }
  return out;
}
