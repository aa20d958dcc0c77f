/**
 * How a value is written with its range, in the Properties list and on the property page: the
 * value is always called an estimate, and its range says what share of real sales such a range
 * holds.
 */

/**
 * Dollars in short form for a range's ends: `$380k` from $1,000 up, `$1.25M` from $1,000,000
 * (three significant digits), whole dollars below $1,000.
 */
export function compactDollars(n: number): string {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a >= 1_000_000) return `${sign}$${Number((a / 1_000_000).toPrecision(3))}M`;
  if (a >= 1_000) return `${sign}$${Math.round(a / 1_000)}k`;
  return `${sign}$${Math.round(a)}`;
}

/**
 * `$412,000 est. ($380k–$445k, 80%)`: the value (dollars), "est.", and the range (dollars)
 * with the share of sales it is made to hold (`level`, a fraction: 0.8 → 80%). Without a range,
 * `$412,000 est.`; without a value, `—`.
 */
export function valueRangeText(value: number | null | undefined, low: number | null | undefined, high: number | null | undefined, level = 0.8): string {
  if (value == null) return '—';
  const v = `$${Math.round(value).toLocaleString('en-US')} est.`;
  if (low == null || high == null) return v;
  return `${v} (${compactDollars(low)}–${compactDollars(high)}, ${Math.round(level * 100)}%)`;
}
