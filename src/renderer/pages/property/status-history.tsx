import type { AnalystLayer } from '../../../shared/schemas/analyst-layer.js';
import { DEAL_STATUS_LABELS } from '../../../shared/schemas/deal-pipeline.js';
import { when } from '../../ui/state.js';

/**
 * The deal status's history on the property page: each move, newest first, with the status it
 * came from, when and who moved it (the analyst, the console's one user, for entries kept
 * before `by` was).
 */
export function StatusHistory({ history }: { history: AnalystLayer['status_history'] }) {
  if (history.length === 0) return null;
  const moves = history.map((h, i) => ({ ...h, from: i > 0 ? history[i - 1]!.status : null })).reverse();
  return (
    <section aria-label="Deal status history" className="small">
      <h4>Deal status history</h4>
      <ol reversed className="status-history" data-testid="status-history">
        {moves.map((m) => (
          <li key={`${m.status}-${new Date(m.at).getTime()}`}>
            {m.from === null ? `Set to ${DEAL_STATUS_LABELS[m.status]}` : `${DEAL_STATUS_LABELS[m.from]} → ${DEAL_STATUS_LABELS[m.status]}`}
            <span className="muted"> · {when(m.at)} · by {m.by ?? 'analyst'}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
