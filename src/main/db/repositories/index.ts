import type { QueueStatus } from '../../../shared/schemas/queue.js';
import type { Clock } from '../../runtime/clock.js';
import type { Collections } from '../collections.js';
import { ApiCacheRepository } from './api-cache.js';
import { DailyStatsRepository, factWitness } from './daily-stats.js';
import { LlmBatchRepository } from './llm-batches.js';
import { LlmUsageRepository } from './llm-usage.js';
import { ProcessedPropertyRepository } from './processed-properties.js';
import { QueueRepository, type QueuePolicy } from './queue.js';
import { RawPropertyRepository } from './raw-properties.js';
import { RunRepository } from './runs.js';
import { ScheduleRepository } from './schedules.js';
import { ProxyHealthRepository } from './proxy-health.js';
import { SettingsRepository } from './settings.js';
import { SampleRecordsRepository } from './sample-records.js';
import { SavedSearchRepository } from './saved-searches.js';
import { ValueSnapshotRepository } from './value-snapshots.js';
import { AnalystLayerRepository } from './analyst-layer.js';
import { DealPipelineRepository } from './deal-pipeline.js';
import { DiskReserve } from '../disk-reserve.js';

export interface Repositories {
  raw: RawPropertyRepository;
  processed: ProcessedPropertyRepository;
  queue: QueueRepository;
  apiCache: ApiCacheRepository;
  dailyStats: DailyStatsRepository;
  llmUsage: LlmUsageRepository;
  runs: RunRepository;
  settings: SettingsRepository;
  schedules: ScheduleRepository;
  proxyHealth: ProxyHealthRepository;
  /** What the sample data made, to count and remove it. */
  sample: SampleRecordsRepository;
  savedSearches: SavedSearchRepository;
  llmBatches: LlmBatchRepository;
  /** The value shown for each property each day (the accuracy report's `shown_before_sale`). */
  valueSnapshots: ValueSnapshotRepository;
  /** The analyst's own work per property, kept apart from the collected data (`analyst-layer.ts`). */
  analystLayer: AnalystLayerRepository;
  /** The analyst's deals by status, from the list rows (the Pipeline page). */
  pipeline: DealPipelineRepository;
  /** The space kept for recording how work ended on a full disk; `keep` it at start. */
  diskReserve: DiskReserve;
}

/**
 * Build every repository over one database; queue transitions keep the property list current.
 * `owner`: this process's instance id, kept on the runs it starts.
 */
export function createRepositories(
  collections: Collections,
  clock: Clock,
  queuePolicy: QueuePolicy,
  onQueueStatus?: (id: string, status: QueueStatus) => void,
  owner?: string,
): Repositories {
  const diskReserve = new DiskReserve(collections.diskReserve);
  const dailyStats = new DailyStatsRepository(collections.dailyStats, collections.dailyFacts, collections.llmUsage, {
    collected: factWitness(collections.raw),
    processed: factWitness(collections.queue),
    failed: factWitness(collections.queue),
  });
  const raw = new RawPropertyRepository(collections.raw, collections.rawOriginals, clock, collections.propertyKeys, dailyStats);
  const queue = new QueueRepository(
    collections.queue,
    clock,
    queuePolicy,
    async (id, status, settled) => {
      await raw.setPipelineState(id, { status, ...settled });
      onQueueStatus?.(id, status);
    },
    Math.random,
    diskReserve,
  );
  queue.onStatusMany(async (ids, status, summaryHasStatus) => {
    await raw.setPipelineStatusMany(ids.filter((id) => !summaryHasStatus.has(id)), status);
    for (const id of ids) onQueueStatus?.(id, status);
  });
  return {
    raw,
    processed: new ProcessedPropertyRepository(collections.processed),
    queue,
    apiCache: new ApiCacheRepository(collections.apiCache, clock),
    dailyStats,
    llmUsage: new LlmUsageRepository(collections.llmUsage),
    runs: new RunRepository(collections.runs, clock, owner ?? null, diskReserve),
    settings: new SettingsRepository(collections.settings, clock),
    schedules: new ScheduleRepository(collections.scheduleState, collections.scheduleLeases, clock),
    proxyHealth: new ProxyHealthRepository(collections.proxyHealth, clock),
    sample: new SampleRecordsRepository(collections, raw, dailyStats),
    savedSearches: new SavedSearchRepository(collections.savedSearches, collections.searchAlerts, clock),
    llmBatches: new LlmBatchRepository(collections.llmBatches),
    valueSnapshots: new ValueSnapshotRepository(collections.valueSnapshots),
    analystLayer: new AnalystLayerRepository(collections.analystLayer),
    pipeline: new DealPipelineRepository(collections.raw, collections.analystLayer),
    diskReserve,
  };
}
