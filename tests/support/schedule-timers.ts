import type { ScheduleTimers } from '../../src/main/scheduler/timers.js';

/** Schedule timers a test fires by hand: what node-cron would do at a due time, without waiting for it. */
export function manualTimers() {
  const armed = new Map<string, { onDue: (dueAt: Date) => void; onMissed: () => void }>();
  const timers: ScheduleTimers = (def, onDue, onMissed) => {
    armed.set(def.id, { onDue, onMissed });
    return { stop: () => void armed.delete(def.id) };
  };
  return {
    timers,
    armed: () => [...armed.keys()].sort(),
    /** Say `id` is due at `at`; throws when its timer is not armed. */
    due(id: string, at: Date | string) {
      const t = armed.get(id);
      if (!t) throw new Error(`no timer armed for ${id}`);
      t.onDue(new Date(at));
    },
    missed(id: string) {
      armed.get(id)?.onMissed();
    },
  };
}
