import { SETTING_DEFS, SETTING_KEYS, type SettingKey, type Settings } from '../../shared/settings.js';
import type { QueuePolicy } from '../db/repositories/queue.js';
import type { Metrics } from '../observability/metrics.js';
import type { Scheduler } from '../scheduler/scheduler.js';

export interface LiveSettingsTargets {
  /** The settings object every service of the core reads from when its work starts. */
  settings: Settings;
  /** The queue's retry policy, read at each failure. */
  queuePolicy: QueuePolicy;
  metrics: Pick<Metrics, 'dailyBudget'>;
  scheduler: Pick<Scheduler, 'applySchedules'>;
}

/**
 * Put settings just saved into force in the running core. Every service reads the shared settings
 * object when its work starts (a sync's ZIP codes and rates, a processing run's batch, budget,
 * thresholds, financial assumptions and LLM provider, the health checks), so updating it in place
 * applies them to the next run; the queue's retry policy, the budget gauge and the schedules'
 * timers are updated here. Settings needed before the database is reached (`bootstrap`: the
 * database URI, the data folder, the log level, the HTTP token) cannot change in a running
 * process: the environment names of those that differ are returned, "applies after a restart".
 */
export async function applySavedSettings(targets: LiveSettingsTargets, next: Settings): Promise<string[]> {
  const { settings } = targets;
  const changed = SETTING_KEYS.filter((k) => JSON.stringify(settings[k]) !== JSON.stringify(next[k]));
  const restart = changed.filter((k) => SETTING_DEFS[k].bootstrap);
  const live = changed.filter((k) => !SETTING_DEFS[k].bootstrap);
  const writable = settings as Record<SettingKey, unknown>;
  for (const key of live) {
    if (next[key] === undefined) delete writable[key];
    else writable[key] = next[key];
  }
  targets.queuePolicy.maxAttempts = settings.queueMaxAttempts;
  targets.queuePolicy.backoff = { ...targets.queuePolicy.backoff, baseMs: settings.queueBackoffBaseMs, maxMs: settings.queueBackoffMaxMs };
  targets.metrics.dailyBudget.set(settings.llmDailyBudgetUsd);
  if (live.includes('schedules')) await targets.scheduler.applySchedules();
  return restart.map((k) => SETTING_DEFS[k].env);
}
