import type { Collection } from 'mongodb';
import { IncrementCoalescer } from '../increment-coalescer.js';
import { DAILY_COUNTERS, type DailyCounter, type DailyStats } from '../../../shared/schemas/stats.js';

export type DailyIncrements = Partial<Record<DailyCounter, number>>;

/**
 * Per-day, per-source rollups updated with `$inc`, so charts read a few documents instead of
 * scanning properties. Days are America/Phoenix calendar days.
 */
export class DailyStatsRepository {
  private readonly increments: IncrementCoalescer<`${string}|${string}`>;

  constructor(private readonly collection: Collection<DailyStats>) {
    this.increments = new IncrementCoalescer(async (_id, $inc) => {
      const [day, source] = _id.split('|') as [string, string];
      await this.collection.updateOne({ _id }, { $inc, $setOnInsert: { day, source } }, { upsert: true });
    });
  }

  /**
   * Add to a day's counters; settles once they are stored. Within this process one write at a
   * time goes to each document, carrying every increment that arrived meanwhile.
   */
  async increment(day: string, source: string, increments: DailyIncrements): Promise<void> {
    const $inc: Record<string, number> = {};
    for (const [key, value] of Object.entries(increments)) if (value) $inc[key] = value;
    if (Object.keys($inc).length === 0) return;
    await this.increments.add(`${day}|${source}`, $inc);
  }

  /** Every rollup from `fromDay` to `toDay` inclusive, counters defaulted to 0. */
  async range(fromDay: string, toDay: string): Promise<DailyStats[]> {
    const docs = await this.collection.find({ day: { $gte: fromDay, $lte: toDay } }).sort({ day: 1, source: 1 }).toArray();
    return docs.map((d) => {
      const filled = { ...d };
      for (const c of DAILY_COUNTERS) filled[c] = d[c] ?? 0;
      return filled;
    });
  }
}
