import type { NormalizedProperty } from '../../../shared/schemas/processed-property.js';
import { VALUE_BASIS_LABELS } from '../../../shared/valuation/basis-labels.js';
import { listToValue, listToValueWords } from '../../../shared/valuation/list-to-value.js';
import type { Appraisal } from '../../../shared/valuation/types.js';
import type { EnrichmentOutput } from './output-schema.js';
import type { EnrichmentInput, EnrichmentProvider, EnrichmentResult } from './provider.js';
import { percent, sqft, usd } from './format.js';
import { counted } from '../../../shared/plural.js';

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
 * The value and the asking price in words. The value is always called an estimate, with its basis,
 * date, 80% range and confidence when the automated valuation gave them (`Appraisal`); the asking
 * price is the price, said apart, with list ÷ value ("listed at $379,000, 8% under its estimated
 * value"). Every figure is one the validator finds in the data (`validate.ts` checkProse).
 */
export function valueSentences(pricing: NormalizedProperty['pricing'], appraisal: Appraisal | undefined): string[] {
  const sentences: string[] = [];
  const value = pricing.value ?? null;
  const basis = pricing.value_basis ?? null;
  if (value !== null && basis !== null) {
    const of = `${VALUE_BASIS_LABELS[basis]}${pricing.value_date ? ` of ${pricing.value_date}` : ''}`;
    const range =
      appraisal && appraisal.low !== null && appraisal.high !== null
        ? `${Math.round(appraisal.range_level * 100)}% range ${usd(appraisal.low)}–${usd(appraisal.high)}${appraisal.confidence ? `, ${appraisal.confidence} confidence` : ''}; `
        : '';
    sentences.push(`Its estimated value is ${usd(value)} (${range}${of}).`);
  }
  if (pricing.list_price !== null && pricing.list_price > 0) {
    const ratio = appraisal ? listToValue(pricing.list_price, appraisal.value) : null;
    sentences.push(`It is listed at ${usd(pricing.list_price)}${ratio === null ? '' : `, ${listToValueWords(ratio, 'its estimated value')}`}.`);
  }
  return sentences;
}

/**
 * Description, key features and summary written from the data alone: no network, no cost,
 * deterministic. The default when no LLM key is set.
 */
export class RulesProvider implements EnrichmentProvider {
  readonly model = RULES_MODEL;
  readonly promptVersion = PROMPT_VERSION;

  async enrich(input: EnrichmentInput): Promise<EnrichmentResult> {
    return { output: rulesEnrichment(input), calls: [] };
  }
}

/**
 * The rules provider's prose of a property (pure, no model): a description of its facts and
 * value (with its range and basis), key features, and the investment summary of its figures.
 * Rewritten whenever the figures change (`rescore`), so the prose never quotes a stale figure.
 */
export function rulesEnrichment(input: EnrichmentInput): EnrichmentOutput {
  const n = input.normalized;
  const d = n.details;
  const f = input.financials;
  const where = [n.address.street, n.address.city].filter(Boolean).join(', ') || 'this address';
  const kind = TYPE_WORDS[d.property_type ?? 'other'] ?? 'Property';
  const size: string[] = [];
  if (d.bedrooms !== null) size.push(counted(d.bedrooms, 'bedroom'));
  if (d.bathrooms !== null) size.push(`${counted(d.bathrooms, 'bathroom')}${input.facts.includes('bathrooms estimated') ? ' (estimated)' : ''}`);
  if (d.square_feet !== null) size.push(sqft(d.square_feet));
  const sentences = [`${kind} at ${where}${size.length ? ` with ${size.join(', ')}` : ''}.`];
  if (d.year_built !== null) sentences.push(`Built in ${d.year_built}${d.lot_sqft !== null ? ` on a ${sqft(d.lot_sqft)} lot` : ''}.`);
  else if (d.lot_sqft !== null) sentences.push(`It sits on a ${sqft(d.lot_sqft)} lot.`);
  sentences.push(...valueSentences(n.pricing, f.valuation.appraisal));

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
  return { description: sentences.join(' '), key_features: features.slice(0, 6), investment_summary: summary };
}
