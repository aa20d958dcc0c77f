import { useState } from 'react';
import type { PropertyDetail } from '../../../shared/contract.js';
import { DEAL_STATUSES, type DealStatus } from '../../../shared/schemas/analyst-layer.js';
import { DEAL_STATUS_LABELS as STATUS_LABELS } from '../../../shared/schemas/deal-pipeline.js';
import { useContractMutation } from '../../api/use-bridge.js';
import { ActionError, when } from '../../ui/state.js';
import { StatusHistory } from './status-history.js';

const FIELD_LABELS: Record<string, string> = { description: 'description', bedrooms: 'bedrooms', bathrooms: 'bathrooms', square_feet: 'sq ft', year_built: 'year built', list_price: 'asking price' };

/**
 * The analyst's own work on the property (its analyst layer, `properties.get`'s `analyst`): the
 * deal status with its history, tags, notes and the fields corrected, each saying when. Kept over
 * the collected data through every re-collection, merge and reprocess.
 */
export function AnalystSection({ d }: { d: PropertyDetail }) {
  const a = d.analyst;
  const invalidates = ['properties.get', 'properties.list', 'properties.pipeline'] as const;
  const setStatus = useContractMutation('properties.setStatus', [...invalidates]);
  const setTags = useContractMutation('properties.setTags', [...invalidates]);
  const setNotes = useContractMutation('properties.setNotes', [...invalidates]);
  const [tags, setTagsText] = useState((a?.tags ?? []).join(', '));
  const [notes, setNotesText] = useState(a?.notes?.text ?? '');
  const corrections = Object.entries(a?.corrections ?? {});
  return (
    <section aria-label="Your work" data-testid="analyst-layer">
      <h3>Your work</h3>
      <form className="fields" aria-label="Deal status, tags and notes" onSubmit={(e) => e.preventDefault()}>
        <label>
          Deal status{' '}
          <select value={a?.status?.value ?? ''} disabled={setStatus.isPending} onChange={(e) => setStatus.mutate({ id: d.id, status: e.target.value as DealStatus })}>
            {!a?.status && <option value="">not set</option>}
            {DEAL_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
          </select>
        </label>
        <label>
          Tags <input name="analyst-tags" value={tags} placeholder="comma-separated" onChange={(e) => setTagsText(e.target.value)} />
        </label>
        <button type="button" className="secondary" disabled={setTags.isPending} onClick={() => setTags.mutate({ id: d.id, tags: tags.split(',').map((t) => t.trim()).filter(Boolean) })}>Save tags</button>
        <label>
          Notes <textarea name="analyst-notes" rows={3} value={notes} onChange={(e) => setNotesText(e.target.value)} />
        </label>
        <button type="button" className="secondary" disabled={setNotes.isPending} onClick={() => setNotes.mutate({ id: d.id, notes: notes.trim() === '' ? null : notes })}>Save notes</button>
      </form>
      <ActionError error={setStatus.error ?? setTags.error ?? setNotes.error} what="Saving your work" />
      {a && (
        <ul className="muted small">
          {a.status && <li>Status {STATUS_LABELS[a.status.value]} since {when(a.status.set_at)}</li>}
          {a.notes && <li>Notes written {when(a.notes.set_at)}</li>}
          {corrections.map(([field, c]) => <li key={field}>Your {FIELD_LABELS[field] ?? field}: {String(c.value)}, set {when(c.set_at)}</li>)}
          {a.terms && <li>Your what-if terms saved {when(a.terms.set_at)}</li>}
          {a.approval && <li>Approved from review {when(a.approval.at)}</li>}
        </ul>
      )}
      {a && <StatusHistory history={a.status_history} />}
    </section>
  );
}
