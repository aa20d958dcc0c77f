import type { SalesMarket } from './avm.js';
import type { AdjustedComparable, Appraisal, PropertyFeatures } from './types.js';

/**
 * A value steered by the analyst's excluded comparables (issue #23): the model's appraisal of
 * `subject` as of `asOf` (`YYYY-MM-DD`) with `excludedSaleIds` left out (`SalesMarket.appraise`:
 * the next most similar evidence takes their place; the basis, range and confidence follow the
 * model's own rules, so a value left with too few comparables says so: `market_model` below the
 * support `COMPARABLE_SUPPORT` wants, the assessor's value or none with no comparable at all).
 *
 * Each excluded sale the model would have used without the exclusions stays listed after the
 * others, `included: false` and weight 0, with its adjustments as the model made them, and one
 * evidence line names them. With nothing excluded it is the model's appraisal as is. Pure.
 */
export function appraiseExcluding(market: Pick<SalesMarket, 'appraise'>, subject: PropertyFeatures, asOf: string, excludedSaleIds: readonly string[]): Appraisal {
  if (excludedSaleIds.length === 0) return market.appraise(subject, asOf);
  const excluded = new Set(excludedSaleIds);
  const steered = market.appraise(subject, asOf, { excludedSaleIds: [...excluded] });
  const left: AdjustedComparable[] = market
    .appraise(subject, asOf)
    .comparables.filter((c) => excluded.has(c.sale_id))
    .map((c) => ({ ...c, included: false, weight: 0 }));
  if (left.length === 0) return steered;
  const named = left.map((c) => `${c.address ?? c.parcel_number ?? c.property_id} (${c.date}, $${c.price.toLocaleString('en-US')})`).join('; ');
  const line = `${left.length === 1 ? '1 comparable' : `${left.length} comparables`} excluded by the analyst, valued without ${left.length === 1 ? 'it' : 'them'} (the next most similar in ${left.length === 1 ? 'its' : 'their'} place): ${named}`;
  return { ...steered, evidence: [...steered.evidence, line], comparables: [...steered.comparables, ...left] };
}
