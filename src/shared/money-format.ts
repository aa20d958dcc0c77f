/**
 * Dollars as the analyst reads them: `digits` decimals when given; else cents from $1 up (with
 * thousands separators) and, below $1, enough decimals for two significant digits (`$0.0042`,
 * at most six), so a small cost never shows as `$0.00`. Zero is `$0.00`.
 */
export function money(n: number, digits?: number): string {
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  if (digits !== undefined) return `${sign}$${abs.toFixed(digits)}`;
  if (abs === 0 || abs >= 1) return `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  const decimals = Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(abs))));
  return `${sign}$${abs.toFixed(decimals)}`;
}

/** A fraction (0.0625) as a percent with two decimals ("6.25%"). */
export const percent = (fraction: number) => `${(fraction * 100).toFixed(2)}%`;

/**
 * Dollars per square foot, to the cent ("$205.40/sq ft"): a median of prices per sq ft is kept
 * to one decimal (underwriting/comparables.ts), which read as "$205.4" without its cents or unit.
 */
export const perSqft = (n: number) => `${money(n)}/sq ft`;

/** Whole dollars with separators ("$245,000"). */
export const dollars = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
