import type { EnrichmentInput, EnrichmentProvider, EnrichmentResult } from './provider.js';
import { VALUE_BASIS_LABELS } from '../../../shared/underwriting/value.js';
import { percent, sqft, usd } from './format.js';

/** How the rules provider's enrichments are labelled (`processing_metadata.llm_model`). */
export const RULES_MODEL = 'rules-v1';
import { PROMPT_VERSION } from './prompt.js';

const TYPE_WORDS: Record<string, string> = {
  single_family: 'Single-family home',
  condo: 'Condominium',
  townhouse: 'Townhouse',
  multi_family: 'Multi-family property',
  mobile_home: 'Manufactured home',
  land: 'Lot',
  commercial: 'Commercial property',
  other: 'Property',
};


/**
 * Description, key features and summary written from the data alone: no network, no cost,
 * deterministic. The default when no LLM key is set.
 */
export class RulesProvider implements EnrichmentProvider {
  readonly model = RULES_MODEL;
  readonly promptVersion = PROMPT_VERSION;

  async enrich(input: EnrichmentInput): Promise<EnrichmentResult> {
    const n = input.normalized;
    const d = n.details;
    const f = input.financials;
    const where = [n.address.street, n.address.city].filter(Boolean).join(', ') || 'this address';
    const kind = TYPE_WORDS[d.property_type ?? 'other'] ?? 'Property';
    const size: string[] = [];
    if (d.bedrooms !== null) size.push(`${d.bedrooms} bedrooms`);
    if (d.bathrooms !== null) size.push(`${d.bathrooms} bathrooms${input.facts.includes('bathrooms estimated') ? ' (estimated)' : ''}`);
    if (d.square_feet !== null) size.push(sqft(d.square_feet));
    const sentences = [`${kind} at ${where}${size.length ? ` with ${size.join(', ')}` : ''}.`];
    if (d.year_built !== null) sentences.push(`Built in ${d.year_built}${d.lot_sqft !== null ? ` on a ${sqft(d.lot_sqft)} lot` : ''}.`);
    else if (d.lot_sqft !== null) sentences.push(`It sits on a ${sqft(d.lot_sqft)} lot.`);
    const value = n.pricing.value ?? null;
    if (value !== null && n.pricing.value_basis) {
      const label = VALUE_BASIS_LABELS[n.pricing.value_basis];
      sentences.push(
        n.pricing.value_basis === 'active_listing'
          ? `It is listed at ${usd(value)}.`
          : `Its estimated value is ${usd(value)} (${label}${n.pricing.value_date ? ` of ${n.pricing.value_date}` : ''}).`,
      );
    }

    const features = input.facts.filter((fact) => fact !== 'bathrooms estimated').slice(0, 4);
    if (d.year_built !== null) features.push(`Built ${d.year_built}`);
    if (d.lot_sqft !== null) features.push(`${sqft(d.lot_sqft)} lot`);
    if (features.length === 0) features.push(kind);

    const u = f.underwriting.result;
    const rent = f.underwriting.inputs.rent.monthly;
    const failed = u.reasons.filter((r) => r.startsWith('✗') && !r.includes('1% rule')).map((r) => r.slice(2));
    const why = u.recommendation === 'insufficient data' ? u.reasons.join('; ') : failed.length ? failed.join('; ') : 'every rule holds';
    const summary =
      rent !== null && u.net_operating_income !== null && u.cap_rate !== null && u.cash_flow_monthly !== null
        ? `Estimated rent of ${usd(rent)} a month gives a net operating income of ${usd(u.net_operating_income)} a year, a cap rate of ${percent(u.cap_rate)} and ${u.cash_flow_monthly < 0 ? 'a negative' : 'a'} monthly cash flow of ${usd(Math.abs(u.cash_flow_monthly))} after the loan. Recommendation: ${u.recommendation} (${why}).`
        : `Recommendation: ${u.recommendation} (${why}).`;
    return { output: { description: sentences.join(' '), key_features: features.slice(0, 6), investment_summary: summary }, calls: [] };
  }
}
