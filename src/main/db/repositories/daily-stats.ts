import type { Collection } from 'mongodb';
import { KeyedLock } from '../keyed-lock.js';
import { DAILY_COUNTERS, type DailyCounter, type DailyStats } from '../../../shared/schemas/stats.js';

export type DailyIncrements = Partial<Record<DailyCounter, number>>;

/**
 * Per-day, per-source rollups updated with `$inc`, so charts read a few documents instead of
 * scanning properties. Days are America/Phoenix calendar days.
 */
export class DailyStatsRepository {
  private readonly lock = new KeyedLock();

  constructor(private readonly collection: Collection<DailyStats>) {}

  /** Add to a day's counters (serialised per document within this process; see KeyedLock). */
  async increment(day: string, source: string, increments: DailyIncrements): Promise<void> {
    const $inc: Record<string, number> = {};
    for (const [key, value] of Object.entries(increments)) if (value) $inc[key] = value;
    if (Object.keys($inc).length === 0) return;
    const _id = `${day}|${source}`;
    await this.lock.run(_id, () => this.collection.updateOne({ _id }, { $inc, $setOnInsert: { day, source } }, { upsert: true }));
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
