import type { HealthReport } from '../../../shared/contract.js';
import type { CliOutput } from '../output.js';

const LABELS = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

/** Print a health report; exit code 0 with warnings printed, 1 when any check fails. */
export function printHealth(report: HealthReport, json: boolean, output: CliOutput): number {
  if (json) output.out(JSON.stringify(report));
  else {
    for (const c of report.checks) output.out(`${LABELS[c.level]}  ${c.name.padEnd(14)} ${c.detail}`);
    const warnings = report.warnings === 1 ? '1 warning' : `${report.warnings} warnings`;
    output.out(!report.ok ? 'Some checks failed.' : report.warnings > 0 ? `No check failed; ${warnings}.` : 'All checks passed.');
  }
  return report.ok ? 0 : 1;
}
