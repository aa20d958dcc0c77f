import { phoenixDay } from '../../shared/phoenix-time.js';
import type { Run, RunTrigger } from '../../shared/schemas/run.js';
import type { Settings } from '../../shared/settings.js';
import type { RentSettings } from '../../shared/underwriting/rent.js';
import { runAccuracyStudyAsync, runRentAccuracyStudy, salesInScope, type AccuracyReport, type Appraiser } from '../../shared/valuation/accuracy-study.js';
import { RentMarket, type RentComparableLease } from '../../shared/valuation/rent-model.js';
import { SalesMarket } from '../../shared/valuation/avm.js';
import type { MarketSale } from '../../shared/valuation/types.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Logger } from '../observability/logger.js';
import { startTracked, type ActiveRuns } from '../runs/active-runs.js';
import { RunRecorder } from '../runs/run-recorder.js';
import type { Clock } from '../runtime/clock.js';
import type { EventBus } from '../runtime/event-bus.js';
import { financialSettings } from './financials.js';
import { loadMarketSales } from './market-sales.js';
import { rentCandidatesOf } from './rent-leases.js';

/** What the accuracy service needs: the repositories (sales, leases, snapshots, runs), the settings (rent fallbacks), the event bus for run progress, a logger and the clock. */
export interface AccuracyDeps {
  repos: Repositories;
  settings: Settings;
  events: EventBus;
  logger: Logger;
  clock: Clock;
}

/** One accuracy report to make. */
export interface AccuracyRequest {
  /** Only the sales of this ZIP (five digits) / property type (`condo`). */
  zip?: string;
  type?: string;
  trigger: RunTrigger;
  /** Cancels the run (Ctrl-C, the console's Cancel). */
  signal?: AbortSignal;
  /** (sales valued so far, sales to value). */
  onProgress?: (done: number, total: number) => void;
}

/** A report run that did not succeed: its run record says why (cancelled, or the error). */
export class AccuracyRunError extends Error {
  constructor(readonly run: Run) {
    super(run.message ?? `accuracy report run ${run._id} ${run.status}`);
    this.name = 'AccuracyRunError';
  }
}

/** The valuation model as the study calls it: `SalesMarket.appraise`, the scored sale excluded. */
export function marketAppraiser(sales: readonly MarketSale[]): Appraiser {
  const market = new SalesMarket(sales);
  return (subject, asOf, excludeId) => market.appraise(subject, asOf, { excludedSaleIds: [excludeId] });
}

/**
 * The model as the whole-window study calls it: every other sale known (through the last), the
 * value as of the day asked.
 */
export function windowAppraiser(sales: readonly MarketSale[]): Appraiser {
  const market = new SalesMarket(sales);
  const last = sales.reduce((d, s) => (s.date > d ? s.date : d), '0000-01-01');
  return (subject, asOf, excludeId) => market.appraise(subject, asOf, { excludedSaleIds: [excludeId], knownThrough: last });
}

/**
 * The rent model as the study calls it: `RentMarket.estimate` (rent comparables, else the SAFMR
 * table, else $/sq ft by type), which never uses the subject's own leases; dollars a month.
 */
export function rentAppraiser(leases: readonly RentComparableLease[], fallback: RentSettings): Appraiser {
  const market = new RentMarket(leases);
  return (subject, asOf) => {
    const rent = market.estimate(subject, asOf, fallback);
    return { value: rent.monthly, low: rent.low, high: rent.high, basis: rent.basis, confidence: null };
  };
}

/**
 * The valuation's accuracy report over the market's sales in the database, as a run (kind
 * `maintenance`, task `accuracy_report`): progress as `valued` of `total` sales, cancellable,
 * its outcome in the run's message. Also scores the values shown before each sale (the value
 * snapshots) and, where ARMLS lease rows are stored, the rent estimate against each lease's rent.
 * `appraiserOf` builds the appraiser from the sales (the model by default), `windowAppraiserOf`
 * the whole-window one (the model with every other sale; null: no whole-window section).
 */
