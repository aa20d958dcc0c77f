import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/schemas/run.js';
import { PageStore } from '../../src/main/collectors/phoenix-mls/page-store.js';
import { crawleeStorageDir } from '../../src/main/collectors/phoenix-mls/crawler.js';
import { sessionStateFile } from '../../src/main/collectors/phoenix-mls/session-state.js';
import { formatSelectorReport, testSelectors } from '../../src/main/collectors/phoenix-mls/selector-tester.js';
import { loadSelectors } from '../../src/main/collectors/phoenix-mls/selectors.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { deadProxy, startLocalProxy, type LocalProxy } from '../support/local-proxies.js';
import { MlsSiteSimulator } from '../support/mls-site-simulator.js';
import { TwoCaptchaSimulator } from '../support/twocaptcha-simulator.js';
import { WebshareSimulator, type SimProxy } from '../support/webshare-simulator.js';

const BROWSER = process.env.BROWSER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const haveBrowser = fs.existsSync(BROWSER);

let captcha: TwoCaptchaSimulator;
let proxies: LocalProxy[];
beforeAll(async () => {
  captcha = await new TwoCaptchaSimulator().start();
  proxies = [await startLocalProxy('good1'), await startLocalProxy('good2'), await startLocalProxy('banned', { from: '127.0.0.3' })];
});
afterAll(async () => {
  await captcha.stop();
  for (const p of proxies) await p.close().catch(() => undefined);
});

const open: { stop?: () => Promise<void>; close?: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await (o.close ? o.close() : o.stop!());
  captcha.mode = 'ok';
  captcha.unsolvableNext = 0;
});

async function setup(options: { site?: ConstructorParameters<typeof MlsSiteSimulator>[0]; list?: SimProxy[]; env?: Record<string, string> } = {}) {
  const site = await new MlsSiteSimulator({ verifyToken: (t) => captcha.isValidToken(t), banned: ['127.0.0.3'], ...options.site }).start();
  const webshare = await new WebshareSimulator(options.list ?? proxies.slice(0, 2)).start();
  open.push(site, webshare);
  const tc = await openTestCore({
    env: {
      PHOENIX_MLS_BASE_URL: site.baseUrl,
      WEBSHARE_API_BASE_URL: webshare.baseUrl,
      WEBSHARE_API_TOKEN: webshare.token,
      TWOCAPTCHA_BASE_URL: captcha.baseUrl,
      TWOCAPTCHA_API_KEY: captcha.apiKey,
      TWOCAPTCHA_POLL_MS: '20',
      BROWSER_EXECUTABLE_PATH: BROWSER,
      MLS_RATE_LIMIT_PER_MINUTE: '600',
      MLS_MAX_CONCURRENCY: '2',
      PROXY_MAX_FAILURES: '1',
      ...options.env,
    },
  });
  open.push(tc);
  return { site, webshare, tc };
}

async function sync(tc: TestCore, zips: string[], limit?: number): Promise<Run> {
  const { done } = await tc.core.collection.startMls({ zips, limit }, { trigger: 'manual' });
  return done;
}

