import { APIError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { configurationErrorOf } from '../../src/main/processing/enrich/llm-errors.js';
import { judgeCompletion } from '../../src/main/processing/enrich/openai-provider.js';
import { LlmConfigurationError, type TokenUsage } from '../../src/main/processing/enrich/provider.js';
import { chatRequest, lowestEffort, requestRules, responseFormat } from '../../src/main/processing/enrich/request-rules.js';
import { BATCH_PRICE_FACTOR, costUsd, priceOf } from '../../src/main/processing/pricing.js';
import { azureBaseUrlProblem, isLocalHost, resolveLlmServer } from '../../src/shared/llm-server.js';
import { DEFAULT_LLM_PRICES } from '../../src/shared/settings.js';

describe('request rules by model and server', () => {
  it('gives each reasoning model the lowest effort it accepts and no temperature', () => {
    expect(['gpt-5', 'gpt-5-mini', 'gpt-5-nano-2025-08-07', 'gpt-5.1', 'gpt-5.2-mini', 'o1', 'o3', 'o3-mini', 'o4-mini', 'gpt-5-chat-latest', 'gpt-4o-mini', 'llama3.1:8b'].map(lowestEffort)).toEqual([
      'minimal', 'minimal', 'minimal', 'none', 'none', 'low', 'low', 'low', 'low', undefined, undefined, undefined,
    ]);
    const gpt5 = requestRules({ model: 'gpt-5-mini', server: 'openai', effort: 'auto', maxOutputTokens: 450 });
    expect(gpt5).toMatchObject({ temperature: undefined, reasoningEffort: 'minimal', maxCompletionTokens: 1474, sendMaxTokens: false });
    const body = chatRequest(gpt5, []);
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).toMatchObject({ reasoning_effort: 'minimal', max_completion_tokens: 1474 });
  });

  it('lets the setting name an effort (an Azure deployment that reasons) or switch reasoning off', () => {
    expect(requestRules({ model: 'my-deployment', server: 'azure', effort: 'low', maxOutputTokens: 450 })).toMatchObject({ temperature: undefined, reasoningEffort: 'low', maxCompletionTokens: 2498 });
    expect(requestRules({ model: 'gpt-5-mini', server: 'openai', effort: 'off', maxOutputTokens: 450 })).toMatchObject({ temperature: 0.3, reasoningEffort: undefined, maxCompletionTokens: 450 });
  });

  it('sends max_tokens as well to servers other than OpenAI and Azure', () => {
    const body = chatRequest(requestRules({ model: 'llama3.1:8b', server: 'ollama', effort: 'auto', maxOutputTokens: 450 }), []);
    expect(body).toMatchObject({ max_tokens: 450, max_completion_tokens: 450, temperature: 0.3 });
  });

  it('strips value constraints from the schema for fine-tuned models only, keeping the structure', () => {
    const full = JSON.stringify(responseFormat(false));
    expect(full).toContain('"minLength":1');
    expect(full).toContain('"maxItems":8');
    const tuned = responseFormat(true);
    const text = JSON.stringify(tuned);
    for (const k of ['minLength', 'maxLength', 'minItems', 'maxItems']) expect(text).not.toContain(k);
    expect(tuned.json_schema).toMatchObject({ name: 'property_enrichment', strict: true, schema: { type: 'object', required: ['description', 'key_features', 'investment_summary'], additionalProperties: false } });
    expect(requestRules({ model: 'ft:gpt-4o-mini-2024-07-18:org::abc', server: 'openai', effort: 'auto', maxOutputTokens: 450 }).fineTuned).toBe(true);
  });
});

