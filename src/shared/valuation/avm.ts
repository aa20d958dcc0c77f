import type { Appraisal, MarketSale, PropertyFeatures } from './types.js';

/** Options of one appraisal. */
export interface AppraiseOptions {
  /** Sale ids the analyst excluded from the comparables. */
  excludedSaleIds?: readonly string[];
}

/**
 * The validated market sales of the analyst's area, searchable as of any day: what the model
 * values a subject from. (Interface fixed; the model lands in this file.)
 */
export class SalesMarket {
  constructor(readonly sales: readonly MarketSale[]) {}

  /**
   * The value of `subject` as of `asOf` (`YYYY-MM-DD`), from the sales recorded on or before that
   * day only (what was known then), never from the subject's own sales.
   */
  appraise(subject: PropertyFeatures, asOf: string, options: AppraiseOptions = {}): Appraisal {
    void subject;
    void asOf;
    void options;
    throw new Error('SalesMarket.appraise: the model is not in yet');
  }
}
