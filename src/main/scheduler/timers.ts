import cron from 'node-cron';
import type { ScheduleDef } from '../../shared/schemas/schedule.js';
import { SCHEDULE_TIME_ZONE } from './cron.js';

/** A job's live timer: calls `onDue` with each due time, `onMissed` when one went by unseen. */
export type ScheduleTimers = (def: ScheduleDef, onDue: (dueAt: Date) => void, onMissed: () => void) => { stop(): void };

/**
 * node-cron tasks in America/Phoenix. A due time node-cron saw go by too late (the computer slept
 * or the process was blocked) is reported as missed, for the scheduler's catch-up to judge.
 */
export const nodeCronTimers: ScheduleTimers = (def, onDue, onMissed) => {
  const task = cron.schedule(def.cron, (ctx) => onDue(ctx.date), {
    name: `phoenix-re:${def.id}`,
    timezone: SCHEDULE_TIME_ZONE,
    suppressMissedWarning: true,
    unref: true,
  });
  task.on('execution:missed', () => onMissed());
  return { stop: () => void task.destroy() };
};
