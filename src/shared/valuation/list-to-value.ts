/**
 * List ÷ value: the asking price over the automated valuation's value, the deal signal investors
 * look for ("listed 8% under value"). The asking price is the price, never the value (issue #21);
 * this ratio is how the two meet.
 */

/**
 * The asking price (dollars) ÷ the value (dollars), as a fraction rounded to four decimals
 * (0.92 = listed 8% under value). Null when the property is not listed or has no value (either
 * missing, zero or negative).
 */
export function listToValue(listPrice: number | null | undefined, value: number | null | undefined): number | null {
  if (listPrice == null || value == null || !(listPrice > 0) || !(value > 0)) return null;
  return Math.round((listPrice / value) * 10_000) / 10_000;
}

/**
 * A list ÷ value fraction in words, to the whole percent: 0.92 → `8% under value`, 1.05 →
 * `5% over value`, within half a percent of 1 → `at value`. `of` names what it is compared with
 * (`its estimated value` in prose).
 */
export function listToValueWords(ratio: number, of = 'value'): string {
  const pct = Math.round(Math.abs(ratio - 1) * 100);
  if (pct === 0) return `at ${of}`;
  return `${pct}% ${ratio < 1 ? 'under' : 'over'} ${of}`;
}
