import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/observability/logger.js';
import { startHttpShell, type HttpShell } from '../../src/main/http/server.js';
import { rendererResponse } from '../../src/main/electron/protocol.js';
import { openTestCore, type TestCore } from '../support/core.js';

/** Bad input at the shells' edge: each refused with a 4xx naming the problem, nothing stored or queued. */
let t: TestCore;
let shell: HttpShell;
let staticDir: string;

beforeAll(async () => {
  t = await openTestCore();
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>console</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'index.js'), 'console.log(1);\n//# sourceMappingURL=index.js.map');
  fs.writeFileSync(path.join(staticDir, 'assets', 'index.js.map'), '{"version":3,"sources":["../src/renderer/app.tsx"],"sourcesContent":["secret source"]}');
  shell = await startHttpShell({ core: t.core, port: 0, staticDir });
  await t.core.repos.raw.upsertMany([{ source: 'maricopa_api', source_id: '509-11-455', data: { address: '1 W ELM ST PHOENIX 85031' }, original: {} }]);
});
afterAll(async () => {
  await shell.close();
  await t.close();
  fs.rmSync(staticDir, { recursive: true, force: true });
});

/** One raw HTTP/1.1 exchange, so headers and paths go out exactly as written. */
function raw(lines: string[], body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(shell.port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => (text += d.toString()));
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on('error', reject);
    socket.write([...lines, `content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', body].join('\r\n'));
  });
}

const host = () => `host: 127.0.0.1:${shell.port}`;
const auth = () => `authorization: Bearer ${shell.token}`;

async function call(method: string, body: unknown): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${shell.port}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${shell.token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as never };
}

describe('bad input at the HTTP shell', () => {
  it.each(['/api/%E0%A4%A', '/api/health.get%', '/%zz', '/assets/%C0%AF'])('answers 400 to malformed percent-encoding in %s', async (target) => {
    const res = await raw([`POST ${target} HTTP/1.1`, host(), auth(), 'content-type: application/json'], '{}');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Malformed %-encoding');
  });

  it('refuses a request with two Host headers, even when both are ours', async () => {
    const res = await raw(['POST /api/health.get HTTP/1.1', host(), host(), auth(), 'content-type: application/json'], '{}');
    expect(res.status).toBe(400);
    expect(res.text).toContain('exactly one Host');
    const evil = await raw(['POST /api/health.get HTTP/1.1', host(), 'host: evil.example', auth(), 'content-type: application/json'], '{}');
    expect(evil.status).toBe(400);
  });

  it('does not serve the source map (the app itself still loads)', async () => {
    const map = await fetch(`http://127.0.0.1:${shell.port}/assets/index.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret source');
    expect((await fetch(`http://127.0.0.1:${shell.port}/assets/INDEX.JS.MAP`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${shell.port}/assets/index.js`)).status).toBe(200);
    const app = await rendererResponse(staticDir, 'app://console/assets/index.js.map');
    expect(app.status).toBe(404);
    expect((await rendererResponse(staticDir, 'app://console/%E0%A4%A')).status).toBe(400);
  });

  it('answers 404 to any path but the console page and its files, as the desktop app does (it routes by the hash)', async () => {
    const base = `http://127.0.0.1:${shell.port}`;
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).toContain('<title>console</title>');
    expect((await fetch(`${base}/index.html`)).status).toBe(200);
    for (const target of ['/.env', '/settings.json', '/assets', '/assets/missing.js', '/properties']) {
      const res = await fetch(`${base}${target}`);
      expect(res.status, target).toBe(404);
      expect(await res.text(), target).not.toContain('<title>console</title>');
    }
    for (const target of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '//etc/passwd', '/%00']) {
      const res = await raw([`GET ${target} HTTP/1.1`, host()], '');
      expect(res.status, target).toBe(404);
    }
  });

  it('refuses __proto__ and constructor keys instead of answering "saved"', async () => {
    const before = await t.core.api['settings.get']({});
    for (const body of ['{"values":{"__proto__":{"LLM_DAILY_BUDGET_USD":"999"}}}', '{"values":{"constructor":"x"}}', '{"__proto__":{"values":{}}}']) {
      const res = await call('settings.update', body);
      expect(res.status, body).toBe(400);
      expect(res.body.error?.message).toMatch(/(__proto__|constructor): the key is not allowed/);
    }
    expect(await t.core.api['settings.get']({})).toEqual(before);
    expect(await t.tdb.db.collection('settings').countDocuments()).toBe(0);
  });

  it('answers 400 to an invalid APN in collect.sync and starts no run', async () => {
    const res = await call('collect.sync', { source: 'maricopa_api', apns: ['509-11-455', 'not-an-apn!'] });
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toContain('apns[1] "not-an-apn!"');
    expect(await t.tdb.db.collection('runs').countDocuments()).toBe(0);
  });

  it('refuses reprocess of ids that do not exist with 404, queueing nothing', async () => {
    const res = await call('processing.reprocess', { ids: ['maricopa_api:509-11-455', 'maricopa_api:000-00-000', 'nope'] });
    expect(res.status).toBe(404);
    expect(res.body.error?.message).toContain('"maricopa_api:000-00-000", "nope"');
    expect(await t.tdb.db.collection('processing_queue').countDocuments()).toBe(0);
    expect((await call('processing.reprocess', { ids: ['maricopa_api:509-11-455'] })).body).toEqual({ queued: 1 });
  });
});

describe('files the console writes', () => {
  it('keeps the log file readable by its owner only, even one created before with wider rights', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-log-'));
    const file = path.join(dir, 'logs', 'phoenix-re.log');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, '', { mode: 0o644 });
    const fresh = path.join(dir, 'other', 'x.log');
    for (const logger of [createLogger({ level: 'info', file }), createLogger({ level: 'info', file: fresh })]) {
      logger.info('hello');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise<void>((resolve) => logger.flush(() => resolve()));
    }
    expect(fs.readFileSync(file, 'utf8')).toContain('hello');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
