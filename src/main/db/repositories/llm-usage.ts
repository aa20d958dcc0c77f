import type { Collection, OptionalUnlessRequiredId } from 'mongodb';
import type { LlmUsage } from '../../../shared/schemas/stats.js';
import type { LlmUsageDocument } from '../collections.js';
import { insertBatcher, type CommandBatcher } from '../command-batcher.js';

/**
 * Every LLM call as billed: the ledger the day's tokens and cost, and so the budget guard, are
 * read from (DailyStatsRepository.range), so one insert per call is all there is to write and a
 * crash cannot leave the ledger and the day's cost apart.
 */
export class LlmUsageRepository {
  /** The calls billed by concurrent callers, inserted together (one command for many). */
  private readonly inserts: CommandBatcher<OptionalUnlessRequiredId<LlmUsageDocument>, 'inserted' | 'duplicate'>;

  constructor(private readonly collection: Collection<LlmUsageDocument>) {
    this.inserts = insertBatcher(collection);
  }

  /** One call, for a record of `source`; `reasoning_tokens` unset: the model does not reason (0). Settles once stored. */
  async record(usage: Omit<LlmUsage, 'reasoning_tokens' | 'source'> & { reasoning_tokens?: number }, source: string): Promise<void> {
    await this.inserts.add({ reasoning_tokens: 0, ...usage, source });
  }

  /** Spend per day and model, `fromDay` to `toDay` inclusive. */
  async costByDayAndModel(fromDay: string, toDay: string): Promise<{ day: string; model: string; cost_usd: number }[]> {
    const rows = await this.collection
      .aggregate<{ _id: { day: string; model: string }; value: number }>([
        { $match: { day: { $gte: fromDay, $lte: toDay } } },
        { $group: { _id: { day: '$day', model: '$model' }, value: { $sum: '$cost_usd' } } },
      ])
      .toArray();
    return rows.map((r) => ({ day: r._id.day, model: r._id.model, cost_usd: r.value }));
  }

  /**
   * Spend, calls and hidden reasoning tokens (billed as output) per model from `fromDay` to
   * `toDay` inclusive.
   *
   * Two single-accumulator `$group`s: FerretDB 1.24 fills only the first accumulator of a
   * `$group` and returns 0 for the rest.
   */
  async costByModel(fromDay: string, toDay = fromDay): Promise<{ model: string; cost_usd: number; calls: number; reasoning_tokens: number }[]> {
    const group = (accumulator: unknown) =>
      this.collection
        .aggregate<{ _id: string; value: number }>([{ $match: { day: { $gte: fromDay, $lte: toDay } } }, { $group: { _id: '$model', value: accumulator } }])
        .toArray();
    const [costs, calls, reasoning] = await Promise.all([group({ $sum: '$cost_usd' }), group({ $sum: 1 }), group({ $sum: '$reasoning_tokens' })]);
    const callsByModel = new Map(calls.map((r) => [r._id, r.value]));
    const reasoningByModel = new Map(reasoning.map((r) => [r._id, r.value]));
    return costs
      .map((r) => ({ model: r._id, cost_usd: r.value, calls: callsByModel.get(r._id) ?? 0, reasoning_tokens: reasoningByModel.get(r._id) ?? 0 }))
      .sort((a, b) => a.model.localeCompare(b.model));
  }
}
