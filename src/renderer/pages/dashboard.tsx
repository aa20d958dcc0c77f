import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DailyPoint } from '../../shared/contract.js';
import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { SOURCES } from '../../shared/schemas/common.js';
import { budgetAxis } from '../ui/budget-axis.js';
import { TodayMatches } from './today-matches.js';
import { useContractQuery } from '../api/use-bridge.js';
import { QueryState, int, money, when } from '../ui/state.js';
import { SampleOffer } from '../ui/sample-data.js';
import { SOURCE_LABELS } from '../../shared/source-labels.js';

const SOURCE_COLORS: Record<string, string> = { maricopa_api: '#2f6fde', phoenix_mls: '#d9822b', armls_export: '#3f9b5b', county_layer: '#7b52ab' };

/** Per day: collected by source, cost, quality (weighted by items processed), upstream success. */
function byDay(points: DailyPoint[]) {
  const days = new Map<string, { day: string; cost: number; qualitySum: number; qualityN: number; requests: number; errors: number } & Record<string, number | string>>();
  for (const p of points) {
    const d = days.get(p.day) ?? { day: p.day, cost: 0, qualitySum: 0, qualityN: 0, requests: 0, errors: 0 };
    d[p.source] = ((d[p.source] as number | undefined) ?? 0) + p.collected;
    d.cost += p.cost_usd;
    if (p.quality_mean !== null && p.processed > 0) {
      d.qualitySum += p.quality_mean * p.processed;
      d.qualityN += p.processed;
    }
    d.requests += p.api_requests;
    d.errors += p.api_errors;
    days.set(p.day, d);
  }
  return [...days.values()]
    .sort((a, b) => a.day.localeCompare(b.day))
    .map((d) => ({
      ...d,
      label: d.day.slice(5),
      quality: d.qualityN > 0 ? Number((d.qualitySum / d.qualityN).toFixed(3)) : null,
      success: d.requests > 0 ? Number((1 - d.errors / d.requests).toFixed(3)) : null,
    }));
}

function Chart({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

export function DashboardPage() {
  const overview = useContractQuery('stats.overview');
  const queue = useContractQuery('queue.summary');
  const schedules = useContractQuery('schedule.list');
  const o = overview.data;
  const days = o ? byDay(o.daily) : [];
  const queueRows = queue.data ? QUEUE_STATUSES.map((s) => ({ status: s, items: queue.data.counts[s] })) : [];

  return (
    <>
      <h1>Dashboard</h1>
      <SampleOffer />
      <QueryState query={overview}>
        {o && (
          <ul className="card-row" aria-label="Today">
            {SOURCES.map((s) => (
              <li key={s} className="card" data-testid={`collected-${s}`}>
                <span className="card-value">{int(o.collected.today[s] ?? 0)}</span>
                <span className="card-label">{SOURCE_LABELS[s] ?? s} today · {int(o.collected.last7Days[s] ?? 0)} in 7 days</span>
              </li>
            ))}
            <li className="card" data-testid="spend-today">
              <span className="card-value">{money(o.llm.spentTodayUsd)}</span>
              <span className="card-label">LLM spend of {money(o.llm.dailyBudgetUsd)} today</span>
              <meter min={0} max={o.llm.dailyBudgetUsd || 1} value={o.llm.spentTodayUsd} high={o.llm.dailyBudgetUsd * 0.8} aria-label="Share of today's LLM budget" />
            </li>
            <li className="card" data-testid="quality-today">
              <span className="card-value">{o.quality.meanToday === null ? '—' : o.quality.meanToday.toFixed(2)}</span>
              <span className="card-label">mean quality, {int(o.quality.countToday)} scored today</span>
            </li>
            <li className="card" data-testid="proxy-health">
              <span className="card-value">{o.proxies.total === 0 ? '—' : `${o.proxies.healthy}/${o.proxies.total}`}</span>
              <span className="card-label">
                {o.proxies.total === 0 ? 'proxies: no MLS run yet' : `proxies in use, ${o.proxies.benched} benched${o.proxies.meanLatencyMs === null ? '' : `, ${int(o.proxies.meanLatencyMs)} ms`}`}
              </span>
            </li>
          </ul>
        )}
      </QueryState>

      <TodayMatches />

      <h2>Queue</h2>
      <QueryState query={queue}>
        {queue.data && (
          <ul className="card-row" aria-label="Queue by status">
            {QUEUE_STATUSES.map((s) => (
              <li key={s} className="card" data-testid={`queue-${s}`}>
                <span className="card-value">{int(queue.data.counts[s])}</span>
                <span className="card-label">{s}</span>
              </li>
            ))}
          </ul>
        )}
      </QueryState>

      <h2>Runs</h2>
      <div className="two-col">
        <QueryState query={overview} empty={o && o.lastRuns.length === 0 ? 'No runs yet: start one from Collection or Processing.' : false}>
          <table aria-label="Last runs">
            <thead>
              <tr><th>Last runs</th><th>Trigger</th><th>Status</th><th>Started</th></tr>
            </thead>
            <tbody>
              {o?.lastRuns.slice(0, 6).map((r) => (
                <tr key={r._id}>
                  <td>{r.kind}{r.source ? ` · ${r.source}` : ''}</td>
                  <td>{r.trigger}</td>
                  <td className={`status-${r.status}`}>{r.status}</td>
                  <td>{when(r.started_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </QueryState>
        <QueryState query={schedules}>
          <table aria-label="Next runs">
            <thead>
              <tr><th>Next runs</th><th>When (Phoenix)</th></tr>
            </thead>
            <tbody>
              {schedules.data?.jobs.map((j) => (
                <tr key={j.id}>
                  <td>{j.description ?? j.id}</td>
                  <td>{j.enabled ? when(j.next_run_at) : 'off'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </QueryState>
      </div>

      <h2>Last 30 days</h2>
      <QueryState query={overview}>
        <div className="charts">
          <Chart title="Properties collected a day, by source">
            <BarChart data={days}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              {SOURCES.map((s) => (
                <Bar key={s} dataKey={s} stackId="collected" fill={SOURCE_COLORS[s]} name={SOURCE_LABELS[s] ?? s} isAnimationActive={false} />
              ))}
            </BarChart>
          </Chart>
          <Chart title="LLM cost a day, against the daily budget">
            <LineChart data={days}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis {...budgetAxis(o?.llm.dailyBudgetUsd ?? 0)} />
              <Tooltip formatter={(v) => money(Number(v))} />
              <Line type="monotone" dataKey="cost" stroke="#2f6fde" name="cost" dot={false} isAnimationActive={false} />
              {o && <ReferenceLine y={o.llm.dailyBudgetUsd} ifOverflow="extendDomain" stroke="#b42318" strokeDasharray="4 4" label="budget" />}
            </LineChart>
          </Chart>
          <Chart title="Mean quality score">
            <LineChart data={days}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis domain={[0, 1]} />
              <Tooltip />
              <Line type="monotone" dataKey="quality" stroke="#1f7a3a" connectNulls name="quality" isAnimationActive={false} />
            </LineChart>
          </Chart>
          <Chart title="Queue depth by status">
            <BarChart data={queueRows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="status" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="items" fill="#6b5bd2" isAnimationActive={false} />
            </BarChart>
          </Chart>
          <Chart title="Upstream success rate">
            <LineChart data={days}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="label" />
              <YAxis domain={[0, 1]} />
              <Tooltip />
              <Line type="monotone" dataKey="success" stroke="#d9822b" connectNulls name="success" isAnimationActive={false} />
            </LineChart>
          </Chart>
        </div>
      </QueryState>
    </>
  );
}
