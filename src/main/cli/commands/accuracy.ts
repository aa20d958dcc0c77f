import { Presets, SingleBar } from 'cli-progress';
import { contract } from '../../../shared/contract.js';
import type { AccuracyReport, AccuracySection } from '../../../shared/valuation/accuracy-study.js';
import { formatMeasureInterval, formatMeasureResult, formatMeasureValue } from '../../../shared/valuation/ratio-format.js';
import { RATIO_MEASURE_KEYS, type RatioBreakdown, type RatioMeasure } from '../../../shared/valuation/ratio-study.js';
import type { Core } from '../../core/create-core.js';
import { AccuracyRunError } from '../../processing/accuracy-service.js';
import type { CliOutput } from '../output.js';
import { stopSignal } from '../stop-signal.js';

/** `phoenix-re accuracy`'s options: `--zip` (five digits), `--type` (`condo`), `--json`. */
export interface AccuracyCliOptions {
  zip?: string;
  type?: string;
  json?: boolean;
}

/** What is wrong with the options, by the contract's own rules (`--zip` five digits); empty when fine. */
export function accuracyOptionProblems(opts: AccuracyCliOptions): string[] {
  const parsed = contract['accuracy.report'].input.safeParse({ ...(opts.zip !== undefined && { zip: opts.zip }), ...(opts.type !== undefined && { type: opts.type }) });
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`);
}

/**
 * `phoenix-re accuracy [--zip 85251] [--type condo] [--json]`: the valuation's accuracy report as
 * a run (a progress bar on a terminal, Ctrl-C cancels), printed as tables (each measure, its
 * value, 95% interval, IAAO target and pass/fail; then by ZIP, type, price quartile and basis) or as the
 * contract's JSON. Exit 0 when the report was made (whatever it finds), 1 when the run failed.
 */
export async function accuracyCommand(core: Core, opts: AccuracyCliOptions, output: CliOutput, interactive: boolean): Promise<number> {
  const stop = stopSignal(output, 'Cancelling the accuracy report...');
  const bar = interactive ? new SingleBar({ format: ' {bar} {value}/{total} sales valued', hideCursor: true }, Presets.shades_classic) : null;
  let started = false;
  try {
    const { report } = await core.accuracy.report({
      trigger: 'cli',
      signal: stop.signal,
      ...(opts.zip !== undefined && { zip: opts.zip }),
      ...(opts.type !== undefined && { type: opts.type }),
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) bar.start(total, done);
        else bar.update(done);
        started = true;
      },
    });
    bar?.stop();
    if (opts.json) output.out(JSON.stringify(contract['accuracy.report'].output.parse(report)));
    else for (const line of accuracyTable(report)) output.out(line);
    return 0;
  } catch (error) {
    bar?.stop();
    if (error instanceof AccuracyRunError) {
      output.err(`Run ${error.run._id} ${error.run.status}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    stop.dispose();
  }
}

/** The report as text lines: the measures, then the breakdowns, then the values shown before a sale. */
export function accuracyTable(report: AccuracyReport): string[] {
  const scope = [report.scope.zip && `ZIP ${report.scope.zip}`, report.scope.type].filter(Boolean).join(', ') || 'all sales';
  const period = report.first_sale ? `, sales ${report.first_sale} to ${report.last_sale}` : '';
  const lines = [
    `Accuracy of the automated valuation (${scope}${period}): estimates, scored as the IAAO Standard on Ratio Studies (2013) does.`,
    `Basis: ${report.sales.basis}.`,
    '',
    ...measureTable(report.sales),
  ];
  for (const [title, groups] of [
    ['By ZIP', report.sales.by_zip],
    ['By property type', report.sales.by_type],
    ['By price quartile', report.sales.by_price_quartile],
    ['By basis of the value', report.sales.by_basis],
  ] as const) {
    lines.push('', `${title}:`, ...breakdownTable(groups));
  }
  if (report.window) {
    lines.push('', 'The same sales valued from every other sale of the window (whole-window leave-one-out):', `Basis: ${report.window.basis}.`, '', ...measureTable(report.window));
  }
  if (report.shown_before_sale) {
    const shown = report.shown_before_sale;
    lines.push('', 'The value the console showed before each sale:', `Basis: ${shown.basis}.`, '');
    if (shown.study.valued > 0) lines.push(...measureTable(shown));
    else lines.push(`None of these ${shown.study.sales} sales had a value shown before it sold (the console keeps one a day for each home it values).`);
  }
  if (report.rent) lines.push('', 'Rent (dollars a month):', `Basis: ${report.rent.basis}.`, '', ...measureTable(report.rent));
  return lines;
}

function measureTable(section: AccuracySection): string[] {
  const { study } = section;
  const rows = RATIO_MEASURE_KEYS.map((key) => {
    const m = study[key];
    return [m.label, formatMeasure(m), formatMeasureInterval(m), m.target?.label ?? '', formatMeasureResult(m)];
  });
  return [
    `${study.valued} of ${study.sales} sales valued; ${study.with_range} with an 80% range. Intervals are 95%.`,
    ...table(['measure', 'value', '95% CI', 'IAAO target', 'result'], rows),
  ];
}

function breakdownTable(groups: readonly RatioBreakdown[]): string[] {
  const rows = groups.map(({ label, study }) => [
    label,
    String(study.sales),
    formatMeasure(study.coverage),
    formatMeasure(study.median_ratio),
    formatMeasure(study.cod),
    formatMeasure(study.prd),
    formatMeasure(study.within_10),
    formatMeasure(study.range_held),
  ]);
  return table(['group', 'sales', 'valued', 'median', 'COD', 'PRD', '±10%', 'range held'], rows);
}

function formatMeasure(m: RatioMeasure): string {
  return formatMeasureValue(m.value, m);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
