import type { Db, MongoClient } from 'mongodb';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { createCore } from '../../src/main/core/create-core.js';
import { ensureSchema } from '../../src/main/db/indexes.js';
import { memoryLogger } from '../support/logger.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { queueBenchItems } from './processing.js';

interface Tally {
  items: number;
  calls: number;
  prompt: number;
  completion: number;
  reasoning: number;
  cost: number;
}

/** Process `items` properties with `model`, online or through the Batch API, and tally `llm_usage`. */
async function tally(client: MongoClient, db: Db, uri: string, model: string, effort: string, items: number, batch: boolean): Promise<Tally> {
  await db.dropDatabase();
  await ensureSchema(db);
  const llm = await new OpenAiSimulator().start();
  const settings = resolveSettings({
    env: { MONGODB_URI: uri, OPENAI_API_KEY: llm.apiKey, OPENAI_BASE_URL: llm.baseUrl, LLM_SERVER: 'openai', OPENAI_MODEL: model, OPENAI_REASONING_EFFORT: effort, LLM_DAILY_BUDGET_USD: '100' },
  });
  const core = createCore({ settings, dataDir: '/tmp', logger: memoryLogger().logger, db, client, uri });
  try {
    await queueBenchItems(core, items);
    if (batch) {
      await core.processing.run({ trigger: 'schedule', batchSize: items, batch: true });
      await core.processing.batches.poll();
      await core.processing.batches.poll();
    } else await core.processing.run({ trigger: 'manual', batchSize: items, concurrency: 16 });
    const usage = await db.collection<{ prompt_tokens: number; completion_tokens: number; reasoning_tokens: number; cost_usd: number }>('llm_usage').find({}).toArray();
    const done = (await core.repos.queue.counts()).completed + (await core.repos.queue.counts()).review;
    const sum = (f: (u: (typeof usage)[number]) => number) => usage.reduce((n, u) => n + f(u), 0);
    return { items: done, calls: usage.length, prompt: sum((u) => u.prompt_tokens), completion: sum((u) => u.completion_tokens), reasoning: sum((u) => u.reasoning_tokens), cost: sum((u) => u.cost_usd) };
  } finally {
    await core.close();
    await llm.stop();
  }
}

/**
 * What 1,000 properties cost online and through the Batch API at list prices (`LLM_PRICES`
 * defaults; batch at half), from the `llm_usage` the pipeline records against the simulator
 * (about 4 characters a token; reasoning at the simulator's gpt-5-mini spend for the effort), and
 * the tokens a property of a reasoning model at its default (lowest) effort and at OpenAI's
 * default, `medium`.
 */
export async function benchLlmCosts(client: MongoClient, db: Db, uri: string): Promise<void> {
  const items = Number(process.env.BENCH_COST_ITEMS ?? 120);
  console.log(`LLM cost of 1,000 properties at list prices (${items} processed each way against the simulator, scaled):`);
  for (const [model, effort] of [
    ['gpt-4o-mini', 'auto'],
    ['gpt-5-mini', 'auto'],
    ['gpt-5-mini', 'medium'],
  ] as const) {
    const online = await tally(client, db, uri, model, effort, items, false);
    const batch = await tally(client, db, uri, model, effort, items, true);
    const per1000 = (t: Tally) => `$${((t.cost / t.items) * 1000).toFixed(3)}`;
    console.log(`  ${model}${effort === 'auto' ? '' : ` at ${effort} effort`}: online ${per1000(online)}, Batch API ${per1000(batch)} (${(batch.cost / batch.items / (online.cost / online.items)).toFixed(2)} of online)`);
    const per = (n: number) => (n / online.items).toFixed(0);
    console.log(`    tokens a property: ${per(online.prompt)} in, ${per(online.completion)} out${online.reasoning ? ` of which ${per(online.reasoning)} reasoning` : ''}; ${(online.calls / online.items).toFixed(2)} calls`);
  }
}
