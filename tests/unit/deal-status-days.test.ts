import { describe, expect, it } from 'vitest';
import { daysInStatus } from '../../src/shared/schemas/deal-pipeline.js';

/** Days in status on the Pipeline's cards: whole 24-hour days since the move, never negative. */
describe('daysInStatus', () => {
  const since = new Date('2026-11-02T17:00:00Z');
  it.each([
    ['the moment of the move', '2026-11-02T17:00:00Z', 0],
    ['a minute short of a day', '2026-11-03T16:59:00Z', 0],
    ['a day to the minute', '2026-11-03T17:00:00Z', 1],
    ['3 days and 23 hours', '2026-11-06T16:00:00Z', 3],
    ['across the turn of the year', '2027-01-01T17:00:00Z', 60],
    ['a clock a little behind the one that moved it', '2026-11-02T16:59:30Z', 0],
  ])('%s: %s → %i', (_what, now, days) => {
    expect(daysInStatus(since, new Date(now))).toBe(days);
  });
});
