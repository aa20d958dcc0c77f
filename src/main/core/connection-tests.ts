import type { Db } from 'mongodb';
import { maskUri, type Settings } from '../../shared/settings.js';
import { MaricopaClient } from '../collectors/maricopa/client.js';
import { OpenAiProvider } from '../processing/enrich/openai-provider.js';
import { RULES_MODEL } from '../processing/enrich/rules-provider.js';
import { createProvider } from '../processing/provider-factory.js';
import { TwoCaptchaClient } from '../collectors/phoenix-mls/twocaptcha.js';
import { fetchWebshareProxies } from '../collectors/phoenix-mls/webshare.js';
import { SecretScrubber } from '../observability/secret-scrubber.js';
import { secretValues } from './secret-values.js';

export type ConnectionTarget = 'mongodb' | 'maricopa' | 'llm' | 'webshare' | 'twocaptcha';

/**
 * "Test connection" on the Settings page: one real request with the settings in force, its
 * answer in a sentence, never a secret. Failures are answers too (`ok: false`), not errors.
 */
export async function testConnection(target: ConnectionTarget, deps: { db: Db; uri: string; settings: Settings }): Promise<{ target: ConnectionTarget; ok: boolean; detail: string; ms: number }> {
  const started = performance.now();
  // An upstream message may quote a key back (partly masked or not, in any spelling: URL-encoded,
  // lower-cased, HTML-escaped, base64): never pass one on. The settings tested may not be saved
  // yet, so the core's scrubber may not know them: one of their own.
  const scrubber = new SecretScrubber(secretValues(deps.settings));
  const scrub = (text: string) => scrubber.scrub(text);
  const done = (ok: boolean, detail: string) => ({ target, ok, detail: scrub(detail), ms: Math.round(performance.now() - started) });
  try {
    switch (target) {
      case 'mongodb': {
        await deps.db.command({ ping: 1 });
        return done(true, `answered at ${maskUri(deps.uri)}`);
      }
      case 'maricopa': {
        const s = deps.settings;
        if (!s.maricopaApiToken) return done(false, 'MARICOPA_API_TOKEN is not set');
        const client = new MaricopaClient({
          baseUrl: s.maricopaApiBaseUrl,
          token: s.maricopaApiToken,
          rateLimit: { max: 1, windowMs: 1000 },
          timeoutMs: Math.min(s.maricopaTimeoutMs, 15_000),
          maxAttempts: 1,
        });
        try {
          const { hits } = await client.searchProperties(s.targetZipCodes[0] ?? '85031', 1);
          return done(true, `search answered with ${hits.length} parcels at ${s.maricopaApiBaseUrl}`);
        } finally {
          await client.stop();
        }
      }
      case 'llm': {
        const provider = createProvider(deps.settings);
        if (!(provider instanceof OpenAiProvider)) return done(true, `no OPENAI_API_KEY: the rules provider (${RULES_MODEL}) writes descriptions, no network`);
        const { ok, detail } = await provider.probe();
        return done(ok, `${deps.settings.openaiBaseUrl}: ${detail}`);
      }
      case 'webshare': {
        const s = deps.settings;
        const proxies = await fetchWebshareProxies({ baseUrl: s.webshareApiBaseUrl, token: s.webshareApiToken, mode: s.webshareMode });
        return done(proxies.length > 0, `${proxies.length} valid proxies listed (${s.webshareMode} mode)`);
      }
      case 'twocaptcha': {
        const s = deps.settings;
        if (!s.twocaptchaApiKey) return done(false, 'TWOCAPTCHA_API_KEY is not set');
        const balance = await new TwoCaptchaClient({ baseUrl: s.twocaptchaBaseUrl, apiKey: s.twocaptchaApiKey, pollMs: s.twocaptchaPollMs }).balance();
        return done(balance >= s.captchaPriceUsd, `balance $${balance.toFixed(2)}`);
      }
    }
  } catch (error) {
    return done(false, (error as Error).message);
  }
}
