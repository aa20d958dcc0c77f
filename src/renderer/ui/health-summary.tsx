import type { HealthReport } from '../../shared/contract.js';
import { counted } from '../../shared/plural.js';


/**
 * The sidebar's one line about health, a link to the Health page: "All checks pass" only when no
 * check fails or warns, else "1 check failing" or "2 warnings" (failures first).
 */
export function HealthSummary({ health }: { health: { data?: HealthReport; error: Error | null } }) {
  const report = health.data;
  const failing = report ? report.checks.filter((c) => c.level === 'fail').length : 0;
  const [text, tone] = !report
    ? [health.error ? 'Health unknown' : 'Checking…', 'muted']
    : failing > 0
      ? [counted(failing, 'check') + ' failing', 'error']
      : report.warnings > 0
        ? [counted(report.warnings, 'warning'), 'warn']
        : ['All checks pass', 'ok'];
  return (
    <p className={`nav-health ${tone}`} role="status">
      <a href="#/health">{text}</a>
    </p>
  );
}
