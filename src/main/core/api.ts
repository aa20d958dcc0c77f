import { ContractError, type ContractApi, type CostsSummary, type DailyPoint, type Overview, type PropertyDetail } from '../../shared/contract.js';
import { addDays, dayRange, phoenixDay } from '../../shared/phoenix-time.js';
import { QUEUE_STATUSES } from '../../shared/schemas/queue.js';
import { canResume, type Run } from '../../shared/schemas/run.js';
import type { Settings } from '../../shared/settings.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Clock } from '../runtime/clock.js';
import type { HealthReport } from '../../shared/contract.js';
import type { Logger } from '../observability/logger.js';
import type { CollectionService } from '../collectors/collection-service.js';
import { UnknownPropertiesError, type ProcessingService } from '../processing/processing-service.js';
import { startTracked, type ActiveRuns } from '../runs/active-runs.js';
import { ScheduleError, type Scheduler } from '../scheduler/scheduler.js';
import type { Db } from 'mongodb';
import type { SettingsEditor } from '../config/settings-editor.js';
import type { PropertyListIndex } from '../db/property-list-index.js';
import { testConnection } from './connection-tests.js';
import type { SampleData } from '../collectors/sample/sample-data.js';
import { approveHeld } from '../processing/review-approval.js';
import { clearCorrections, correctProperty, markProperty, propertyKeysOrThrow } from '../processing/analyst-work.js';
import { setComparableIncluded } from '../processing/comparable-exclusions.js';
import { deleteScenario, saveScenario } from '../processing/deal-scenarios.js';
import { identityOf } from '../processing/analyst-identity.js';
import { savedSearchView } from '../db/repositories/saved-searches.js';
import type { SearchAlerts } from '../searches/search-alerts.js';
import { isApn } from '../collectors/maricopa/apn.js';
import { consolePath } from '../collectors/import/console-path.js';
import { propertyRecords } from './property-records.js';
import { AccuracyRunError, type AccuracyService } from '../processing/accuracy-service.js';
import { deliverPropertyReport, type ReportPathChooser } from '../reports/report-delivery.js';

export interface ApiDeps {
  collection: CollectionService;
  processing: ProcessingService;
  /** The valuation's accuracy report, as a run. */
  accuracy: AccuracyService;
  activeRuns: ActiveRuns;
  scheduler: Scheduler;
  propertyIndex: PropertyListIndex;
  searchAlerts: SearchAlerts;
  settingsEditor: SettingsEditor;
  /** The database and its URI, for "Test connection". */
  db: Db;
  uri: string;
  logger: Logger;
  repos: Repositories;
  settings: Settings;
  clock: Clock;
  health: () => Promise<HealthReport>;
  sample: SampleData;
  /** Mark the runs whose owner is gone `interrupted`; done before runs are shown. */
  interruptOrphanedRuns?: () => Promise<number>;
  /** Where the desktop app asks the user to save a report; unset (HTTP, CLI): the report is answered as a file. */
  chooseReportPath?: ReportPathChooser;
}

/** Days of daily series the dashboard gets. */
export const OVERVIEW_DAYS = 30;

/**
 * The contract's methods over the core's services. Inputs arrive already validated by the shell;
 * every shell (Electron IPC, HTTP, tests) calls these same functions.
 */
