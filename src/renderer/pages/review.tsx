import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ReviewEdits } from '../../shared/contract.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { ExportButton } from '../ui/csv.js';
import { ActionError, QueryState, int } from '../ui/state.js';

/** Held items a page of the review list shows. */
export const REVIEW_PAGE_SIZE = 25;

const EDITABLE: { key: Exclude<keyof ReviewEdits, 'description'>; label: string; step: string }[] = [
  { key: 'bedrooms', label: 'Bedrooms', step: '1' },
  { key: 'bathrooms', label: 'Bathrooms', step: '0.5' },
  { key: 'square_feet', label: 'Square feet', step: '1' },
  { key: 'year_built', label: 'Year built', step: '1' },
  { key: 'list_price', label: 'List price', step: '1' },
];

const REFRESHED = ['queue.items', 'queue.summary', 'properties.list', 'properties.get', 'stats.overview'] as const;

/** The corrections typed in a form: each filled field that differs from `current` (when given). */
function editsFrom(form: FormData, current?: (key: (typeof EDITABLE)[number]['key']) => number | null | undefined): ReviewEdits {
  const edits: ReviewEdits = {};
  for (const f of EDITABLE) {
    const raw = String(form.get(f.key) ?? '').trim();
    if (raw !== '' && (!current || Number(raw) !== current(f.key))) edits[f.key] = Number(raw);
  }
  return edits;
}

/**
 * The review list: held items a page at a time, selected one by one, by page or all that are
 * held; the selection approved at once, with the same corrections for each if given. One item
 * opens beside the list to correct and settle on its own.
 */
