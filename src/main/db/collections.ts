import type { Collection, Db } from 'mongodb';
import type { ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { QueueItem } from '../../shared/schemas/queue.js';
import type { RawProperty } from '../../shared/schemas/raw-property.js';
import type { Run } from '../../shared/schemas/run.js';
import type { DailyStats, LlmUsage } from '../../shared/schemas/stats.js';
import type { SettingsLayer } from '../../shared/settings.js';

export const COLLECTION_NAMES = [
  'raw_properties',
  'processed_properties',
  'processing_queue',
  'queue_claims',
  'api_cache',
  'llm_usage',
  'daily_stats',
  'runs',
  'settings',
] as const;
export type CollectionName = (typeof COLLECTION_NAMES)[number];

export interface ApiCacheEntry {
  _id: string;
  value: unknown;
  created_at: Date;
  expires_at: Date;
}

/** One claim of a queue item: `_id` is `<item id>#<claim_seq>`, unique, so one claimer wins. */
export interface QueueClaim {
  _id: string;
  item_id: string;
  worker_id: string;
  at: Date;
}

export interface SettingsDocument {
  _id: string;
  values: SettingsLayer;
  updated_at: Date;
}

export type LlmUsageDocument = LlmUsage & { _id?: unknown };

/** The typed collections of one database. */
export interface Collections {
  raw: Collection<RawProperty>;
  processed: Collection<ProcessedProperty>;
  queue: Collection<QueueItem>;
  queueClaims: Collection<QueueClaim>;
  apiCache: Collection<ApiCacheEntry>;
  llmUsage: Collection<LlmUsageDocument>;
  dailyStats: Collection<DailyStats>;
  runs: Collection<Run>;
  settings: Collection<SettingsDocument>;
}

export function collectionsOf(db: Db): Collections {
  return {
    raw: db.collection<RawProperty>('raw_properties'),
    processed: db.collection<ProcessedProperty>('processed_properties'),
    queue: db.collection<QueueItem>('processing_queue'),
    queueClaims: db.collection<QueueClaim>('queue_claims'),
    apiCache: db.collection<ApiCacheEntry>('api_cache'),
    llmUsage: db.collection<LlmUsageDocument>('llm_usage'),
    dailyStats: db.collection<DailyStats>('daily_stats'),
    runs: db.collection<Run>('runs'),
    settings: db.collection<SettingsDocument>('settings'),
  };
}
