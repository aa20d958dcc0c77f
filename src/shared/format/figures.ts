/**
 * How the property page and the property report write their figures, one set of pure functions
 * for both so the PDF an investor hands on cannot disagree with the page (issue #23).
 */

/** Whole dollars with separators and the sign in front ("$245,000", "-$1,210"); null or undefined: "—". */
export const dollars = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n < 0 ? '-' : ''}$${Math.round(Math.abs(n)).toLocaleString('en-US')}`);

/** A fraction (0.0364) as a percent with `digits` decimals ("3.6%", `digits` 2: "3.64%"); null or undefined: "—". */
export const percent = (ratio: number | null | undefined, digits = 1) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)}%`);

/** A coverage ratio (the DSCR, NOI ÷ debt service) to two decimals ("1.18"); null (no loan): "—". */
export const coverage = (ratio: number | null) => (ratio === null ? '—' : ratio.toFixed(2));

/** The mark after a figure that is an estimate; its reason goes beside it (the page: on hover). */
export const ESTIMATE_MARK = 'est.';

/** What the page and the report say after the value: it is an estimate, never a price. */
export const VALUE_IS_ESTIMATE = '(an estimate)';

/** The cash flow as the page says it: "$-… a month ($… a year)", dollars a month and a year. */
export const cashFlowText = (monthly: number | null, annual: number | null) => `${dollars(monthly)} a month (${dollars(annual)} a year)`;

/** A signed amount of dollars, as an adjustment is written ("+$12,400", "-$3,100"). */
export const signedDollars = (n: number) => `${n >= 0 ? '+' : '-'}${dollars(Math.abs(n))}`;

/** The rent's basis in words (`RentEstimate.basis`, `underwriting/rent.ts`). */
export const RENT_BASIS_LABELS: Record<string, string> = {
  rent_comparables: 'rent comparables',
  safmr: 'HUD Small Area FMR',
  zip_bedrooms: 'ZIP × bedrooms rent',
  rent_per_sqft: 'rent per sq ft',
  what_if: 'what-if',
};

/** The property tax's basis in words (`TaxEstimate.basis`, `underwriting/property-tax.ts`). */
export const TAX_BASIS_LABELS: Record<string, string> = { tax_area_rate: 'LPV × ratio × tax area rate', listing_taxes: 'taxes stated by the listing', effective_rate: 'effective rate of value', what_if: 'what-if' };

/** The rent as the page says it: "$1,400 a month (80% range $1,250–$1,560)", dollars a month; none known: "—". */
export const rentText = (rent: { monthly: number | null; low?: number | null; high?: number | null }) =>
  rent.monthly === null ? '—' : `${dollars(rent.monthly)} a month${rent.low != null && rent.high != null ? ` (80% range ${dollars(rent.low)}–${dollars(rent.high)})` : ''}`;
