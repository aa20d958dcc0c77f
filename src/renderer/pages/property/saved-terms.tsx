import type { DealMode } from '../../../shared/deal/deal-inputs.js';
import { ownTermsText } from '../../../shared/underwriting/terms-text.js';
import { termsOf, type StrategyTermName, type TermName, type UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { useContractMutation } from '../../api/use-bridge.js';
import { ActionError } from '../../ui/state.js';

/**
 * "Save for this property" for the deal model's form (issue #23): every input the analyst moved
 * from where it started, and every one saved before, at its current value, with the strategy,
 * saved as the property's what-if terms (`properties.setTerms`, checked by the scenarios' own
 * schema) in its analyst layer, so they are there after a reload, a re-collection and a
 * reprocess; the underwriting and the list row are then computed with them. `values`: the form's
 * inputs by term name, null while a field is refused (nothing is saved out of range).
 */
export function SaveTerms({ propertyId, saved, values, edited, mode }: { propertyId: string; saved: UnderwritingOverrides | null; values: Partial<Record<TermName | StrategyTermName, number | null>> | null; edited: ReadonlySet<string>; mode: DealMode }) {
  const save = useContractMutation('properties.setTerms', ['properties.get', 'properties.list']);
  const changed = edited.size > 0 || mode !== (saved?.mode ?? 'rental');
  return (
    <>
      <div className="fields" data-testid="save-terms">
        <button type="button" disabled={!values || !changed || save.isPending} onClick={() => values && save.mutate({ id: propertyId, terms: termsOf(values, edited, mode, saved) })}>Save for this property</button>
        {saved && <button type="button" className="secondary" disabled={save.isPending} onClick={() => save.mutate({ id: propertyId, terms: null })}>Clear saved terms</button>}
        {!values && <span className="muted">A field is out of range: nothing to save until it is accepted.</span>}
      </div>
      {saved && <p className="muted" data-testid="saved-terms">Saved terms for this property: {ownTermsText(saved)}.</p>}
      <ActionError error={save.error} what="Saving the terms" />
    </>
  );
}
