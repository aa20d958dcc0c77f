import { phoenixDay } from '../../../shared/phoenix-time.js';
import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import type { MaricopaSyncDeps, SyncOptions } from '../maricopa/sync.js';
import { crawleeStorageDir, crawlMls, resolveBrowser } from './crawler.js';
import { listingData, type DetailParse } from './parse-pages.js';
import { PageStore } from './page-store.js';
import { ProxyPool } from './proxy-pool.js';
import { loadSelectors } from './selectors.js';
import { TwoCaptchaClient } from './twocaptcha.js';
import { setAsideInvalidSessionState } from './session-state.js';
import { fetchWebshareProxies } from './webshare.js';
import { MissingKeyError, assertKeysSet } from '../required-keys.js';
import { storeRecord } from '../store-record.js';

export interface MlsSyncParams {
  zips: string[];
  limit?: number | undefined;
}

/** `learnSecret`: the proxies' passwords go to the process's scrubber before any request can echo them. */
export type MlsSyncDeps = MaricopaSyncDeps & { dataDir: string; learnSecret: (value: string) => void };

const SOURCE = 'phoenix_mls';

/** A parsed detail page as the raw record we store: the page's fields, its URL and its HTML. */
export function listingRecord(url: string, parse: DetailParse, html: string): RawPropertyInput {
  const data = listingData(parse);
  return {
    source: SOURCE,
    source_id: String(data.mls_number),
    data: { ...data, url },
    original: { url, html },
  };
}

/**
 * The afternoon sync: active listings of the ZIP codes from Phoenix MLS Search, through WebShare
 * proxies and a real browser, into `raw_properties` (changes detected by content hash), new or
 * changed ones queued; one run record with its counters, progress and errors. A page missing a
 * required field is recorded as failed with the reason and the run goes on; a CAPTCHA problem
 * no retry can fix (zero balance, a refused key) stops it with the reason.
 */
export async function runMlsSync(deps: MlsSyncDeps, params: MlsSyncParams, options: SyncOptions): Promise<Run> {
  const { settings } = deps;
  const recorder = await RunRecorder.start(deps.repos.runs, deps.events, {
    kind: 'sync',
    source: SOURCE,
    trigger: options.trigger,
    params: { zips: params.zips, limit: params.limit ?? null },
  });
  options.onStart?.(recorder.run);
  try {
    assertKeysSet(settings, SOURCE);
    const selectors = loadSelectors(settings.mlsSelectors ?? {});
    const browser = resolveBrowser(settings.browserExecutablePath);
    const proxies = await fetchWebshareProxies({ baseUrl: settings.webshareApiBaseUrl, token: settings.webshareApiToken, mode: settings.webshareMode, ...(options.signal && { signal: options.signal }) });
    for (const proxy of proxies) deps.learnSecret(decodeURIComponent(new URL(proxy.url).password));
    if (proxies.length === 0) throw new Error('WebShare lists no valid proxies: the MLS site blocks direct requests.');
    const pool = new ProxyPool(proxies, {
      maxFailures: settings.proxyMaxFailures,
      cooldownMs: settings.proxyCooldownMs,
      onChange: (h) => deps.metrics.proxyHealth.set({ proxy: h.label }, h.benchedUntil ? 0 : 1),
    });
    for (const p of pool.report()) deps.metrics.proxyHealth.set({ proxy: p.label }, 1);
    const captcha = new TwoCaptchaClient({ baseUrl: settings.twocaptchaBaseUrl, apiKey: settings.twocaptchaApiKey, pollMs: settings.twocaptchaPollMs });

    const sessionWarning = setAsideInvalidSessionState(crawleeStorageDir(deps.dataDir), deps.clock());
    if (sessionWarning) {
      deps.logger.warn(sessionWarning);
      await recorder.error(sessionWarning);
    }
    const { fatal, stats } = await crawlMls({
      baseUrl: settings.phoenixMlsBaseUrl,
      zips: params.zips,
      limit: params.limit,
      selectors,
      pool,
      captcha,
      logger: deps.logger,
      storageDir: crawleeStorageDir(deps.dataDir),
      pages: PageStore.inDataDir(deps.dataDir),
      browserExecutablePath: browser,
      maxConcurrency: settings.mlsMaxConcurrency,
      maxRequestsPerMinute: settings.mlsRateLimitPerMinute,
      ...(options.signal && { signal: options.signal }),
      onProgress: ({ total, pages }) => {
        if (total !== undefined) void recorder.count({}, total);
        if (pages) void recorder.count({ pages });
      },
      onListing: async ({ url, parse, html }) => {
        const { result, enqueued } = await storeRecord(deps.repos, listingRecord(url, parse, html));
        if (enqueued) await recorder.count({ enqueued: 1 });
        deps.metrics.propertiesCollected.inc({ source: SOURCE, outcome: result.outcome });
        await recorder.count({ fetched: 1, [result.outcome]: 1 });
      },
      onFailed: async (url, reason) => {
        deps.metrics.propertiesCollected.inc({ source: SOURCE, outcome: 'failed' });
        await recorder.error(`${url}: ${reason}`);
        await recorder.count({ failed: 1 });
      },
      onCaptcha: async (outcome, kind) => {
        deps.metrics.captchaSolves.inc({ kind, outcome });
        await recorder.count({ [`captcha_${outcome}`]: 1 });
        if (outcome === 'solved') await deps.repos.dailyStats.increment(phoenixDay(deps.clock()), SOURCE, { captcha_usd: settings.captchaPriceUsd });
      },
    });
    await recorder.count({ page_loads: stats.requestsFinished + stats.requestsFailed, retries: stats.retries });
    await deps.repos.proxyHealth.save(pool.report());
    for (const h of pool.report()) if (h.failures > 0) deps.logger.info({ proxy: h.label, failures: h.failures, lastError: h.lastError }, 'proxy failures this run');
    const c = recorder.snapshot();
    const stored = (c.inserted ?? 0) + (c.updated ?? 0) + (c.unchanged ?? 0);
    if (fatal) return recorder.failWith(fatal, deps.logger, 'MLS sync stopped');
    if (options.signal?.aborted) return (await recorder.finish('cancelled', `Cancelled after ${stored} listings`))!;
    const message = `${stored} listings stored (${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged), ${c.failed ?? 0} failed, ${c.captcha_solved ?? 0} CAPTCHAs solved`;
    return (await recorder.finish((c.failed ?? 0) > 0 && stored === 0 ? 'failed' : 'succeeded', message))!;
  } catch (error) {
    if (error instanceof MissingKeyError) {
      deps.logger.error({ runId: recorder.id }, error.message);
      return (await recorder.finish('failed', error.message, error.keys))!;
    }
    return recorder.failWith(error, deps.logger, 'MLS sync failed', options.signal?.aborted ? 'cancelled' : 'failed');
  }
}
