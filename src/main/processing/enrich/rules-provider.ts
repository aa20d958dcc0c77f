import type { EnrichmentInput, EnrichmentProvider, EnrichmentResult } from './provider.js';
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

const BASIS_WORDS: Record<string, string> = { listing: 'list price', last_sale: 'last sale price', assessed_value: 'assessed value' };

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
    if (n.pricing.list_price !== null && n.pricing.price_basis) {
      sentences.push(`Its ${BASIS_WORDS[n.pricing.price_basis]} is ${usd(n.pricing.list_price)}.`);
    }

    const features = input.facts.filter((fact) => fact !== 'bathrooms estimated').slice(0, 4);
    if (d.year_built !== null) features.push(`Built ${d.year_built}`);
    if (d.lot_sqft !== null) features.push(`${sqft(d.lot_sqft)} lot`);
    if (features.length === 0) features.push(kind);

    const summary =
      f.rental_estimate !== null && f.net_operating_income !== null && f.cap_rate !== null
        ? `Estimated rent of ${usd(f.rental_estimate)} a month gives a net operating income of ${usd(f.net_operating_income)} a year and a cap rate of ${percent(f.cap_rate)}. Recommendation: ${f.recommendation} (${f.recommendation_reason}).`
        : `Recommendation: ${f.recommendation} (${f.recommendation_reason}).`;
    return { output: { description: sentences.join(' '), key_features: features.slice(0, 6), investment_summary: summary }, calls: [] };
  }
}