export function createApi(deps: ApiDeps): ContractApi {
  const { repos } = deps;
  const approval = { repos, clock: deps.clock, rescore: (id: string) => deps.processing.rescore(id) };
  const analystWork = { ...approval, reprocess: (ids: string[]) => deps.processing.reprocess({ ids }) };
  const layerKeys = (id: string) => propertyKeysOrThrow(repos, id);
  /** One property as `properties.get` answers it (the page's and the report's detail). */
  const detailOf = async (id: string): Promise<PropertyDetail> => {
    const raw = await repos.raw.get(id);
    if (!raw) throw new ContractError('NOT_FOUND', `No property with id "${id}".`);
    const [processed, queue] = await Promise.all([repos.processed.getByRawId(id), repos.queue.get(id)]);
    const records = await propertyRecords(repos.raw, raw, processed?.raw_ids ?? raw.summary.records ?? []);
    const analyst = await repos.analystLayer.find(await identityOf(repos, id));
    return {
      id: raw._id,
      source: raw.source,
      source_id: raw.source_id,
      collected_at: raw.collected_at,
      updated_at: raw.updated_at,
      data: raw.data,
      original: raw.original,
      price_history: raw.price_history,
      processed,
      queue,
      records,
      analyst,
    };
  };
  return {
    'health.get': async () => deps.health(),

    'stats.overview': async () => overview(deps),

    'properties.list': async (input) => {
      const { items, total } = (await deps.propertyIndex.list(input)) ?? (await repos.raw.list(input));
      return {
        items: items.map((d) => ({
          id: d._id,
          source: d.source,
          source_id: d.source_id,
          collected_at: d.collected_at,
          updated_at: d.updated_at,
          ...d.summary,
        })),
        total,
        page: input.page,
        pageSize: input.pageSize,
      };
    },

    'properties.get': async ({ id }) => detailOf(id),

    'properties.report': async ({ id }) => deliverPropertyReport(await detailOf(id), deps.chooseReportPath, deps.clock()),

    'accuracy.report': async ({ zip, type }) => {
      try {
        const { report } = await deps.accuracy.report({ trigger: 'manual', ...(zip && { zip }), ...(type && { type }) });
        return report;
      } catch (error) {
        if (error instanceof AccuracyRunError) throw new ContractError(error.run.status === 'cancelled' ? 'CONFLICT' : 'UNAVAILABLE', error.message);
        throw error;
      }
    },

    'runs.list': async (input) => {
      await deps.interruptOrphanedRuns?.();
      return { items: await repos.runs.list(input) };
    },

    'collect.sync': async ({ source, zips, cities = [], apns, queries, limit, refresh }) => {
      if (source === 'county_layer') {
        if (apns.length + queries.length > 0 || refresh) throw new ContractError('BAD_REQUEST', 'The county parcel layer sync takes ZIP codes, cities and a limit only.');
        if (zips.length + cities.length === 0) throw new ContractError('BAD_REQUEST', 'Give at least one ZIP code or city to sync from the county parcel layer.');
        const { run, done } = await deps.collection.startCounty({ zips, cities, limit }, { trigger: 'manual' });
        done.catch((err: unknown) => deps.logger.error({ err, runId: run._id }, 'county sync failed'));
        return { runId: run._id };
      }
      if (cities.length > 0) throw new ContractError('BAD_REQUEST', 'Cities are for the county parcel layer sync only.');
      if (zips.length + apns.length + queries.length === 0) {
        throw new ContractError('BAD_REQUEST', 'Give at least one ZIP code, APN or query to sync.');
      }
      if (source === 'phoenix_mls' && (apns.length > 0 || queries.length > 0 || zips.length === 0)) {
        throw new ContractError('BAD_REQUEST', 'The MLS sync takes ZIP codes (and a limit) only.');
      }
      const badApns = apns.flatMap((apn, i) => (isApn(apn) ? [] : [`apns[${i}] "${apn}"`]));
      if (badApns.length > 0) {
        throw new ContractError('BAD_REQUEST', `Not a Maricopa APN (book-map-parcel like 509-11-455 or 211-29-043A): ${badApns.slice(0, 5).join(', ')}.`);
      }
      const { run, done } =
        source === 'phoenix_mls'
          ? await deps.collection.startMls({ zips, limit }, { trigger: 'manual' })
          : await deps.collection.startMaricopa({ zips, apns, queries, limit, refresh }, { trigger: 'manual' });
      done.catch((err: unknown) => deps.logger.error({ err, runId: run._id }, 'sync failed'));
      return { runId: run._id };
    },

    'collect.import': async ({ kind, path: typed }) => {
      const read = consolePath(typed, kind === 'assessor' ? 'file or folder' : 'file');
      if ('error' in read) throw new ContractError('BAD_REQUEST', read.error);
      const { path } = read;
      const { run, done } =
        kind === 'armls'
          ? await deps.collection.startArmlsImport({ file: path }, { trigger: 'manual' })
          : kind === 'parcels'
            ? await deps.collection.startCountyFileImport({ file: path }, { trigger: 'manual' })
            : await deps.collection.startAssessorImport({ path }, { trigger: 'manual' });
      done.catch((err: unknown) => deps.logger.error({ err, runId: run._id }, 'import failed'));
      return { runId: run._id };
    },

    'processing.run': async ({ batchSize, concurrency }) => {
      const { run, done } = await startTracked(deps.activeRuns, (signal, onStart) =>
        deps.processing.run({ trigger: 'manual', batchSize, concurrency, signal, onStart }),
      );
      done.catch((err: unknown) => deps.logger.error({ err, runId: run._id }, 'processing failed'));
      return { runId: run._id };
    },

    'properties.setTerms': async ({ id, terms }) => {
      const underwriting = await deps.processing.setTerms(id, terms);
      if (!underwriting) throw new ContractError('CONFLICT', `${id} has no underwriting yet: process it first.`);
      return { underwriting };
    },

    'properties.correct': async ({ id, corrections }) => ({ analyst: await correctProperty(analystWork, id, corrections) }),

    'properties.clearCorrections': async ({ id, fields }) => clearCorrections(analystWork, id, fields),

    'properties.setNotes': async ({ id, notes }) => ({ analyst: await repos.analystLayer.setNotes(await layerKeys(id), notes, deps.clock()) }),

    'properties.setTags': async ({ id, tags }) => ({ analyst: await markProperty(analystWork, id, { tags }) }),

    'properties.setStatus': async ({ id, status }) => ({ analyst: await markProperty(analystWork, id, { status }) }),

    'properties.pipeline': async (input) => repos.pipeline.board(input, deps.clock()),

    'properties.saveScenario': async ({ id, ...scenario }) => ({ analyst: await saveScenario({ repos, clock: deps.clock }, id, scenario) }),

    'properties.deleteScenario': async ({ id, name }) => ({ analyst: await deleteScenario({ repos, clock: deps.clock }, id, name) }),

    'properties.setComparableIncluded': async ({ id, sale_id, included }) => {
      const { analyst, queued } = await setComparableIncluded({ repos, clock: deps.clock }, id, sale_id, included);
      // A worker processing it now revalues it again when done: no run of ours.
      if (queued === 'rerun_after_current') return { analyst, runId: null };
      // One item, put at the head of the queue: this property, revalued now.
      const { run, done } = await startTracked(deps.activeRuns, (signal, onStart) =>
        deps.processing.run({ trigger: 'manual', batchSize: 1, concurrency: 1, signal, onStart, params: { revalue: id, reason: included ? 'comparable included' : 'comparable excluded' } }),
      );
      done.catch((err: unknown) => deps.logger.error({ err, runId: run._id }, 'revaluing failed'));
      return { analyst, runId: run._id };
    },

    'processing.reprocess': async ({ status, ids }) => {
      if (!status && !ids?.length) throw new ContractError('BAD_REQUEST', 'Give a status or ids to reprocess.');
      try {
        return { queued: await deps.processing.reprocess({ ...(status && { status }), ...(ids && { ids }) }) };
      } catch (error) {
        if (error instanceof UnknownPropertiesError) throw new ContractError('NOT_FOUND', error.message);
        throw error;
      }
    },

    'runs.cancel': async ({ runId }) => ({ cancelled: deps.activeRuns.cancel(runId) }),

    'batches.list': async ({ limit }) => repos.llmBatches.list(limit),
    'runs.resume': async ({ runId }) => {
      await deps.interruptOrphanedRuns?.();
      const previous = await repos.runs.get(runId);
      if (!previous) throw new ContractError('NOT_FOUND', `No run with id "${runId}".`);
      if (previous.settings_at_fault?.length) {
        throw new ContractError('CONFLICT', `Run ${runId} failed for ${previous.settings_at_fault.join(' and ')} (not set, or refused): a resume would fail the same way. ${previous.message ?? ''}`.trim());
      }
      if (!canResume(previous)) {
        throw new ContractError('CONFLICT', `Run ${runId} (${previous.kind} ${previous.source ?? ''}, ${previous.status}) cannot be resumed: only an assessor or county parcel-layer sync that was cancelled, failed or interrupted can.`);
      }
      const { run, done } =
        previous.source === 'county_layer'
          ? await deps.collection.startCounty({ zips: [], cities: [] }, { trigger: 'manual', resumeRunId: runId })
          : await deps.collection.startMaricopa({ zips: [], apns: [], queries: [], refresh: false }, { trigger: 'manual', resumeRunId: runId });
      done.catch((err: unknown) => deps.logger.error({ err, runId: run._id }, 'resumed sync failed'));
      return { runId: run._id };
    },

    'queue.summary': async () => {
      const counts = await repos.queue.counts();
      return { counts, total: QUEUE_STATUSES.reduce((sum, s) => sum + counts[s], 0) };
    },

    'queue.items': async ({ status, limit, offset }) => {
      const { items, total } = await repos.queue.list(status, limit, offset);
      const properties = await Promise.all(items.map((i) => repos.raw.getData(i._id)));
      return {
        total,
        items: items.map((item, n) => ({
          id: item._id,
          status: item.status,
          attempts: item.attempts,
          updated_at: item.updated_at,
          review_reasons: item.review_reasons,
          errors: item.errors,
          last_error: item.last_error,
          property: properties[n]?.summary ?? null,
        })),
      };
    },

    'review.resolve': async ({ id, action, edits }) => {
      const item = await repos.queue.get(id);
      if (!item) throw new ContractError('NOT_FOUND', `No queue item "${id}".`);
      if (item.status !== 'review') throw new ContractError('CONFLICT', `${id} is ${item.status}, not held for review.`);
      if (action === 'reprocess') {
        if (edits) throw new ContractError('BAD_REQUEST', 'Edits go with approve; reprocessing recomputes every field.');
        await deps.processing.reprocess({ ids: [id] });
        return { status: 'pending' as const };
      }
      return { status: await approveHeld(approval, id, edits) };
    },

    'review.approveMany': async ({ ids, all, edits }) => {
      const targets = all ? await repos.queue.idsByStatus(['review']) : ids!;
      let approved = 0;
      const skipped: { id: string; reason: string }[] = [];
      for (const id of targets) {
        try {
          await approveHeld(approval, id, edits);
          approved += 1;
        } catch (error) {
          if (!(error instanceof ContractError)) throw error;
          skipped.push({ id, reason: error.message });
        }
      }
      return { approved, skipped };
    },

    'runs.get': async ({ runId }) => {
      const run = await repos.runs.get(runId);
      if (!run) throw new ContractError('NOT_FOUND', `No run with id "${runId}".`);
      return run;
    },

    'searches.list': async () => ({ items: (await repos.savedSearches.list()).map(savedSearchView) }),

    'searches.save': async ({ name, filters, alert }) => ({ search: savedSearchView(await deps.searchAlerts.save(name, filters, alert)) }),

    'searches.delete': async ({ id }) => ({ deleted: await repos.savedSearches.delete(id) }),

    'searches.alerts': async ({ day }) => {
      const [items, unseen] = await Promise.all([repos.savedSearches.alertsOn(day ?? phoenixDay(deps.clock())), repos.savedSearches.unseenCount()]);
      return { items: items.map(({ _id, ...a }) => ({ id: _id, ...a })), unseen };
    },

    'searches.markSeen': async () => ({ marked: await repos.savedSearches.markSeen() }),

    'searches.check': async () => ({ alerts: await deps.searchAlerts.check() }),

    'costs.summary': async ({ days }) => costsSummary(deps, days),

    'settings.get': async () => ({ settings: await deps.settingsEditor.describe() }),

    'settings.update': async ({ values }) => deps.settingsEditor.update(values),

    'settings.test': async ({ target }) => testConnection(target, { db: deps.db, uri: deps.uri, settings: deps.settings }),

    'sample.status': async () => deps.sample.status(),

    'sample.load': async () => deps.sample.load('manual'),

    'sample.remove': async () => deps.sample.remove(),

    'schedule.list': async () => ({ jobs: await deps.scheduler.list() }),

    'schedule.setEnabled': async ({ id, enabled }) => ({ job: await scheduleCall(() => deps.scheduler.setEnabled(id, enabled)) }),

    'schedule.runNow': async ({ id }) => {
      const result = await scheduleCall(() => deps.scheduler.runNow(id));
      if (result.outcome === 'elsewhere') throw new ContractError('CONFLICT', `${id} is being run by another instance.`);
      if (result.outcome === 'started') result.done.catch((err: unknown) => deps.logger.error({ err, job: id }, 'scheduled job failed'));
      return { runId: result.run._id, status: result.outcome, message: result.run.message };
    },
  };
}

