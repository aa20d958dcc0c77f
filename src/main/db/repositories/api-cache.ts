import type { Collection } from 'mongodb';
import type { Clock } from '../../runtime/clock.js';
import type { ApiCacheEntry } from '../collections.js';
import { upsertRetryingDuplicate } from '../duplicate-key.js';

/**
 * Cached upstream responses. Expiry is checked on every read, so a stale entry is never served
 * even where the server has no TTL index; `purge()` removes expired entries on a schedule.
 */
export class ApiCacheRepository {
  constructor(
    private readonly collection: Collection<ApiCacheEntry>,
    private readonly clock: Clock,
  ) {}

  async get<T = unknown>(key: string): Promise<T | null> {
    const entry = await this.collection.findOne({ _id: key, expires_at: { $gt: this.clock() } });
    return entry ? (entry.value as T) : null;
  }

  /** Like `get`, but only an entry written at or after `notBefore` counts. */
  async getSince<T = unknown>(key: string, notBefore: Date): Promise<T | null> {
    const entry = await this.collection.findOne({ _id: key, expires_at: { $gt: this.clock() }, created_at: { $gte: notBefore } });
    return entry ? (entry.value as T) : null;
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    const now = this.clock();
    await upsertRetryingDuplicate(() =>
      this.collection.replaceOne({ _id: key }, { value, created_at: now, expires_at: new Date(now.getTime() + ttlMs) }, { upsert: true }),
    );
  }

  /** When each of `keys` that holds an entry not yet expired was written (one query a thousand keys); a key without one is absent. */
  async freshEntries(keys: readonly string[]): Promise<Map<string, Date>> {
    const fresh = new Map<string, Date>();
    const now = this.clock();
    for (let i = 0; i < keys.length; i += 1000) {
      const docs = await this.collection.find({ _id: { $in: keys.slice(i, i + 1000) }, expires_at: { $gt: now } }, { projection: { _id: 1, created_at: 1 } }).toArray();
      for (const d of docs) fresh.set(d._id, d.created_at);
    }
    return fresh;
  }

  async delete(key: string): Promise<void> {
    await this.collection.deleteOne({ _id: key });
  }

  /** Delete every expired entry; returns how many went. */
  async purge(): Promise<number> {
    const res = await this.collection.deleteMany({ expires_at: { $lte: this.clock() } });
    return res.deletedCount;
  }
}
