import type { Collections } from '../collections.js';
import type { DailyStatsRepository } from './daily-stats.js';
import type { RawPropertyRepository } from './raw-properties.js';

/** What removing the sample data deleted. */
export interface SampleRemoval {
  records: number;
  processed: number;
  queueItems: number;
  runs: number;
}

/**
 * The records the sample data made (`data.sample: true`) and everything hanging off them: their
 * processed records, queue items, LLM usage, the analyst's layer of a sample property, the
 * sample's runs (`params.sample`), and
 * what their processing added to the daily rollups. Nothing else is touched.
 */
export class SampleRecordsRepository {
  constructor(
    private readonly c: Pick<Collections, 'raw' | 'processed' | 'queue' | 'llmUsage' | 'runs' | 'analystLayer'>,
    private readonly raw: RawPropertyRepository,
    private readonly dailyStats: DailyStatsRepository,
  ) {}

  /** The raw ids of the sample records. */
  async ids(): Promise<string[]> {
    const docs = await this.c.raw.find({ 'data.sample': true }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  }

  async count(): Promise<number> {
    return this.c.raw.countDocuments({ 'data.sample': true });
  }

  /** The properties the sample records make (one row each in the Properties list): those not merged into another. */
  async countProperties(): Promise<number> {
    return this.c.raw.countDocuments({ 'data.sample': true, 'summary.merged_into': null });
  }

  /**
   * Delete every sample record and what hangs off it. The daily rollups lose what the sample
   * added to them (its records collected, processed and failed, their quality scores, and its
   * LLM calls: the facts and calls the rollups are read from are deleted), so the Dashboard's
   * figures are those of the real data again.
   */
  async removeAll(): Promise<SampleRemoval> {
    const ids = await this.ids();
    const queueItems = ids.length > 0 ? (await this.c.queue.deleteMany({ _id: { $in: ids } })).deletedCount : 0;
    await this.dailyStats.forgetItems(ids);
    const processed = ids.length > 0 ? (await this.c.processed.deleteMany({ _id: { $in: ids } })).deletedCount : 0;
    if (ids.length > 0) await this.c.llmUsage.deleteMany({ raw_id: { $in: ids } });
    // The analyst's work on a sample property (known by its records' ids only: `propertyIdentity`).
    if (ids.length > 0) await this.c.analystLayer.deleteMany({ keys: { $in: ids } });
    const runs = (await this.c.runs.deleteMany({ 'params.sample': true })).deletedCount;
    const records = await this.raw.removeMany(ids);
    return { records, processed, queueItems, runs };
  }
}
