import type { QueueStatus } from '../../shared/schemas/queue.js';
import type { Run, RunTrigger } from '../../shared/schemas/run.js';
import type { EventBus } from '../runtime/event-bus.js';
import { instanceId } from '../runtime/instance-id.js';
import { RunRecorder } from '../runs/run-recorder.js';
import { BatchService } from './batch/batch-service.js';
import { DailyBudget } from './budget.js';
import { OpenAiProvider } from './enrich/openai-provider.js';
import type { EnrichmentProvider } from './enrich/provider.js';
import { figuresSummary, financialSettings } from './financials.js';
import { createProvider, initialCallEstimate } from './provider-factory.js';
import { investmentAnalysisOf, rescore, underwritingOf } from './rescore.js';
import { identityOf } from './analyst-identity.js';
import type { UnderwritingOverrides } from '../../shared/underwriting/overrides.js';
import type { StoredUnderwriting } from '../../shared/schemas/underwriting.js';
import { ProcessingWorker, type StopReason, type WorkerDeps } from './worker.js';

export interface ProcessOptions {
  trigger: RunTrigger;
  batchSize?: number;
  concurrency?: number;
  signal?: AbortSignal;
  /** Keep running and polling the queue (a `phoenix-re worker`) instead of one batch. */
  forever?: boolean;
  /** More parameters recorded with the run (the sample data marks its run `sample: true`). */
  params?: Record<string, unknown>;
  onStart?: (run: Run) => void;
  /** Send the batch through the OpenAI Batch API (answers ingested when the job ends). */
  batch?: boolean;
}

/** Ids asked for that no stored property has: nothing was queued. */
export class UnknownPropertiesError extends Error {
  constructor(readonly ids: string[]) {
    const shown = ids.slice(0, 5).map((id) => `"${id}"`).join(', ');
    super(`No stored property with id ${shown}${ids.length > 5 ? ` (and ${ids.length - 5} more)` : ''}; nothing was queued. Ids look like maricopa_api:509-11-455.`);
    this.name = 'UnknownPropertiesError';
  }
}

const STOP_MESSAGES: Record<StopReason, string> = {
  empty: 'queue empty',
  limit: 'batch done',
  budget: 'daily LLM budget reached: claiming stopped until tomorrow (America/Phoenix)',
  signal: 'stopped',
  config: 'stopped: the LLM server refused the configuration',
  disk_full: "stopped: the database's disk is full",
};

/**
 * Processing runs: one batch (`phoenix-re process`, Process now, the evening schedule) or a
 * long-running worker, each recorded as a run with its counters and why it stopped.
 */
export class ProcessingService {
  readonly budget: DailyBudget;
  /** Batch API jobs: submission, polling, ingestion (with the provider in force at start). */
  readonly batches: BatchService;
  private made: { key: string; provider: EnrichmentProvider } | undefined;

  constructor(
    private readonly deps: Omit<WorkerDeps, 'provider' | 'budget'> & { events: EventBus },
    private readonly fixedProvider?: EnrichmentProvider,
  ) {
    const estimate = initialCallEstimate(this.provider, deps.settings);
    this.budget = new DailyBudget(deps.repos.dailyStats, () => deps.settings.llmDailyBudgetUsd, deps.clock, estimate);
    const provider = this.provider;
    this.batches = new BatchService(deps, provider instanceof OpenAiProvider ? provider : null, this.budget, estimate);
  }

  /**
   * The enrichment provider of the settings in force (made again when the LLM settings were
   * changed and saved since), or the one given at construction.
   */
  get provider(): EnrichmentProvider {
    if (this.fixedProvider) return this.fixedProvider;
    const s = this.deps.settings;
    const key = JSON.stringify([s.openaiApiKey, s.openaiBaseUrl, s.openaiModel, s.llmServer, s.openaiReasoningEffort, s.llmMaxOutputTokens, s.openaiTimeoutMs, s.openaiMaxRetries]);
    if (this.made?.key !== key) this.made = { key, provider: createProvider(s) };
    return this.made.provider;
  }

