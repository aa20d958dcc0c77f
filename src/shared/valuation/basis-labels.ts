import { APPRAISAL_BASES, type AppraisalBasis } from './types.js';

/**
 * The bases of values stored before the automated valuation (issue #21): an active listing's
 * asking price and a recent sale. Neither is made any more (the asking price is the price, never
 * the value); they stay readable on stored documents until those are reprocessed.
 */
export const LEGACY_VALUE_BASES = ['active_listing', 'recent_sale'] as const;
export type LegacyValueBasis = (typeof LEGACY_VALUE_BASES)[number];

/** Every basis a stored value may carry: the appraisal's (`types.ts` APPRAISAL_BASES), then the legacy ones. */
export const STORED_VALUE_BASES = [...APPRAISAL_BASES, ...LEGACY_VALUE_BASES] as const;
export type StoredValueBasis = AppraisalBasis | LegacyValueBasis;

/** Words for a basis, as the list's title, the property page, the CSV's reader and the prose write it. */
export const VALUE_BASIS_LABELS: Record<StoredValueBasis, string> = {
  comparable_sales: 'comparable-sales estimate',
  market_model: 'market-model estimate',
  assessor_fcv_ratio: "assessor full cash value × the ZIP's sale-to-FCV ratio",
  area_sales: 'area sales estimate',
  active_listing: 'active listing price',
  recent_sale: 'recent sale',
  assessor_full_cash_value: 'unadjusted assessor full cash value',
};

/** Short words for a basis in a list cell (the full label is the cell's title). */
export const BASIS_SHORT: Record<StoredValueBasis, string> = {
  comparable_sales: 'comps',
  market_model: 'model',
  assessor_fcv_ratio: 'FCV × ratio',
  area_sales: 'area',
  active_listing: 'listing',
  recent_sale: 'sale',
  assessor_full_cash_value: 'FCV',
};

/** Whether a stored basis is one the automated valuation no longer makes (the record wants reprocessing). */
export function isLegacyBasis(basis: StoredValueBasis): basis is LegacyValueBasis {
  return (LEGACY_VALUE_BASES as readonly string[]).includes(basis);
}
