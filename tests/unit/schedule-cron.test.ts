import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { cronProblem, dueTimesBetween, nextDue, previousDue, SCHEDULE_TIME_ZONE } from '../../src/main/scheduler/cron.js';
import { nodeCronTimers } from '../../src/main/scheduler/timers.js';
import { DEFAULT_SCHEDULES } from '../../src/shared/schemas/schedule.js';

// Phoenix is UTC-7 all year: 06:00 there is 13:00 UTC, midnight is 07:00 UTC.
describe('due times on Phoenix time', () => {
  it.each([
    ['0 6 * * *', '2026-11-28T12:59:00Z', '2026-11-28T13:00:00Z'],
    ['0 6 * * *', '2026-11-28T13:00:00Z', '2026-11-29T13:00:00Z'],
    // 23:30 Phoenix on the 28th is 06:30 UTC on the 29th: the next 06:00 is later that UTC day.
    ['0 6 * * *', '2026-11-29T06:30:00Z', '2026-11-29T13:00:00Z'],
    ['0 0 * * *', '2026-11-29T06:59:30Z', '2026-11-29T07:00:00Z'],
    ['30 23 * * *', '2026-11-29T06:45:00Z', '2026-11-30T06:30:00Z'],
    ['0 20 * * *', '2026-12-31T23:00:00Z', '2027-01-01T03:00:00Z'],
    // No daylight saving: the same UTC hour in January and July.
    ['0 6 * * *', '2026-07-01T00:00:00Z', '2026-07-01T13:00:00Z'],
    ['0 14 * * 1-5', '2026-11-27T22:00:00Z', '2026-11-30T21:00:00Z'], // Friday after 14:00 → Monday
  ])('%s after %s is %s', (expr, after, next) => {
    expect(nextDue(expr, new Date(after))).toEqual(new Date(next));
  });

  it('counts the due times in a gap, first and last', () => {
    expect(dueTimesBetween('0 6 * * *', new Date('2026-11-25T12:00:00Z'), new Date('2026-11-28T15:00:00Z'))).toEqual({
      first: new Date('2026-11-25T13:00:00Z'),
      last: new Date('2026-11-28T13:00:00Z'),
      count: 4,
      capped: false,
    });
    expect(dueTimesBetween('0 6 * * *', new Date('2026-11-28T13:00:00Z'), new Date('2026-11-29T12:59:00Z')).count).toBe(0);
    const minutes = dueTimesBetween('* * * * *', new Date('2026-11-01T00:00:00Z'), new Date('2026-11-28T00:00:00Z'));
    expect(minutes).toMatchObject({ count: 1000, capped: true, last: new Date('2026-11-28T00:00:00Z') });
    expect(previousDue('0 6 * * *', new Date('2026-11-28T13:00:00Z'))).toEqual(new Date('2026-11-27T13:00:00Z'));
  });

  it('agrees with node-cron, which fires the jobs, on every expression it accepts', () => {
    const exprs = [...DEFAULT_SCHEDULES.map((d) => d.cron), '*/15 9-17 * * 1-5', '30 23 * * 0', '0 */2 1,15 * *', '5 4 * * sun', '0 0 1 */3 *'];
    const start = Date.parse('2026-01-01T00:00:00Z');
    const minutes = 60 * 24 * 40;
    for (const expr of exprs) {
      expect(cronProblem(expr)).toBeNull();
      const task = cron.createTask(expr, () => undefined, { timezone: SCHEDULE_TIME_ZONE });
      const byNodeCron: number[] = [];
      for (let i = 1; i <= minutes; i += 1) if (task.match(new Date(start + i * 60_000))) byNodeCron.push(start + i * 60_000);
      void task.destroy();
      const gap = dueTimesBetween(expr, new Date(start), new Date(start + minutes * 60_000));
      expect(gap.count, expr).toBe(Math.min(byNodeCron.length, 1000));
      expect(gap.first?.getTime(), expr).toBe(byNodeCron[0]);
      expect(gap.last?.getTime(), expr).toBe(byNodeCron.at(-1));
    }
  });
});

