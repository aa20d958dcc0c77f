import { useState, type FormEvent } from 'react';
import type { DealStatus } from '../../shared/schemas/analyst-layer.js';
import { tagSchema } from '../../shared/schemas/analyst-layer.js';
import { DEAL_STATUS_LABELS, type PipelineCard, type PipelineColumn } from '../../shared/schemas/deal-pipeline.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { ActionError, QueryState, int, when } from '../ui/state.js';
import { DealCard } from './pipeline/deal-card.js';
import { PropertyPanel, useOpenProperty } from './property/property-panel.js';
import { counted } from '../../shared/plural.js';

/** The reads a move changes: the board, the property's page (its status and history) and the list (its deal status). */
const MOVED = ['properties.pipeline', 'properties.get', 'properties.list'] as const;

/** The tag typed in the filter, checked as the contract checks it (`tagSchema`); empty: every deal. */
function TagFilter({ tag, onTag }: { tag: string | null; onTag: (tag: string | null) => void }) {
  const [text, setText] = useState(tag ?? '');
  const typed = text.trim() === '' ? null : tagSchema.safeParse(text);
  const error = typed && !typed.success ? (typed.error.issues[0]?.message ?? 'not a tag') : null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (error === null) onTag(typed?.success ? typed.data : null);
  };
  return (
    <form className="inline-form" onSubmit={onSubmit} aria-label="Deals by tag">
      <label>
        Only deals tagged <input name="tag" value={text} placeholder="any tag" aria-invalid={error !== null} aria-describedby={error ? 'tag-error' : undefined} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="secondary" disabled={error !== null}>Show</button>
      {tag !== null && (
        <button type="button" className="secondary" onClick={() => { setText(''); onTag(null); }}>Every deal</button>
      )}
      {error && <span id="tag-error" className="error small" role="alert">{error}</span>}
    </form>
  );
}

/** One status's column: its count and its cards, the latest moved first. */
function Column({ col, onOpen, onMove, moving, focus }: { col: PipelineColumn; onOpen: (id: string) => void; onMove: (c: PipelineCard, to: DealStatus) => void; moving: boolean; focus: { id: string; status: DealStatus } | null }) {
  const label = DEAL_STATUS_LABELS[col.status];
  const headingId = `pipeline-${col.status}`;
  return (
    <section className="pipeline-column" aria-labelledby={headingId} data-status={col.status}>
      <h2 id={headingId}>
        {label} <span className="pipeline-count" data-testid="column-count">{int(col.count)}</span>
        <span className="sr-only">{col.count === 1 ? ' deal' : ' deals'}</span>
      </h2>
      {col.count > col.cards.length && <p className="muted small">Showing the {int(col.cards.length)} latest moved of {int(col.count)}.</p>}
      {col.cards.length === 0 ? (
        <p className="muted small">No deals.</p>
      ) : (
        <ul className="pipeline-cards">
          {col.cards.map((c) => (
            <li key={c.id}>
              <DealCard c={c} onOpen={onOpen} onMove={onMove} moving={moving} focused={focus?.id === c.id && focus.status === col.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The Pipeline: the analyst's deals as columns by status (new, watching, offer, under
 * contract, passed), each with its count and its cards: the analyst's lists by status, and by
 * tag when one is given. A card moves with its Move form, the move kept in the property's
 * status history (who and when); its address opens the property in the drawer.
 */
export function PipelinePage() {
  const [tag, setTag] = useState<string | null>(null);
  const board = useContractQuery('properties.pipeline', tag === null ? {} : { tag }, { keepPrevious: true });
  const move = useContractMutation('properties.setStatus', [...MOVED]);
  const [focus, setFocus] = useState<{ id: string; status: DealStatus } | null>(null);
  const [moved, setMoved] = useState<string | null>(null);
  const { openId, open, close } = useOpenProperty('pipeline');
  const onMove = (c: PipelineCard, to: DealStatus) => {
    move.mutate(
      { id: c.id, status: to },
      {
        onSuccess: () => {
          setFocus({ id: c.id, status: to });
          setMoved(`Moved ${c.address ?? c.source_id} from ${DEAL_STATUS_LABELS[c.status]} to ${DEAL_STATUS_LABELS[to]}.`);
        },
      },
    );
  };
  const data = board.data;
  const total = data?.columns.reduce((n, c) => n + c.count, 0) ?? 0;
  return (
    <>
      <h1 tabIndex={-1}>Pipeline</h1>
      <TagFilter tag={tag} onTag={setTag} />
      <p className="muted" role="status" data-testid="pipeline-summary">
        {data && `${counted(total, 'deal', 'deals', int)}${data.tag ? ` tagged "${data.tag}"` : ''} · as of ${when(data.as_of)}`}
        {moved && <> · {moved}</>}
      </p>
      <ActionError error={move.error} what="Moving the deal" />
      <QueryState query={board}>
        {data && total === 0 && (
          <p className="muted">
            {data.tag ? `No deal is tagged "${data.tag}".` : 'No deals yet. Open a property (Properties or Map) and set its deal status under "Your work" to put it here.'}
          </p>
        )}
        {data && (
          <div className="pipeline">
            {data.columns.map((col) => (
              <Column key={col.status} col={col} onOpen={open} onMove={onMove} moving={move.isPending} focus={focus} />
            ))}
          </div>
        )}
      </QueryState>
      {openId && <PropertyPanel id={openId} onClose={close} />}
    </>
  );
}
