import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { DashboardBuilder, DatasourceVariableBuilder, RowBuilder, ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import { ReduceDataOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/**
 * The seed's three Grafana dashboards as code (grafana-foundation-sdk), over the Prometheus that
 * scrapes `phoenix-re serve` (deploy/prometheus): Collection (API success rate, proxy health,
 * daily volumes), Processing (queue depth, LLM cost, quality) and System (error rate, database
 * connections, cost). `npm run deploy:grafana` writes them to deploy/grafana/dashboards/; every
 * query names only metrics of src/main/observability/metrics.ts (a test checks it against a live
 * /metrics). Every panel's title says what it shows and over which time.
 */

/** The Prometheus a dashboard reads: picked in the dashboard, default the provisioned one. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const WIDTH = 24;

interface Query {
  expr: string;
  legend?: string;
}

function queries(list: Query[]): DataqueryBuilder[] {
  return list.map((q, i) =>
    new DataqueryBuilder()
      .datasource(DATASOURCE)
      .refId(String.fromCharCode(65 + i))
      .expr(q.expr)
      .legendFormat(q.legend ?? '__auto'),
  );
}

/** Grafana's first threshold step has no lower bound: `null` in its JSON. */
const BASE = null as unknown as number;

/** Red below `redBelow` or from `redAbove` on, green otherwise. */
function thresholds(limit: { redBelow?: number; redAbove?: number }): ThresholdsConfigBuilder {
  const steps =
    limit.redBelow !== undefined
      ? [{ value: BASE, color: 'red' }, { value: limit.redBelow, color: 'green' }]
      : limit.redAbove !== undefined
        ? [{ value: BASE, color: 'green' }, { value: limit.redAbove, color: 'red' }]
        : [{ value: BASE, color: 'green' }];
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps);
}

/** Panels placed left to right, `width` columns each, wrapping at 24. */
class Layout {
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  private id = 0;

  constructor(private readonly builder: DashboardBuilder) {}

  row(title: string): this {
    if (this.x > 0) this.newLine();
    this.builder.withRow(new RowBuilder(title).id(++this.id).gridPos({ x: 0, y: this.y, w: WIDTH, h: 1 }));
    this.y += 1;
    return this;
  }

  stat(title: string, description: string, list: Query[], options: { unit: string; width?: number; redBelow?: number; redAbove?: number; decimals?: number }): this {
    const panel = new StatBuilder()
      .id(++this.id)
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .unit(options.unit)
      .thresholds(thresholds(options))
      .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']))
      .gridPos(this.place(options.width ?? 6, 5));
    if (options.decimals !== undefined) panel.decimals(options.decimals);
    for (const q of queries(list)) panel.withTarget(q);
    this.builder.withPanel(panel);
    return this;
  }

  series(title: string, description: string, list: Query[], options: { unit: string; width?: number; min?: number; max?: number }): this {
    const panel = new TimeseriesBuilder()
      .id(++this.id)
      .title(title)
      .description(description)
      .datasource(DATASOURCE)
      .unit(options.unit)
      .gridPos(this.place(options.width ?? 12, 8));
    if (options.min !== undefined) panel.min(options.min);
    if (options.max !== undefined) panel.max(options.max);
    for (const q of queries(list)) panel.withTarget(q);
    this.builder.withPanel(panel);
    return this;
  }

  private place(w: number, h: number) {
    if (this.x + w > WIDTH) this.newLine();
    const pos = { x: this.x, y: this.y, w, h };
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return pos;
  }

  private newLine() {
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

function dashboard(uid: string, title: string, description: string): { builder: DashboardBuilder; layout: Layout } {
  const builder = new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['phoenix-re'])
    .editable()
    .refresh('1m')
    .time({ from: 'now-7d', to: 'now' })
    .timezone('America/Phoenix')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'));
  return { builder, layout: new Layout(builder) };
}

function collection(): Dashboard {
  const { builder, layout } = dashboard('phoenix-re-collection', 'Phoenix RE · Collection', 'Upstream APIs, proxies and what was collected.');
  layout
    .row('API success rate')
    .stat('Assessor success today', "Share of today's Maricopa assessor requests that succeeded, every process (the seed's floor: 84%).", [{ expr: 'phoenix_re_daily_api_success_rate{source="maricopa_api"}' }], { unit: 'percentunit', redBelow: 0.84, decimals: 1 })
    .stat('MLS success today', "Share of today's Phoenix MLS requests that succeeded, every process.", [{ expr: 'phoenix_re_daily_api_success_rate{source="phoenix_mls"}' }], { unit: 'percentunit', redBelow: 0.84, decimals: 1 })
    .stat('Requests today', 'Upstream requests today (America/Phoenix), by source.', [{ expr: 'phoenix_re_daily_api_requests', legend: '{{source}}' }], { unit: 'short', width: 12 })
    .series('Success rate today, by source', "Share of each day's requests that succeeded so far (resets at midnight America/Phoenix).", [{ expr: 'phoenix_re_daily_api_success_rate', legend: '{{source}}' }], { unit: 'percentunit', min: 0, max: 1 })
    .series('Requests a minute, by status', 'Upstream requests this process made, by source and HTTP status (or error kind).', [{ expr: 'sum by (source, status) (rate(phoenix_re_api_requests_total[$__rate_interval])) * 60', legend: '{{source}} {{status}}' }], { unit: 'reqpm' })
    .series('Request duration, 95th percentile', 'How long upstream requests took, by source.', [{ expr: 'histogram_quantile(0.95, sum by (le, source) (rate(phoenix_re_api_request_duration_seconds_bucket[$__rate_interval])))', legend: '{{source}}' }], { unit: 's' })
    .series('Rate limiter wait', 'Seconds a second requests spent waiting on the rate limiter, by source.', [{ expr: 'sum by (source) (rate(phoenix_re_rate_limit_wait_seconds_total[$__rate_interval]))', legend: '{{source}}' }], { unit: 's' })
    .row('Proxy health')
    .stat('Healthy proxies', 'Proxies in use after the latest MLS run (from the database).', [{ expr: 'phoenix_re_proxies{state="healthy"}' }], { unit: 'short', redBelow: 1 })
    .stat('Benched proxies', 'Proxies resting after repeated failures (PROXY_MAX_FAILURES), until PROXY_COOLDOWN_MS passes.', [{ expr: 'phoenix_re_proxies{state="benched"}' }], { unit: 'short', redAbove: 1 })
    .series('Proxies during MLS runs', 'Each proxy while this process runs an MLS sync: 1 in use, 0 benched.', [{ expr: 'phoenix_re_proxy_health', legend: '{{proxy}}' }], { unit: 'short', min: 0, max: 1 })
    .series('CAPTCHAs an hour, by outcome', 'CAPTCHAs the MLS collector met, by kind and outcome (solved, unsolvable, failed).', [{ expr: 'sum by (kind, outcome) (increase(phoenix_re_captcha_solves_total[1h]))', legend: '{{kind}} {{outcome}}' }], { unit: 'short' })
    .row('Daily volumes')
    .stat('Collected today', 'Raw properties inserted or changed today (America/Phoenix), every process.', [{ expr: 'sum(phoenix_re_daily_items{outcome="collected"})' }], { unit: 'short' })
    .series('Collected today, by source', 'Running count of the day, every process (resets at midnight America/Phoenix).', [{ expr: 'phoenix_re_daily_items{outcome="collected"}', legend: '{{source}}' }], { unit: 'short', width: 18 })
    .series('Stored an hour, by outcome', 'Raw properties this process stored, by source and outcome (inserted, updated, unchanged, failed).', [{ expr: 'sum by (source, outcome) (increase(phoenix_re_properties_collected_total[1h]))', legend: '{{source}} {{outcome}}' }], { unit: 'short', width: 24 });
  return builder.build();
}

function processing(): Dashboard {
  const { builder, layout } = dashboard('phoenix-re-processing', 'Phoenix RE · Processing', 'The queue, LLM spend against the daily budget, and quality.');
  layout
    .row('Queue depth')
    .stat('Pending', 'Items waiting to be processed.', [{ expr: 'phoenix_re_processing_queue_size{status="pending"}' }], { unit: 'short' })
    .stat('Failed', 'Items that failed after QUEUE_MAX_ATTEMPTS attempts.', [{ expr: 'phoenix_re_processing_queue_size{status="failed"}' }], { unit: 'short', redAbove: 1 })
    .stat('In review', 'Items scored below QUALITY_REVIEW_THRESHOLD, waiting for the analyst.', [{ expr: 'phoenix_re_processing_queue_size{status="review"}' }], { unit: 'short', width: 12 })
    .series('Queue by status', 'Processing queue items by status (from the database).', [{ expr: 'phoenix_re_processing_queue_size', legend: '{{status}}' }], { unit: 'short', width: 24 })
    .row('LLM cost')
    .stat('Spend today / budget', "Today's LLM spend as a share of LLM_DAILY_BUDGET_USD (alerts at 80% and 100%).", [{ expr: 'phoenix_re_daily_cost / phoenix_re_daily_budget' }], { unit: 'percentunit', redAbove: 0.8, decimals: 0 })
    .stat('Tokens today', 'LLM tokens used today (America/Phoenix), all models.', [{ expr: 'phoenix_re_llm_tokens_used' }], { unit: 'short' })
    .series('Spend today and the budget', 'US dollars, America/Phoenix day (resets at midnight).', [{ expr: 'phoenix_re_daily_cost', legend: 'spend' }, { expr: 'phoenix_re_daily_budget', legend: 'budget' }], { unit: 'currencyUSD', min: 0 })
    .series('LLM calls a minute, by outcome', 'Calls this process made, by model and outcome.', [{ expr: 'sum by (model, outcome) (rate(phoenix_re_llm_requests_total[$__rate_interval])) * 60', legend: '{{model}} {{outcome}}' }], { unit: 'short', width: 24 })
    .row('Quality')
    .series('Quality score, median and 10th percentile', 'Of the items this process scored in the last hour (0..1).', [
      { expr: 'histogram_quantile(0.5, sum by (le) (rate(phoenix_re_quality_scores_bucket[1h])))', legend: 'median' },
      { expr: 'histogram_quantile(0.1, sum by (le) (rate(phoenix_re_quality_scores_bucket[1h])))', legend: '10th percentile' },
    ], { unit: 'percentunit', min: 0, max: 1 })
    .series('Processed and failed today', 'Items processed and failed today, every process (resets at midnight America/Phoenix).', [{ expr: 'phoenix_re_daily_items{outcome=~"processed|failed"}', legend: '{{source}} {{outcome}}' }], { unit: 'short' });
  return builder.build();
}

function system(): Dashboard {
  const { builder, layout } = dashboard('phoenix-re-system', 'Phoenix RE · System', 'Error rates, database connections, cost and the process.');
  layout
    .row('Error rate')
    .stat('Upstream errors today', "Share of today's upstream requests that failed, every source.", [{ expr: 'phoenix_re_error_rate{component="api"}' }], { unit: 'percentunit', redAbove: 0.16, decimals: 1 })
    .stat('Processing failures today', "Share of today's processed items that failed.", [{ expr: 'phoenix_re_error_rate{component="processing"}' }], { unit: 'percentunit', redAbove: 0.05, decimals: 1 })
    .series('Error rate today, by component', 'api: upstream requests; processing: queue items (resets at midnight America/Phoenix).', [{ expr: 'phoenix_re_error_rate', legend: '{{component}}' }], { unit: 'percentunit', min: 0 })
    .row('Connections')
    .series('MongoDB connections', "Open connections in this process's driver pool.", [{ expr: 'phoenix_re_mongodb_connections', legend: 'connections' }], { unit: 'short' })
    .series('Event loop lag, 99th percentile', "How late this process's event loop ran timers.", [{ expr: 'phoenix_re_nodejs_eventloop_lag_p99_seconds', legend: 'p99' }], { unit: 's' })
    .row('Cost')
    .stat('LLM spend today', 'US dollars, America/Phoenix day.', [{ expr: 'phoenix_re_daily_cost' }], { unit: 'currencyUSD', decimals: 2 })
    .stat('Daily budget', 'LLM_DAILY_BUDGET_USD.', [{ expr: 'phoenix_re_daily_budget' }], { unit: 'currencyUSD', decimals: 2 })
    .series('LLM spend today', 'Running spend of the day against the budget.', [{ expr: 'phoenix_re_daily_cost', legend: 'spend' }, { expr: 'phoenix_re_daily_budget', legend: 'budget' }], { unit: 'currencyUSD', min: 0 })
    .row('Process')
    .series('CPU', 'CPU seconds a second of the serve process.', [{ expr: 'rate(phoenix_re_process_cpu_seconds_total[$__rate_interval])', legend: 'cpu' }], { unit: 'percentunit' })
    .series('Memory', 'Resident memory and V8 heap of the serve process.', [
      { expr: 'phoenix_re_process_resident_memory_bytes', legend: 'resident' },
      { expr: 'phoenix_re_nodejs_heap_size_used_bytes', legend: 'heap used' },
    ], { unit: 'bytes' })
    .stat('Up for', 'Time since the serve process started.', [{ expr: 'time() - phoenix_re_process_start_time_seconds' }], { unit: 's', width: 24 });
  return builder.build();
}

/** Each dashboard with the file name it is written to in deploy/grafana/dashboards/. */
export function buildDashboards(): { file: string; dashboard: Dashboard }[] {
  return [
    { file: 'phoenix-re-collection.json', dashboard: collection() },
    { file: 'phoenix-re-processing.json', dashboard: processing() },
    { file: 'phoenix-re-system.json', dashboard: system() },
  ];
}

/** A dashboard as the JSON file Grafana's provisioning reads (two-space indented, newline at the end). */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
