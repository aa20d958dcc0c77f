import { phoenixDay } from '../../shared/phoenix-time.js';
import type { Clock } from '../runtime/clock.js';
import type { DailyStatsRepository } from '../db/repositories/daily-stats.js';

/**
 * Today's LLM spend against `LLM_DAILY_BUDGET_USD` (America/Phoenix days). A worker asks
 * `allows(estimate)` before it claims: it stops claiming before a call would cross the budget,
 * and a new day starts a new budget. The spend is read from `llm_usage`, the ledger every worker
 * on the database writes each call to, once a day per process; from then on from the day's
 * spend counters (`DailyStatsRepository.addSpend`, which every worker adds each call to), whose
 * growth since that first read is added to it; and topped up with this process's spend since the
 * last read.
 *
 * Why (issue #22): reading the ledger sums every call of the day, and on FerretDB decodes every
 * call ever billed, so a refresh every 5 s grew with the database (the largest read of a
 * processing run); the counters are a handful of documents. A counter behind the ledger (a kill
 * between a call's record and its increment) is never below it at the first read (the larger of
 * the two is taken), and later misses at most the increments a kill cut off.
 */
export class DailyBudget {
  private day = '';
  private readSpend = 0;
  /** The day's ledger at this process's first read of it, and the counters then. */
  private ledgerAtFirst = 0;
  private countedAtFirst = 0;
  private localSince = 0;
  private readAt = 0;
  private reading: Promise<void> | undefined;
  /** Running mean of recent call costs, the estimate for the next one. */
  private meanCallCost: number;

  constructor(
    private readonly stats: DailyStatsRepository,
    /** Dollars a day, or how to read them (the settings in force, which a Save may change). */
    private readonly budgetUsd: number | (() => number),
    private readonly clock: Clock,
    initialEstimateUsd: number,
    private readonly refreshMs = 5_000,
  ) {
    this.meanCallCost = initialEstimateUsd;
  }

  get limitUsd(): number {
    return typeof this.budgetUsd === 'function' ? this.budgetUsd() : this.budgetUsd;
  }

  /**
   * Today's spend in dollars. The day's rollup is read at most once per `refreshMs` for the
   * whole process: while one read is under way, callers of the same day get the last figure
   * (plus this process's spend since) instead of each starting its own read, so a refresh never
   * holds every worker (and every model-call slot) behind a queue of identical aggregations.
   */
  async spentToday(): Promise<number> {
    const now = this.clock();
    const day = phoenixDay(now);
    if (day !== this.day) await this.refresh(day, now);
    else if (now.getTime() - this.readAt > this.refreshMs) void this.refresh(day, now).catch(() => undefined);
    return this.readSpend + this.localSince;
  }

  /** One read of the day's rollup at a time; a caller of a new day waits for it. */
  private refresh(day: string, now: Date): Promise<void> {
    this.reading ??= (async () => {
      // Spend counted while the read runs may be missing from it: it stays counted (the safe side).
      const before = day === this.day ? this.localSince : 0;
      try {
        const counted = await this.stats.spendCounted(day);
        if (day !== this.day) {
          this.ledgerAtFirst = await this.stats.spendLedger(day);
          this.countedAtFirst = counted;
        }
        this.localSince = day === this.day ? this.localSince - before : 0;
        this.day = day;
        this.readSpend = Math.max(this.ledgerAtFirst, this.countedAtFirst) + (counted - this.countedAtFirst);
        this.readAt = now.getTime();
      } finally {
        this.reading = undefined;
      }
    })();
    return this.reading;
  }

  /** Whether a call estimated at the mean recent cost fits in what is left today. */
  async allows(): Promise<boolean> {
    if (this.meanCallCost === 0) return true;
    return (await this.spentToday()) + this.meanCallCost <= this.limitUsd;
  }

  /** Count a call's cost (already written to `llm_usage` by the caller). */
  spent(costUsd: number): void {
    this.localSince += costUsd;
    this.meanCallCost = this.meanCallCost * 0.8 + costUsd * 0.2;
  }
}
