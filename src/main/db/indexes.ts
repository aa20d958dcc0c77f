import type { Db, IndexDescription } from 'mongodb';
import type { Logger } from '../observability/logger.js';
import { COLLECTION_NAMES, type CollectionName } from './collections.js';

/** Every index we rely on. Names are explicit so re-running is a no-op on every server. */
export const INDEXES: Record<CollectionName, IndexDescription[]> = {
  raw_properties: [
    { key: { source: 1, source_id: 1 }, name: 'source_source_id', unique: true },
    { key: { collected_at: -1, _id: 1 }, name: 'collected_at' },
    { key: { updated_at: -1 }, name: 'updated_at' },
    { key: { 'summary.zip': 1 }, name: 'summary_zip' },
    { key: { 'summary.price': 1 }, name: 'summary_price' },
    { key: { 'summary.status': 1 }, name: 'summary_status' },
    { key: { 'summary.quality_score': 1 }, name: 'summary_quality' },
    { key: { 'summary.value': 1 }, name: 'summary_value' },
    { key: { 'summary.cap_rate': 1 }, name: 'summary_cap_rate' },
    { key: { 'summary.list_to_value': 1 }, name: 'summary_list_to_value' },
    // The Pipeline's columns: the deals in one status, the latest moved first.
    { key: { 'summary.deal_status': 1, 'summary.deal_status_at': -1 }, name: 'summary_deal_status' },
    { key: { 'data.parcel_number': 1 }, name: 'parcel_number' },
  ],
  raw_originals: [],
  processed_properties: [
    { key: { raw_id: 1 }, name: 'raw_id', unique: true },
    { key: { raw_ids: 1 }, name: 'raw_ids' },
    { key: { processed_at: -1 }, name: 'processed_at' },
    { key: { quality_score: 1 }, name: 'quality_score' },
  ],
  processing_queue: [
    { key: { status: 1, available_at: 1 }, name: 'status_available_at' },
    { key: { status: 1, lease_until: 1 }, name: 'status_lease_until' },
    { key: { worker_id: 1 }, name: 'worker_id' },
  ],
  property_keys: [],
  api_cache: [{ key: { expires_at: 1 }, name: 'expires_at' }],
  llm_usage: [
    { key: { day: 1, model: 1 }, name: 'day_model' },
    { key: { at: -1 }, name: 'at' },
  ],
  daily_stats: [{ key: { day: 1, source: 1 }, name: 'day_source', unique: true }],
  daily_facts: [
    { key: { day: 1 }, name: 'day' },
    { key: { item: 1 }, name: 'item' },
  ],
  runs: [
    { key: { started_at: -1 }, name: 'started_at' },
    { key: { kind: 1, source: 1, started_at: -1 }, name: 'kind_source_started_at' },
    { key: { status: 1 }, name: 'status' },
  ],
  settings: [],
  schedule_state: [],
  schedule_leases: [],
  proxy_health: [],
  list_marks: [],
  saved_searches: [{ key: { name: 1 }, name: 'name', unique: true }],
  search_alerts: [
    { key: { day: 1, at: -1 }, name: 'day_at' },
    { key: { seen: 1 }, name: 'seen' },
  ],
  llm_batches: [{ key: { state: 1, submitted_at: 1 }, name: 'state_submitted_at' }],
  value_snapshots: [
    { key: { parcel_number: 1, day: -1 }, name: 'parcel_number_day' },
    { key: { property_id: 1, day: -1 }, name: 'property_id_day' },
  ],
  analyst_layer: [
    { key: { keys: 1 }, name: 'keys' },
    { key: { tags: 1 }, name: 'tags' },
    { key: { 'status.value': 1 }, name: 'status' },
  ],
};

/**
 * Create the collections and indexes if missing; safe to run at every start.
 *
 * The api_cache expiry is checked on read and purged on a schedule everywhere; a TTL index is
 * added on top where the server accepts one (MongoDB does; FerretDB 1.24 may not).
 */
export async function ensureSchema(db: Db, logger?: Logger): Promise<{ ttlIndex: boolean }> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of COLLECTION_NAMES) {
    if (!existing.has(name)) {
      try {
        await db.createCollection(name);
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
      }
    }
    // Only the missing ones: FerretDB 1.24 panics on createIndexes when every index exists.
    const present = new Set((await db.collection(name).listIndexes().toArray()).map((i) => i.name as string));
    const missing = INDEXES[name].filter((i) => !present.has(i.name!));
    if (missing.length > 0) await db.collection(name).createIndexes(missing);
  }
  let ttlIndex = false;
  try {
    const cacheIndexes = await db.collection('api_cache').listIndexes().toArray();
    if (!cacheIndexes.some((i) => i.name === 'expires_at_ttl')) {
      await db.collection('api_cache').createIndex({ expires_at: 1 }, { name: 'expires_at_ttl', expireAfterSeconds: 0 });
    }
    ttlIndex = true;
  } catch (error) {
    logger?.debug({ err: error }, 'TTL index not supported by this server; api_cache is purged on a schedule only');
  }
  return { ttlIndex };
}

function isAlreadyExists(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 48;
}
