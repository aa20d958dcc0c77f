import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards, dashboardJson } from '../../deploy/grafana/dashboards.js';
import { startHttpShell, type HttpShell } from '../../src/main/http/server.js';
import { openTestCore, type TestCore } from '../support/core.js';
import { exportedMetrics, queryProblems } from '../support/promql.js';
import { promtoolCheck, promtoolRequired } from '../support/promtool.js';

const DIR = path.resolve('deploy/grafana');
const built = buildDashboards();

/** Every Prometheus query of a dashboard, with the panel it belongs to. */
function queriesOf(dashboard: unknown): { panel: string; expr: string }[] {
  const panels = (dashboard as { panels: { title: string; targets?: { expr?: string }[] }[] }).panels;
  return panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr ?? '' })));
}

let t: TestCore;
let shell: HttpShell;
/** Metric names of a live /metrics, each with its label names. */
let exported = new Map<string, Set<string>>();

beforeAll(async () => {
  t = await openTestCore();
  shell = await startHttpShell({ core: t.core, port: 0 });
  const text = await (await fetch(`http://127.0.0.1:${shell.port}/metrics`, { headers: { authorization: `Bearer ${shell.token}` } })).text();
  exported = exportedMetrics(text, t.core.metrics.registry);
});
afterAll(async () => {
  await shell.close();
  await t.close();
});

const problems = (expr: string) => queryProblems(expr, exported);

describe('Grafana dashboards (deploy/grafana)', () => {
  it('are the three of the seed, each query named and tied to the dashboard datasource', () => {
    expect(built.map((d) => d.dashboard.title)).toEqual(['Phoenix RE · Collection', 'Phoenix RE · Processing', 'Phoenix RE · System']);
    for (const { dashboard } of built) {
      const queries = queriesOf(dashboard);
      expect(queries.length).toBeGreaterThanOrEqual(10);
      const panels = (dashboard as unknown as { panels: { type: string; title: string; datasource?: { uid: string } }[] }).panels.filter((p) => p.type !== 'row');
      for (const p of panels) expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  it('are committed as `npm run deploy:grafana` writes them', () => {
    for (const { file, dashboard } of built) {
      expect(fs.readFileSync(path.join(DIR, 'dashboards', file), 'utf8'), `${file}: run npm run deploy:grafana`).toBe(dashboardJson(dashboard));
    }
  });

  it('query only metrics and labels a live /metrics exports', () => {
    expect(exported.get('phoenix_re_daily_cost')).toBeDefined();
    // The check itself catches a wrong name and a wrong label.
    expect(problems('sum(rate(phoenix_re_api_request_total[5m]))')).toEqual(['phoenix_re_api_request_total is not exported']);
    expect(problems('phoenix_re_processing_queue_size{state="pending"}')).toEqual(['phoenix_re_processing_queue_size has no label state']);
    const wrong = built.flatMap(({ dashboard }) => queriesOf(dashboard).flatMap((q) => problems(q.expr).map((p) => `${dashboard.title} / ${q.panel}: ${p}`)));
    expect(wrong).toEqual([]);
  });

  it.skipIf(!promtoolRequired && promtoolCheck('') === null)('hold queries promtool parses', () => {
    const exprs = built.flatMap(({ dashboard }) => queriesOf(dashboard).map((q) => q.expr.replace(/\$__rate_interval/g, '5m')));
    const rules = { groups: [{ name: 'dashboards', rules: exprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-grafana-'));
    try {
      fs.writeFileSync(path.join(dir, 'rules.yml'), dump(rules));
      const res = spawnSync('promtool', ['check', 'rules', path.join(dir, 'rules.yml')], { encoding: 'utf8' });
      expect(`${res.stdout}${res.stderr}`).toContain(`SUCCESS: ${exprs.length} rules found`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('share their metrics with the alert rules, which also query only exported metrics', () => {
    const rules = load(fs.readFileSync(path.resolve('deploy/prometheus/phoenix-re.rules.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const wrong = rules.groups.flatMap((g) => g.rules.flatMap((r) => problems(r.expr).map((p) => `${r.alert}: ${p}`)));
    expect(wrong).toEqual([]);
  });

  it('come with provisioning for the dashboards folder and the Prometheus datasource', () => {
    const dashboards = load(fs.readFileSync(path.join(DIR, 'provisioning/dashboards/phoenix-re.yml'), 'utf8')) as { apiVersion: number; providers: { type: string; options: { path: string } }[] };
    expect(dashboards).toMatchObject({ apiVersion: 1, providers: [{ type: 'file', options: { path: expect.any(String) } }] });
    const sources = load(fs.readFileSync(path.join(DIR, 'provisioning/datasources/phoenix-re-prometheus.yml'), 'utf8')) as { datasources: { type: string; url: string }[] };
    expect(sources.datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: 'http://127.0.0.1:9090' })]);
  });
});
