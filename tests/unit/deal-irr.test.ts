import { describe, expect, it } from 'vitest';
import { internalRateOfReturn, irrOf, netPresentValue } from '../../src/shared/deal/irr.js';

describe('internal rate of return', () => {
  // Microsoft Support, "IRR function": −70,000 then 12,000, 15,000, 18,000, 21,000, 26,000; the
  // spreadsheet gives −2.1% after four years, 8.7% after five and −44.4% after two (guess −10%).
  // The digits: tests/unit/deal-worked-example.py (bisection in 60-digit decimals, checked by Newton).
  it.each([
    [[-70_000, 12_000, 15_000, 18_000, 21_000], -0.0212448483],
    [[-70_000, 12_000, 15_000, 18_000, 21_000, 26_000], 0.086630948],
    [[-70_000, 12_000, 15_000], -0.4435069413],
  ])('%j → %f, to 1e-6 of the spreadsheet IRR', (flows, want) => {
    const irr = internalRateOfReturn(flows)!;
    expect(Math.abs(irr - want)).toBeLessThan(1e-6);
    expect(Math.abs(netPresentValue(irr, flows))).toBeLessThan(1e-6);
  });
  it('a loan of 100 repaid with 110 a year later earns 10%; a zero return is 0%', () => {
    expect(internalRateOfReturn([-100, 110])).toBeCloseTo(0.1, 10);
    expect(internalRateOfReturn([-100, 50, 50])).toBeCloseTo(0, 10);
  });
  it.each([
    [[100, 10, 20], /no money is put in/],
    [[-100, -10, -20], /no money comes back/],
    [[0, 0], /no cash flows/],
    [[], /no cash flows/],
  ])('%j has no sign change: undefined (null), with the reason, never NaN', (flows, reason) => {
    expect(internalRateOfReturn(flows)).toBeNull();
    expect(irrOf(flows)).toEqual({ irr: null, irrUndefined: expect.stringMatching(reason) });
  });
  it('flows that change sign but whose NPV never reaches 0 have no IRR', () => {
    // −100, +300, −300: NPV = −100 + 300/(1+r) − 300/(1+r)² is below 0 at every rate.
    expect(irrOf([-100, 300, -300])).toEqual({ irr: null, irrUndefined: 'no rate of return makes the net present value zero' });
  });
});
