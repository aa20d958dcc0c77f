import { describe, expect, it } from 'vitest';
import { valueAgeMark, wholeMonthsBetween } from '../../src/shared/valuation/value-age.js';

describe('wholeMonthsBetween', () => {
  it.each([
    ['2022-12-20', '2026-12-07', 47],
    ['2026-11-07', '2026-12-07', 1],
    ['2026-11-08', '2026-12-07', 0],
    ['2025-12-07', '2026-12-07', 12],
    ['2026-12-07', '2026-12-07', 0],
  ])('%s to %s is %i months', (from, to, months) => {
    expect(wholeMonthsBetween(from, to)).toBe(months);
  });

  it('is null for a day that is not a date', () => {
    expect(wholeMonthsBetween('tax year 2022', '2026-12-07')).toBeNull();
  });
});

describe('valueAgeMark', () => {
  it.each([
    // Current: 12 months and under say nothing.
    ['2026-12-01', '2026-12-07', null],
    ['2025-12-07', '2026-12-07', null],
    // Older: its age in whole months (the value of 47 months).
    ['2025-11-06', '2026-12-07', '13 mo old'],
    ['2024-12-07', '2026-12-07', '24 mo old'],
    ['2023-01-01', '2026-12-07', '47 mo old'],
    ['2022-12-20', '2026-12-07', '47 mo old'],
  ])('a value of %s seen on %s: %s', (valueDate, today, mark) => {
    expect(valueAgeMark(valueDate, today)).toBe(mark);
  });
});