async function overview(deps: ApiDeps): Promise<Overview> {
  await deps.interruptOrphanedRuns?.();
  const today = phoenixDay(deps.clock());
  const days = dayRange(today, OVERVIEW_DAYS);
  const weekStart = addDays(today, -6);
  const [rows, queue, runs, proxies] = await Promise.all([
    deps.repos.dailyStats.range(days[0]!, today),
    deps.repos.queue.counts(),
    deps.repos.runs.list({ limit: 50 }),
    deps.repos.proxyHealth.summary(),
  ]);

  const collectedToday: Record<string, number> = {};
  const collected7: Record<string, number> = {};
  let spent = 0;
  let tokens = 0;
  let qualitySum = 0;
  let qualityCount = 0;
  const daily: DailyPoint[] = [];
  for (const r of rows) {
    if (r.day >= weekStart) collected7[r.source] = (collected7[r.source] ?? 0) + r.collected;
    if (r.day === today) {
      collectedToday[r.source] = (collectedToday[r.source] ?? 0) + r.collected;
      spent += r.cost_usd;
      tokens += r.tokens;
      qualitySum += r.quality_sum;
      qualityCount += r.quality_count;
    }
    daily.push({
      day: r.day,
      source: r.source,
      collected: r.collected,
      processed: r.processed,
      failed: r.failed,
      tokens: r.tokens,
      cost_usd: r.cost_usd,
      quality_mean: r.quality_count > 0 ? r.quality_sum / r.quality_count : null,
      api_requests: r.api_requests,
      api_errors: r.api_errors,
    });
  }

  return {
    day: today,
    collected: { today: collectedToday, last7Days: collected7 },
    queue,
    llm: { spentTodayUsd: spent, dailyBudgetUsd: deps.settings.llmDailyBudgetUsd, tokensToday: tokens },
    quality: { meanToday: qualityCount > 0 ? qualitySum / qualityCount : null, countToday: qualityCount },
    daily,
    lastRuns: latestPerKind(runs),
    proxies: { total: proxies.total, healthy: proxies.healthy, benched: proxies.benched, meanLatencyMs: proxies.meanLatencyMs },
  };
}

