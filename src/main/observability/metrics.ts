import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { QUEUE_STATUSES, type QueueCounts } from '../../shared/schemas/queue.js';

/**
 * The console's Prometheus metrics, named as the seed names them, on a registry of their own
 * (so tests can build several cores in one process). Gauges that mirror the database are set by
 * `refresh()` just before each scrape.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'phoenix_re_' });
  // prom-client names these gauges `_total`, which Prometheus' lint rejects; their `_handles`,
  // `_requests` and `_resources` twins without the suffix stay.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(`phoenix_re_${name}`);
  }

  const metrics = {
    registry,
    apiRequests: new Counter({
      name: 'phoenix_re_api_requests_total',
      help: 'Upstream API requests by source and HTTP status (or error kind).',
      labelNames: ['source', 'status'] as const,
      registers: [registry],
    }),
    apiRequestDuration: new Histogram({
      name: 'phoenix_re_api_request_duration_seconds',
      help: 'Duration of upstream API requests.',
      labelNames: ['source'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    apiSuccessRate: new Gauge({
      name: 'phoenix_re_api_success_rate',
      help: 'Share of successful upstream requests of the current run, by source (0..1).',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    rateLimitWait: new Counter({
      name: 'phoenix_re_rate_limit_wait_seconds_total',
      help: 'Time requests spent waiting on the rate limiter, by source.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    propertiesCollected: new Counter({
      name: 'phoenix_re_properties_collected_total',
      help: 'Raw properties stored by collectors, by source and outcome (inserted, updated, unchanged, failed).',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    queueSize: new Gauge({
      name: 'phoenix_re_processing_queue_size',
      help: 'Processing queue items by status.',
      labelNames: ['status'] as const,
      registers: [registry],
    }),
    llmRequests: new Counter({
      name: 'phoenix_re_llm_requests_total',
      help: 'LLM calls by model and outcome.',
      labelNames: ['model', 'outcome'] as const,
      registers: [registry],
    }),
    llmTokensUsed: new Gauge({
      name: 'phoenix_re_llm_tokens_used',
      help: 'LLM tokens used today (America/Phoenix), all models.',
      registers: [registry],
    }),
    dailyCost: new Gauge({
      name: 'phoenix_re_daily_cost',
      help: 'LLM spend today in US dollars (America/Phoenix).',
      registers: [registry],
    }),
    dailyBudget: new Gauge({
      name: 'phoenix_re_daily_budget',
      help: 'Daily LLM budget in US dollars.',
      registers: [registry],
    }),
    qualityScores: new Histogram({
      name: 'phoenix_re_quality_scores',
      help: 'Quality scores of processed properties.',
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers: [registry],
    }),
    mongodbConnections: new Gauge({
      name: 'phoenix_re_mongodb_connections',
      help: 'Open connections in the MongoDB driver pool.',
      registers: [registry],
    }),
    errorRate: new Gauge({
      name: 'phoenix_re_error_rate',
      help: 'Share of failed operations today by component (api: upstream requests; processing: queue items).',
      labelNames: ['component'] as const,
      registers: [registry],
    }),
    captchaSolves: new Counter({
      name: 'phoenix_re_captcha_solves_total',
      help: 'CAPTCHAs met by the MLS collector, by kind and outcome (solved, unsolvable, failed).',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    proxyHealth: new Gauge({
      name: 'phoenix_re_proxy_health',
      help: 'Each proxy: 1 in use, 0 benched after repeated failures.',
      labelNames: ['proxy'] as const,
      registers: [registry],
    }),
    dailyItems: new Gauge({
      name: 'phoenix_re_daily_items',
      help: 'Items today (America/Phoenix) by source and outcome (collected, processed, failed), every process sharing the database, from the daily rollups.',
      labelNames: ['source', 'outcome'] as const,
      registers: [registry],
    }),
    dailyApiRequests: new Gauge({
      name: 'phoenix_re_daily_api_requests',
      help: 'Upstream API requests today (America/Phoenix) by source, every process sharing the database, from the daily rollups.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    dailyApiSuccessRate: new Gauge({
      name: 'phoenix_re_daily_api_success_rate',
      help: 'Share of successful upstream API requests today (America/Phoenix) by source (0..1), every process sharing the database; absent for a source with no request today.',
      labelNames: ['source'] as const,
      registers: [registry],
    }),
    proxiesByState: new Gauge({
      name: 'phoenix_re_proxies',
      help: 'Proxies after the latest MLS run, by state (healthy: in use; benched: resting after repeated failures), from the database.',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    setQueue(counts: QueueCounts) {
      for (const status of QUEUE_STATUSES) metrics.queueSize.set({ status }, counts[status]);
    },
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
