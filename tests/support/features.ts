import type { PropertyFeatures } from '../../src/shared/valuation/types.js';

/** The facts of a home that a test does not set: unknown (null), as a collector leaves them. */
export const UNKNOWN_DETAILS = {
  lot_size: null,
  pool: null,
  garage_spaces: null,
  hoa_monthly: null,
  land_lease_monthly: null,
  interior_levels: null,
  full_cash_value: null,
  fcv_tax_year: null,
} satisfies Partial<PropertyFeatures>;