describe('servers and prices', () => {
  it('tells local hosts by address', () => {
    for (const h of ['localhost', '127.0.0.1', '10.1.2.3', '172.16.0.9', '172.31.255.1', '192.168.1.20', '[::1]', 'fd12::1', 'gpu-box.local']) expect(isLocalHost(h), h).toBe(true);
    for (const h of ['api.openai.com', '172.32.0.1', '8.8.8.8', '11.0.0.1', 'res.openai.azure.com']) expect(isLocalHost(h), h).toBe(false);
  });

  it('guesses the server from host and port, and checks the Azure path', () => {
    expect(resolveLlmServer('https://api.openai.com/v1', 'auto')).toBe('openai');
    expect(resolveLlmServer('https://res.openai.azure.com/openai/v1/', 'auto')).toBe('azure');
    expect(resolveLlmServer('http://localhost:11434/v1', 'auto')).toBe('ollama');
    expect(resolveLlmServer('http://127.0.0.1:1234/v1', 'auto')).toBe('lmstudio');
    expect(resolveLlmServer('http://10.0.0.5:8000/v1', 'auto')).toBe('vllm');
    expect(resolveLlmServer('http://10.0.0.5:9999/v1', 'auto')).toBe('compatible');
    expect(resolveLlmServer('http://10.0.0.5:9999/v1', 'openai')).toBe('openai');
    expect(azureBaseUrlProblem('https://res.openai.azure.com/openai/v1/')).toBeNull();
    expect(azureBaseUrlProblem('https://res.openai.azure.com/openai/deployments/x')).toMatch(/404/);
  });

  it('prices listed models (by prefix), local ones free, and never guesses for a paid server', () => {
    expect(priceOf('gpt-4o-mini-2024-07-18', DEFAULT_LLM_PRICES, 'https://api.openai.com/v1')).toEqual(DEFAULT_LLM_PRICES['gpt-4o-mini']);
    expect(priceOf('ft:gpt-4o-mini-2024-07-18:org::abc', DEFAULT_LLM_PRICES, 'https://api.openai.com/v1')).toEqual(DEFAULT_LLM_PRICES['ft:gpt-4o-mini']);
    expect(priceOf('llama3.1:8b', DEFAULT_LLM_PRICES, 'http://localhost:11434/v1')).toEqual({ input: 0, cached_input: 0, output: 0 });
    // A listed model on a local server (a proxy to OpenAI, or the simulator) is billed as listed.
    expect(priceOf('gpt-4o-mini', DEFAULT_LLM_PRICES, 'http://127.0.0.1:4000/v1')).toEqual(DEFAULT_LLM_PRICES['gpt-4o-mini']);
    expect(priceOf('my-deployment', DEFAULT_LLM_PRICES, 'https://res.openai.azure.com/openai/v1/')).toBeNull();
  });

  it('bills reasoning as output and Batch API calls at half', () => {
    const usage: TokenUsage = { prompt_tokens: 1000, cached_tokens: 0, completion_tokens: 1500, reasoning_tokens: 1200 };
    const price = DEFAULT_LLM_PRICES['gpt-5-mini'];
    expect(costUsd(usage, price)).toBeCloseTo((1000 * 0.25 + 1500 * 2) / 1e6, 12);
    expect(costUsd({ ...usage, batch: true }, price)).toBeCloseTo(((1000 * 0.25 + 1500 * 2) / 1e6) * BATCH_PRICE_FACTOR, 12);
  });
});

describe('answers and errors', () => {
  const completion = (content: string, finish: 'stop' | 'length', completionTokens: number, reasoning: number): ChatCompletion => ({
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-5-mini',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 347, completion_tokens: completionTokens, total_tokens: 347 + completionTokens, completion_tokens_details: { reasoning_tokens: reasoning } },
  });

  it('treats a budget spent wholly on reasoning as a configuration error, billed', () => {
    // The measured case: max_completion_tokens 500, 500 reasoning tokens, no answer (LLM-SERVERS.md [S13]).
    const calls: TokenUsage[] = [];
    expect(() => judgeCompletion(completion('', 'length', 500, 500), calls)).toThrow(LlmConfigurationError);
    expect(() => judgeCompletion(completion('', 'length', 500, 500), [])).toThrow(/spent its whole output budget \(500 tokens\) on reasoning.*Check OPENAI_REASONING_EFFORT/);
    expect(calls).toEqual([{ prompt_tokens: 347, cached_tokens: 0, completion_tokens: 500, reasoning_tokens: 500 }]);
    // An answer cut off after some reasoning is only a bad answer: the repair handles it.
    expect(judgeCompletion(completion('{"description":"A', 'length', 500, 300), [])).toMatchObject({ kind: 'bad', detail: 'cut off at the output token limit' });
  });

  it('tells configuration errors from transient ones', () => {
    const error = (status: number, body: object) => APIError.generate(status, { error: body }, undefined, new Headers());
    expect(configurationErrorOf(error(400, { message: "Unsupported parameter: 'temperature' is not supported with this model.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_parameter' }))?.message).toMatch(
      /^LLM server refused the configuration \(HTTP 400, temperature\): Unsupported parameter: 'temperature' is not supported with this model\. Check OPENAI_REASONING_EFFORT/,
    );
    expect(configurationErrorOf(error(404, { code: '404', message: 'Resource not found' }))?.message).toMatch(/HTTP 404\): Resource not found\. Check OPENAI_MODEL/);
    expect(configurationErrorOf(error(403, { message: 'Project does not have access to model', type: 'invalid_request_error', param: null, code: 'model_not_found' }))?.message).toMatch(/HTTP 403/);
    expect(configurationErrorOf(error(429, { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' }))).toBeInstanceOf(LlmConfigurationError);
    expect(configurationErrorOf(error(429, { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' }))).toBeNull();
    expect(configurationErrorOf(error(500, { message: 'The server had an error', type: 'server_error', param: null, code: null }))).toBeNull();
    expect(configurationErrorOf(new Error('socket hang up'))).toBeNull();
  });
});
