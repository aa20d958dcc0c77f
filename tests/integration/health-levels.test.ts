import { afterEach, describe, expect, it } from 'vitest';
import { printHealth } from '../../src/main/cli/commands/health.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { TwoCaptchaSimulator } from '../support/twocaptcha-simulator.js';

let tc: TestCore | undefined;
afterEach(async () => {
  await tc?.close();
  tc = undefined;
});

function printed(report: Parameters<typeof printHealth>[0]) {
  const lines: string[] = [];
  const code = printHealth(report, false, { out: (s) => lines.push(s), err: (s) => lines.push(s) });
  return { code, text: lines.join('\n') };
}

describe('health levels: ok, warn, fail', () => {
  it('with no keys and the default schedules on, warns about the schedules that will fail and the CAPTCHA key', async () => {
    tc = await openTestCore();
    const report = await tc.core.health();
    expect(report.ok).toBe(true);
    expect(report.warnings).toBe(2);
    const keys = report.checks.find((c) => c.name === 'keys')!;
    expect(keys.level).toBe('warn');
    expect(keys.detail).toContain('schedule assessor-morning will fail (MARICOPA_API_TOKEN not set)');
    expect(keys.detail).toContain('schedule mls-afternoon will fail (WEBSHARE_API_TOKEN not set)');
    const captcha = report.checks.find((c) => c.name === 'captcha_balance')!;
    expect(captcha).toMatchObject({ level: 'warn', detail: 'TWOCAPTCHA_API_KEY not set: the MLS collector cannot solve CAPTCHAs' });
    expect(report.checks.find((c) => c.name === 'mongodb')?.level).toBe('ok');

    const cli = printed(report);
    expect(cli.code).toBe(0);
    expect(cli.text).toMatch(/^warn {2}keys {11}schedule assessor-morning will fail/m);
    expect(cli.text).toContain('No check failed; 2 warnings.');
  });

  it('a missing key whose schedule is off is only "not set", not a warning', async () => {
    tc = await openTestCore();
    await tc.core.scheduler.setEnabled('assessor-morning', false);
    const keys = (await tc.core.health()).checks.find((c) => c.name === 'keys')!;
    expect(keys.detail).not.toContain('assessor-morning');
    expect(keys.detail).toContain('MARICOPA_API_TOKEN not set');
    expect(keys.detail).toContain('schedule mls-afternoon will fail');
  });

  it('every key set: all ok, no warnings; a spent budget is a failure and exits 1', async () => {
    const captcha = await new TwoCaptchaSimulator().start();
    try {
      tc = await openTestCore({
        env: { MARICOPA_API_TOKEN: 't', WEBSHARE_API_TOKEN: 'w', TWOCAPTCHA_API_KEY: captcha.apiKey, TWOCAPTCHA_BASE_URL: captcha.baseUrl, LLM_DAILY_BUDGET_USD: '1' },
      });
      const report = await tc.core.health();
      expect(report.checks.filter((c) => c.level !== 'ok')).toEqual([]);
      expect(report).toMatchObject({ ok: true, warnings: 0 });
      expect(printed(report)).toEqual({ code: 0, text: expect.stringContaining('All checks passed.') });

      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Phoenix' }).format(new Date());
      await tc.tdb.db.collection('llm_usage').insertOne({ at: new Date(), day: day, model: 'gpt-4o-mini', prompt_tokens: 1000, cached_tokens: 0, completion_tokens: 200, reasoning_tokens: 0, cost_usd: 2, raw_id: null, source: 'maricopa_api', purpose: 'enrich' });
      const spent = await tc.core.health();
      expect(spent.checks.find((c) => c.name === 'llm_budget')).toMatchObject({ ok: false, level: 'fail' });
      const cli = printed(spent);
      expect(cli.code).toBe(1);
      expect(cli.text).toMatch(/^FAIL {2}llm_budget/m);
      expect(cli.text).toContain('Some checks failed.');
    } finally {
      await captcha.stop();
    }
  });
});
