import type { HealthReport } from '../../../shared/contract.js';
import type { CliOutput } from '../output.js';

/** Print a health report; exit code 1 when any check failed. */
export function printHealth(report: HealthReport, json: boolean, output: CliOutput): number {
  if (json) output.out(JSON.stringify(report));
  else {
    for (const c of report.checks) output.out(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(14)} ${c.detail}`);
    output.out(report.ok ? 'All checks passed.' : 'Some checks failed.');
  }
  return report.ok ? 0 : 1;
}