describe('invalid schedules', () => {
  it.each([
    ['61 6 * * *', 'minute: 61 is a invalid expression for minute'],
    ['0 25 * * *', 'hour: 25 is a invalid expression for hour'],
    ['0 6 * * funday', 'dayOfWeek: funday is a invalid expression for week day'],
    ['0 6 1 * 1', 'restricts both day-of-month and day-of-week'],
    ['0 6 * *', 'expected five fields (minute hour day-of-month month day-of-week), got 4'],
    ['*/5 * * * * *', 'expected five fields (minute hour day-of-month month day-of-week), got 6'],
  ])('%s: %s', (expr, reason) => {
    expect(cronProblem(expr)).toContain(reason);
  });

  it('are refused in settings, naming the schedule, the field and the reason', () => {
    const schedules = JSON.stringify([
      { id: 'morning', cron: '0 6 * * *', work: { kind: 'sync', source: 'maricopa_api' } },
      { id: 'evening', cron: '0 25 * * *', work: { kind: 'process' } },
    ]);
    expect(() => resolveSettings({ env: { SCHEDULES: schedules } })).toThrow(
      'SCHEDULES[1].cron from the environment: "0 25 * * *" is not a usable schedule: hour: 25 is a invalid expression for hour (got "0 25 * * *")',
    );
    const twice = JSON.stringify([
      { id: 'morning', cron: '0 6 * * *', work: { kind: 'process' } },
      { id: 'morning', cron: '0 7 * * *', work: { kind: 'process' } },
    ]);
    expect(() => resolveSettings({ env: { SCHEDULES: twice } })).toThrow('SCHEDULES[1].id from the environment: "morning" is used by two schedules');
    expect(() => resolveSettings({ env: { SCHEDULES: '[{"id":"x","cron":"0 6 * * *","work":{"kind":"sync","source":"zillow"}}]' } })).toThrow(
      'SCHEDULES[0].work.source from the environment',
    );
    // ARMLS exports are the analyst's files: no schedule can sync one (it once ran the assessor sync instead).
    expect(() => resolveSettings({ env: { SCHEDULES: '[{"id":"x","cron":"0 6 * * *","work":{"kind":"sync","source":"armls_export"}}]' } })).toThrow(
      'SCHEDULES[0].work.source from the environment: must be one of: maricopa_api, phoenix_mls, county_layer (got "armls_export")',
    );
  });

  it('default to the county layer before the assessor, the seed\'s three daily jobs and its monthly backup', () => {
    const { schedules } = resolveSettings({ env: {} });
    expect(schedules.map((s) => [s.id, s.cron, s.work.kind])).toEqual([
      ['county-morning', '30 5 * * *', 'sync'],
      ['assessor-morning', '0 6 * * *', 'sync'],
      ['mls-afternoon', '0 14 * * *', 'sync'],
      ['processing-evening', '0 20 * * *', 'process'],
      ['backup-monthly', '0 3 1 * *', 'backup'],
    ]);
  });
});

describe('the node-cron timers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fire at 06:00 and at midnight Phoenix time, across midnight, with the due time', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T12:58:00Z') });
    const fired: { id: string; at: Date }[] = [];
    const morning = nodeCronTimers({ id: 'morning', cron: '0 6 * * *', enabled: true, work: { kind: 'process' } }, (at) => fired.push({ id: 'morning', at }), () => undefined);
    const midnight = nodeCronTimers({ id: 'midnight', cron: '0 0 * * *', enabled: true, work: { kind: 'process' } }, (at) => fired.push({ id: 'midnight', at }), () => undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 60_000); // past 13:00 UTC
    expect(fired).toEqual([{ id: 'morning', at: new Date('2026-11-28T13:00:00Z') }]);
    await vi.advanceTimersByTimeAsync(18 * 3_600_000); // past 07:00 UTC on the 29th
    expect(fired.map((f) => [f.id, f.at.toISOString()])).toEqual([
      ['morning', '2026-11-28T13:00:00.000Z'],
      ['midnight', '2026-11-29T07:00:00.000Z'],
    ]);
    morning.stop();
    midnight.stop();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(fired).toHaveLength(2);
  });
});
