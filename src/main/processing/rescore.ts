import type { ProcessedProperty } from '../../shared/schemas/processed-property.js';
import { estimateRent } from '../../shared/underwriting/rent.js';
import { underwrite } from '../../shared/underwriting/underwrite.js';
import type { FinancialSettings } from './financials.js';
import { validate } from './validate.js';

/** The parts of a processed record an analyst's correction changes. */
export type Rescored = Pick<ProcessedProperty, 'normalized' | 'underwriting' | 'valuation' | 'quality_score' | 'quality_reasons' | 'quality_notes'> & {
  investment_analysis: ProcessedProperty['llm_enrichment']['investment_analysis'];
};

/**
 * A processed record recomputed after the analyst corrected its fields (no model call): the
 * value follows a corrected asking price when the value is the listing's, the value per sq ft
 * and the rent follow a corrected size or bedroom count, the underwriting is redone with the
 * stored inputs, and the quality is scored again (a corrected field is measured, not estimated).
 * Null for a record processed before values had a basis (it has nothing to recompute from:
 * reprocess it instead).
 */
export function rescore(doc: ProcessedProperty, s: FinancialSettings, now: Date): Rescored | null {
  if (!doc.underwriting || !doc.valuation || !doc.quality_facts) return null;
  const normalized = structuredClone(doc.normalized);
  const valuation = structuredClone(doc.valuation);
  const p = normalized.pricing;
  if (p.value_basis === 'active_listing' && p.list_price !== null) {
    p.value = p.list_price;
    valuation.value.value = p.list_price;
    valuation.value.evidence = [...valuation.value.evidence, `asking price corrected by the analyst to $${p.list_price.toLocaleString('en-US')}`];
  }
  const sqft = normalized.details.square_feet;
  p.price_per_sqft = p.value != null && sqft ? Math.round((p.value / sqft) * 100) / 100 : null;
  const rent = estimateRent({ zip: normalized.address.zip, bedrooms: normalized.details.bedrooms, square_feet: sqft }, s.rent);
  const inputs = { ...doc.underwriting.inputs, price: p.value ?? null, rent };
  const underwriting = { inputs, result: underwrite(inputs) };
  const v = validate(
    { normalized, field_sources: doc.field_sources ?? {}, valuation, underwriting, facts: doc.quality_facts, prose: { ...doc.llm_enrichment, investment_summary: doc.llm_enrichment.investment_summary ?? '' } },
    now,
  );
  const u = underwriting.result;
  return {
    normalized,
    valuation,
    underwriting,
    quality_score: v.score,
    quality_reasons: v.reasons,
    quality_notes: v.notes,
    investment_analysis: {
      ...doc.llm_enrichment.investment_analysis,
      rental_estimate: rent.monthly,
      cap_rate: u.cap_rate,
      recommendation: u.recommendation,
      net_operating_income: u.net_operating_income,
      recommendation_reason: u.reasons.join('; '),
    },
  };
}
