import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, backoffDelayMs } from '../../src/shared/backoff.js';

const policy = { baseMs: 1000, maxMs: 30_000 };

describe('backoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [60, 30_000],
  ])('attempt %i has ceiling %i ms', (attempt, ceiling) => {
    expect(backoffCeilingMs(attempt, policy)).toBe(ceiling);
  });

  it('full jitter spans [0, ceiling), equal jitter [ceiling/2, ceiling)', () => {
    expect(backoffDelayMs(3, { ...policy, jitter: 'full' }, () => 0)).toBe(0);
    expect(backoffDelayMs(3, { ...policy, jitter: 'full' }, () => 0.999)).toBe(3996);
    expect(backoffDelayMs(3, { ...policy, jitter: 'equal' }, () => 0)).toBe(2000);
    expect(backoffDelayMs(3, { ...policy, jitter: 'equal' }, () => 0.5)).toBe(3000);
    expect(backoffDelayMs(3, { ...policy, jitter: 'none' }, () => 0.5)).toBe(4000);
  });
});
