import { describe, expect, it } from 'vitest';
import { BASIS_SHORT, LEGACY_VALUE_BASES, STORED_VALUE_BASES, VALUE_BASIS_LABELS, isLegacyBasis } from '../../src/shared/valuation/basis-labels.js';
import { listToValue, listToValueWords } from '../../src/shared/valuation/list-to-value.js';
import { APPRAISAL_BASES } from '../../src/shared/valuation/types.js';
import { compactDollars, valueRangeText } from '../../src/shared/valuation/value-range-text.js';

describe('list ÷ value', () => {
  it.each([
    [379_000, 412_000, 0.9199],
    [412_000, 412_000, 1],
    [432_600, 412_000, 1.05],
    [null, 412_000, null],
    [379_000, null, null],
    [379_000, 0, null],
    [0, 412_000, null],
  ])('asking %s over value %s is %s', (price, value, ratio) => {
    expect(listToValue(price, value)).toBe(ratio);
  });

  it.each([
    [0.92, '8% under value'],
    [0.9199, '8% under value'],
    [1.05, '5% over value'],
    [1.004, 'at value'],
    [0.996, 'at value'],
    [0.5, '50% under value'],
  ])('%s reads "%s"', (ratio, words) => {
    expect(listToValueWords(ratio)).toBe(words);
  });

  it('names what it compares with', () => {
    expect(listToValueWords(0.92, 'its estimated value')).toBe('8% under its estimated value');
    expect(listToValueWords(1, 'its estimated value')).toBe('at its estimated value');
  });
});

describe('a value with its range', () => {
  it('writes the value as an estimate with its 80% range in short dollars', () => {
    expect(valueRangeText(412_000, 380_000, 445_000)).toBe('$412,000 est. ($380k–$445k, 80%)');
    expect(valueRangeText(1_250_000, 1_010_000, 1_520_000, 0.8)).toBe('$1,250,000 est. ($1.01M–$1.52M, 80%)');
    expect(valueRangeText(412_000, null, null)).toBe('$412,000 est.');
    expect(valueRangeText(null, 380_000, 445_000)).toBe('—');
  });

  it.each([
    [380_400, '$380k'],
    [999, '$999'],
    [1_000_000, '$1M'],
    [2_345_678, '$2.35M'],
    [-12_500, '-$13k'],
  ])('%s in short is %s', (n, text) => {
    expect(compactDollars(n)).toBe(text);
  });
});

describe('basis labels', () => {
  it("cover every appraisal basis and every legacy one, and tell them apart", () => {
    expect([...STORED_VALUE_BASES].sort()).toEqual([...APPRAISAL_BASES, ...LEGACY_VALUE_BASES].sort());
    for (const b of STORED_VALUE_BASES) {
      expect(VALUE_BASIS_LABELS[b], b).toMatch(/\w/);
      expect(BASIS_SHORT[b], b).toMatch(/\w/);
    }
    expect(APPRAISAL_BASES.filter(isLegacyBasis)).toEqual([]);
    expect(LEGACY_VALUE_BASES.every(isLegacyBasis)).toBe(true);
    // The asking price is never a basis of the automated valuation.
    expect(APPRAISAL_BASES).not.toContain('active_listing');
  });
});
