import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { OpenAiSimulator } from '../support/openai-simulator.js';
import { seedFixtureParcels } from '../support/seed.js';

/**
 * Each row of the compatibility matrix (`../shared/LLM-SERVERS.md` §1) against a simulator that
 * refuses what the real server refuses: the run ends as issue 15 says, and no attempt is burned
 * on a configuration error.
 */
let openai: OpenAiSimulator;
let azure: OpenAiSimulator;
let ollama: OpenAiSimulator;
beforeAll(async () => {
  openai = await new OpenAiSimulator().start();
  azure = await new OpenAiSimulator({ flavour: 'azure', deployments: { 'phoenix-enrich': 'gpt-4o-mini', 'phoenix-tuned': 'ft:gpt-4o-mini-2024-07-18:phoenix-re::B7xQ2mLk' } }).start();
  ollama = await new OpenAiSimulator({ flavour: 'ollama' }).start();
});
afterAll(async () => Promise.all([openai.stop(), azure.stop(), ollama.stop()]));

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** OpenAI itself (the simulator stands on loopback, so the server is named). */
const onOpenAi = (env: Record<string, string> = {}) => ({
  OPENAI_API_KEY: openai.apiKey,
  OPENAI_BASE_URL: openai.baseUrl,
  LLM_SERVER: 'openai',
  OPENAI_MAX_RETRIES: '0',
  ...env,
});

/** The requests this test made (the simulators are shared by the file's tests). */
function requestsSince(sim: OpenAiSimulator, from: number) {
  return sim.requests.slice(from);
}

async function usage(tc: TestCore) {
  return tc.tdb.db.collection('llm_usage').find({}).toArray();
}

/** Every item is still pending with no attempt counted, and the run failed saying why. */
async function expectStoppedCleanly(tc: TestCore, run: { status: string; message: string | null }, says: RegExp[]) {
  expect(run.status).toBe('failed');
  for (const pattern of says) expect(run.message).toMatch(pattern);
  const items = await tc.tdb.db.collection('processing_queue').find({}).toArray();
  expect(items).toHaveLength(12);
  expect(items.every((i) => i.status === 'pending' && i.attempts === 0)).toBe(true);
  expect(await tc.core.repos.processed.count()).toBe(0);
}