export class AccuracyService {
  constructor(
    private readonly deps: AccuracyDeps,
    private readonly active: ActiveRuns,
    private readonly appraiserOf: (sales: readonly MarketSale[]) => Appraiser = marketAppraiser,
    private readonly windowAppraiserOf: ((sales: readonly MarketSale[]) => Appraiser) | null = windowAppraiser,
  ) {}

  /** Make the report; throws `AccuracyRunError` when the run was cancelled or failed. */
  async report(request: AccuracyRequest): Promise<{ run: Run; report: AccuracyReport }> {
    let report: AccuracyReport | null = null;
    const { done } = await startTracked(
      this.active,
      async (signal, onStart) => {
        const outcome = await this.run(request, signal, onStart);
        report = outcome.report;
        return outcome.run;
      },
      request.signal,
    );
    const run = await done;
    if (run.status !== 'succeeded' || report === null) throw new AccuracyRunError(run);
    return { run, report };
  }

  private async run(request: AccuracyRequest, signal: AbortSignal, onStart: (run: Run) => void): Promise<{ run: Run; report: AccuracyReport | null }> {
    const { deps } = this;
    const recorder = await RunRecorder.start(deps.repos.runs, deps.events, {
      kind: 'maintenance',
      trigger: request.trigger,
      params: { task: 'accuracy_report', zip: request.zip ?? null, type: request.type ?? null },
    });
    onStart(recorder.run);
    try {
      const sales = await loadMarketSales(deps.repos.raw, phoenixDay(deps.clock()));
      const shown = await deps.repos.valueSnapshots.shownBefore(salesInScope(sales, request));
      let counted = 0;
      const report = await runAccuracyStudyAsync(sales, this.appraiserOf(sales), {
        ...(request.zip !== undefined && { zip: request.zip }),
        ...(request.type !== undefined && { type: request.type }),
        shown,
        ...(this.windowAppraiserOf && { windowAppraiser: this.windowAppraiserOf(sales) }),
        signal,
        generatedAt: deps.clock().toISOString(),
        progress: (valued, total) => {
          request.onProgress?.(valued, total);
          const delta = valued - counted;
          counted = valued;
          recorder.count({ valued: delta }, total).catch((err: unknown) => deps.logger.warn({ err }, 'could not save accuracy report progress'));
        },
      });
      const leases = (await deps.repos.raw.withLeases()).flatMap(rentCandidatesOf);
      if (leases.length > 0) {
        signal.throwIfAborted();
        report.rent = runRentAccuracyStudy(leases, rentAppraiser(leases, financialSettings(deps.settings).rent), {
          ...(request.zip !== undefined && { zip: request.zip }),
          ...(request.type !== undefined && { type: request.type }),
        });
      }
      await recorder.count({ sales: report.sales.study.sales, with_value: report.sales.study.valued, leases: report.rent?.study.sales ?? 0 });
      const run = (await recorder.finish('succeeded', summaryLine(report))) ?? recorder.run;
      return { run, report };
    } catch (error) {
      const message = (error as Error).message;
      if (signal.aborted) {
        return { run: (await recorder.finish('cancelled', `Accuracy report cancelled (${(signal.reason as Error | undefined)?.message ?? 'stopped'})`)) ?? recorder.run, report: null };
      }
      deps.logger.error({ err: error }, 'accuracy report failed');
      await recorder.error(message);
      return { run: (await recorder.finish('failed', `Accuracy report failed: ${message}`)) ?? recorder.run, report: null };
    }
  }
}

/** The run's message: how many sales, how many valued, level and dispersion (estimates). */
function summaryLine(report: AccuracyReport): string {
  const { study } = report.sales;
  const fixed = (value: number | null, digits: number) => (value === null ? 'n/a' : value.toFixed(digits));
  const scope = [report.scope.zip && `ZIP ${report.scope.zip}`, report.scope.type].filter(Boolean).join(', ');
  return (
    `${study.valued} of ${study.sales} sales${scope ? ` (${scope})` : ''} valued leave-one-out as of the day before each sale: ` +
    `median ratio ${fixed(study.median_ratio.value, 3)}, COD ${fixed(study.cod.value, 1)}, PRD ${fixed(study.prd.value, 3)}`
  );
}
