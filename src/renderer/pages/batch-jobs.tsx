import { useContractQuery } from '../api/use-bridge.js';
import { ExportButton } from '../ui/csv.js';
import { QueryState, int, when } from '../ui/state.js';

/**
 * The Batch API jobs of the evening run (`LLM_BATCH_API`): each job's state at OpenAI, its
 * request counts, and what ingesting its answers did with the items.
 */
export function BatchJobs() {
  const batches = useContractQuery('batches.list', { limit: 20 });
  const rows = batches.data ?? [];
  return (
    <QueryState query={batches} empty={rows.length === 0 ? 'No Batch API jobs (LLM_BATCH_API sends the scheduled processing runs as one).' : false}>
      <ExportButton
        name="batch-jobs.csv"
        rows={() => rows.map((b) => ({ id: b._id, status: b.remote_status, state: b.state, model: b.model, submitted_at: b.submitted_at, expires_at: b.expires_at, items: b.items.length, answered: b.request_counts.completed, failed: b.request_counts.failed, message: b.message }))}
      />
      <table aria-label="Batch API jobs">
        <thead>
          <tr><th>Job</th><th>Status</th><th>Submitted</th><th>Answers due by</th><th>Items</th><th>Answered</th><th>Failed or expired</th><th>Outcome</th></tr>
        </thead>
        <tbody>
          {rows.map((b) => (
            <tr key={b._id} data-testid="batch-job">
              <td><code>{b._id}</code><br /><span className="muted small">{b.model}</span></td>
              <td>{b.remote_status}{b.state === 'ingested' ? ', ingested' : ''}<br /><span className="muted small">checked {when(b.checked_at)}</span></td>
              <td>{when(b.submitted_at)}</td>
              <td>{when(b.expires_at)}</td>
              <td>{int(b.items.length)}</td>
              <td>{int(b.request_counts.completed)}</td>
              <td>{int(b.request_counts.failed)}</td>
              <td className="small">{b.message ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </QueryState>
  );
}
