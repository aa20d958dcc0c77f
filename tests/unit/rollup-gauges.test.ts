import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/main/observability/metrics.js';
import { setDailyGauges, setProxyGauges } from '../../src/main/observability/rollup-gauges.js';
import type { DailyStats } from '../../src/shared/schemas/stats.js';

function row(source: string, counters: Partial<DailyStats>): DailyStats {
  const zero = { collected: 0, processed: 0, failed: 0, tokens: 0, cost_usd: 0, quality_sum: 0, quality_count: 0, api_requests: 0, api_errors: 0, captcha_usd: 0 };
  return { _id: `2026-11-29|${source}`, day: '2026-11-29', source, ...zero, ...counters };
}

describe('gauges from the daily rollups', () => {
  it('sets items by outcome, requests and success rate by source; no rate without requests', async () => {
    const metrics = createMetrics();
    setDailyGauges(metrics, [row('maricopa_api', { collected: 40, processed: 30, failed: 2, api_requests: 50, api_errors: 8 }), row('phoenix_mls', { collected: 5 })]);
    const text = await metrics.registry.metrics();
    expect(text).toContain('phoenix_re_daily_items{source="maricopa_api",outcome="failed"} 2');
    expect(text).toContain('phoenix_re_daily_items{source="phoenix_mls",outcome="collected"} 5');
    expect(text).toContain('phoenix_re_daily_api_requests{source="maricopa_api"} 50');
    expect(text).toContain('phoenix_re_daily_api_success_rate{source="maricopa_api"} 0.84');
    expect(text).not.toContain('phoenix_re_daily_api_success_rate{source="phoenix_mls"}');
  });

  it("forgets yesterday's sources at a new day", async () => {
    const metrics = createMetrics();
    setDailyGauges(metrics, [row('maricopa_api', { api_requests: 10, failed: 1 })]);
    setDailyGauges(metrics, []);
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('phoenix_re_daily_items{');
    expect(text).not.toContain('phoenix_re_daily_api_success_rate{');
  });

  it('counts proxies by state', async () => {
    const metrics = createMetrics();
    setProxyGauges(metrics, { healthy: 0, benched: 3 });
    const text = await metrics.registry.metrics();
    expect(text).toContain('phoenix_re_proxies{state="healthy"} 0');
    expect(text).toContain('phoenix_re_proxies{state="benched"} 3');
  });
});
