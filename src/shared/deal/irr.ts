/**
 * Net present value and internal rate of return of yearly cash flows.
 *
 * Sources: the IRR definition (Brealey, Myers & Allen, "Principles of Corporate Finance", ch. 5):
 * the rate r at which NPV(r) = Σ_t CF_t ÷ (1 + r)^t = 0, t = 0 for the first flow, as a
 * spreadsheet's IRR computes it (Microsoft Support, "IRR function": the flows are at regular
 * intervals, the first one now).
 *
 * The flows must change sign for a rate to exist (money paid in and money got back); with one
 * change NPV falls steadily with the rate on (−1, ∞) and there is exactly one root. With several
 * changes there may be several: the one nearest the spreadsheet's default guess of 10% is
 * returned, as a spreadsheet's IRR would find from there.
 */

/** NPV in dollars of `cashFlows` (dollars, the first one at t = 0) at `rate` (a fraction a period, > −1). */
export function netPresentValue(rate: number, cashFlows: readonly number[]): number {
  let total = 0;
  for (let t = 0; t < cashFlows.length; t += 1) total += cashFlows[t]! / (1 + rate) ** t;
  return total;
}

/** Why an IRR is undefined, in words; null when it is defined. */
export function irrUndefinedReason(cashFlows: readonly number[]): string | null {
  const nonZero = cashFlows.filter((c) => c !== 0);
  if (nonZero.length === 0) return 'no cash flows';
  if (nonZero.every((c) => c > 0)) return 'no money is put in: every cash flow is positive, so no rate of return is defined';
  if (nonZero.every((c) => c < 0)) return 'no money comes back: every cash flow is negative, so no rate of return is defined';
  return null;
}

const GUESS = 0.1;
const LOWEST = -0.999_999;
const HIGHEST = 1e6;
const TOLERANCE = 1e-12;

/**
 * The internal rate of return, a fraction a period (0.0866 = 8.66%), of `cashFlows` (dollars, the
 * first at t = 0); null when it is undefined (no sign change: `irrUndefinedReason` says why) or
 * no rate in (−100%, 10^8 %) makes the NPV zero. Never NaN.
 *
 * Found by bisection on a bracket where the NPV changes sign (rates from −99.9999% up), the
 * bracket nearest 10% first, to 1e-12.
 */
export function internalRateOfReturn(cashFlows: readonly number[]): number | null {
  if (irrUndefinedReason(cashFlows) !== null) return null;
  const brackets = signChanges(cashFlows);
  if (brackets.length === 0) return null;
  brackets.sort((a, b) => distanceToGuess(a) - distanceToGuess(b));
  const [lo0, hi0] = brackets[0]!;
  let lo = lo0;
  let hi = hi0;
  let fLo = netPresentValue(lo, cashFlows);
  for (let i = 0; i < 400 && hi - lo > TOLERANCE * Math.max(1, Math.abs(lo)); i += 1) {
    const mid = (lo + hi) / 2;
    const fMid = netPresentValue(mid, cashFlows);
    if (fMid === 0) return mid;
    if (Math.sign(fMid) === Math.sign(fLo)) {
      lo = mid;
      fLo = fMid;
    } else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Rate intervals [lo, hi] on which the NPV changes sign, scanning a grid finer near 0. */
function signChanges(cashFlows: readonly number[]): [number, number][] {
  const grid: number[] = [LOWEST];
  for (let r = -0.99; r < 1; r += 0.01) grid.push(r);
  for (let r = 1; r < HIGHEST; r *= 1.1) grid.push(r);
  grid.push(HIGHEST);
  const out: [number, number][] = [];
  let prev = netPresentValue(grid[0]!, cashFlows);
  for (let k = 1; k < grid.length; k += 1) {
    const value = netPresentValue(grid[k]!, cashFlows);
    if (Number.isFinite(prev) && Number.isFinite(value) && Math.sign(value) !== Math.sign(prev)) out.push([grid[k - 1]!, grid[k]!]);
    prev = value;
  }
  return out;
}

function distanceToGuess([lo, hi]: [number, number]): number {
  return lo <= GUESS && GUESS <= hi ? 0 : Math.min(Math.abs(lo - GUESS), Math.abs(hi - GUESS));
}

/** The IRR of `cashFlows` with, when it is undefined, why in words (never NaN shown as a number). */
export function irrOf(cashFlows: readonly number[]): { irr: number | null; irrUndefined: string | null } {
  const irr = internalRateOfReturn(cashFlows);
  if (irr !== null) return { irr, irrUndefined: null };
  return { irr: null, irrUndefined: irrUndefinedReason(cashFlows) ?? 'no rate of return makes the net present value zero' };
}
