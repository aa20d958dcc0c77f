import path from 'node:path';
import type { MongoClient, Db } from 'mongodb';
import type { ContractApi, HealthReport } from '../../shared/contract.js';
import { phoenixDay } from '../../shared/phoenix-time.js';
import type { Settings } from '../../shared/settings.js';
import { collectionsOf } from '../db/collections.js';
import { databasePlace } from '../db/disk-full.js';
import { createRepositories, type Repositories } from '../db/repositories/index.js';
import type { QueuePolicy } from '../db/repositories/queue.js';
import { applySavedSettings } from './live-settings.js';
import { captchaBalanceReader, runHealthChecks } from '../observability/health.js';
import type { Logger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { setDailyGauges, setProxyGauges } from '../observability/rollup-gauges.js';
import { ActiveRuns } from '../runs/active-runs.js';
import { createApi } from './api.js';
import { SearchAlerts } from '../searches/search-alerts.js';
import { CollectionService } from '../collectors/collection-service.js';
import { ProcessingService } from '../processing/processing-service.js';
import type { Clock } from '../runtime/clock.js';
import { systemClock } from '../runtime/clock.js';
import { EventBus } from '../runtime/event-bus.js';
import { PropertyListIndex } from '../db/property-list-index.js';
import type { SettingsSources } from '../config/resolve-settings.js';
import type { SecretStore } from '../config/secret-store.js';
import { SettingsEditor } from '../config/settings-editor.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ScheduleTimers } from '../scheduler/timers.js';
import { serviceWorkRunner } from '../scheduler/work-runner.js';
import { instanceId } from '../runtime/instance-id.js';
import { SampleData } from '../collectors/sample/sample-data.js';
import { RulesProvider } from '../processing/enrich/rules-provider.js';
import { SecretScrubber } from '../observability/secret-scrubber.js';
import { scrubbedApi } from './scrubbed-api.js';
import { interruptOrphanedRuns } from '../runs/orphaned-runs.js';
import type { SkippedSetting } from '../config/stored-settings.js';
import { withSkippedSettings } from './skipped-settings-check.js';
import { secretValues } from './secret-values.js';
import { BackupService } from '../backup/backup-service.js';
import { AccuracyService } from '../processing/accuracy-service.js';
import type { ReportPathChooser } from '../reports/report-delivery.js';

export interface CoreDeps {
  settings: Settings;
  dataDir: string;
  logger: Logger;
  db: Db;
  client?: MongoClient;
  /** The database URI, for health reports (its password is masked there). */
  uri: string;
  clock?: Clock;
  random?: () => number;
  /** The scheduler's timers: node-cron unless a test drives them. */
  scheduleTimers?: ScheduleTimers;
  /** The settings layers read at start (for the Settings page); unset: none but the defaults. */
  settingsSources?: Omit<SettingsSources, 'document' | 'secrets'>;
  /** Where secrets entered in the console are kept (encrypted); unset: they cannot be entered. */
  secretStore?: SecretStore;
  /** Values of the settings document start-up skipped as invalid; health says so. */
  skippedSettings?: SkippedSetting[];
  /** The process's scrubber, shared with its logger; unset: a new one. It learns the settings' secrets here. */
  scrubber?: SecretScrubber;
  /** Where the desktop app asks the user to save a property report (a save dialog); unset: `properties.report` answers the file. */
  chooseReportPath?: ReportPathChooser;
}

export interface Core {
  settings: Settings;
  dataDir: string;
  logger: Logger;
  clock: Clock;
  db: Db;
  repos: Repositories;
  metrics: Metrics;
  events: EventBus;
  api: ContractApi;
  collection: CollectionService;
  processing: ProcessingService;
  activeRuns: ActiveRuns;
  /** Built, not started: the shells that keep running (daemon, serve, the app) start it. */
  scheduler: Scheduler;
  /** The property list in memory; the shells warm it at start, else the first list request does. */
  propertyIndex: PropertyListIndex;
  /** The sample data: load it on an empty database, remove exactly it later. */
  sample: SampleData;
  /** Full backups (mongodump's layout) and restores, as runs. */
  backup: BackupService;
  /** The valuation's accuracy report (leave-one-out ratio study), as a run. */
  accuracy: AccuracyService;
  health(): Promise<HealthReport>;
  /** Mark `interrupted` the runs whose owner is gone (killed, crashed); returns how many. */
  interruptOrphanedRuns(): Promise<number>;
  /** Bring the database-mirroring gauges up to date (called before each scrape). */
  refreshMetrics(): Promise<void>;
  /**
   * Stop the scheduler (its jobs cancelled, leases released), cancel other running work and wait
   * for its records (10 s at most), stop timers; the database belongs to whoever opened it.
   */
  close(): Promise<void>;
  /** Removes secrets: every write of free text to the database and every shell's output pass through it. */
  scrubber: SecretScrubber;
}

/**
 * How long queue changes are gathered before one `queue.changed` event goes out: at least this,
 * and at least `QUEUE_COUNT_SHARE` times as long as the last count took. Counting reads every
 * queue item on FerretDB (no index serves a `$group`), and every process that processes counts:
 * at 1,600 queued items, counts every 300 ms were over half of the server's CPU in a profile of
 * `npm run bench`, CPU the workers' own reads and writes then waited for.
 */
const QUEUE_EVENT_DELAY_MS = 300;
const QUEUE_COUNT_SHARE = 20;

/**
 * Wire every service from a validated config. No electron, no I/O of its own at construction:
 * clock, logger and database come in as arguments, so everything is testable under plain Node.
 */
export function createCore(deps: CoreDeps): Core {
  const clock = deps.clock ?? systemClock;
  const scrubber = deps.scrubber ?? new SecretScrubber();
  scrubber.add(...secretValues(deps.settings));
  const events = new EventBus((payload) => scrubber.scrubDeep(payload));
  const metrics = createMetrics();
  metrics.dailyBudget.set(deps.settings.llmDailyBudgetUsd);

  let queueTimer: NodeJS.Timeout | undefined;
  let lastCountMs = 0;
  const queueChanged = () => {
    if (queueTimer) return;
    queueTimer = setTimeout(() => {
      queueTimer = undefined;
      const started = performance.now();
      repos.queue
        .counts()
        .then((counts) => {
          metrics.setQueue(counts);
          events.emit('queue.changed', { counts });
        })
        .catch((err: unknown) => deps.logger.warn({ err }, 'could not count the queue'))
        .finally(() => (lastCountMs = performance.now() - started));
    }, Math.max(QUEUE_EVENT_DELAY_MS, lastCountMs * QUEUE_COUNT_SHARE));
    queueTimer.unref();
  };

  const place = databasePlace({ uri: deps.uri, database: deps.db.databaseName, dataFolder: path.join(deps.dataDir, 'db'), fromSetting: Boolean(deps.settings.mongodbUri) });
  const collections = collectionsOf(deps.db, (value) => scrubber.scrubDeep(value), place);
  const runOwner = instanceId();
  const queuePolicy: QueuePolicy = {
    maxAttempts: deps.settings.queueMaxAttempts,
    backoff: { baseMs: deps.settings.queueBackoffBaseMs, maxMs: deps.settings.queueBackoffMaxMs, jitter: 'equal' },
    errorHistoryLimit: 10,
  };
  const repos = createRepositories(collections, clock, queuePolicy, queueChanged, runOwner);

  if (deps.client) {
    let open = 0;
    deps.client.on('connectionCreated', () => metrics.mongodbConnections.set(++open));
    deps.client.on('connectionClosed', () => metrics.mongodbConnections.set(Math.max(0, --open)));
  }

  const propertyIndex = new PropertyListIndex(collections.raw, collections.listMarks, instanceId(), clock, deps.logger);
  repos.raw.onListChange(propertyIndex);

  // Saved searches are checked whenever a run ends: what it brought may match them.
  const searchAlerts = new SearchAlerts({ repos, propertyIndex, clock, events });
  events.on('run.progress', (run) => {
    if (run.status !== 'running') searchAlerts.check().catch((err: unknown) => deps.logger.warn({ err }, 'could not check the saved searches'));
  });

  const activeRuns = new ActiveRuns();
  const collection = new CollectionService({ repos, events, metrics, logger: deps.logger, settings: deps.settings, clock, dataDir: deps.dataDir, learnSecret: (value) => scrubber.add(value) }, activeRuns);
  const processing = new ProcessingService({ repos, events, metrics, logger: deps.logger, settings: deps.settings, clock });
  const backup = new BackupService(
    { db: deps.db, runs: repos.runs, events, logger: deps.logger, settings: deps.settings, clock, dataDir: deps.dataDir, scrub: (value) => scrubber.scrubDeep(value) },
    activeRuns,
  );
  const accuracy = new AccuracyService({ repos, settings: deps.settings, events, logger: deps.logger, clock }, activeRuns);
  const scheduler = new Scheduler({
    repos,
    settings: deps.settings,
    clock,
    logger: deps.logger,
    events,
    instanceId: instanceId(),
    runWork: serviceWorkRunner({ settings: deps.settings, collection, processing, activeRuns, backup }),
    ...(deps.scheduleTimers && { timers: deps.scheduleTimers }),
  });

  // The sample data is processed by the rules provider whatever the settings: no network, no cost.
  const sampleProcessing = new ProcessingService({ repos, events, metrics, logger: deps.logger, settings: deps.settings, clock }, new RulesProvider());
  const sample = new SampleData({ repos, events, settings: deps.settings, logger: deps.logger, process: (options) => sampleProcessing.run(options) });

  const reapRuns = async () => {
    const marked = await interruptOrphanedRuns(repos.runs, { clock });
    for (const run of marked) {
      deps.logger.warn({ runId: run._id, owner: run.owner }, run.message ?? 'run interrupted');
      events.emit('run.progress', run);
    }
    return marked.length;
  };

  const captchaBalance = captchaBalanceReader(deps.settings, () => clock().getTime());
  const health = async () =>
    withSkippedSettings(
      await runHealthChecks({ db: deps.db, uri: deps.uri, dataDir: deps.dataDir, settings: deps.settings, repos, clock, captchaBalance, schedules: () => scheduler.list() }),
      deps.skippedSettings ?? [],
    );

  return {
    settings: deps.settings,
    dataDir: deps.dataDir,
    logger: deps.logger,
    clock,
    db: deps.db,
    repos,
    metrics,
    events,
    scrubber,
    api: scrubbedApi(scrubber, createApi({
      repos,
      settings: deps.settings,
      clock,
      health,
      collection,
      processing,
      accuracy,
      activeRuns,
      scheduler,
      propertyIndex,
      searchAlerts,
      settingsEditor: new SettingsEditor({
        sources: deps.settingsSources ?? { env: {} },
        repo: repos.settings,
        ...(deps.secretStore && { secrets: deps.secretStore }),
        apply: (next) => {
          scrubber.add(...secretValues(next));
          return applySavedSettings({ settings: deps.settings, queuePolicy, metrics, scheduler }, next);
        },
      }),
      db: deps.db,
      uri: deps.uri,
      logger: deps.logger,
      sample,
      interruptOrphanedRuns: reapRuns,
      ...(deps.chooseReportPath && { chooseReportPath: deps.chooseReportPath }),
    })),
    sample,
    interruptOrphanedRuns: reapRuns,
    collection,
    processing,
    activeRuns,
    scheduler,
    propertyIndex,
    backup,
    accuracy,
    health,
    async refreshMetrics() {
      const day = phoenixDay(clock());
      const [counts, rows] = await Promise.all([repos.queue.counts(), repos.dailyStats.range(day, day)]);
      metrics.setQueue(counts);
      const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + f(r), 0);
      metrics.llmTokensUsed.set(sum((r) => r.tokens));
      metrics.dailyCost.set(sum((r) => r.cost_usd));
      const apiRequests = sum((r) => r.api_requests);
      const processedOrFailed = sum((r) => r.processed + r.failed);
      metrics.errorRate.set({ component: 'api' }, apiRequests > 0 ? sum((r) => r.api_errors) / apiRequests : 0);
      metrics.errorRate.set({ component: 'processing' }, processedOrFailed > 0 ? sum((r) => r.failed) / processedOrFailed : 0);
      setDailyGauges(metrics, rows);
      setProxyGauges(metrics, await repos.proxyHealth.summary());
    },
    async close() {
      await scheduler.stop();
      await processing.batches.stop();
      activeRuns.cancelAll();
      await activeRuns.drain(10_000);
      await searchAlerts.idle();
      await propertyIndex.flush();
      if (queueTimer) clearTimeout(queueTimer);
      queueTimer = undefined;
    },
  };
}
