/**
 * How old a value is, said in the Properties list beside it, so an old value is never read as a
 * current one (issue #23: "a value 47 months old says so in the row").
 */

/**
 * Months after which a value is no longer current: Fannie Mae's Selling Guide (B4-1.3-08,
 * Comparable Sales) asks for comparables that closed within the last 12 months, so a value as of
 * a day more than 12 months back rests on a market that has moved since.
 */
export const STALE_AFTER_MONTHS = 12;

const DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** Whole months from `from` to `to` (both `YYYY-MM-DD`): 2022-12-20 → 2026-12-07 is 47. Null when either is not a date. */
export function wholeMonthsBetween(from: string, to: string): number | null {
  const a = DAY.exec(from);
  const b = DAY.exec(to);
  if (!a || !b) return null;
  const [ay, am, ad] = a.slice(1).map(Number) as [number, number, number];
  const [by, bm, bd] = b.slice(1).map(Number) as [number, number, number];
  return (by - ay) * 12 + (bm - am) - (bd < ad ? 1 : 0);
}

/**
 * The stale-value mark for a value as of `valueDate` seen on `today` (both `YYYY-MM-DD`, the
 * Phoenix day): null while the value is at most {@link STALE_AFTER_MONTHS} months old (or either
 * day is not a date), else its age in whole months, `47 mo old` (months, not rounded years: a
 * 47-month-old value is not "4 years" nor "3 years" old).
 */
export function valueAgeMark(valueDate: string, today: string): string | null {
  const months = wholeMonthsBetween(valueDate, today);
  if (months === null || months <= STALE_AFTER_MONTHS) return null;
  return `${months} mo old`;
}
