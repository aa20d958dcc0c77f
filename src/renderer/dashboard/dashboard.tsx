import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { useContractQuery, useLiveInvalidation } from '../api/use-bridge.js';

function Status({ loading, error }: { loading: boolean; error: Error | null }) {
  if (loading) return <p className="muted">Loading…</p>;
  if (error) return <p role="alert" className="error">Could not load: {error.message}</p>;
  return null;
}

const money = (n: number) => `$${n.toFixed(2)}`;

/**
 * The console's first page: health, queue depth, today's spend, recent runs and the latest
 * properties. The full pages (charts, collection, processing, costs, settings) build on this.
 */
export function Dashboard() {
  useLiveInvalidation();
  const health = useContractQuery('health.get');
  const queue = useContractQuery('queue.summary');
  const overview = useContractQuery('stats.overview');
  const runs = useContractQuery('runs.list', { limit: 10 });
  const properties = useContractQuery('properties.list', { page: 1, pageSize: 25 });

  return (
    <main className="page">
      <header>
        <h1>Phoenix RE Console</h1>
      </header>

      <section aria-labelledby="queue-title" className="cards">
        <h2 id="queue-title">Processing queue</h2>
        <Status loading={queue.isPending} error={queue.error} />
        {queue.data && (
          <ul className="card-row">
            {QUEUE_STATUSES.map((s) => (
              <li key={s} className="card" data-testid={`queue-${s}`}>
                <span className="card-value">{queue.data.counts[s]}</span>
                <span className="card-label">{s}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="spend-title">
        <h2 id="spend-title">Today</h2>
        <Status loading={overview.isPending} error={overview.error} />
        {overview.data && (
          <p>
            LLM spend {money(overview.data.llm.spentTodayUsd)} of {money(overview.data.llm.dailyBudgetUsd)} ·{' '}
            {overview.data.llm.tokensToday} tokens · mean quality{' '}
            {overview.data.quality.meanToday === null ? '—' : overview.data.quality.meanToday.toFixed(2)}
          </p>
        )}
      </section>

      <section aria-labelledby="health-title">
        <h2 id="health-title">Health</h2>
        <Status loading={health.isPending} error={health.error} />
        {health.data && (
          <table>
            <tbody>
              {health.data.checks.map((c) => (
                <tr key={c.name}>
                  <td className={c.ok ? 'ok' : 'error'}>{c.ok ? 'ok' : 'failing'}</td>
                  <th scope="row">{c.name}</th>
                  <td>{c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="runs-title">
        <h2 id="runs-title">Recent runs</h2>
        <Status loading={runs.isPending} error={runs.error} />
        {runs.data && runs.data.items.length === 0 && <p className="muted">No runs yet.</p>}
        {runs.data && runs.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Started</th>
                <th>Kind</th>
                <th>Source</th>
                <th>Trigger</th>
                <th>Status</th>
                <th>Counters</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((r) => (
                <tr key={r._id}>
                  <td>{new Date(r.started_at).toLocaleString()}</td>
                  <td>{r.kind}</td>
                  <td>{r.source ?? '—'}</td>
                  <td>{r.trigger}</td>
                  <td>{r.status}</td>
                  <td>{Object.entries(r.counters).map(([k, v]) => `${k} ${v}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="properties-title">
        <h2 id="properties-title">Latest properties {properties.data && <span className="muted">({properties.data.total})</span>}</h2>
        <Status loading={properties.isPending} error={properties.error} />
        {properties.data && properties.data.items.length === 0 && <p className="muted">No properties collected yet.</p>}
        {properties.data && properties.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>Address</th>
                <th>ZIP</th>
                <th>Source</th>
                <th>Price</th>
                <th>Beds</th>
                <th>Sq ft</th>
                <th>Status</th>
                <th>Quality</th>
              </tr>
            </thead>
            <tbody>
              {properties.data.items.map((p) => (
                <tr key={p.id}>
                  <td>{p.address ?? p.source_id}</td>
                  <td>{p.zip ?? '—'}</td>
                  <td>{p.source}</td>
                  <td>{p.price === null ? '—' : `$${p.price.toLocaleString()}`}</td>
                  <td>{p.bedrooms ?? '—'}</td>
                  <td>{p.square_feet ?? '—'}</td>
                  <td>{p.status ?? 'new'}</td>
                  <td>{p.quality_score === null ? '—' : p.quality_score.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
