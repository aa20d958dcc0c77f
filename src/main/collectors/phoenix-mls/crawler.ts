import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Configuration, PlaywrightCrawler, ProxyConfiguration, RequestQueue, log as crawleeLog, type PlaywrightCrawlingContext } from '@crawlee/playwright';
import * as cheerio from 'cheerio';
import { chromium, type Browser } from 'playwright';
import type { Logger } from '../../observability/logger.js';
import { parseDetailPage, parseResultsPage, type DetailParse } from './parse-pages.js';
import { alignIdentity, identityFor } from './consistent-identity.js';
import type { PageStore } from './page-store.js';
import type { ProxyPool } from './proxy-pool.js';
import type { SelectorSet } from './selectors.js';
import { CaptchaError, type CaptchaKind, type TwoCaptchaClient } from './twocaptcha.js';
import { SESSION_STATE_KEY, SESSION_STORE_ID } from './session-state.js';
import { DiskFullError } from '../../db/disk-full.js';

export interface CrawlOptions {
  baseUrl: string;
  zips: string[];
  /** Most detail pages in all. */
  limit?: number | undefined;
  selectors: SelectorSet;
  pool: ProxyPool;
  captcha: TwoCaptchaClient;
  logger: Logger;
  /** Where Crawlee keeps its sessions (cookies, storage state) between runs. */
  storageDir: string;
  /** Where detail pages are kept for the selector tester. */
  pages?: PageStore;
  browserExecutablePath: string;
  maxConcurrency: number;
  maxRequestsPerMinute: number;
  signal?: AbortSignal;
  /** A detail page parsed with every required field. */
  onListing(listing: { url: string; parse: DetailParse; html: string }): Promise<void>;
  /** A page given up on, with why. */
  onFailed(url: string, reason: string): Promise<void>;
  onProgress(update: { total?: number; pages?: number }): void;
  onCaptcha(outcome: 'solved' | 'unsolvable' | 'failed', kind: CaptchaKind): Promise<void>;
}

/** Fingerprints for the OS we run on. */
const RUNNING_OS = process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : 'linux';

/** The page is the firewall's block page, or the site refused us: retire the session and its proxy. */
export class BlockedError extends Error {}
/** A problem no retry fixes (CAPTCHA balance, key): stop the run. */
export class FatalCrawlError extends Error {}

const CHALLENGES: { kind: CaptchaKind; widget: string; field: string }[] = [
  { kind: 'recaptcha', widget: '.g-recaptcha[data-sitekey]', field: 'g-recaptcha-response' },
  { kind: 'hcaptcha', widget: '.h-captcha[data-sitekey]', field: 'h-captcha-response' },
  { kind: 'turnstile', widget: '.cf-turnstile[data-sitekey]', field: 'cf-turnstile-response' },
];

/** What kind of page this is before we read it: a block page, a CAPTCHA, or the content. */
export function detectChallenge(html: string, status: number | undefined): { type: 'blocked'; reason: string } | { type: 'captcha'; kind: CaptchaKind; siteKey: string; field: string } | { type: 'content' } {
  const $ = cheerio.load(html);
  // 5xx: the site or the proxy failed (the local proxy-chain says 590-599 for an upstream proxy that refused or died).
  if (status !== undefined && status >= 500) return { type: 'blocked', reason: `HTTP ${status} (${$('title').text().trim() || $('body').text().trim().slice(0, 80) || 'no body'})` };
  if (status === 403 || status === 407 || status === 429 || $('#block-title, #cf-error-details, .cf-error-title').length > 0 || /^access denied/i.test($('title').text().trim())) {
    return { type: 'blocked', reason: `blocked by the site (HTTP ${status ?? '?'}: ${$('title').text().trim() || 'no title'})` };
  }
  for (const c of CHALLENGES) {
    const el = $(c.widget).first();
    if (el.length) return { type: 'captcha', kind: c.kind, siteKey: el.attr('data-sitekey')!, field: c.field };
  }
  return { type: 'content' };
}

/** The URL of a ZIP code's first results page (active listings, priciest first, 10 a page). */
export function searchUrl(baseUrl: string, zip: string): string {
  return new URL(`/mls/search/?OrderBy=-ListPrice&StandardStatus%5B%5D=Active&Limit=10&PostalCode=${zip}&Page=1`, baseUrl).href;
}

/**
 * Crawl the MLS site with Crawlee's PlaywrightCrawler: results pages of each ZIP code, then the
 * detail pages. Each session keeps its cookies (persisted in `storageDir`) and its proxy from
 * the pool; incognito pages give each session its own proxy. A block page or a dead proxy
 * retires the session (the pool counts the failure) and the page is retried with another. A
 * CAPTCHA is solved through 2captcha, its token put in the page's form and the form sent; an
 * unsolvable one retires the session; zero balance or a refused key stops the crawl.
 */
