import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DailyBudget } from '../../src/main/processing/budget.js';
import { manualClock } from '../support/clock.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { mlsListing, seedRaw } from '../support/seed.js';

/**
 * Issue #22: the processing bench reached about half of its ideal throughput because every
 * worker loop, and every model-call slot, started its own read of the day's spend rollup
 * whenever the budget's cached figure was missing or stale, and waited for it while holding the
 * slot. These tests count the rollup reads against the real database and the calls in flight at
 * the simulator; none depends on how fast the machine is.
 */
let llm: OpenAiSimulator;
beforeAll(async () => {
  llm = await new OpenAiSimulator().start();
});
afterAll(async () => llm.stop());

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  llm.latencyMs = 0;
});

/** Counts the reads of the day's rollup (`DailyStatsRepository.range`), each still made. */
function countRollupReads(core: TestCore['core']): { reads: number } {
  const stats = core.repos.dailyStats;
  const read = stats.range.bind(stats);
  const counter = { reads: 0 };
  stats.range = (...args: Parameters<typeof stats.range>) => {
    counter.reads += 1;
    return read(...args);
  };
  return counter;
}

describe('the daily budget under concurrent callers', () => {
  it('reads the rollup once for many callers, and serves the last figure while a refresh runs', async () => {
    const clock = manualClock();
    t = await openTestCore({ clock: clock.clock });
    const counter = countRollupReads(t.core);
    const budget = new DailyBudget(t.core.repos.dailyStats, 100, clock.clock, 0.001);
    const first = await Promise.all(Array.from({ length: 32 }, () => budget.allows()));
    expect(first.every(Boolean)).toBe(true);
    expect(counter.reads).toBe(1);
    clock.advance(6_000);
    const stale = await Promise.all(Array.from({ length: 32 }, () => budget.spentToday()));
    expect(new Set(stale)).toEqual(new Set([0]));
    expect(counter.reads).toBe(2);
  });
});

describe('processing keeps the model calls concurrent', () => {
  it('has all C calls in flight at a fixed simulator latency, with one rollup read for the run', async () => {
    const clock = manualClock(new Date());
    t = await openTestCore({ clock: clock.clock, env: { OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'gpt-4o-mini', LLM_DAILY_BUDGET_USD: '100' } });
    await seedRaw(t.core, Array.from({ length: 48 }, (_, i) => mlsListing(`7${String(i).padStart(5, '0')}`, { address: `${i} W Elm St, Phoenix, AZ 85031`, square_feet: 1200 + i })));
    const counter = countRollupReads(t.core);
    llm.calls = 0;
    llm.maxInFlight = 0;
    llm.latencyMs = 100;
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 8 });
    expect((run.counters.completed ?? 0) + (run.counters.review ?? 0)).toBe(48);
    expect(llm.calls).toBe(48);
    expect(llm.maxInFlight).toBe(8);
    // The clock does not move: the budget's figure never goes stale, so one read serves the run.
    expect(counter.reads).toBe(1);
  });
});