export function ReviewList() {
  const [offset, setOffset] = useState(0);
  const review = useContractQuery('queue.items', { status: 'review', limit: REVIEW_PAGE_SIZE, offset }, { keepPrevious: true });
  const [open, setOpen] = useState<string | null>(null);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [allHeld, setAllHeld] = useState(false);
  const approve = useContractMutation('review.approveMany', [...REFRESHED]);
  const items = review.data?.items ?? [];
  const total = review.data?.total ?? 0;
  const pageIds = items.map((i) => i.id);
  const pageChecked = pageIds.length > 0 && pageIds.every((id) => allHeld || checked.has(id));
  const count = allHeld ? total : checked.size;

  const toggle = (id: string, on: boolean) => {
    setAllHeld(false);
    setChecked((s) => {
      const n = new Set(allHeld ? pageIds : s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  };
  const togglePage = (on: boolean) => {
    setAllHeld(false);
    setChecked((s) => {
      const n = new Set(s);
      for (const id of pageIds) if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  };
  const onApprove = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const edits = editsFrom(new FormData(e.currentTarget));
    const target = allHeld ? { all: true as const } : { ids: [...checked] };
    const form = e.currentTarget;
    approve.mutate(
      { ...target, ...(Object.keys(edits).length > 0 && { edits }) },
      {
        onSuccess: () => {
          setChecked(new Set());
          setAllHeld(false);
          setOffset(0);
          form.reset();
        },
      },
    );
  };
  const last = Math.min(offset + REVIEW_PAGE_SIZE, total);

  return (
    <QueryState query={review} empty={total === 0 && !approve.data ? 'Nothing held for review.' : false}>
      {approve.data && (
        <p role="status" className="ok" data-testid="approve-result">
          Approved {int(approve.data.approved)}.{approve.data.skipped.length > 0 && ` Skipped ${approve.data.skipped.length}: ${approve.data.skipped.map((s) => s.reason).join('; ')}`}
        </p>
      )}
      <form className="bulk" onSubmit={onApprove} aria-label="Approve the selected items">
        <fieldset>
          <legend>Correct every selected item (optional)</legend>
          <div className="inline-form">
            {EDITABLE.map((f) => (
              <label key={f.key}>
                {f.label} <input name={f.key} type="number" step={f.step} min={0} size={7} />
              </label>
            ))}
          </div>
        </fieldset>
        <div className="actions">
          <button type="submit" disabled={count === 0 || approve.isPending}>
            Approve selected ({int(count)})
          </button>
          {allHeld ? (
            <button type="button" className="secondary" onClick={() => setAllHeld(false)}>
              Clear the selection
            </button>
          ) : (
            <button type="button" className="secondary" onClick={() => setAllHeld(true)} disabled={total === 0}>
              Select all {int(total)} held
            </button>
          )}
          <ExportButton name="review.csv" rows={() => items.map((i) => ({ id: i.id, address: i.property?.address, reasons: i.review_reasons.join('; '), updated_at: i.updated_at }))} />
        </div>
        <ActionError error={approve.error} what="Approving" />
      </form>
      <div className="review-layout">
        <div>
          <table aria-label="Review list" className="review-list">
            <thead>
              <tr>
                <th>
                  <input type="checkbox" aria-label="Select this page" checked={pageChecked} onChange={(e) => togglePage(e.target.checked)} />
                </th>
                <th>Property</th>
                <th>Why it is held</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} className={open === i.id ? 'selected' : ''}>
                  <td>
                    <input type="checkbox" aria-label={`Select ${i.property?.address ?? i.id}`} checked={allHeld || checked.has(i.id)} onChange={(e) => toggle(i.id, e.target.checked)} />
                  </td>
                  <td>
                    <button type="button" className="link" onClick={() => setOpen(i.id)}>
                      {i.property?.address ?? i.id}
                    </button>
                  </td>
                  <td>
                    <ul className="reasons">{i.review_reasons.map((r) => <li key={r}>{r}</li>)}</ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav className="pager" aria-label="Pages of the review list">
            <button type="button" disabled={offset === 0} onClick={() => setOffset((o) => Math.max(0, o - REVIEW_PAGE_SIZE))}>
              Previous
            </button>
            <span className="muted" role="status" data-testid="review-range">
              {total === 0 ? 'none held' : `${int(offset + 1)}–${int(last)} of ${int(total)} held`}
              {count > 0 && ` · ${int(count)} selected`}
            </span>
            <button type="button" disabled={last >= total} onClick={() => setOffset((o) => o + REVIEW_PAGE_SIZE)}>
              Next
            </button>
          </nav>
        </div>
        {open ? <ReviewPanel key={open} id={open} onDone={() => setOpen(null)} /> : <p className="muted review-item">Choose an item to see its record and settle it.</p>}
      </div>
    </QueryState>
  );
}

function ReviewPanel({ id, onDone }: { id: string; onDone: () => void }) {
  const detail = useContractQuery('properties.get', { id });
  // On a narrow window the item opens above the list: bring it into view.
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    // A block, not an expression: Chromium's scrollIntoView answers a promise, which React would call as the cleanup.
    void panel.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const resolve = useContractMutation('review.resolve', [...REFRESHED]);
  const p = detail.data?.processed;
  const current = (key: (typeof EDITABLE)[number]['key']) => (key === 'list_price' ? p?.normalized.pricing.list_price : p?.normalized.details[key]);
  const onApprove = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const edits = editsFrom(form, current);
    const description = String(form.get('description') ?? '').trim();
    if (description && description !== p?.llm_enrichment.description) edits.description = description;
    resolve.mutate({ id, action: 'approve', ...(Object.keys(edits).length > 0 && { edits }) }, { onSuccess: onDone });
  };
  return (
    <aside className="detail review-item" aria-label="Held item" ref={panel}>
      <QueryState query={detail}>
        {p ? (
          <form onSubmit={onApprove}>
            <h3>{p.normalized.address.street ?? id}</h3>
            <p>Quality {p.quality_score.toFixed(2)}</p>
            <div className="fields">
              {EDITABLE.map((f) => (
                <label key={f.key}>
                  {f.label}
                  <input name={f.key} type="number" step="any" defaultValue={String(current(f.key) ?? '')} />
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