export interface CrawlStats {
  requestsFinished: number;
  requestsFailed: number;
  /** Page loads tried again (another session, so another proxy). */
  retries: number;
}

export async function crawlMls(options: CrawlOptions): Promise<{ fatal: Error | null; stats: CrawlStats }> {
  crawleeLog.setLevel(crawleeLog.LEVELS.OFF);
  fs.mkdirSync(options.storageDir, { recursive: true });
  const config = new Configuration({
    storageClientOptions: { localDataDirectory: options.storageDir },
    persistStorage: true,
    purgeOnStart: false,
  });
  // A queue of this run's own (dropped at the end); the sessions' store lives on between runs.
  const requestQueue = await RequestQueue.open(`mls-run-${randomUUID()}`, { config });
  const proxyOfSession = new Map<string, string>();
  const proxyConfiguration = new ProxyConfiguration({
    newUrlFunction: (sessionId) => {
      const key = String(sessionId);
      const known = proxyOfSession.get(key);
      if (known) return known;
      const proxy = options.pool.next();
      if (!proxy) return null;
      proxyOfSession.set(key, proxy.url);
      return proxy.url;
    },
  });
  let fatal: Error | null = null;
  let details = 0;
  const limit = options.limit ?? Infinity;
  const started = new Map<string, number>();

  const proxyIdOf = (ctx: Pick<PlaywrightCrawlingContext, 'proxyInfo' | 'session'>) => {
    const url = ctx.proxyInfo?.url ?? (ctx.session ? proxyOfSession.get(ctx.session.id) : undefined);
    return url ? options.pool.idOf(url) : undefined;
  };

  const crawler = new PlaywrightCrawler(
    {
      launchContext: {
        launcher: chromium,
        useIncognitoPages: true,
        launchOptions: { executablePath: options.browserExecutablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] },
      },
      browserPoolOptions: {
        useFingerprints: true,
        fingerprintOptions: { fingerprintGeneratorOptions: { browsers: ['chrome'], devices: ['desktop'], operatingSystems: [RUNNING_OS] } },
        // After Crawlee's own hooks: the context's User-Agent, then what scripts and headers say.
        prePageCreateHooks: [
          (_pageId, controller, pageOptions) => {
            if (pageOptions) (pageOptions as { userAgent?: string }).userAgent = identityFor((controller.browser as Browser).version()).userAgent;
          },
        ],
        postPageCreateHooks: [(page) => alignIdentity(page)],
      },
      proxyConfiguration,
      requestQueue,
      useSessionPool: true,
      persistCookiesPerSession: true,
      sessionPoolOptions: {
        // As many sessions as pages at once: a full pool reuses its (saved) sessions instead of making new ones.
        maxPoolSize: Math.max(2, options.maxConcurrency),
        persistStateKeyValueStoreId: SESSION_STORE_ID,
        persistStateKey: SESSION_STATE_KEY,
        blockedStatusCodes: [],
      },
      maxConcurrency: options.maxConcurrency,
      maxRequestsPerMinute: options.maxRequestsPerMinute,
      maxRequestRetries: 4,
      navigationTimeoutSecs: 30,
      requestHandlerTimeoutSecs: 240,
      preNavigationHooks: [
        ({ request }) => {
          started.set(request.id ?? request.url, performance.now());
        },
      ],
      requestHandler: async (ctx) => {
        const { page, request, response, session } = ctx;
        // A proxy that refuses or drops the connection leaves Chromium's own error page and no response.
        if (!response || page.url().startsWith('chrome-error://')) throw new BlockedError(`no answer from the site through this proxy (${page.url()})`);
        let html = await page.content();
        let status = response.status();
        if (status === 404) {
          await options.onFailed(request.url, 'the site answered 404: the listing is gone');
          return;
        }
        // A challenge first: blocked (retry elsewhere) or a CAPTCHA (solve it, then read the page).
        for (let rounds = 0; ; rounds += 1) {
          const challenge = detectChallenge(html, status);
          if (challenge.type === 'blocked') throw new BlockedError(challenge.reason);
          if (challenge.type === 'content') break;
          if (rounds > 0) throw new BlockedError('the CAPTCHA came back after a solved one');
          let solved: { id: string; token: string };
          try {
            solved = await options.captcha.solve(challenge.kind, challenge.siteKey, page.url(), options.signal);
          } catch (error) {
            if (error instanceof CaptchaError && error.fatal) {
              fatal = new FatalCrawlError(error.message);
              await options.onCaptcha('failed', challenge.kind);
              await crawler.autoscaledPool?.abort();
              throw fatal;
            }
            await options.onCaptcha(error instanceof CaptchaError && error.code === 'ERROR_CAPTCHA_UNSOLVABLE' ? 'unsolvable' : 'failed', challenge.kind);
            session?.retire();
            throw new BlockedError(`CAPTCHA not solved: ${(error as Error).message}`);
          }
          const navigation = page.waitForNavigation({ timeout: 30_000 });
          // The token goes where the widget would put it; the challenge's form is then sent.
          await page.$eval(
            `textarea[name="${challenge.field}"]`,
            // Typed by shape: the main process is compiled without the DOM library (a package's
            // types may bring it in, so `unknown` suits both).
            (element: unknown, token: string) => {
              const box = element as { value: string; closest(selector: string): { submit(): void } | null };
              box.value = token;
              box.closest('form')?.submit();
            },
            solved.token,
          );
          const after = await navigation;
          html = await page.content();
          status = after?.status() ?? status;
          const again = detectChallenge(html, status);
          await options.onCaptcha(again.type === 'content' ? 'solved' : 'failed', challenge.kind);
          if (again.type !== 'content') await options.captcha.report(solved.id, false).catch(() => undefined);
        }
        const proxyId = proxyIdOf(ctx);
        if (proxyId) options.pool.succeeded(proxyId, performance.now() - (started.get(request.id ?? request.url) ?? performance.now()));

        if (request.label === 'SEARCH') {
          const results = parseResultsPage(html, page.url(), options.selectors);
          if (results.total !== null && request.userData.first) options.onProgress({ total: Math.min(limit, results.total) });
          options.onProgress({ pages: 1 });
          const room = Math.max(0, limit - details);
          const links = results.links.slice(0, room);
          details += links.length;
          await crawler.addRequests(links.map((url) => ({ url, label: 'DETAIL', uniqueKey: url })));
          if (results.next && details < limit) await crawler.addRequests([{ url: results.next, label: 'SEARCH', uniqueKey: results.next }]);
          return;
        }
        options.pages?.save(request.url, html);
        const parse = parseDetailPage(html, page.url(), options.selectors);
        if (parse.missingRequired.length > 0) {
          await options.onFailed(request.url, `required field${parse.missingRequired.length > 1 ? 's' : ''} missing: ${parse.missingRequired.join(', ')}${parse.unreadable.length ? ` (${parse.unreadable.join('; ')})` : ''} (check the selectors: phoenix-re selectors test)`);
          return;
        }
        try {
          await options.onListing({ url: request.url, parse, html });
        } catch (error) {
          // Nothing more can be stored: no other page would fare better, and no proxy is to blame.
          if (error instanceof DiskFullError) {
            fatal = error;
            await crawler.autoscaledPool?.abort();
          }
          throw error;
        }
      },
      errorHandler: async (ctx, error) => {
        if (fatal) return;
        const proxyId = proxyIdOf(ctx);
        if (proxyId) options.pool.failed(proxyId, error.message.split('\n')[0]!.slice(0, 200));
        // Another session (so another proxy) for the retry.
        if (ctx.session) proxyOfSession.delete(ctx.session.id);
        ctx.session?.retire();
        options.logger.debug({ url: ctx.request.url, err: error.message }, 'MLS page failed; retrying with another session');
      },
      failedRequestHandler: async ({ request }, error) => {
        if (fatal) return;
        await options.onFailed(request.url, `gave up after ${request.retryCount + 1} tries: ${error.message.split('\n')[0]}`);
      },
    },
    config,
  );

  const stop = () => void crawler.autoscaledPool?.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await crawler.run(options.zips.map((zip) => ({ url: searchUrl(options.baseUrl, zip), label: 'SEARCH', uniqueKey: `search:${zip}`, userData: { first: true } })));
  } catch (error) {
    // A crawl that fails while starting (its session pool unreadable, say) skips Crawlee's own
    // teardown, leaving the event manager's timers running: the CLI would never exit.
    await config.getEventManager().close().catch(() => undefined);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await requestQueue.drop().catch(() => undefined);
  }
  // Crawlee's statistics: retryHistogram[n] is how many requests needed n retries.
  const retries = crawler.stats.requestRetryHistogram.reduce((sum: number, count: number | undefined, n: number) => sum + (count ?? 0) * n, 0);
  return { fatal, stats: { requestsFinished: crawler.stats.state.requestsFinished, requestsFailed: crawler.stats.state.requestsFailed, retries } };
}

/** The browser to drive: the setting, else Playwright's own Chromium if installed, else a system one. */
export function resolveBrowser(setting: string | undefined): string {
  if (setting) {
    if (!fs.existsSync(setting)) throw new Error(`BROWSER_EXECUTABLE_PATH points to ${setting}, which does not exist.`);
    return setting;
  }
  const candidates = [safe(() => chromium.executablePath()), '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  const found = candidates.find((c): c is string => Boolean(c) && fs.existsSync(c!));
  if (!found) throw new Error('No Chromium or Chrome found for the MLS collector: install one (e.g. apt-get install chromium) or set BROWSER_EXECUTABLE_PATH.');
  return found;
}

function safe(fn: () => string): string | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export function crawleeStorageDir(dataDir: string): string {
  return path.join(dataDir, 'crawlee');
}
