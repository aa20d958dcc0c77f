import { ContractError, type ReviewEdits } from '../../shared/contract.js';
import type { NormalizedProperty, ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Clock } from '../runtime/clock.js';
import type { Financials } from './financials.js';
import { validate } from './validate.js';

/** The processed record with the analyst's corrections: normalised fields, description, price per sq ft. */
export function correctedRecord(p: ProcessedProperty, edits: ReviewEdits): { normalized: NormalizedProperty; description: string } {
  const details = { ...p.normalized.details };
  for (const k of ['bedrooms', 'bathrooms', 'square_feet', 'year_built'] as const) if (edits[k] !== undefined) details[k] = edits[k];
  const listPrice = edits.list_price ?? p.normalized.pricing.list_price;
  const sizeOrPriceEdited = edits.list_price !== undefined || edits.square_feet !== undefined;
  const pricePerSqft = sizeOrPriceEdited
    ? listPrice !== null && details.square_feet
      ? Math.round((listPrice / details.square_feet) * 100) / 100
      : null
    : p.normalized.pricing.price_per_sqft;
  return {
    normalized: { ...p.normalized, details, pricing: { ...p.normalized.pricing, list_price: listPrice, price_per_sqft: pricePerSqft } },
    description: edits.description ?? p.llm_enrichment.description,
  };
}

/** The investment figures as the processed record keeps them, in the validator's shape. */
function financialsOf(p: ProcessedProperty): Financials {
  const a = p.llm_enrichment.investment_analysis;
  return {
    rental_estimate: a.rental_estimate,
    net_operating_income: a.net_operating_income ?? null,
    cap_rate: a.cap_rate,
    market_trend: a.market_trend,
    recommendation: a.recommendation as Financials['recommendation'],
    recommendation_reason: a.recommendation_reason ?? '',
  };
}

/**
 * Approve one item held for review, with the analyst's corrections if any. The corrected record
 * is scored again with the same rubric (`validate`), and the processed record, the property
 * list's summary (what it shows, filters and sorts on) and the queue are written before this
 * returns, so every view agrees at once.
 *
 * Errors (ContractError): NOT_FOUND for an unknown id; CONFLICT when the item is not held for
 * review, has no processed record to correct, or changed meanwhile.
 */
export async function approveHeld(repos: Repositories, clock: Clock, id: string, edits: ReviewEdits | undefined): Promise<'completed'> {
  const item = await repos.queue.get(id);
  if (!item) throw new ContractError('NOT_FOUND', `No queue item "${id}".`);
  if (item.status !== 'review') throw new ContractError('CONFLICT', `${id} is ${item.status}, not held for review.`);
  if (edits && Object.keys(edits).length > 0) {
    const processed = await repos.processed.getByRawId(id);
    if (!processed) throw new ContractError('CONFLICT', `${id} has no processed record to correct; send it back for processing instead.`);
    const corrected = correctedRecord(processed, edits);
    const enrichment = processed.llm_enrichment;
    const { score, reasons } = validate(corrected.normalized, financialsOf(processed), { description: corrected.description, key_features: enrichment.key_features, investment_summary: enrichment.investment_summary ?? '' }, clock());
    await repos.processed.applyReview(id, edits, clock(), { score, reasons, pricePerSqft: corrected.normalized.pricing.price_per_sqft });
    const raw = await repos.raw.getData(id);
    const estimated = raw?.summary.estimated?.filter((f) => !(f in edits));
    const d = corrected.normalized.details;
    await repos.raw.correctSummary(id, {
      ...(edits.bedrooms !== undefined && { bedrooms: d.bedrooms }),
      ...(edits.bathrooms !== undefined && { bathrooms: d.bathrooms }),
      ...(edits.square_feet !== undefined && { square_feet: d.square_feet }),
      ...(edits.year_built !== undefined && { year_built: d.year_built }),
      ...(edits.list_price !== undefined && { price: edits.list_price }),
      ...(estimated && { estimated }),
      quality_score: score,
    });
  }
  if (!(await repos.queue.approve(id))) throw new ContractError('CONFLICT', `${id} changed meanwhile; reload the review list.`);
  return 'completed';
}