describe.skipIf(!haveBrowser)('the Phoenix MLS collector', () => {
  it('collects the active listings of a ZIP code through the proxies into raw properties, queued', async () => {
    const { site, tc } = await setup();
    const run = await sync(tc, ['85031']);
    expect(run.message).toMatch(/^12 listings stored \(12 new, 0 changed, 0 unchanged\), 0 failed/);
    expect(run).toMatchObject({ status: 'succeeded', source: 'phoenix_mls', total: 12 });
    // Each markup the live site writes, read to the same stored values.
    for (const listing of site.zip('85031').slice(0, 4)) {
      const raw = await tc.core.repos.raw.get(`phoenix_mls:${listing.mls}`);
      expect(raw?.data, listing.markup).toMatchObject({
        mls_number: listing.mls,
        address: listing.address,
        list_price: listing.price,
        bedrooms: listing.beds,
        bathrooms: listing.baths,
        square_feet: listing.sqft,
        lot_size: listing.lot,
        year_built: listing.year,
        pool: listing.pool,
        garage_spaces: listing.garage,
        status: listing.status,
        listing_status: listing.listingStatus,
        hoa_monthly: listing.hoaMonthly,
        hoa_text: listing.hoaText,
        land_lease_monthly: listing.landLeaseMonthly,
        photo_count: listing.photos,
        description: listing.description,
        unreadable: [],
      });
      const photos = raw?.data.photo_urls as string[];
      expect(photos.length, listing.markup).toBe(listing.markup === 'plain' ? listing.photos : 7);
      // Never a placeholder; the Spark CDN's full-size `-o.jpg`, never its `-t.jpg` thumbnail.
      if (listing.markup !== 'plain') expect(photos.every((u) => /^https:\/\/cdn\.photos\.sparkplatform\.com\/az\/\d+-o\.jpg$/.test(u)), photos.join(' ')).toBe(true);
    }
    expect(site.zip('85031').slice(0, 4).map((l) => l.markup)).toEqual(['plain', 'live', 'gallery', 'flex']);
    // ARMLS's field names: two associations summed, one-time fees apart, its own monthly total.
    const flex = site.zip('85031')[3]!;
    expect((await tc.core.repos.raw.get(`phoenix_mls:${flex.mls}`))?.data).toMatchObject({
      hoa_text: flex.hoaText,
      total_monthly_fees: flex.hoaMonthly,
      land_lease_text: 'Land Lease Fee Y/N: N',
      one_time_fees: [
        { fee: 'capital_improvement', dollars: 500, text: '500' },
        { fee: 'transfer', dollars: 400, text: '400' },
      ],
    });
    expect((await tc.core.repos.queue.counts()).pending).toBe(12);
    // Every page came through a proxy, none straight from the test.
    expect(site.requests.every((r) => r.from === '127.0.0.1')).toBe(true);
    // One consistent identity: the running Chromium's version, this OS, no "Headless", no webdriver.
    const major = /(\d+)\./.exec(execFileSync(BROWSER, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))![1];
    const machine = os.arch() === 'arm64' ? 'aarch64' : 'x86_64';
    for (const r of site.requests) {
      expect(r.userAgent).toBe(`Mozilla/5.0 (X11; Linux ${machine}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`);
      expect(r.clientHints).toContain(`"Chromium";v="${major}"`);
    }
    await expect.poll(() => site.beacons.length).toBeGreaterThan(0);
    expect(site.beacons[0]).toMatchObject({ userAgent: site.requests[0]!.userAgent, platform: `Linux ${machine}`, webdriver: false });
    expect(site.beacons[0]!.brands).toContain(`"version":"${major}"`);
    expect(proxies[0]!.carried() + proxies[1]!.carried()).toBeGreaterThan(0);

    // Health: the proxies as the run left them, and the 2captcha balance; the dashboard's card.
    const health = await tc.core.health();
    expect(health.checks.find((c) => c.name === 'proxies')).toMatchObject({ ok: true, detail: expect.stringMatching(/^2 of 2 in use, 0 benched, \d+ ms mean page load/) });
    expect(health.checks.find((c) => c.name === 'captcha_balance')).toMatchObject({ ok: true, detail: expect.stringMatching(/^\$\d+\.\d\d left at 2captcha/) });
    expect((await tc.core.api['stats.overview']({})).proxies).toMatchObject({ total: 2, healthy: 2, benched: 0 });
    expect(await tc.core.api['settings.test']({ target: 'webshare' })).toMatchObject({ ok: true, detail: '2 valid proxies listed (direct mode)' });
    expect(await tc.core.api['settings.test']({ target: 'twocaptcha' })).toMatchObject({ ok: true, detail: expect.stringMatching(/^balance \$/) });
  }, 120_000);

  it('rotates away from a dead proxy and a banned one, and benches them', async () => {
    const dead = await deadProxy('dead');
    const { site, tc } = await setup({ list: [dead, proxies[2]!, proxies[0]!] });
    const run = await sync(tc, ['85033'], 6);
    expect(run.status).toBe('succeeded');
    expect(run.counters.inserted).toBe(6);
    expect(site.requests.some((r) => r.from === '127.0.0.3' && r.status === 403)).toBe(true);
    // Crawlee's statistics in the run: the pages that went through a dead or banned proxy were retried.
    expect(run.counters.retries).toBeGreaterThanOrEqual(1);
    const metrics = await tc.core.metrics.registry.metrics();
    expect(metrics).toMatch(/phoenix_re_proxy_health\{proxy="127\.0\.0\.1:\d+"\} 0/);
  }, 120_000);

  it('solves a CAPTCHA through 2captcha and goes on; counts its cost', async () => {
    // Every session meets the CAPTCHA on its second page.
    const { tc } = await setup({ site: { captchaAfter: 1 } });
    const run = await sync(tc, ['85035'], 5);
    expect(run.status).toBe('succeeded');
    expect(run.counters.captcha_solved).toBeGreaterThanOrEqual(1);
    expect(run.counters.inserted).toBe(5);
    const [stats] = await tc.core.repos.dailyStats.range('2000-01-01', '2100-01-01');
    expect(stats!.captcha_usd).toBeGreaterThan(0);
    expect(await tc.core.metrics.registry.metrics()).toMatch(/phoenix_re_captcha_solves_total\{kind="recaptcha",outcome="solved"\} [1-9]/);
  }, 120_000);

  it('retires the session of an unsolvable CAPTCHA and retries with another', async () => {
    captcha.unsolvableNext = 1;
    const { tc } = await setup({ site: { captchaAfter: 0 } });
    const run = await sync(tc, ['85040'], 3);
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ inserted: 3, captcha_unsolvable: 1 });
    expect(run.counters.captcha_solved).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('goes on when a proxy dies mid-run', async () => {
    const mortal = await startLocalProxy('mortal');
    const spare = await startLocalProxy('spare');
    open.push({ close: () => spare.close() });
    const { site, tc } = await setup({ list: [mortal, spare] });
    const killer = setInterval(() => {
      if (site.requests.length >= 3) {
        clearInterval(killer);
        void mortal.close();
      }
    }, 20);
    const run = await sync(tc, ['85041'], 8);
    clearInterval(killer);
    expect(run.status).toBe('succeeded');
    expect(run.counters.inserted).toBe(8);
    expect(mortal.carried()).toBeGreaterThan(0);
    expect(spare.carried()).toBeGreaterThan(0);
  }, 120_000);

  it('reuses its saved sessions (cookies) on the next run', async () => {
    const { site, tc } = await setup();
    await sync(tc, ['85042'], 3);
    const firstRun = new Set(site.requests.map((r) => r.session).filter(Boolean));
    const issued = site.requests.length;
    const again = await sync(tc, ['85042'], 3);
    expect(again.counters.unchanged).toBe(3);
    const secondRun = site.requests.slice(issued).map((r) => r.session);
    // The second run's requests come with the first run's cookies, none without.
    expect(secondRun.length).toBeGreaterThan(0);
    expect(secondRun.some((sid) => sid !== null && firstRun.has(sid))).toBe(true);
  }, 120_000);

  it('cancels like the assessor sync: the run ends cancelled with what it stored', async () => {
    const { site, tc } = await setup({ site: { listingsPerZip: 30 } });
    const { run, done } = await tc.core.collection.startMls({ zips: ['85043'] }, { trigger: 'manual' });
    const watcher = setInterval(() => {
      if (site.requests.length >= 4) {
        clearInterval(watcher);
        tc.core.activeRuns.cancel(run._id);
      }
    }, 20);
    const finished = await done;
    clearInterval(watcher);
    expect(finished.status).toBe('cancelled');
    expect(finished.message).toMatch(/^Cancelled after \d+ listings$/);
    expect(finished.counters.inserted ?? 0).toBeLessThan(30);
  }, 120_000);

  it('stops with a clear message when the CAPTCHA balance is zero', async () => {
    captcha.mode = 'zero-balance';
    const { tc } = await setup({ site: { captchaAfter: 0 } });
    const run = await sync(tc, ['85037'], 3);
    expect(run.status).toBe('failed');
    expect(run.message).toBe('2captcha balance is zero (ERROR_ZERO_BALANCE): top up the account to solve CAPTCHAs.');
  }, 120_000);

  it('records a page whose required field is missing as failed, with the reason, and stores the rest', async () => {
    const site0 = new MlsSiteSimulator();
    const broken = site0.zip('85019')[2]!.mls;
    const { tc } = await setup({ site: { variantMls: [broken] } });
    const run = await sync(tc, ['85019'], 5);
    expect(run.status).toBe('succeeded');
    expect(run.counters).toMatchObject({ inserted: 4, failed: 1 });
    expect(run.errors[0]!.message).toMatch(new RegExp(`mls_${broken}/: required field missing: list_price \\(check the selectors`));

    // The selector tester, on the pages this run kept: the broken page misses list_price.
    const report = testSelectors(loadSelectors(), PageStore.inDataDir(tc.dataDir));
    expect(report).toMatchObject({ pages: 5, usable: 4 });
    const price = report.fields.find((f) => f.field === 'list_price')!;
    expect(price).toMatchObject({ required: true, found: 4, missing: 1 });
    expect(price.missingOn[0]).toContain(`mls_${broken}`);
    expect(report.fields.find((f) => f.field === 'bedrooms')).toMatchObject({ found: 5, missing: 0 });
    // The new fields, field by field: the first five listings are plain, live, gallery, flex, plain.
    expect(report.fields.find((f) => f.field === 'hoa_fee')).toMatchObject({ found: 3, missing: 2 });
    expect(report.fields.find((f) => f.field === 'hoa2_fee')).toMatchObject({ found: 1, missing: 4, example: '150' });
    expect(report.fields.find((f) => f.field === 'lot_acres')).toMatchObject({ found: 1, missing: 4 });
    expect(report.fields.find((f) => f.field === 'lot_text')).toMatchObject({ found: 2, missing: 3, example: expect.stringMatching(/ Acres?$/) });
    expect(report.fields.find((f) => f.field === 'lot_size')).toMatchObject({ found: 2, missing: 3 });
    expect(report.fields.find((f) => f.field === 'photo_urls')).toMatchObject({ found: 5, missing: 0 });
    expect(report.fields.find((f) => f.field === 'mls_number')).toMatchObject({ found: 5, missing: 0 });
    // Fixed by data, not code: the variant's label added to the set.
    const fixed = testSelectors(loadSelectors({ labels: { list_price: ['List Price', 'Asking Amount'] } }), PageStore.inDataDir(tc.dataDir));
    expect(fixed.usable).toBe(5);
    expect(formatSelectorReport(report)[0]).toBe('4 of 5 stored pages have every required field.');
  }, 120_000);
});

