import type { HealthReport } from '../../shared/contract.js';
import type { SkippedSetting } from '../config/stored-settings.js';

/**
 * The health report with a failing `settings` check when start-up skipped stored values, naming
 * each and why; unchanged when nothing was skipped.
 */
export function withSkippedSettings(report: HealthReport, skipped: readonly SkippedSetting[]): HealthReport {
  if (skipped.length === 0) return report;
  const detail = `saved values skipped at start, their default or settings.json value used instead (fix them on the Settings page): ${skipped.map((s) => `${s.env}: ${s.reason}`).join('; ')}`;
  return { ...report, ok: false, checks: [...report.checks, { name: 'settings', ok: false, level: 'fail', detail }] };
}
