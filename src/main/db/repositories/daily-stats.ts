import type { Collection } from 'mongodb';
import { IncrementCoalescer } from '../increment-coalescer.js';
import { CommandBatcher, insertBatcher } from '../command-batcher.js';
import type { DailyFact, LlmUsageDocument } from '../collections.js';
import { findByIds, updateByIds } from '../by-ids.js';
import { DAILY_COUNTERS, type DailyCounter, type DailyStats } from '../../../shared/schemas/stats.js';

/** The counters with no record to count from (upstream requests, CAPTCHA solves): added with `$inc`. */
export type EventCounter = 'api_requests' | 'api_errors' | 'captcha_usd';
export type DailyIncrements = Partial<Record<EventCounter, number>>;

/** The counters a fact carries: records collected, items processed (with their scores) or given up on. */
export type FactCounts = Partial<Pick<DailyFact, 'collected' | 'processed' | 'failed' | 'quality_sum' | 'quality_count'>>;

/** A fact to count once: its key (the same fact always has the same key), day, source and raw id. */
export interface CountedFact {
  key: string;
  day: string;
  source: string;
  item: string;
  counts: FactCounts;
}

const FACT_COUNTERS = ['collected', 'processed', 'failed', 'quality_sum', 'quality_count'] as const satisfies readonly DailyCounter[];

/** A collection whose documents carry the fact of the write that made them (`last_fact`), by the fact's `item`. */
export type FactWitness = Collection<{ _id: string; last_fact?: string }>;

/** A collection read as the witness of its records' facts (`_id` and `last_fact` only are read). */
export function factWitness<T extends { _id: string; last_fact?: string }>(collection: Collection<T>): FactWitness {
  return collection as unknown as FactWitness;
}

/**
 * Per-day, per-source rollups (America/Phoenix days), exact after any crash.
 *
 * Only single-document writes are atomic on every server we use (ARCHITECTURE.md: no
 * transactions on FerretDB), so no counter is kept beside the fact it counts, where a kill
 * between the two writes would lose or double it. Instead each figure is read from records:
 * - `tokens`, `cost_usd`: summed from `llm_usage`, the ledger of every call (one insert per call),
 *   which the budget guard reads too;
 * - `collected`, `processed`, `failed`, `quality_*`: summed from `daily_facts`, one document per
 *   fact under a key naming it (`countOnce`), so a re-run after a crash counts nothing twice. A
 *   fact counted `pending` before its write (issue #24: a sync killed between the two counted
 *   records it never stored) counts only once its record, in the witness collection of its
 *   kind, carries it as `last_fact` (set by the write itself), so the day equals the records at
 *   every instant, whenever a kill lands;
 * - `api_requests`, `api_errors`, `captcha_usd`: upstream events with no record of their own,
 *   added with `$inc` to `daily_stats` as each happens (at most the writes in flight at a kill are lost).
 * Rollups written by releases before the facts (`daily_stats` documents' `collected`,
 * `processed`, `failed`, `quality_*`) are added in, so old days keep their figures; their
 * `tokens` and `cost_usd` are not, as those calls are in `llm_usage` too.
 */
export class DailyStatsRepository {
  private readonly increments: IncrementCoalescer<`${string}|${string}`>;
  /** Fact inserts and confirmations of concurrent callers (each processed item makes one of each), one command for many. */
  private readonly factInserts: CommandBatcher<DailyFact, 'inserted' | 'duplicate'>;
  private readonly confirms: CommandBatcher<readonly string[]>;

  constructor(
    private readonly collection: Collection<DailyStats>,
    private readonly facts: Collection<DailyFact>,
    private readonly llmUsage: Collection<LlmUsageDocument>,
    /** Where a pending fact's write shows, by the kind its key starts with (`collected` → raw_properties). */
    private readonly witnesses: Readonly<Record<string, FactWitness>> = {},
  ) {
    this.increments = new IncrementCoalescer(async (_id, $inc) => {
      const [day, source] = _id.split('|') as [string, string];
      await this.collection.updateOne({ _id }, { $inc, $setOnInsert: { day, source } }, { upsert: true });
    });
    this.factInserts = insertBatcher(facts);
    this.confirms = new CommandBatcher<readonly string[]>(async (batches) => {
      await updateByIds(this.facts, batches.flat(), { pending: true }, { $unset: { pending: '' } });
      return batches.map(() => undefined);
    });
  }

  /**
   * Add upstream events (requests, errors, CAPTCHA dollars) to a day's counters; settles once
   * they are stored. Within this process one write at a time goes to each document, carrying
   * every increment that arrived meanwhile.
   */
  async increment(day: string, source: string, increments: DailyIncrements): Promise<void> {
    const $inc: Record<string, number> = {};
    for (const [key, value] of Object.entries(increments)) if (value) $inc[key] = value;
    if (Object.keys($inc).length === 0) return;
    await this.increments.add(`${day}|${source}`, $inc);
  }

  /**
   * Add a billed call's dollars to the day's spend counter (`cost_usd` of the day's rollup of
   * `source`), after its `llm_usage` record is stored; what the budget guard reads instead of the
   * whole ledger (`spendCounted`). Coalesced as `increment` is. A kill between the record and this
   * loses at most the increments in flight, which the guard then does not count: the ledger, and
   * `range`, which reads it rather than this counter, stay exact.
   */
  async addSpend(day: string, source: string, usd: number): Promise<void> {
    if (usd !== 0) await this.increments.add(`${day}|${source}`, { cost_usd: usd });
  }

