import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProxyPool } from '../../src/main/collectors/phoenix-mls/proxy-pool.js';
import type { CaptchaError} from '../../src/main/collectors/phoenix-mls/twocaptcha.js';
import { TwoCaptchaClient } from '../../src/main/collectors/phoenix-mls/twocaptcha.js';
import { fetchWebshareProxies } from '../../src/main/collectors/phoenix-mls/webshare.js';
import { TwoCaptchaSimulator } from '../support/twocaptcha-simulator.js';
import { WebshareSimulator, type SimProxy } from '../support/webshare-simulator.js';

const simProxies: SimProxy[] = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, host: `10.0.0.${i + 1}`, port: 8000 + i, username: `user${i}`, password: `pw/${i}`, valid: i !== 3 }));

let webshare: WebshareSimulator;
let captcha: TwoCaptchaSimulator;
beforeAll(async () => {
  webshare = await new WebshareSimulator(simProxies).start();
  captcha = await new TwoCaptchaSimulator().start();
});
afterAll(async () => {
  await webshare.stop();
  await captcha.stop();
});

describe('the WebShare proxy list', () => {
  it('follows every page and keeps the valid proxies, with their credentials in the URL', async () => {
    webshare.requests = 0;
    const proxies = await fetchWebshareProxies({ baseUrl: webshare.baseUrl, token: webshare.token, mode: 'direct', pageSize: 2 });
    expect(webshare.requests).toBe(3);
    expect(proxies.map((p) => p.id)).toEqual(['p0', 'p1', 'p2', 'p4']);
    expect(proxies[1]).toEqual({ id: 'p1', url: 'http://user1:pw%2F1@10.0.0.2:8001', label: '10.0.0.2:8001', country: 'US' });
  });

  it('says what is wrong with the token, without it', async () => {
    await expect(fetchWebshareProxies({ baseUrl: webshare.baseUrl, token: 'wrong-webshare-token', mode: 'direct' })).rejects.toThrow(
      'WebShare refused the token (HTTP 401). Check WEBSHARE_API_TOKEN.',
    );
    await expect(fetchWebshareProxies({ baseUrl: webshare.baseUrl, token: undefined, mode: 'direct' })).rejects.toThrow('WEBSHARE_API_TOKEN is not set');
  });
});

describe('the proxy pool', () => {
  const proxies = simProxies.slice(0, 3).map((p) => ({ id: p.id, url: `http://${p.host}:${p.port}`, label: p.host, country: null }));

  it('rotates through healthy proxies, benches one failing in a row, and tries it again after the cool-down', () => {
    let now = 0;
    const pool = new ProxyPool(proxies, { maxFailures: 2, cooldownMs: 60_000, now: () => now });
    expect([pool.next()!.id, pool.next()!.id, pool.next()!.id, pool.next()!.id]).toEqual(['p0', 'p1', 'p2', 'p0']);
    pool.failed('p1', 'ECONNREFUSED');
    pool.succeeded('p1', 100); // a success resets the run of failures
    pool.failed('p1', 'ECONNREFUSED');
    expect(pool.report().find((h) => h.id === 'p1')!.benchedUntil).toBeNull();
    pool.failed('p1', 'ECONNREFUSED');
    expect(pool.report().find((h) => h.id === 'p1')).toMatchObject({ failures: 3, successes: 1, lastError: 'ECONNREFUSED', benchedUntil: new Date(60_000) });
    const picked = Array.from({ length: 6 }, () => pool.next()!.id);
    expect(picked).not.toContain('p1');
    now = 60_001;
    expect(Array.from({ length: 3 }, () => pool.next()!.id)).toContain('p1');
  });

  it('keeps going when every proxy is benched, with the one rested longest', () => {
    let now = 0;
    const pool = new ProxyPool(proxies, { maxFailures: 1, cooldownMs: 1000, now: () => now });
    pool.failed('p2', 'x');
    now = 10;
    pool.failed('p0', 'x');
    pool.failed('p1', 'x');
    expect(pool.next()!.id).toBe('p2');
    expect(pool.report().every((h) => h.benchedUntil !== null)).toBe(true);
  });

  it('tracks latency as a moving mean', () => {
    const pool = new ProxyPool(proxies, { maxFailures: 2, cooldownMs: 1 });
    pool.succeeded('p0', 100);
    pool.succeeded('p0', 200);
    expect(pool.report()[0]!.latencyMs).toBeCloseTo(130);
  });
});

describe('2captcha', () => {
  const client = () => new TwoCaptchaClient({ baseUrl: captcha.baseUrl, apiKey: captcha.apiKey, pollMs: 10 });

  it('solves after CAPCHA_NOT_READY, reports, and reads the balance', async () => {
    captcha.mode = 'ok';
    captcha.notReadyPolls = 3;
    const before = await client().balance();
    const { id, token } = await client().solve('recaptcha', 'site-key-123', 'http://127.0.0.1/detail');
    expect(captcha.isValidToken(token)).toBe(true);
    expect(captcha.submitted.at(-1)).toEqual({ method: 'userrecaptcha', sitekey: 'site-key-123', pageurl: 'http://127.0.0.1/detail' });
    expect(await client().balance()).toBeCloseTo(before - captcha.price, 5);
    await client().report(id, false);
    expect(captcha.reports.at(-1)).toEqual({ id, good: false });
    const hc = await client().solve('hcaptcha', 'hc-key', 'http://127.0.0.1/x');
    expect(captcha.submitted.at(-1)!.method).toBe('hcaptcha');
    expect(captcha.isValidToken(hc.token)).toBe(true);
  });

  it('turns its errors into what to do: zero balance and a wrong key stop, unsolvable does not', async () => {
    captcha.notReadyPolls = 0;
    captcha.mode = 'zero-balance';
    await expect(client().solve('turnstile', 'k', 'http://x/')).rejects.toMatchObject({ code: 'ERROR_ZERO_BALANCE', fatal: true, message: expect.stringContaining('top up') });
    captcha.mode = 'unsolvable';
    await expect(client().solve('recaptcha', 'k', 'http://x/')).rejects.toMatchObject({ code: 'ERROR_CAPTCHA_UNSOLVABLE', fatal: false });
    captcha.mode = 'ok';
    const wrong = new TwoCaptchaClient({ baseUrl: captcha.baseUrl, apiKey: 'not-the-key-0000', pollMs: 10 });
    const error = (await wrong.balance().catch((e: unknown) => e)) as CaptchaError;
    expect(error).toMatchObject({ code: 'ERROR_WRONG_USER_KEY', fatal: true });
    expect(error.message).not.toContain('not-the-key-0000');
  });
});