describe('per-model request rules', () => {
  it('gpt-4o-mini: temperature 0.3, the strict schema with its bounds, max_completion_tokens only', async () => {
    const from = openai.requests.length;
    t = await openTestCore({ env: onOpenAi({ OPENAI_MODEL: 'gpt-4o-mini' }) });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 2 });
    expect(run.counters).toMatchObject({ completed: 12 });
    const body = requestsSince(openai, from)[0]!.body;
    expect(body).toMatchObject({ temperature: 0.3, max_completion_tokens: 450 });
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('reasoning_effort');
    expect(JSON.stringify(body.response_format)).toContain('"maxLength":1500');
    const rows = await usage(t);
    expect(rows.every((u) => u.reasoning_tokens === 0)).toBe(true);
  });

  it('gpt-5-mini: no temperature, the lowest effort, room for reasoning; reasoning tokens recorded and billed as output', async () => {
    const from = openai.requests.length;
    t = await openTestCore({ env: onOpenAi({ OPENAI_MODEL: 'gpt-5-mini' }) });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 2 });
    expect(run.counters).toMatchObject({ completed: 12 });
    const body = requestsSince(openai, from)[0]!.body;
    expect(body).not.toHaveProperty('temperature');
    expect(body).toMatchObject({ reasoning_effort: 'minimal', max_completion_tokens: 450 + 1024 });
    const rows = await usage(t);
    expect(rows).toHaveLength(12);
    // The simulator spends 64 reasoning tokens at minimal effort; they are part of the output.
    expect(rows.every((u) => u.reasoning_tokens === 64 && u.completion_tokens > 64)).toBe(true);
    const u = rows[0]!;
    expect(u.cost_usd).toBeCloseTo((u.prompt_tokens * 0.25 + u.completion_tokens * 2.0) / 1e6, 12);
  });

  it('gpt-5-mini told it does not reason: the 400 on temperature stops the run at once, attempts untouched', async () => {
    const from = openai.requests.length;
    t = await openTestCore({ env: onOpenAi({ OPENAI_MODEL: 'gpt-5-mini', OPENAI_REASONING_EFFORT: 'off' }) });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 1 });
    await expectStoppedCleanly(t, run, [
      /Unsupported value: 'temperature' does not support 0\.3 with this model\. Only the default \(1\) value is supported\./,
      /Check OPENAI_REASONING_EFFORT/,
    ]);
    // Refused requests are not answers: nothing billed, and only the first item was tried.
    expect(requestsSince(openai, from)).toHaveLength(0);
    expect(await usage(t)).toHaveLength(0);
  });

  it('a fine-tuned model gets the schema without value constraints; our validation still holds the bounds', async () => {
    const from = openai.requests.length;
    t = await openTestCore({ env: onOpenAi({ OPENAI_MODEL: 'ft:gpt-4o-mini-2024-07-18:phoenix-re::B7xQ2mLk' }) });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 2 });
    expect(run.counters).toMatchObject({ completed: 12 });
    const format = JSON.stringify(requestsSince(openai, from)[0]!.body.response_format);
    for (const keyword of ['minLength', 'maxLength', 'minItems', 'maxItems']) expect(format).not.toContain(keyword);
    expect(format).toContain('"additionalProperties":false');
    // Billed at the fine-tuned price, not a guess.
    const u = (await usage(t))[0]!;
    expect(u.cost_usd).toBeCloseTo((u.prompt_tokens * 0.3 + u.completion_tokens * 1.2) / 1e6, 12);
  });

  it('the simulator refuses the bounded schema for a fine-tuned model with OpenAI’s body', async () => {
    const res = await fetch(`${openai.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${openai.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'ft:gpt-4o-mini-2024-07-18:phoenix-re::B7xQ2mLk',
        messages: [{ role: 'user', content: '{}' }],
        response_format: { type: 'json_schema', json_schema: { name: 'property_enrichment', strict: true, schema: { type: 'object', properties: { description: { type: 'string', minLength: 1 } }, required: ['description'], additionalProperties: false } } },
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: "Invalid schema for response_format 'property_enrichment': In context=('properties', 'description'), 'minLength' is not permitted.",
        type: 'invalid_request_error',
        param: 'response_format',
        code: null,
      },
    });
  });
});

describe('servers', () => {
  it("Azure's v1 path with the deployment as the model, priced from LLM_PRICES", async () => {
    const from = azure.requests.length;
    t = await openTestCore({
      env: {
        OPENAI_API_KEY: azure.apiKey,
        OPENAI_BASE_URL: azure.baseUrl,
        LLM_SERVER: 'azure',
        OPENAI_MODEL: 'phoenix-enrich',
        LLM_PRICES: JSON.stringify({ 'phoenix-enrich': { input: 0.15, cached_input: 0.075, output: 0.6 } }),
      },
    });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 2 });
    expect(run.counters).toMatchObject({ completed: 12 });
    expect(requestsSince(azure, from)[0]!.body).not.toHaveProperty('max_tokens');
    expect((await usage(t)).every((u) => u.model === 'phoenix-enrich' && u.cost_usd > 0)).toBe(true);
  });

  it('Azure: a classic deployment URL and an unpriced deployment are refused at start-up with the setting to fix', () => {
    const env = { OPENAI_API_KEY: 'k', LLM_SERVER: 'azure', OPENAI_MODEL: 'phoenix-enrich' };
    expect(() => resolveSettings({ env: { ...env, OPENAI_BASE_URL: 'https://res.openai.azure.com/openai/deployments/phoenix-enrich', LLM_PRICES: '{"phoenix-enrich":{"input":1,"cached_input":1,"output":1}}' } })).toThrow(
      /OPENAI_BASE_URL from the environment: Azure answers 404 "Resource not found" here: use the v1 endpoint https:\/\/<resource>\.openai\.azure\.com\/openai\/v1\//,
    );
    expect(() => resolveSettings({ env: { ...env, OPENAI_BASE_URL: 'https://res.openai.azure.com/openai/v1/' } })).toThrow(/LLM_PRICES from the defaults: no price for OPENAI_MODEL "phoenix-enrich" on res\.openai\.azure\.com/);
  });

  it('an Azure deployment of a fine-tuned model refuses the bounded schema: a 400 that stops the run', async () => {
    t = await openTestCore({
      env: {
        OPENAI_API_KEY: azure.apiKey,
        OPENAI_BASE_URL: azure.baseUrl,
        LLM_SERVER: 'azure',
        OPENAI_MODEL: 'phoenix-tuned',
        OPENAI_MAX_RETRIES: '0',
        LLM_PRICES: JSON.stringify({ 'phoenix-tuned': { input: 0.3, cached_input: 0.15, output: 1.2 } }),
      },
    });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 1 });
    await expectStoppedCleanly(t, run, [/'minLength' is not permitted/, /HTTP 400, response_format/, /Check that OPENAI_MODEL supports structured output/]);
  });

  it('an Ollama-style local server: no key, free, and capped through max_tokens', async () => {
    const from = ollama.requests.length;
    t = await openTestCore({ env: { OPENAI_BASE_URL: ollama.baseUrl, OPENAI_MODEL: 'llama3.1:8b', LLM_DAILY_BUDGET_USD: '0' } });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 2 });
    expect(run.counters).toMatchObject({ completed: 12 });
    const seen = requestsSince(ollama, from);
    expect(seen).toHaveLength(12);
    // Ollama drops max_completion_tokens: the cap it applied came from max_tokens.
    expect(seen.every((r) => r.cap === 450)).toBe(true);
    const rows = await usage(t);
    expect(rows).toHaveLength(12);
    expect(rows.every((u) => u.cost_usd === 0 && u.cached_tokens === 0 && u.reasoning_tokens === 0)).toBe(true);
  });

  it('LLM_PRICES={} is refused for a paid server (the budget would silently switch off), and fine for a local one', () => {
    expect(() => resolveSettings({ env: { OPENAI_API_KEY: 'k', LLM_PRICES: '{}' } })).toThrow(/LLM_PRICES from the environment: no price for OPENAI_MODEL "gpt-4o-mini" on api\.openai\.com/);
    expect(resolveSettings({ env: { OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1:8b', LLM_PRICES: '{}' } }).llmPrices).toEqual({});
    // The Batch API is OpenAI's: refused without a key, and on another server.
    expect(() => resolveSettings({ env: { LLM_BATCH_API: 'true' } })).toThrow(/LLM_BATCH_API from the environment: the Batch API needs an OpenAI key/);
    expect(() => resolveSettings({ env: { OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1:8b', LLM_BATCH_API: 'true' } })).toThrow(/the Batch API is used only with OpenAI \(LLM_SERVER is ollama\)/);
  });
});

describe('configuration errors stop the run at once', () => {
  it('401: a wrong key', async () => {
    t = await openTestCore({ env: onOpenAi({ OPENAI_API_KEY: 'sk-wrong-key-wxyz' }) });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 4 });
    await expectStoppedCleanly(t, run, [/HTTP 401/, /Incorrect API key provided/, /Check OPENAI_API_KEY/]);
    // Not even the masked fragment of the key is passed on.
    expect(run.message).not.toMatch(/wxyz|sk-\*/);
  });

  it('404: a model the server does not have', async () => {
    t = await openTestCore({ env: onOpenAi({ OPENAI_MODEL: 'gpt-4o-mini-typo' }) });
    await seedFixtureParcels(t.core);
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 4 });
    await expectStoppedCleanly(t, run, [/The model `gpt-4o-mini-typo` does not exist or you do not have access to it\./, /Check OPENAI_MODEL/]);
  });

  it('insufficient_quota: a 429 that waiting does not cure', async () => {
    t = await openTestCore({ env: onOpenAi() });
    await seedFixtureParcels(t.core);
    openai.inject('insufficient_quota');
    const run = await t.core.processing.run({ trigger: 'manual', concurrency: 1 });
    await expectStoppedCleanly(t, run, [/You exceeded your current quota/, /Check the account's plan, billing and quota/]);
  });
});

describe('Test connection makes one tiny structured call', () => {
  it('says the model took the request shaped for it, or why not', async () => {
    t = await openTestCore({ env: onOpenAi({ OPENAI_MODEL: 'gpt-5-mini' }) });
    const from = openai.requests.length;
    const ok = await t.core.api['settings.test']({ target: 'llm' });
    expect(ok).toMatchObject({ ok: true });
    expect(ok.detail).toMatch(/gpt-5-mini accepted the request \(reasoning_effort minimal, strict schema\) and answered to the schema; \d+ in, \d+ out \(64 reasoning\)$/);
    expect(requestsSince(openai, from)).toHaveLength(1);
    await t.close();

    t = await openTestCore({
      env: { OPENAI_API_KEY: azure.apiKey, OPENAI_BASE_URL: azure.baseUrl, LLM_SERVER: 'azure', OPENAI_MODEL: 'phoenix-tuned', LLM_PRICES: '{"phoenix-tuned":{"input":0.3,"cached_input":0.15,"output":1.2}}' },
    });
    const refused = await t.core.api['settings.test']({ target: 'llm' });
    expect(refused.ok).toBe(false);
    expect(refused.detail).toContain("In context=('properties', 'description'), 'minLength' is not permitted.");
    expect(refused.detail).toContain('Check that OPENAI_MODEL supports structured output');
  });
});

/** What the simulator answers, as far as these tests read it (a field absent fails the test that reads it). */
interface SimAnswer {
  error: { message: string; code: string | null; param: string | null };
  choices: { message: { content: string | null }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number }; completion_tokens_details: { reasoning_tokens: number } };
}

describe('the simulator behaves as LLM-SERVERS.md records', () => {
  const post = async (sim: OpenAiSimulator, body: object, path = '/chat/completions') => {
    const res = await fetch(`${path.startsWith('/openai/') ? sim.origin : sim.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as SimAnswer };
  };
  const user = (chars: number) => [{ role: 'user', content: `{"note":"${'x'.repeat(chars)}"}` }];

  it('spends reasoning out of max_completion_tokens: at medium effort 450 leaves no answer', async () => {
    const starved = await post(openai, { model: 'gpt-5-mini', messages: user(100), max_completion_tokens: 450 });
    expect(starved.status).toBe(200);
    expect(starved.body.choices[0]!).toMatchObject({ message: { content: '' }, finish_reason: 'length' });
    expect(starved.body.usage).toMatchObject({ completion_tokens: 450, completion_tokens_details: { reasoning_tokens: 450 } });
    const roomy = await post(openai, { model: 'gpt-5-mini', messages: user(100), max_completion_tokens: 2000 });
    expect(roomy.body.choices[0]!.finish_reason).toBe('stop');
    expect(roomy.body.usage.completion_tokens_details.reasoning_tokens).toBe(1152);
  });

  it("refuses o3-mini's temperature and a reasoning model's max_tokens with OpenAI's bodies", async () => {
    expect(await post(openai, { model: 'o3-mini', messages: user(10), temperature: 0.3 })).toEqual({
      status: 400,
      body: { error: { message: "Unsupported parameter: 'temperature' is not supported with this model.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_parameter' } },
    });
    expect((await post(openai, { model: 'gpt-5', messages: user(10), max_tokens: 450 })).body.error).toMatchObject({ param: 'max_tokens', code: 'unsupported_parameter' });
    expect((await post(openai, { model: 'o3', messages: user(10), reasoning_effort: 'minimal' })).body.error.message).toBe(
      "Unsupported value: 'reasoning_effort' does not support 'minimal' with this model. Supported values are: 'low', 'medium', and 'high'.",
    );
  });

  it('refuses strict schemas outside the subset for every model', async () => {
    const format = (schema: object) => ({ type: 'json_schema', json_schema: { name: 'x', strict: true, schema } });
    const open = await post(openai, { model: 'gpt-4o-mini', messages: user(10), response_format: format({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }) });
    expect(open.body.error.message).toBe("Invalid schema for response_format 'x': In context=(), 'additionalProperties' is required to be supplied and to be false.");
    const missing = await post(openai, { model: 'gpt-4o-mini', messages: user(10), response_format: format({ type: 'object', properties: { a: { type: 'string' }, foo: { type: 'string' } }, required: ['a'], additionalProperties: false }) });
    expect(missing.body.error.message).toMatch(/'required' is required to be supplied and to be an array including every key in properties\. Missing 'foo'\.$/);
    const bounded = await post(openai, { model: 'gpt-4o-mini', messages: user(10), response_format: format({ type: 'object', properties: { a: { type: 'string', maxLength: 5 } }, required: ['a'], additionalProperties: false }) });
    expect(bounded.status).toBe(200);
  });

  it('reports cached tokens only for an identical prefix of 1,024 tokens or more', async () => {
    const short = user(2000);
    await post(openai, { model: 'gpt-4o-mini', messages: short });
    expect((await post(openai, { model: 'gpt-4o-mini', messages: short })).body.usage.prompt_tokens_details.cached_tokens).toBe(0);
    const long = [{ role: 'system', content: 'y'.repeat(6000) }, { role: 'user', content: 'first' }];
    await post(openai, { model: 'gpt-4o-mini', messages: long });
    const again = await post(openai, { model: 'gpt-4o-mini', messages: [long[0], { role: 'user', content: 'second' }] });
    const cached = again.body.usage.prompt_tokens_details.cached_tokens;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect(cached % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(again.body.usage.prompt_tokens);
  });

  it('Azure: the classic deployment path without api-version answers 404, the v1 path takes the deployment name', async () => {
    expect(await post(azure, { model: 'phoenix-enrich', messages: user(10) }, '/openai/deployments/phoenix-enrich/chat/completions')).toEqual({ status: 404, body: { error: { code: '404', message: 'Resource not found' } } });
    expect((await post(azure, { model: 'gpt-4o-mini', messages: user(10) })).body.error.code).toBe('DeploymentNotFound');
    expect((await post(azure, { model: 'phoenix-enrich', messages: user(10) })).status).toBe(200);
  });

  it('Ollama: no usage details, no refusal field, max_completion_tokens ignored', async () => {
    const from = ollama.requests.length;
    const answer = await post(ollama, { model: 'llama3.1:8b', messages: user(10), max_completion_tokens: 1 });
    expect(answer.body.choices[0]!.finish_reason).toBe('stop');
    expect(answer.body.choices[0]!.message).not.toHaveProperty('refusal');
    expect(Object.keys(answer.body.usage)).toEqual(['prompt_tokens', 'completion_tokens', 'total_tokens']);
    expect(ollama.requests[from]!.cap).toBeUndefined();
    const capped = await post(ollama, { model: 'llama3.1:8b', messages: user(10), max_tokens: 1 });
    expect(capped.body.choices[0]!.finish_reason).toBe('length');
  });
});