  async run(options: ProcessOptions): Promise<Run> {
    const { settings } = this.deps;
    const batchSize = options.batchSize ?? settings.processingBatchSize;
    const concurrency = options.concurrency ?? settings.processingConcurrency;
    if (options.batch) {
      return this.batches.submit({ trigger: options.trigger, batchSize, concurrency, ...(options.signal && { signal: options.signal }), ...(options.onStart && { onStart: options.onStart }) });
    }
    const recorder = await RunRecorder.start(this.deps.repos.runs, this.deps.events, {
      kind: 'process',
      trigger: options.trigger,
      params: { batch_size: options.forever ? null : batchSize, concurrency, model: this.provider.model, forever: options.forever ?? false, ...options.params },
    });
    options.onStart?.(recorder.run);
    const workerId = instanceId();
    const worker = new ProcessingWorker({ ...this.deps, provider: this.provider, budget: this.budget }, workerId, concurrency);
    try {
      const { stoppedBy, detail } = await worker.run({
        ...(options.forever ? {} : { limit: batchSize }),
        untilEmpty: !options.forever,
        ...(options.signal && { signal: options.signal }),
        onItem: (outcome) => {
          recorder.count({ [outcome]: 1 }).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not save run progress'));
        },
      });
      // The full-disk message alone, which says what to do (processed items so far are in the counters).
      if (stoppedBy === 'disk_full') return (await recorder.finish('failed', detail ?? STOP_MESSAGES.disk_full))!;
      const c = recorder.snapshot();
      const message = `${c.completed ?? 0} processed, ${c.review ?? 0} to review, ${c.retry ?? 0} to retry, ${c.failed ?? 0} failed; ${STOP_MESSAGES[stoppedBy]}${detail ? `. ${detail}` : ''}`;
      if (stoppedBy === 'config') await recorder.error(detail ?? STOP_MESSAGES.config);
      return (await recorder.finish(stoppedBy === 'signal' ? 'cancelled' : stoppedBy === 'config' ? 'failed' : 'succeeded', message))!;
    } catch (error) {
      return recorder.failWith(error, this.deps.logger, 'processing run failed');
    }
  }

  /**
   * Recompute a processed record after the analyst corrected it (value, underwriting, quality)
   * and copy the new figures to the property list. False when there is nothing to recompute
   * (not processed, or processed before values had a basis).
   */
  async rescore(id: string): Promise<boolean> {
    const { repos, settings, clock } = this.deps;
    const doc = await repos.processed.getByRawId(id);
    const r = doc && rescore(doc, financialSettings(settings), clock());
    if (!r) return false;
    await repos.processed.applyRescore(id, r);
    await repos.raw.setPipelineState(id, { quality_score: r.quality_score, ...figuresSummary({ ...r, underwriting_overrides: doc.underwriting_overrides }) });
    return true;
  }

  /**
   * Save the analyst's terms for a property (null clears them) in its analyst layer and recompute its underwriting
   * and list row; the quality score and the prose stay (the next processing writes prose for the
   * new figures). Null when the property has no underwriting yet (not processed, or processed
   * before values had a basis).
   */
  async setTerms(id: string, terms: UnderwritingOverrides | null): Promise<StoredUnderwriting | null> {
    const { repos, settings } = this.deps;
    const doc = await repos.processed.getByRawId(id);
    if (!doc?.underwriting) return null;
    const underwriting = underwritingOf({ normalized: doc.normalized, underwriting: doc.underwriting }, financialSettings(settings), terms);
    // Kept in the analyst's layer, which every processing applies: the record below is rewritten by each.
    await repos.analystLayer.setTerms(await identityOf(repos, id), terms, this.deps.clock());
    await repos.processed.applyRescore(id, { underwriting, underwriting_overrides: terms, investment_analysis: investmentAnalysisOf(doc.llm_enrichment.investment_analysis, underwriting) });
    await repos.raw.setPipelineState(id, figuresSummary({ normalized: doc.normalized, valuation: doc.valuation, underwriting, underwriting_overrides: terms }));
    return underwriting;
  }

  /** Put items back in the queue: by status (`all` = every finished item) or by id. */
  /**
   * Queue items again: every item in a status, or the raw ids named. Returns how many were queued.
   * Throws UnknownPropertiesError, queueing nothing, when a named id is no stored property.
   */
  async reprocess(selection: { status?: Extract<QueueStatus, 'failed' | 'review' | 'completed'> | 'all'; ids?: string[] }): Promise<number> {
    const { repos } = this.deps;
    if (selection.ids && selection.ids.length > 0) {
      const missing = await repos.raw.missing([...new Set(selection.ids)]);
      if (missing.length > 0) throw new UnknownPropertiesError(missing);
    }
    const ids = selection.ids ?? (await repos.queue.idsByStatus(selection.status === 'all' ? ['completed', 'failed', 'review'] : [selection.status!]));
    let queued = 0;
    for (const id of ids) {
      const outcome = await repos.queue.enqueue(id);
      if (outcome === 'enqueued' || outcome === 'requeued') queued += 1;
    }
    return queued;
  }
}
