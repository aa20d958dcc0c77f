import { describe, expect, it } from 'vitest';
import { addDays, dayRange, phoenixDay } from '../../src/shared/phoenix-time.js';

describe('Phoenix days', () => {
  it('turns at 07:00 UTC all year (no daylight saving)', () => {
    expect(phoenixDay(new Date('2026-01-15T06:59:59Z'))).toBe('2026-01-14');
    expect(phoenixDay(new Date('2026-01-15T07:00:00Z'))).toBe('2026-01-15');
    expect(phoenixDay(new Date('2026-07-15T06:59:59Z'))).toBe('2026-07-14');
    expect(phoenixDay(new Date('2026-07-15T07:00:00Z'))).toBe('2026-07-15');
  });

  it('steps across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(dayRange('2026-01-02', 3)).toEqual(['2025-12-31', '2026-01-01', '2026-01-02']);
  });
});
