import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { ExportButton } from '../ui/csv.js';
import { ActionError, QueryState, int, money, when } from '../ui/state.js';
import { BatchJobs } from './batch-jobs.js';
import { RunHistory, RunProgress } from './collection.js';
import { ReviewList } from './review.js';

export function ProcessingPage() {
  const queue = useContractQuery('queue.summary');
  const costs = useContractQuery('costs.summary', { days: 14 });
  const runs = useContractQuery('runs.list', { limit: 30, kind: 'process' });
  const run = useContractMutation('processing.run', ['runs.list']);
  const retry = useContractMutation('processing.reprocess', ['queue.summary', 'queue.items']);
  const running = runs.data?.items.filter((r) => r.status === 'running') ?? [];
  const today = costs.data?.today;

  return (
    <>
      <h1>Processing</h1>
      <QueryState query={queue}>
        <ul className="card-row" aria-label="Queue by status">
          {QUEUE_STATUSES.map((s) => (
            <li key={s} className="card" data-testid={`processing-queue-${s}`}>
              <span className="card-value">{int(queue.data?.counts[s] ?? 0)}</span>
              <span className="card-label">{s}</span>
            </li>
          ))}
          {today && (
            <li className="card" data-testid="budget-gauge">
              <span className="card-value">{money(today.llm_usd)}</span>
              <span className="card-label">of {money(today.daily_budget_usd)} LLM budget today</span>
              <meter min={0} max={today.daily_budget_usd || 1} value={today.llm_usd} high={today.daily_budget_usd * 0.8} aria-label="Share of today's LLM budget" />
            </li>
          )}
        </ul>
      </QueryState>
      <div className="actions">
        <button type="button" onClick={() => run.mutate({})} disabled={run.isPending}>Process now</button>
        <button type="button" className="secondary" onClick={() => retry.mutate({ status: 'failed' })} disabled={retry.isPending}>Retry failed</button>
        {retry.data && <span role="status"> {retry.data.queued} queued again.</span>}
      </div>
      <ActionError error={run.error} what="Process now" />
      <ActionError error={retry.error} what="Retry failed" />
      {running.map((r) => <RunProgress key={r._id} run={r} />)}

      <h2>Review</h2>
      <ReviewList />

      <h2>Failed</h2>
      <FailedList />

      <h2>Cost per day and model</h2>
      <QueryState query={costs}>
        <div className="two-col">
          <figure className="chart" aria-label="LLM cost a day">
            <ResponsiveContainer width="100%" height={180}>
              <BarChart data={costs.data?.days.map((d) => ({ day: d.day.slice(5), cost: d.llm_usd })) ?? []}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" />
                <YAxis tickFormatter={(v: number) => money(v)} width={76} />
                <Tooltip formatter={(v) => money(Number(v))} />
                <Bar dataKey="cost" fill="#2f6fde" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <table aria-label="Cost per model this month">
            <thead><tr><th>Model</th><th>Calls</th><th>Reasoning tokens</th><th>Cost</th></tr></thead>
            <tbody>
              {costs.data?.models.length === 0 && <tr><td colSpan={4} className="muted">No model calls this month.</td></tr>}
              {costs.data?.models.map((m) => <tr key={m.model}><td>{m.model}</td><td>{int(m.calls)}</td><td>{int(m.reasoning_tokens)}</td><td>{money(m.cost_usd)}</td></tr>)}
            </tbody>
          </table>
        </div>
      </QueryState>

      <h2>Batch API jobs</h2>
      <BatchJobs />

      <h2>Processing runs</h2>
      <QueryState query={runs}>
        <RunHistory runs={runs.data?.items ?? []} name="processing-runs.csv" />
      </QueryState>
    </>
  );
}

function FailedList() {
  const failed = useContractQuery('queue.items', { status: 'failed', limit: 100, offset: 0 });
  const items = failed.data?.items ?? [];
  return (
    <QueryState query={failed} empty={items.length === 0 ? 'No failed items.' : false}>
      <ExportButton name="failed.csv" rows={() => items.map((i) => ({ id: i.id, attempts: i.attempts, last_error: i.last_error, updated_at: i.updated_at }))} />
      <table aria-label="Failed items">
        <thead><tr><th>Property</th><th>Attempts</th><th>Errors (newest last)</th></tr></thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id}>
              <td>{i.property?.address ?? i.id}</td>
              <td>{i.attempts}</td>
              <td><ol className="reasons">{i.errors.map((e, n) => <li key={n}>{when(e.at)}: {e.message}</li>)}</ol></td>
            </tr>
          ))}
        </tbody>
      </table>
    </QueryState>
  );
}
