import { STORED_VALUE_BASES, type StoredValueBasis } from '../valuation/basis-labels.js';

/**
 * A property's value as the pipeline stores it beside the full appraisal
 * (`valuation.value`): the automated valuation's value, basis, date and evidence
 * (`src/shared/valuation/avm.ts`). Every value is an estimate; the asking price is the price,
 * never the value. Documents processed before the automated valuation carry a legacy basis
 * (`basis-labels.ts`) until reprocessed.
 */
export const VALUE_BASES = STORED_VALUE_BASES;
export type ValueBasis = StoredValueBasis;

/** One recorded sale (`data.sales` in raw records): day `YYYY-MM-DD`, price in dollars. */
export interface SaleRecord {
  date: string;
  price: number;
  source?: string;
}

export interface ValueEstimate {
  /** Dollars, or null when nothing can be said. */
  value: number | null;
  basis: ValueBasis | null;
  /** The day the value is as of (`YYYY-MM-DD`). */
  date: string | null;
  /** True for every value the automated valuation makes. */
  estimated: boolean;
  /** One line on how the value was reached, and one on each thing passed over and why. */
  evidence: string[];
}
