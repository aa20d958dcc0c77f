import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpShell, type HttpShell } from '../../src/main/http/server.js';
import { RunRecorder } from '../../src/main/runs/run-recorder.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { promtoolCheck, promtoolRequired } from '../support/promtool.js';

let t: TestCore;
let shell: HttpShell;
let base: string;

beforeAll(async () => {
  t = await openTestCore({ env: { OPENAI_API_KEY: 'fake-key-never-shown-1234567890' } });
  shell = await startHttpShell({ core: t.core, port: 0 });
  base = `http://127.0.0.1:${shell.port}`;
  await t.core.repos.raw.upsertMany([
    { source: 'maricopa_api', source_id: '509-11-455', data: { address: '1 W ELM ST PHOENIX 85031', sale_price: 200_000 }, original: {} },
    { source: 'phoenix_mls', source_id: '6937912', data: { address: '5219 W EL CAMINITO Drive, Glendale, AZ 85302', list_price: 350_000, bedrooms: 3 }, original: {} },
  ]);
  await t.core.repos.queue.enqueue('maricopa_api:509-11-455');
});
afterAll(async () => {
  await shell.close();
  await t.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test reads of JSON bodies
const json = (res: Response): Promise<any> => res.json();

function call(method: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('HTTP shell', () => {
  it('prints a console URL whose token travels in the fragment', () => {
    expect(shell.consoleUrl).toBe(`${base}/#token=${shell.token}`);
    expect(shell.token.length).toBeGreaterThanOrEqual(40);
  });

  it('refuses requests without the token, or with a wrong one, with 401', async () => {
    const none = await fetch(`${base}/api/health.get`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(await json(none)).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await call('health.get', {}, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port: shell.port, path: '/api/health.get', method: 'POST', headers: { host: 'evil.example', authorization: `Bearer ${shell.token}` } }, (r) => resolve(r.statusCode ?? 0));
        req.on('error', reject);
        req.end('{}');
      }, reject);
    });
    expect(res).toBe(403);
  });

  it('rejects malformed input with 400 naming the problem', async () => {
    const emptyBody = await call('properties.list', undefined, {});
    expect(emptyBody.status).toBe(200);
    const broken = await fetch(`${base}/api/properties.list`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/json' },
      body: '{"page": ',
    });
    expect(broken.status).toBe(400);
    expect((await json(broken)).error.message).toMatch(/not valid JSON/);
    // A broken body is not quoted back: it may carry a key being saved (V8's message quotes it).
    const secretBody = await fetch(`${base}/api/settings.update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/json' },
      body: '{"OPENAI_API_KEY": unquoted-test-value}',
    });
    expect(secretBody.status).toBe(400);
    const secretMessage = (await json(secretBody)).error.message as string;
    expect(secretMessage).toMatch(/not valid JSON/);
    expect(secretMessage).not.toContain('unquoted-t');
    const invalid = await call('properties.list', { page: -1, sort: { field: 'owner', direction: 'up' } });
    expect(invalid.status).toBe(400);
    const { error } = await json(invalid);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/page: .*sort.field: /);
    const wrongType = await fetch(`${base}/api/health.get`, { method: 'POST', headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(wrongType.status).toBe(400);
  });

  it('answers 404 for unknown methods and 405 for GET on a method', async () => {
    expect((await call('properties.delete', {})).status).toBe(404);
    const get = await fetch(`${base}/api/health.get`, { headers: { authorization: `Bearer ${shell.token}` } });
    expect(get.status).toBe(405);
  });

  it('serves the contract: health, queue, properties, runs, overview', async () => {
    const health = await json(await call('health.get'));
    expect(health.checks.map((c: { name: string }) => c.name)).toEqual(['mongodb', 'database_size', 'disk', 'keys', 'queue', 'llm_budget', 'captcha_balance', 'proxies']);
    expect(JSON.stringify(health)).not.toContain('fake-key-never-shown');
    expect(health.checks.find((c: { name: string }) => c.name === 'keys').detail).toContain('OPENAI_API_KEY set');

    expect(await json(await call('queue.summary', {}))).toEqual({
      counts: { pending: 1, processing: 0, completed: 0, failed: 0, review: 0 },
      total: 1,
    });

    const list = await json(await call('properties.list', { sort: { field: 'price', direction: 'desc' } }));
    expect(list.total).toBe(2);
    expect(list.items.map((i: { id: string; zip: string; status: string | null }) => [i.id, i.zip, i.status])).toEqual([
      ['phoenix_mls:6937912', '85302', null],
      ['maricopa_api:509-11-455', '85031', 'pending'],
    ]);

    const detail = await json(await call('properties.get', { id: 'maricopa_api:509-11-455' }));
    expect(detail).toMatchObject({ source_id: '509-11-455', processed: null, queue: { status: 'pending' } });
    const missing = await call('properties.get', { id: 'nope' });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.message).toBe('No property with id "nope".');

    const overview = await json(await call('stats.overview'));
    expect(overview).toMatchObject({ queue: { pending: 1 }, llm: { spentTodayUsd: 0, dailyBudgetUsd: 1 } });
  });

  it('pushes run.progress and queue.changed as server-sent events', async () => {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${shell.token}` }, signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const seen: string[] = [];
    const received = (async () => {
      const decoder = new TextDecoder();
      let text = '';
      // Until the run's last state and the count after this test's enqueue are both in: a
      // queue.changed of the earlier test's enqueue can arrive first under load (CI saw it).
      while (!(text.includes('"status":"succeeded"') && text.includes('"pending":2'))) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      seen.push(...text.split('\n').filter((l) => l.startsWith('event: ')));
      return text;
    })();
    const recorder = await RunRecorder.start(t.core.repos.runs, t.core.events, { kind: 'sync', source: 'maricopa_api', trigger: 'manual' });
    await recorder.count({ fetched: 3 });
    await recorder.finish('succeeded');
    await t.core.repos.queue.enqueue('phoenix_mls:6937912');
    const text = await received;
    controller.abort();
    expect(seen).toContain('event: run.progress');
    expect(seen).toContain('event: queue.changed');
    expect(text).toContain('"status":"succeeded"');
    expect(text).toMatch(/event: queue.changed\ndata: \{"counts":\{"pending":2,/);
    const runs = await json(await call('runs.list', { limit: 5 }));
    expect(runs.items[0]).toMatchObject({ _id: recorder.id, status: 'succeeded', counters: { fetched: 3 } });
  });

  it.skipIf(!promtoolRequired && promtoolCheck('') === null)('serves /metrics that promtool accepts', async () => {
    await call('health.get');
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${shell.token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of [
      'phoenix_re_api_requests_total',
      'phoenix_re_processing_queue_size{status="pending"} 2',
      'phoenix_re_llm_tokens_used 0',
      'phoenix_re_daily_cost 0',
      'phoenix_re_mongodb_connections',
      'phoenix_re_error_rate{component="api"} 0',
    ]) {
      expect(text).toContain(name);
    }
    const check = promtoolCheck(text);
    expect(check, 'promtool is not installed (apt-get install prometheus)').not.toBeNull();
    expect(check!.output).toBe('');
    expect(check!.ok).toBe(true);
  });
});
