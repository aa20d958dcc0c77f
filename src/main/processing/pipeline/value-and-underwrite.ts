import { applyOverrides, type UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { underwrite } from '../../../shared/underwriting/underwrite.js';
import type { ComparablesIndex } from '../comparables-index.js';
import { computeFinancials, type FinancialSettings, type Financials } from '../financials.js';
import { valuationFacts, type ValuationFacts } from '../valuation-facts.js';
import type { MergedSources } from './merge-sources.js';

/** The figures of one property and the facts they were computed from. */
export interface ValuedProperty {
  /** Value with its basis, date and evidence, comparables, ZIP trend, and the underwriting (with the analyst's terms applied). */
  financials: Financials;
  /** What the value and the expenses were read from, pooled from every record (`valuationFacts`). */
  facts: ValuationFacts;
}

/**
 * Stages 3–4 (value & comparables, underwriting): `computeFinancials` on the merged property as
 * of `today` (`YYYY-MM-DD`, Phoenix), then the analyst's saved terms (`overrides`, from the
 * processed property already stored) applied over the underwriting's inputs and the
 * underwriting redone. The subject's own parcel (any record's `parcel_number`) is passed so its
 * own sales are never its comparables. Writes the value, its basis, date and the value per sq ft
 * into `merged.normalized.pricing` (as `computeFinancials` does). Pure.
 */
export function valueAndUnderwrite(
  raw: { _id: string },
  { merged, records }: MergedSources,
  index: ComparablesIndex,
  today: string,
  settings: FinancialSettings,
  overrides: UnderwritingOverrides | null,
): ValuedProperty {
  const facts = valuationFacts(records);
  // The parcel of any of the property's records: its own sales are never its comparables.
  const parcel = records.map((r) => r.data.parcel_number).find((p): p is string => typeof p === 'string' && p !== '') ?? null;
  const financials = computeFinancials({ id: raw._id, parcel_number: parcel, normalized: merged.normalized, facts }, index, today, settings);
  if (overrides) {
    const inputs = applyOverrides(financials.underwriting.inputs, overrides);
    financials.underwriting = { inputs, result: underwrite(inputs) };
  }
  return { financials, facts };
}
