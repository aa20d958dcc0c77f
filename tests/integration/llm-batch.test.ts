import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../support/core.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { seedFixtureParcels } from '../support/seed.js';

/** The evening run through the Batch API, against the simulator's Files and Batches endpoints. */
let llm: OpenAiSimulator;
beforeAll(async () => {
  llm = await new OpenAiSimulator().start();
});
afterAll(async () => llm.stop());

const cores: TestCore[] = [];
let tdb: TestDatabase | undefined;
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await tdb?.close();
  tdb = undefined;
  llm.batches.hold = false;
});

const env = (extra: Record<string, string> = {}) => ({
  OPENAI_API_KEY: llm.apiKey,
  OPENAI_BASE_URL: llm.baseUrl,
  LLM_SERVER: 'openai',
  LLM_BATCH_API: 'true',
  OPENAI_MAX_RETRIES: '0',
  ...extra,
});

async function core(extra: Record<string, string> = {}): Promise<TestCore> {
  tdb ??= await openTestDatabase();
  const c = await openTestCore({ tdb, env: env(extra) });
  cores.push(c);
  return c;
}

const queueItems = (c: TestCore) => c.tdb.db.collection('processing_queue').find({}).toArray();

describe('Batch API', () => {
  it('submits one JSONL job, survives a restart while it runs, ingests the answers at half price with the normal repair path', async () => {
    llm.batches.hold = true;
    const a = await core();
    await seedFixtureParcels(a.core);
    const callsBefore = llm.calls;
    const submitted = await a.core.processing.run({ trigger: 'schedule', batch: true });
    expect(submitted.status).toBe('succeeded');
    expect(submitted.message).toMatch(/^12 items in Batch API job batch_\w+ \(12 requests\)/);
    expect(llm.calls).toBe(callsBefore);

    const [doc] = await a.core.api['batches.list']({ limit: 20 });
    expect(doc).toMatchObject({ state: 'open', remote_status: 'validating', items: expect.any(Array), request_counts: { total: 12 } });
    // The lines carry the online request body, keyed by the hash of the model's input.
    const file = llm.batches.files.get(doc!.input_file_id)!;
    const lines = file.content.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(12);
    expect(lines[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', temperature: 0.3, max_completion_tokens: 450 } });
    // Held: pending, attempts untouched, not due until the job must have ended, so no online run takes them.
    const held = await queueItems(a);
    expect(held.every((i) => i.status === 'pending' && i.attempts === 0 && i.available_at.getTime() > Date.now() + 24 * 3_600_000)).toBe(true);
    const online = await a.core.processing.run({ trigger: 'manual' });
    expect(online.counters.completed ?? 0).toBe(0);

    await a.core.processing.batches.poll();
    expect((await a.core.api['batches.list']({ limit: 20 }))[0]).toMatchObject({ state: 'open', remote_status: 'in_progress' });

    // Quit while the job runs; the job finishes meanwhile (the first answer breaks the schema).
    await a.close();
    cores.splice(cores.indexOf(a), 1);
    llm.inject('bad-schema');
    llm.batches.finishAll();

    const b = await core();
    const repairsBefore = llm.calls;
    await b.core.processing.batches.poll();
    const [ingested] = await b.core.api['batches.list']({ limit: 20 });
    expect(ingested).toMatchObject({ state: 'ingested', remote_status: 'completed', outcomes: { completed: 12 }, request_counts: { total: 12, completed: 12, failed: 0 } });
    expect(ingested!.message).toMatch(/^12 processed, 0 to review, 0 requeued, 0 failed from Batch API job/);
    // The bad answer got its one repair, online.
    expect(llm.calls).toBe(repairsBefore + 1);
    expect((await queueItems(b)).every((i) => i.status === 'completed')).toBe(true);
    expect(await b.core.repos.processed.count()).toBe(12);

    const usage = await b.tdb.db.collection('llm_usage').find({}).toArray();
    expect(usage).toHaveLength(13);
    const batchCalls = usage.filter((u) => u.batch === true);
    expect(batchCalls).toHaveLength(12);
    const u = batchCalls[0]!;
    expect(u.cost_usd).toBeCloseTo(((u.prompt_tokens * 0.15 + u.completion_tokens * 0.6) / 1e6) * 0.5, 12);
    const runs = await b.core.repos.runs.list({ kind: 'process', limit: 10 });
    expect(runs.some((r) => r._id === ingested!.ingest_run_id && r.status === 'succeeded')).toBe(true);
  });

  it('an expired job: the answered items are ingested, the others requeued with their attempts untouched', async () => {
    llm.batches.hold = true;
    const c = await core();
    await seedFixtureParcels(c.core);
    // The evening schedule's own path: LLM_BATCH_API sends it through the Batch API.
    const fired = await c.core.scheduler.runNow('processing-evening');
    if (fired.outcome !== 'started') throw new Error(`the job did not start: ${fired.outcome}`);
    await fired.done;
    expect(await c.core.api['batches.list']({ limit: 20 })).toHaveLength(1);
    await c.core.processing.batches.poll();
    llm.batches.expireAll(5);
    await c.core.processing.batches.poll();
    const [doc] = await c.core.api['batches.list']({ limit: 20 });
    expect(doc).toMatchObject({ state: 'ingested', remote_status: 'expired', outcomes: { completed: 5, requeued: 7 }, request_counts: { total: 12, completed: 5, failed: 7 } });
    expect(doc!.message).toContain('the job expired before every request was answered');
    const items = await queueItems(c);
    const requeued = items.filter((i) => i.status === 'pending');
    expect(requeued).toHaveLength(7);
    expect(requeued.every((i) => i.attempts === 0 && i.available_at.getTime() <= Date.now())).toBe(true);
    // The next run takes them.
    const next = await c.core.processing.run({ trigger: 'manual' });
    expect(next.counters).toMatchObject({ completed: 7 });
  });

  it('quitting while answers are ingested leaves the rest for the next start', async () => {
    const a = await core();
    await seedFixtureParcels(a.core);
    await a.core.processing.run({ trigger: 'schedule', batch: true });
    llm.batches.finishAll();
    // The app is quitting as the poll finds the job done: nothing more is taken in hand.
    await a.core.processing.batches.stop();
    await a.core.processing.batches.poll();
    expect((await a.core.api['batches.list']({ limit: 20 }))[0]).toMatchObject({ state: 'open', remote_status: 'completed' });
    expect((await queueItems(a)).every((i) => i.status === 'pending' && i.attempts === 0)).toBe(true);
    await a.close();
    cores.splice(cores.indexOf(a), 1);

    const b = await core();
    await b.core.processing.batches.poll();
    expect((await b.core.api['batches.list']({ limit: 20 }))[0]).toMatchObject({ state: 'ingested', outcomes: { completed: 12 } });
  });

  it('a refused submission requeues the items and says why', async () => {
    const c = await core({ OPENAI_API_KEY: 'sk-wrong-key-0000' });
    await seedFixtureParcels(c.core);
    const run = await c.core.processing.run({ trigger: 'schedule', batch: true });
    expect(run.status).toBe('failed');
    expect(run.message).toMatch(/Batch API submission failed, 12 items requeued: .*HTTP 401.*Check OPENAI_API_KEY/);
    expect((await queueItems(c)).every((i) => i.status === 'pending' && i.attempts === 0 && i.available_at.getTime() <= Date.now())).toBe(true);
  });
});