describe.skipIf(!haveBrowser)('MLS sync with a saved session file of the wrong shape', () => {
  it('sets the file aside with a warning naming it, starts with fresh sessions and finishes', async () => {
    const { tc } = await setup();
    const file = sessionStateFile(crawleeStorageDir(tc.dataDir));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ sessions: [{ id: 's1', cookieJar: 'not a jar' }] }));
    const run = await sync(tc, ['85044'], 2);
    expect(run.status).toBe('succeeded');
    expect(run.counters.inserted).toBe(2);
    expect(run.errors[0]?.message).toMatch(new RegExp(`^The saved MLS sessions in ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} were not usable \\(sessions\\.0\\.cookieJar: .*\\); set aside as .*\\.invalid-`));
    const aside = fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.invalid-'));
    expect(aside).toHaveLength(1);
    expect(tc.log.text()).toContain('were not usable');
  }, 120_000);

  it('the CLI exits, with the reason, when Crawlee cannot even open its session store', async () => {
    const { site, webshare, tc } = await setup();
    const store = path.dirname(sessionStateFile(crawleeStorageDir(tc.dataDir)));
    fs.mkdirSync(path.dirname(store), { recursive: true });
    fs.writeFileSync(store, 'a file where the session store folder belongs');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      MONGODB_URI: tc.tdb.uri,
      PHOENIX_DATA_DIR: tc.dataDir,
      PHOENIX_MLS_BASE_URL: site.baseUrl,
      WEBSHARE_API_BASE_URL: webshare.baseUrl,
      WEBSHARE_API_TOKEN: webshare.token,
      TWOCAPTCHA_BASE_URL: captcha.baseUrl,
      TWOCAPTCHA_API_KEY: captcha.apiKey,
      BROWSER_EXECUTABLE_PATH: BROWSER,
    };
    const result = await new Promise<{ status: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [path.resolve('bin/phoenix-re.js'), 'sync', '--source', 'phoenix_mls', '--zip', '85045', '--limit', '1'], { cwd: tc.dataDir, env });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.on('exit', (status) => {
        clearTimeout(killer);
        resolve({ status, out });
      });
    });
    expect(result.status, result.out).toBe(1);
    expect(result.out).toMatch(/Run \S+ failed: .*phoenix-mls-sessions/);
  }, 120_000);
});