function latestPerKind(runs: Run[]): Run[] {
  const seen = new Set<string>();
  return runs.filter((r) => {
    const key = `${r.kind}|${r.source ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An unknown schedule id is the caller's mistake: NOT_FOUND, with the ids there are. */
async function scheduleCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ScheduleError) throw new ContractError('NOT_FOUND', error.message);
    throw error;
  }
}

/** Spend by day (LLM by model, CAPTCHA), this month's total with the fixed costs, against the budgets. */
async function costsSummary(deps: ApiDeps, dayCount: number): Promise<CostsSummary> {
  const { repos, settings, clock } = deps;
  const today = phoenixDay(clock());
  const days = dayRange(today, dayCount);
  const monthStart = `${today.slice(0, 7)}-01`;
  const from = days[0]! < monthStart ? days[0]! : monthStart;
  const [byDayModel, stats, models] = await Promise.all([
    repos.llmUsage.costByDayAndModel(from, today),
    repos.dailyStats.range(from, today),
    repos.llmUsage.costByModel(monthStart, today),
  ]);
  const llm = new Map<string, Record<string, number>>();
  for (const r of byDayModel) llm.set(r.day, { ...llm.get(r.day), [r.model]: (llm.get(r.day)?.[r.model] ?? 0) + r.cost_usd });
  const captcha = new Map<string, number>();
  for (const r of stats) captcha.set(r.day, (captcha.get(r.day) ?? 0) + r.captcha_usd);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const llmOn = (day: string) => sum(Object.values(llm.get(day) ?? {}));
  const monthDays = [...new Set([...llm.keys(), ...captcha.keys()])].filter((d) => d >= monthStart);
  const monthLlm = sum(monthDays.map(llmOn));
  const monthCaptcha = sum(monthDays.map((d) => captcha.get(d) ?? 0));
  const fixed = settings.proxyMonthlyUsd + settings.databaseMonthlyUsd;
  return {
    days: days.map((day) => ({ day, llm_usd: llmOn(day), captcha_usd: captcha.get(day) ?? 0, by_model: llm.get(day) ?? {} })),
    month: {
      month: today.slice(0, 7),
      llm_usd: monthLlm,
      captcha_usd: monthCaptcha,
      fixed_usd: fixed,
      total_usd: monthLlm + monthCaptcha + fixed,
      budget_usd: settings.monthlyBudgetUsd,
    },
    fixed: { proxies_usd: settings.proxyMonthlyUsd, database_usd: settings.databaseMonthlyUsd },
    models,
    today: { llm_usd: llmOn(today), daily_budget_usd: settings.llmDailyBudgetUsd },
  };
}
