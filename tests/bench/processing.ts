import type { Db, MongoClient } from 'mongodb';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { createCore, type Core } from '../../src/main/core/create-core.js';
import { mapParcel } from '../../src/main/collectors/maricopa/mapping.js';
import { parcelPayloadSchema } from '../../src/main/collectors/maricopa/payload.js';
import { normalize } from '../../src/main/processing/normalize.js';
import { costUsd, listedPrice } from '../../src/main/processing/pricing.js';
import { DEFAULT_LLM_PRICES } from '../../src/shared/settings.js';
import type { RawPropertyInput } from '../../src/shared/schemas/raw-property.js';
import { loadParcelFixtures } from '../support/fixtures.js';
import { memoryLogger } from '../support/logger.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { mlsListing } from '../support/seed.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Records normalised a second on one core (goal ≥ 100,000), median of 5 runs. */
export function benchNormalize(): void {
  const fixtures = [...loadParcelFixtures()].map(([apn, p]) => mapParcel(apn, parcelPayloadSchema.parse(p)));
  const inputs = [...fixtures, ...Array.from({ length: 12 }, (_, i) => mlsListing(String(i), { address: `${i} W Elm Street, Phoenix, AZ 85031` }))];
  const rates: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const n = 200_000;
    const started = performance.now();
    for (let i = 0; i < n; i += 1) {
      const r = inputs[i % inputs.length]!;
      normalize({ source: r.source, data: r.data });
    }
    rates.push(n / ((performance.now() - started) / 1000));
  }
  console.log(`normalise: ${Math.round(median(rates)).toLocaleString('en-US')} records/s on one core (median of 5; goal ≥ 100,000)`);
}

/** `items` distinct properties queued: assessor parcels (varied) and MLS listings, half each. */
export async function queueBenchItems(core: Core, items: number): Promise<void> {
  const fixtures = [...loadParcelFixtures()].map(([apn, p]) => mapParcel(apn, parcelPayloadSchema.parse(p)));
  const inputs: RawPropertyInput[] = Array.from({ length: items }, (_, i) => {
    if (i % 2 === 0) {
      const base = fixtures[i % fixtures.length]!;
      return { ...base, source_id: `${base.source_id}-${i}`, data: { ...base.data, square_feet: (base.data.square_feet ?? 1500) + i } };
    }
    return mlsListing(`9${String(i).padStart(5, '0')}`, { address: `${i} W Elm St, Phoenix, AZ 85031`, square_feet: 1200 + i });
  });
  const results = await core.repos.raw.upsertMany(inputs);
  for (const r of results) await core.repos.queue.enqueue(r.id);
}

/**
 * The pipeline against the LLM simulator at 200 ms a call: throughput at concurrency 16 as a
 * share of the ideal 16 ÷ 0.2 s = 80 items/s (goal ≥ 0.85), mean tokens a property (goal ≤ 700)
 * and the cost of 1,000 properties at gpt-4o-mini prices.
 */
export async function benchProcessing(client: MongoClient, db: Db, uri: string): Promise<void> {
  const llm = await new OpenAiSimulator({ latencyMs: 200 }).start();
  const settings = resolveSettings({
    env: { MONGODB_URI: uri, OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseUrl, OPENAI_MODEL: 'gpt-4o-mini', LLM_DAILY_BUDGET_USD: '100' },
  });
  const core = createCore({ settings, dataDir: '/tmp', logger: memoryLogger().logger, db, client, uri });
  try {
    const items = Number(process.env.BENCH_ITEMS ?? 480);
    await queueBenchItems(core, items);
    const started = performance.now();
    const run = await core.processing.run({ trigger: 'manual', batchSize: items, concurrency: 16 });
    const seconds = (performance.now() - started) / 1000;
    const done = (run.counters.completed ?? 0) + (run.counters.review ?? 0);
    const usage = await db.collection<{ prompt_tokens: number; completion_tokens: number; cached_tokens: number; reasoning_tokens: number }>('llm_usage').find({}).toArray();
    const tokens = usage.reduce((n, u) => n + u.prompt_tokens + u.completion_tokens, 0);
    const price = listedPrice('gpt-4o-mini', DEFAULT_LLM_PRICES)!;
    const cost = usage.reduce((sum, u) => sum + costUsd(u, price), 0);
    console.log(`processing (${items} items, LLM simulator at 200 ms, concurrency 16):`);
    console.log(`  throughput ${(done / seconds).toFixed(1)} items/s = ${(done / seconds / 80).toFixed(2)} of the ideal 80/s (goal ≥ 0.85)`);
    console.log(`  mean tokens a property ${(tokens / done).toFixed(0)} (goal ≤ 700; the seed planned 1,500)`);
    console.log(`  cost of 1,000 properties at gpt-4o-mini prices: $${((cost / done) * 1000).toFixed(3)}`);
  } finally {
    await core.close();
    await llm.stop();
  }
}
