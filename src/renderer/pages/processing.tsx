import { useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReviewEdits } from '../../shared/contract.js';
import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { ExportButton } from '../ui/csv.js';
import { ActionError, QueryState, int, money, when } from '../ui/state.js';
import { BatchJobs } from './batch-jobs.js';
import { RunHistory, RunProgress } from './collection.js';

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
                <YAxis />
                <Tooltip formatter={(v) => money(Number(v), 4)} />
                <Bar dataKey="cost" fill="#2f6fde" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          <table aria-label="Cost per model this month">
            <thead><tr><th>Model</th><th>Calls</th><th>Reasoning tokens</th><th>Cost</th></tr></thead>
            <tbody>
              {costs.data?.models.length === 0 && <tr><td colSpan={4} className="muted">No model calls this month.</td></tr>}
              {costs.data?.models.map((m) => <tr key={m.model}><td>{m.model}</td><td>{int(m.calls)}</td><td>{int(m.reasoning_tokens)}</td><td>{money(m.cost_usd, 4)}</td></tr>)}
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

function ReviewList() {
  const review = useContractQuery('queue.items', { status: 'review', limit: 100, offset: 0 });
  const [selected, setSelected] = useState<string | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const reprocess = useContractMutation('processing.reprocess', ['queue.items', 'queue.summary']);
  const items = review.data?.items ?? [];
  return (
    <QueryState query={review} empty={items.length === 0 ? 'Nothing held for review.' : false}>
      <div className="actions">
        <button type="button" className="secondary" disabled={checked.size === 0} onClick={() => reprocess.mutate({ ids: [...checked] }, { onSuccess: () => setChecked(new Set()) })}>
          Reprocess selected ({checked.size})
        </button>
        <ExportButton name="review.csv" rows={() => items.map((i) => ({ id: i.id, address: i.property?.address, reasons: i.review_reasons.join('; '), updated_at: i.updated_at }))} />
        <span className="muted">{int(review.data?.total ?? 0)} held</span>
      </div>
      <ActionError error={reprocess.error} what="Reprocess" />
      <div className="two-col">
        <table aria-label="Review list">
          <thead><tr><th></th><th>Property</th><th>Why it is held</th></tr></thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} className={selected === i.id ? 'selected' : ''}>
                <td>
                  <input type="checkbox" aria-label={`Select ${i.id}`} checked={checked.has(i.id)} onChange={(e) => setChecked((s) => { const n = new Set(s); if (e.target.checked) n.add(i.id); else n.delete(i.id); return n; })} />
                </td>
                <td><button type="button" className="link" onClick={() => setSelected(i.id)}>{i.property?.address ?? i.id}</button></td>
                <td><ul className="reasons">{i.review_reasons.map((r) => <li key={r}>{r}</li>)}</ul></td>
              </tr>
            ))}
          </tbody>
        </table>
        {selected ? <ReviewPanel id={selected} onDone={() => setSelected(null)} /> : <p className="muted">Choose an item to see its record and settle it.</p>}
      </div>
    </QueryState>
  );
}

const EDITABLE: { key: keyof ReviewEdits; label: string; type: 'number' | 'text' }[] = [
  { key: 'bedrooms', label: 'Bedrooms', type: 'number' },
  { key: 'bathrooms', label: 'Bathrooms', type: 'number' },
  { key: 'square_feet', label: 'Square feet', type: 'number' },
  { key: 'year_built', label: 'Year built', type: 'number' },
  { key: 'list_price', label: 'List price', type: 'number' },
];

function ReviewPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const detail = useContractQuery('properties.get', { id });
  const resolve = useContractMutation('review.resolve', ['queue.items', 'queue.summary', 'properties.list']);
  const p = detail.data?.processed;
  const onApprove = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const edits: ReviewEdits = {};
    for (const f of EDITABLE) {
      const raw = String(form.get(f.key) ?? '').trim();
      const current = f.key === 'list_price' ? p?.normalized.pricing.list_price : p?.normalized.details[f.key as 'bedrooms'];
      if (raw !== '' && Number(raw) !== current) (edits as Record<string, number>)[f.key] = Number(raw);
    }
    const description = String(form.get('description') ?? '').trim();
    if (description && description !== p?.llm_enrichment.description) edits.description = description;
    resolve.mutate({ id, action: 'approve', ...(Object.keys(edits).length > 0 && { edits }) }, { onSuccess: onDone });
  };
  return (
    <aside className="detail" aria-label="Held item">
      <QueryState query={detail}>
        {p ? (
          <form onSubmit={onApprove}>
            <h3>{p.normalized.address.street ?? id}</h3>
            <p>Quality {p.quality_score.toFixed(2)}</p>
            <div className="fields">
              {EDITABLE.map((f) => (
                <label key={f.key}>
                  {f.label}
                  <input name={f.key} type="number" step="any" defaultValue={String((f.key === 'list_price' ? p.normalized.pricing.list_price : p.normalized.details[f.key as 'bedrooms']) ?? '')} />
                </label>
              ))}
            </div>
            <label>
              Description
              <textarea name="description" rows={6} defaultValue={p.llm_enrichment.description} />
            </label>
            <div className="actions">
              <button type="submit" disabled={resolve.isPending}>Approve</button>
              <button type="button" className="secondary" onClick={() => resolve.mutate({ id, action: 'reprocess' }, { onSuccess: onDone })}>Send back for processing</button>
            </div>
            <ActionError error={resolve.error} what="Settling the item" />
          </form>
        ) : (
          <>
            <p className="muted">No processed record (the model's answer was unusable).</p>
            <button type="button" onClick={() => resolve.mutate({ id, action: 'reprocess' }, { onSuccess: onDone })}>Send back for processing</button>
            <ActionError error={resolve.error} what="Settling the item" />
          </>
        )}
      </QueryState>
    </aside>
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