  /**
   * The day's spend as the counters have it (`addSpend`; rollups of releases that kept it there
   * too): one read of the day's few rollup documents, however many calls the day had.
   */
  async spendCounted(day: string): Promise<number> {
    const rows = await this.collection.find({ day }, { projection: { cost_usd: 1 } }).toArray();
    return rows.reduce((sum, r) => sum + (r.cost_usd ?? 0), 0);
  }

  /** The day's spend from the ledger: every call of `llm_usage` that day, read in full (on FerretDB, the whole collection is decoded). */
  async spendLedger(day: string): Promise<number> {
    const calls = await this.llmUsage.find({ day }, { projection: { cost_usd: 1 } }).toArray();
    return calls.reduce((sum, u) => sum + u.cost_usd, 0);
  }

  /**
   * Count each fact once: one insert per fact, a fact already counted (its key stored) skipped.
   * Resolves to the keys this call stored (the others were counted before, by this or another
   * process). Throws any write error but a duplicate key.
   */
  async countOnce(facts: readonly CountedFact[], options: { pending?: boolean } = {}): Promise<string[]> {
    if (facts.length === 0) return [];
    const docs: DailyFact[] = facts.map((f) => ({ _id: f.key, day: f.day, source: f.source, item: f.item, ...f.counts, ...(options.pending && { pending: true as const }) }));
    // Sent with the facts other callers count meanwhile (one insert for many); every write is
    // awaited before the first error is thrown, so none is left running unwatched.
    const results = await Promise.allSettled(docs.map((d) => this.factInserts.add(d)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return docs.filter((_, i) => (results[i] as PromiseFulfilledResult<string>).value === 'inserted').map((d) => d._id);
  }

  /**
   * Mark pending facts (`countOnce(…, { pending: true })`) as landed: their writes are stored.
   * Facts already confirmed, or unknown, are left as they are.
   */
  async confirm(keys: readonly string[]): Promise<void> {
    // With the confirmations of other callers meanwhile, in one update by id.
    if (keys.length > 0) await this.confirms.add(keys);
  }

  /** Take back facts this process counted for a write that did not land (keys from `countOnce`). */
  async uncount(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.facts.deleteMany({ _id: { $in: [...keys] } });
  }

  /** Forget every fact about these raw ids (records being deleted, as the sample data's are). */
  async forgetItems(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.facts.deleteMany({ item: { $in: [...ids] } });
  }

  /** Every rollup from `fromDay` to `toDay` inclusive, one per day and source with anything, counters defaulted to 0. */
  async range(fromDay: string, toDay: string): Promise<DailyStats[]> {
    const days = { $gte: fromDay, $lte: toDay };
    const [stored, facts, calls] = await Promise.all([
      this.collection.find({ day: days }).toArray(),
      this.facts.find({ day: days }).toArray(),
      this.llmUsage.find({ day: days }, { projection: { day: 1, source: 1, raw_id: 1, prompt_tokens: 1, completion_tokens: 1, cost_usd: 1 } }).toArray(),
    ]);
    const rows = new Map<string, DailyStats>();
    const row = (day: string, source: string): DailyStats => {
      const id = `${day}|${source}`;
      let r = rows.get(id);
      if (!r) {
        r = { _id: id, day, source, ...(Object.fromEntries(DAILY_COUNTERS.map((c) => [c, 0])) as Record<DailyCounter, number>) };
        rows.set(id, r);
      }
      return r;
    };
    for (const d of stored) {
      const r = row(d.day, d.source);
      for (const c of DAILY_COUNTERS) if (c !== 'tokens' && c !== 'cost_usd') r[c] += d[c] ?? 0;
    }
    const landed = await this.landedOf(facts.filter((f) => f.pending));
    for (const f of facts) {
      if (f.pending && !landed.has(f._id)) continue;
      const r = row(f.day, f.source);
      for (const c of FACT_COUNTERS) r[c] += f[c] ?? 0;
    }
    for (const u of calls) {
      // Calls billed before `source` was kept: the source is their raw id's (`<source>:<id>`).
      const r = row(u.day, u.source ?? u.raw_id?.split(':')[0] ?? 'unknown');
      r.tokens += u.prompt_tokens + u.completion_tokens;
      r.cost_usd += u.cost_usd;
    }
    return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.source.localeCompare(b.source));
  }

  /**
   * The keys of these pending facts whose writes landed: their record (by `item`, in the
   * witness of the key's kind) carries the fact as `last_fact`. Those are confirmed on the way,
   * so each is looked up once. A fact of no known witness never counts while pending.
   */
  private async landedOf(pending: readonly DailyFact[]): Promise<Set<string>> {
    const landed = new Set<string>();
    const byKind = new Map<string, DailyFact[]>();
    for (const f of pending) {
      const kind = f._id.split(':')[0]!;
      byKind.set(kind, [...(byKind.get(kind) ?? []), f]);
    }
    for (const [kind, facts] of byKind) {
      const witness = this.witnesses[kind];
      if (!witness) continue;
      const carried = new Set((await findByIds(witness, facts.map((f) => f.item), { last_fact: 1 })).map((d) => d.last_fact));
      for (const f of facts) if (carried.has(f._id)) landed.add(f._id);
    }
    await this.confirm([...landed]);
    return landed;
  }
}
