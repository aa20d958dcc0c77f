import type { Collection, Db, Document } from 'mongodb';
import type { ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { QueueItem } from '../../shared/schemas/queue.js';
import type { RawProperty } from '../../shared/schemas/raw-property.js';
import type { Run } from '../../shared/schemas/run.js';
import type { ScheduleView } from '../../shared/schemas/schedule.js';
import type { DailyStats, LlmUsage } from '../../shared/schemas/stats.js';
import type { LlmBatch } from '../../shared/schemas/llm-batch.js';
import type { SettingsLayer } from '../../shared/settings.js';
import type { ListWriteMark } from './property-list-index.js';
import type { SavedSearchDocument, SearchAlertDocument } from './repositories/saved-searches.js';
import type { ValueSnapshotDocument } from './repositories/value-snapshots.js';
import type { AnalystLayer } from '../../shared/schemas/analyst-layer.js';
import { scrubbedCollection } from './scrubbed-collection.js';
import { diskFullCollection } from './disk-full.js';
import { DISK_RESERVE_COLLECTION, type DiskReserveDocument } from './disk-reserve.js';

export const COLLECTION_NAMES = [
  'raw_properties',
  'raw_originals',
  'processed_properties',
  'processing_queue',
  'property_keys',
  'api_cache',
  'llm_usage',
  'daily_stats',
  'daily_facts',
  'runs',
  'settings',
  'schedule_state',
  'schedule_leases',
  'proxy_health',
  'list_marks',
  'saved_searches',
  'search_alerts',
  'llm_batches',
  'value_snapshots',
  'analyst_layer',
] as const;
export type CollectionName = (typeof COLLECTION_NAMES)[number];

/** A raw property as stored: its `original` payload lives apart, in `raw_originals`. */
/**
 * A raw property as stored: without its payload (kept in RawOriginal), with `last_fact`, the
 * daily fact (DailyFact `_id`) of the write that made its present state, set in that same write:
 * how a fact counted just before its write is known to have landed (DailyStatsRepository).
 * Records written before it was kept: unset.
 */
export type StoredRawProperty = Omit<RawProperty, 'original'> & { last_fact?: string };

/**
 * The payload as received, one document per raw property (same `_id`). Kept apart because the
 * assessor's answers run to tens of kilobytes: the list, counts and pipeline updates read and
 * write only the small raw document (on FerretDB every update rewrites the whole document).
 */
export interface RawOriginal {
  _id: string;
  original: unknown;
}

export interface ApiCacheEntry {
  _id: string;
  value: unknown;
  created_at: Date;
  expires_at: Date;
}

/**
 * The raw ids sharing a parcel number (`apn:509-11-455`) or an address key (`addr:...`): how the
 * MLS and assessor records of one property find each other with `_id` look-ups only.
 */
export interface PropertyKey {
  _id: string;
  ids: string[];
}

export interface SettingsDocument {
  _id: string;
  values: SettingsLayer;
  updated_at: Date;
}

type ScheduleLastRun = NonNullable<ScheduleView['last_run']>;

/** What the scheduler remembers of one job, whichever instance ran it. */
export interface ScheduleState {
  _id: string;
  /** The analyst's switch; null: the settings decide. */
  enabled: boolean | null;
  /** The newest due time dealt with (run, skipped or recorded as missed). */
  last_due_at: Date;
  last_run: ScheduleLastRun | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * A job being run: `_id` is the job's id, unique, so one instance holds it; renewed while the
 * run goes on, taken over when `lease_until` has passed (its holder died).
 */
export interface ScheduleLease {
  _id: string;
  owner: string;
  due_at: Date | null;
  since: Date;
  lease_until: Date;
}

/** One proxy's health as the last MLS run left it (`_id`: WebShare's proxy id). */
export interface ProxyHealthDocument {
  _id: string;
  label: string;
  successes: number;
  failures: number;
  latency_ms: number | null;
  last_error: string | null;
  benched_until: Date | null;
  updated_at: Date;
}

export type LlmUsageDocument = LlmUsage & { _id?: unknown };

/**
 * One counted fact of a day's rollup (a record collected, an item processed or given up on),
 * stored once under a key that names the fact, so counting it again (a re-run after a crash)
 * is a duplicate key and changes nothing. `item`: the raw id it is about.
 */
export interface DailyFact {
  _id: string;
  day: string;
  source: string;
  item: string;
  collected?: number;
  processed?: number;
  failed?: number;
  quality_sum?: number;
  quality_count?: number;
  /**
   * Counted before the write it counts, which may not have landed yet (or ever: a kill between
   * the two): counted only once the record named by `item` carries this fact as its
   * `last_fact`, and unset once the write is known to have landed. Unset: counted.
   */
  pending?: true;
}

/** The typed collections of one database. */
export interface Collections {
  raw: Collection<StoredRawProperty>;
  rawOriginals: Collection<RawOriginal>;
  processed: Collection<ProcessedProperty>;
  queue: Collection<QueueItem>;
  propertyKeys: Collection<PropertyKey>;
  apiCache: Collection<ApiCacheEntry>;
  llmUsage: Collection<LlmUsageDocument>;
  dailyStats: Collection<DailyStats>;
  dailyFacts: Collection<DailyFact>;
  runs: Collection<Run>;
  settings: Collection<SettingsDocument>;
  scheduleState: Collection<ScheduleState>;
  scheduleLeases: Collection<ScheduleLease>;
  proxyHealth: Collection<ProxyHealthDocument>;
  listMarks: Collection<ListWriteMark>;
  savedSearches: Collection<SavedSearchDocument>;
  searchAlerts: Collection<SearchAlertDocument>;
  llmBatches: Collection<LlmBatch>;
  /** The value shown for each property each day, scored by the accuracy report once it sells. */
  valueSnapshots: Collection<ValueSnapshotDocument>;
  /** The analyst's own work per property (corrections, terms, notes, tags, deal status), applied over the collected data. */
  analystLayer: Collection<AnalystLayer>;
  /** The space kept for the writes that record how work ended on a full disk (DiskReserve). */
  diskReserve: Collection<DiskReserveDocument>;
}

/**
 * The collections that keep free text (run messages and errors, queue errors, proxy errors,
 * schedule outcomes), by name: what `collectionsOf` scrubs on every write and a restore scrubs
 * on the way in.
 */
export const FREE_TEXT_COLLECTIONS: ReadonlySet<string> = new Set(['runs', 'processing_queue', 'proxy_health', 'schedule_state']);

/**
 * The typed collections of `db`. With `scrub`, the collections that keep free text (run
 * messages and errors, queue errors, proxy errors, schedule outcomes) pass every write through
 * it, so no secret an upstream echoed is ever stored. Every collection answers a full disk with
 * a DiskFullError naming `place` (databasePlace; unset: the database by name).
 */
export function collectionsOf(db: Db, scrub?: (value: unknown) => unknown, place = `database ${db.databaseName}`): Collections {
  const plain: Collections = {
    raw: db.collection<StoredRawProperty>('raw_properties'),
    rawOriginals: db.collection<RawOriginal>('raw_originals'),
    processed: db.collection<ProcessedProperty>('processed_properties'),
    queue: db.collection<QueueItem>('processing_queue'),
    propertyKeys: db.collection<PropertyKey>('property_keys'),
    apiCache: db.collection<ApiCacheEntry>('api_cache'),
    llmUsage: db.collection<LlmUsageDocument>('llm_usage'),
    dailyStats: db.collection<DailyStats>('daily_stats'),
    dailyFacts: db.collection<DailyFact>('daily_facts'),
    runs: db.collection<Run>('runs'),
    settings: db.collection<SettingsDocument>('settings'),
    scheduleState: db.collection<ScheduleState>('schedule_state'),
    scheduleLeases: db.collection<ScheduleLease>('schedule_leases'),
    proxyHealth: db.collection<ProxyHealthDocument>('proxy_health'),
    listMarks: db.collection<ListWriteMark>('list_marks'),
    savedSearches: db.collection<SavedSearchDocument>('saved_searches'),
    searchAlerts: db.collection<SearchAlertDocument>('search_alerts'),
    llmBatches: db.collection<LlmBatch>('llm_batches'),
    valueSnapshots: db.collection<ValueSnapshotDocument>('value_snapshots'),
    analystLayer: db.collection<AnalystLayer>('analyst_layer'),
    diskReserve: db.collection<DiskReserveDocument>(DISK_RESERVE_COLLECTION),
  };
  const collections = Object.fromEntries(Object.entries(plain).map(([key, c]) => [key, diskFullCollection(c as Collection<Document>, place)])) as unknown as Collections;
  if (!scrub) return collections;
  // FREE_TEXT_COLLECTIONS, by name.
  return {
    ...collections,
    runs: scrubbedCollection(collections.runs, scrub),
    queue: scrubbedCollection(collections.queue, scrub),
    proxyHealth: scrubbedCollection(collections.proxyHealth, scrub),
    scheduleState: scrubbedCollection(collections.scheduleState, scrub),
  };
}
