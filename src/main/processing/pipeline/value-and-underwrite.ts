import { applyOverrides, type UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { underwrite } from '../../../shared/underwriting/underwrite.js';
import { computeFinancials, type FinancialSettings, type Financials } from '../financials.js';
import type { ValuationMarket } from '../market-sales.js';
import { subjectFeatures } from '../subject-features.js';
import { valuationFacts, type ValuationFacts } from '../valuation-facts.js';
import type { AnalystCorrections } from '../../../shared/schemas/analyst-layer.js';
import { correctedFeatures } from './analyst-overlay.js';
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
 * of `today` (`YYYY-MM-DD`, Phoenix), valued by the market's model from the facts of all its
 * records (`subjectFeatures`), then the analyst's saved terms (`overrides`, from the
 * analyst's layer) applied over the underwriting's inputs and the underwriting redone. The
 * analyst's `corrections` (bedrooms, bathrooms, size, year) are the facts the model values by
 * (`merged` comes corrected already: `correctedMerge`); the comparables the analyst excluded
 * (`excludedSaleIds`, sale ids from the layer) are left out of the value. Writes the value, its basis, date and the
 * value per sq ft into `merged.normalized.pricing` (as `computeFinancials` does). Pure.
 */
export function valueAndUnderwrite(
  raw: { _id: string },
  { merged, records }: MergedSources,
  market: ValuationMarket,
  today: string,
  settings: FinancialSettings,
  overrides: UnderwritingOverrides | null,
  corrections: AnalystCorrections = {},
  excludedSaleIds: readonly string[] = [],
): ValuedProperty {
  const facts = valuationFacts(records);
  const features = correctedFeatures(subjectFeatures(records), corrections);
  const financials = computeFinancials({ id: raw._id, features, normalized: merged.normalized, facts, excludedSaleIds }, market, today, settings);
  if (overrides) {
    const inputs = applyOverrides(financials.underwriting.inputs, overrides);
    financials.underwriting = { inputs, result: underwrite(inputs, settings.rules) };
  }
  return { financials, facts };
}
