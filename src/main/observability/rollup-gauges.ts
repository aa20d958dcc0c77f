import type { DailyStats } from '../../shared/schemas/stats.js';
import type { Metrics } from './metrics.js';

/**
 * Set the gauges read from today's daily rollups (one row per source): items by outcome,
 * upstream requests and their success rate. The rollups are written by every process sharing the
 * database (CLI syncs, workers, the app), so these gauges, unlike the in-process counters, count
 * the work of all of them. A source with no request today has no success rate (not 0 and not 1).
 */
export function setDailyGauges(metrics: Metrics, today: DailyStats[]): void {
  metrics.dailyItems.reset();
  metrics.dailyApiRequests.reset();
  metrics.dailyApiSuccessRate.reset();
  for (const row of today) {
    for (const outcome of ['collected', 'processed', 'failed'] as const) metrics.dailyItems.set({ source: row.source, outcome }, row[outcome]);
    if (row.api_requests > 0) {
      metrics.dailyApiRequests.set({ source: row.source }, row.api_requests);
      metrics.dailyApiSuccessRate.set({ source: row.source }, (row.api_requests - row.api_errors) / row.api_requests);
    }
  }
}

/** Set `phoenix_re_proxies{state}` from the proxies' stored health (healthy: not benched now). */
export function setProxyGauges(metrics: Metrics, summary: { healthy: number; benched: number }): void {
  metrics.proxiesByState.set({ state: 'healthy' }, summary.healthy);
  metrics.proxiesByState.set({ state: 'benched' }, summary.benched);
}
