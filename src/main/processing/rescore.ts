import type { ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { StoredUnderwriting } from '../../shared/schemas/underwriting.js';
import { applyOverrides, type UnderwritingOverrides } from '../../shared/underwriting/overrides.js';
import { estimateRent } from '../../shared/underwriting/rent.js';
import { underwrite } from '../../shared/underwriting/underwrite.js';
import type { FinancialSettings } from './financials.js';
import { RULES_MODEL, rulesEnrichment } from './enrich/rules-provider.js';
import { validate } from './validate.js';

type InvestmentAnalysis = ProcessedProperty['llm_enrichment']['investment_analysis'];

/** The parts of a processed record an analyst's correction changes. */
export type Rescored = Pick<ProcessedProperty, 'normalized' | 'underwriting' | 'valuation' | 'quality_score' | 'quality_reasons' | 'quality_notes'> & {
  investment_analysis: InvestmentAnalysis;
  /** The rules provider's prose rewritten for the new figures (absent for a model's prose, which only reprocessing rewrites). */
  prose?: { description: string; investment_summary: string };
};

/**
 * The underwriting of a processed record at the price it was bought at (its asking price when it
 * was underwritten as a listing, the corrected asking price if the analyst changed it; else the
 * value), the rent its size and bedrooms give, the stored tax, fees and trend, the settings'
 * terms and the analyst's own terms (`overrides`).
 */
export function underwritingOf(doc: Pick<ProcessedProperty, 'normalized' | 'underwriting'> & { underwriting: StoredUnderwriting }, s: FinancialSettings, overrides: UnderwritingOverrides | null | undefined): StoredUnderwriting {
  const n = doc.normalized;
  const rent = estimateRent({ zip: n.address.zip, bedrooms: n.details.bedrooms, square_feet: n.details.square_feet, property_type: n.details.property_type }, s.rent);
  const stored = doc.underwriting.inputs;
  const asking = stored.price_basis === 'asking_price' ? (n.pricing.list_price ?? stored.price) : null;
  const price = asking ?? n.pricing.value ?? null;
  const price_basis = asking !== null ? ('asking_price' as const) : price !== null ? ('value' as const) : null;
  const inputs = applyOverrides({ ...stored, price, price_basis, value: n.pricing.value ?? null, rent, assumptions: s.assumptions }, overrides);
  return { inputs, result: underwrite(inputs, s.rules) };
}

/** The seed's `investment_analysis` from an underwriting. */
export function investmentAnalysisOf(previous: InvestmentAnalysis, u: StoredUnderwriting): InvestmentAnalysis {
  return {
    ...previous,
    rental_estimate: u.inputs.rent.monthly,
    cap_rate: u.result.cap_rate,
    recommendation: u.result.recommendation,
    net_operating_income: u.result.net_operating_income,
    recommendation_reason: u.result.reasons.join('; '),
  };
}

/**
 * A processed record recomputed after the analyst corrected its fields (no model call): the
 * value stays the valuation's (a corrected asking price is the price, never the value: list ÷
 * value follows it in the list's summary), the value per sq ft and the rent follow a corrected
 * size or bedroom count, the underwriting is redone (with the
 * analyst's saved terms), and the quality is scored again (a corrected field is measured, not
 * estimated). Null for a record processed before values had a basis (nothing to recompute from:
 * reprocess it instead).
 */
export function rescore(doc: ProcessedProperty, s: FinancialSettings, now: Date): Rescored | null {
  if (!doc.underwriting || !doc.valuation || !doc.quality_facts) return null;
  const normalized = structuredClone(doc.normalized);
  const valuation = structuredClone(doc.valuation);
  const p = normalized.pricing;
  const sqft = normalized.details.square_feet;
  p.price_per_sqft = p.value != null && sqft ? Math.round((p.value / sqft) * 100) / 100 : null;
  const underwriting = underwritingOf({ normalized, underwriting: doc.underwriting }, s, doc.underwriting_overrides);
  // Prose the rules provider wrote is rewritten for the new figures (it costs nothing); a model's
  // prose stays until the next processing, and the validator says where it no longer agrees.
  // Text the analyst wrote is theirs: never rewritten.
  const edited = new Set(doc.analyst_review?.edited ?? []);
  const generated =
    doc.processing_metadata?.llm_model === RULES_MODEL
      ? rulesEnrichment({ normalized, financials: { valuation, underwriting }, facts: normalized.details.bathrooms_estimated === true ? ['bathrooms estimated'] : [], listingText: null })
      : null;
  const rewritten = generated && {
    description: edited.has('description') ? doc.llm_enrichment.description : generated.description,
    investment_summary: edited.has('investment_summary') ? (doc.llm_enrichment.investment_summary ?? '') : generated.investment_summary,
  };
  const prose = rewritten ? { ...doc.llm_enrichment, ...rewritten } : { ...doc.llm_enrichment, investment_summary: doc.llm_enrichment.investment_summary ?? '' };
  const v = validate({ normalized, field_sources: doc.field_sources ?? {}, valuation, underwriting, facts: doc.quality_facts, prose }, now);
  return {
    normalized,
    valuation,
    underwriting,
    quality_score: v.score,
    quality_reasons: v.reasons,
    quality_notes: v.notes,
    investment_analysis: investmentAnalysisOf(doc.llm_enrichment.investment_analysis, underwriting),
    ...(rewritten && { prose: rewritten }),
  };
}
