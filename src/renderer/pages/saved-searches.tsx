import { useState, type FormEvent } from 'react';
import type { PropertyFilters } from '../../shared/contract.js';
import { DEAL_STATUS_LABELS } from '../../shared/schemas/deal-pipeline.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { usePropertyFilters } from '../ui/filters.js';
import { ActionError, int, when } from '../ui/state.js';

/** The filters in words, for a saved search's line ("ZIP 85031 · beds ≥ 3"). */
export function describeFilters(f: PropertyFilters): string {
  const parts: string[] = [];
  if (f.search) parts.push(`"${f.search}"`);
  if (f.zip?.length) parts.push(`ZIP ${f.zip.join(', ')}`);
  if (f.source) parts.push(f.source);
  if (f.status) parts.push(f.status);
  if (f.minPrice !== undefined || f.maxPrice !== undefined) parts.push(`price ${f.minPrice ?? 0}–${f.maxPrice ?? '∞'}`);
  if (f.minBeds !== undefined) parts.push(`beds ≥ ${f.minBeds}`);
  if (f.minQuality !== undefined || f.maxQuality !== undefined) parts.push(`quality ${f.minQuality ?? 0}–${f.maxQuality ?? 1}`);
  if (f.priceDropped) parts.push('price dropped');
  if (f.tag) parts.push(`tagged "${f.tag}"`);
  if (f.dealStatus) parts.push(`deal ${DEAL_STATUS_LABELS[f.dealStatus].toLowerCase()}`);
  return parts.join(' · ') || 'everything';
}

/**
 * Saved searches on the Properties page: save the filters in force under a name (with alerts
 * on a new match or a price drop), apply one, delete one.
 */
export function SavedSearches() {
  const { filters, replaceFilters } = usePropertyFilters();
  const searches = useContractQuery('searches.list');
  const save = useContractMutation('searches.save', ['searches.list']);
  const remove = useContractMutation('searches.delete', ['searches.list', 'searches.alerts']);
  const [name, setName] = useState('');
  const items = searches.data?.items ?? [];
  const onSave = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const alert = new FormData(e.currentTarget).get('alert') === 'on';
    save.mutate({ name: name.trim(), filters, alert }, { onSuccess: () => setName('') });
  };
  return (
    <details className="saved-searches">
      <summary>Saved searches ({int(items.length)})</summary>
      <form className="inline-form" onSubmit={onSave} aria-label="Save this search">
        <label>
          Name for these filters <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} placeholder="e.g. West Phoenix 3-bed" />
        </label>
        <label className="check">
          <input type="checkbox" name="alert" defaultChecked /> Alert me on new matches and price drops
        </label>
        <button type="submit" disabled={save.isPending || name.trim() === ''}>Save search</button>
      </form>
      <ActionError error={save.error ?? remove.error} what="The saved search" />
      {save.data && <p role="status" className="muted">Saved "{save.data.search.name}": {int(save.data.search.matches)} {save.data.search.matches === 1 ? 'match' : 'matches'} now; later ones will alert.</p>}
      {items.length > 0 && (
        <table aria-label="Saved searches">
          <thead><tr><th>Name</th><th>Filters</th><th>Matches</th><th>Alerts</th><th></th></tr></thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td>{s.name}</td>
                <td>{describeFilters(s.filters)}</td>
                <td>{int(s.matches)} <span className="muted small">at {when(s.checked_at)}</span></td>
                <td>{s.alert ? 'on' : 'off'}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => replaceFilters(s.filters)} aria-label={`Apply ${s.name}`}>Apply</button>{' '}
                  <button type="button" className="secondary" onClick={() => remove.mutate({ id: s.id })} aria-label={`Delete ${s.name}`}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
