import { CronExpressionParser } from 'cron-parser';
import cron from 'node-cron';

/** Every schedule is read on Phoenix's clock (no daylight saving). */
export const SCHEDULE_TIME_ZONE = 'America/Phoenix';

/**
 * Why `expression` cannot be a schedule, or null when it can.
 *
 * node-cron runs the jobs and cron-parser works out due times; they agree on every five-field
 * expression except one that restricts both day-of-month and day-of-week (node-cron wants both to
 * match, classic cron either), so that one is refused as ambiguous.
 */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `expected five fields (minute hour day-of-month month day-of-week), got ${fields.length}`;
  const checked = cron.validateDetailed(expression.trim());
  if (!checked.valid) return checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  try {
    CronExpressionParser.parse(expression, { tz: SCHEDULE_TIME_ZONE });
  } catch (error) {
    return (error as Error).message;
  }
  if (fields[2] !== '*' && fields[4] !== '*') {
    return 'restricts both day-of-month and day-of-week, which cron implementations read differently; keep one of them *';
  }
  return null;
}

/** The first due time strictly after `after`. */
export function nextDue(expression: string, after: Date): Date {
  return CronExpressionParser.parse(expression, { currentDate: after, tz: SCHEDULE_TIME_ZONE }).next().toDate();
}

/** The last due time strictly before `before`. */
export function previousDue(expression: string, before: Date): Date {
  return CronExpressionParser.parse(expression, { currentDate: before, tz: SCHEDULE_TIME_ZONE }).prev().toDate();
}

/** Due times counted at most, however long the gap (a job every minute missed for a month). */
const MAX_COUNTED = 1_000;

/**
 * Due times in `(after, upTo]`: the first and the last, and how many (counting stops at 1,000:
 * `capped`).
 */
export function dueTimesBetween(expression: string, after: Date, upTo: Date): { first: Date | null; last: Date | null; count: number; capped: boolean } {
  if (upTo.getTime() <= after.getTime()) return { first: null, last: null, count: 0, capped: false };
  const it = CronExpressionParser.parse(expression, { currentDate: after, endDate: upTo, tz: SCHEDULE_TIME_ZONE });
  let first: Date | null = null;
  let count = 0;
  while (it.hasNext() && count < MAX_COUNTED) {
    const at = it.next().toDate();
    first ??= at;
    count += 1;
  }
  if (count === 0) return { first: null, last: null, count: 0, capped: false };
  // The last one, from the end backwards (cheap however many there were).
  const last = previousDue(expression, new Date(upTo.getTime() + 1));
  return { first, last, count, capped: it.hasNext() };
}
