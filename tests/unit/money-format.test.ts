import { describe, expect, it } from 'vitest';
import { money } from '../../src/shared/money-format.js';

describe('money', () => {
  it('shows cents from $1 up, with separators', () => {
    expect(money(0)).toBe('$0.00');
    expect(money(1)).toBe('$1.00');
    expect(money(1234.5)).toBe('$1,234.50');
  });

  it('shows an amount under $1 to two significant digits, never as $0.00', () => {
    expect(money(0.25)).toBe('$0.25');
    expect(money(0.05)).toBe('$0.050');
    expect(money(0.0046)).toBe('$0.0046');
    expect(money(0.000012)).toBe('$0.000012');
    expect(money(0.0000001)).toBe('$0.000000');
    expect(money(-0.003)).toBe('-$0.0030');
  });

  it('keeps a fixed number of decimals when asked', () => {
    expect(money(0.0046, 2)).toBe('$0.00');
    expect(money(12.3456, 4)).toBe('$12.3456');
  });
});
