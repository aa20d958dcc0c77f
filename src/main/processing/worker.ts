import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { phoenixDay } from '../../shared/phoenix-time.js';
import type { QueueItem } from '../../shared/schemas/queue.js';
import type { AnalystLayer } from '../../shared/schemas/analyst-layer.js';
import type { ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { StoredRawProperty } from '../db/collections.js';
import type { Settings } from '../../shared/settings.js';
import type { Clock } from '../runtime/clock.js';
import { contentHash } from '../db/content-hash.js';
import type { CountedFact } from '../db/repositories/daily-stats.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DailyBudget } from './budget.js';
import type { EnrichmentOutput } from './enrich/output-schema.js';
import { EnrichmentDeferredError, EnrichmentRejectedError, LlmConfigurationError, type EnrichmentProvider, type TokenUsage } from './enrich/provider.js';
import { figuresSummary, financialSettings, mergedSummary, type FinancialSettings } from './financials.js';
import { LEASE_MARGIN_MS, LeaseKeeper } from './lease-keeper.js';
import { modelPrice } from './llm-settings.js';
import { enrichmentInputOf } from './pipeline/enrichment-input.js';
import { MarketIndex } from './pipeline/market-index.js';
import { correctedMerge, correctionValues, excludedSaleIdsOf, layerSummary, legacyReview, propertyIdentity, reasonsNotApproved, unsettledDisagreements } from './pipeline/analyst-overlay.js';
import { mergeSources } from './pipeline/merge-sources.js';
import { processedDocument } from './pipeline/processed-document.js';
import { qualityFactsOf } from './pipeline/quality-facts.js';
import { reusableEnrichment } from './pipeline/reused-enrichment.js';
import { valueAndUnderwrite } from './pipeline/value-and-underwrite.js';
import { costUsd } from './pricing.js';
import { validate } from './validate.js';
import { DiskFullError } from '../db/disk-full.js';

export interface WorkerDeps {
  repos: Repositories;
  metrics: Metrics;
  logger: Logger;
  settings: Settings;
  clock: Clock;
  provider: EnrichmentProvider;
  budget: DailyBudget;
}

export interface WorkerRunOptions {
  /** Most items to claim; unset: no limit. */
  limit?: number;
  /** Stop when nothing is due (a batch) or keep polling (a long-running worker). */
  untilEmpty: boolean;
  signal?: AbortSignal;
  pollMs?: number;
  onItem?: (outcome: ItemOutcome) => void;
}

/** `batched`: the item's request went into a Batch API job (handed back until its answer comes). */
export type ItemOutcome = 'completed' | 'review' | 'retry' | 'failed' | 'lost_lease' | 'batched';
/**
 * What `process` returns besides an outcome: the item was handed back untouched, before its model
 * call, because the server refused the configuration (`config`) or because the database's disk
 * is full (`disk_full`); either of the last two stops the run.
 */
type HandedBack = 'over_budget' | 'stopping' | 'config' | 'disk_full';
export type StopReason = 'empty' | 'limit' | 'budget' | 'signal' | 'config' | 'disk_full';

/**
 * Items in hand per model call allowed at once: while `concurrency` calls run, the other items
 * are read before their call or written after it, so the model is never left waiting on the
 * database.
 */
const ITEMS_PER_CALL_SLOT = 2;

/**
 * Claims queue items with a lease and turns each raw record into a processed one through the
 * pipeline's stages (`pipeline/`), in order: normalise and merge with the other sources' records
 * of the same property (`mergeSources`), value and underwrite (`valueAndUnderwrite`), enrich
 * (`enrichmentInputOf`, cached by content hash: `reusableEnrichment`), validate and score
 * (`validate`), build the document (`processedDocument`); then upsert by raw id and complete or
 * hold for review. The worker keeps the claim, the lease (renewed during long calls), the model
 * call and its bill, and the writes; failures back off through the queue. Stopping finishes the
 * items in hand and hands back anything still claimed.
 */
export class ProcessingWorker {
  private readonly market: MarketIndex;
  private readonly figures: FinancialSettings;
  /** At most `concurrency` model calls at once. */
  private readonly modelCalls: LimitFunction;
  /** The server's refusal of the configuration that stopped the run, with what to check. */
  configError: string | undefined;
  /** The database's disk is full: the run stops, every claim handed back, no item failed for it. */
  diskFull: DiskFullError | undefined;

  constructor(
    private readonly deps: WorkerDeps,
    readonly workerId: string,
    private readonly concurrency: number,
  ) {
    this.modelCalls = pLimit(concurrency);
    this.figures = financialSettings(deps.settings);
    this.market = new MarketIndex(deps.repos.raw, deps.clock);
  }

  async run(options: WorkerRunOptions): Promise<{ claimed: number; stoppedBy: StopReason; detail?: string }> {
    let claimed = 0;
    let stoppedBy: StopReason | undefined;
    const limit = options.limit ?? Infinity;
    const loop = async () => {
      try {
        await claimAndProcess();
      } catch (error) {
        if (!(error instanceof DiskFullError)) throw error;
        this.diskFull ??= error;
        stoppedBy ??= 'disk_full';
      }
    };
    const claimAndProcess = async () => {
      while (!stoppedBy) {
        if (options.signal?.aborted) return void (stoppedBy ??= 'signal');
        if (claimed >= limit) return void (stoppedBy ??= 'limit');
        if (!(await this.deps.budget.allows())) return void (stoppedBy ??= 'budget');
        claimed += 1;
        const item = await this.deps.repos.queue.claimNext(this.workerId, this.deps.settings.queueLeaseMs);
        if (!item) {
          claimed -= 1;
          // This loop is done; the others finish their items and may claim what those leave due.
          if (options.untilEmpty) return;
          await sleep(options.pollMs ?? 2000, undefined, { signal: options.signal }).catch(() => undefined);
          continue;
        }
        const outcome = await this.process(item, options.signal);
        if (outcome === 'over_budget' || outcome === 'stopping' || outcome === 'config' || outcome === 'disk_full') {
          claimed -= 1;
          stoppedBy ??= outcome === 'stopping' ? 'signal' : outcome === 'over_budget' ? 'budget' : outcome;
        } else options.onItem?.(outcome);
      }
    };
    try {
      await Promise.all(Array.from({ length: this.concurrency * ITEMS_PER_CALL_SLOT }, loop));
    } finally {
      const released = await this.deps.repos.queue.releaseAll(this.workerId);
      if (released > 0) this.deps.logger.warn({ workerId: this.workerId, released }, 'released claimed items on stop');
    }
    if (this.diskFull) return { claimed, stoppedBy: 'disk_full', detail: this.diskFull.message };
    if (this.configError) return { claimed, stoppedBy: 'config', detail: this.configError };
    return { claimed, stoppedBy: stoppedBy ?? 'empty' };
  }

  /**
   * One claimed item, start to end; never throws. An item whose model call would cross the
   * daily budget, or that is still waiting for its call when `signal` stops the worker, is handed
   * back untouched.
   */
  async process(item: QueueItem, signal?: AbortSignal): Promise<ItemOutcome | HandedBack> {
    const { repos, settings, logger } = this.deps;
    const started = performance.now();
    const lease = new LeaseKeeper(repos.queue, item, settings.queueLeaseMs, this.deps.clock, (err: unknown) => logger.warn({ err }, 'lease renewal failed'));
    /** Writes that only have to land before the item settles, done side by side. */
    const writes: Promise<unknown>[] = [];
    try {
      const raw = await repos.raw.getData(item._id);
      if (!raw) return this.failed(item, `raw record ${item._id} no longer exists`, false);
      const collected = await mergeSources(raw, repos.raw);
      // The analyst's layer, found by any identity of the property (a listing's layer follows it
      // into its parcel's property), applied over the collected data.
      const identity = propertyIdentity(collected.records, collected.merged.raw_ids);
      const previous = await repos.processed.getFirstOf([collected.merged.property_id, ...collected.merged.raw_ids]);
      const layer = (await repos.analystLayer.find(identity)) ?? (await this.adoptLegacyReview(identity, previous));
      if (layer) writes.push(repos.analystLayer.learnKeys(layer, identity));
      const corrections = correctionValues(layer);
      const sources = { ...collected, merged: correctedMerge(collected.merged, corrections) };
      const { merged } = sources;
      // Terms saved before the layer existed live on the processed record only.
      const overrides = layer?.terms?.value ?? previous?.underwriting_overrides ?? null;
      const { financials, facts } = valueAndUnderwrite(raw, sources, await this.market.market(), phoenixDay(this.deps.clock()), this.figures, overrides, corrections, excludedSaleIdsOf(layer));
      const found = qualityFactsOf(sources, facts);
      const qualityFacts = { ...found, disagreements: unsettledDisagreements(found.disagreements, corrections) };
      const input = enrichmentInputOf(raw, sources, financials);

      let output: EnrichmentOutput;
      let tokens = 0;
      let cost = 0;
      const { provider } = this.deps;
      const inputHash = contentHash(input);
      // A description the analyst wrote and has since cleared is not the model's to reuse.
      const analystProse = previous?.field_sources?.llm_enrichment?.description === 'analyst';
      const cached = analystProse ? null : reusableEnrichment(previous, provider, inputHash, this.deps.clock());
      let enrichedAt = this.deps.clock();
      if (cached) ({ output, enrichedAt } = cached);
      else {
        try {
          const result = await this.modelCalls(async () => {
            // A refused configuration stops the run: items waiting for a call are handed back.
            if (signal?.aborted || this.configError) return 'stopping' as const;
            if (!(await this.deps.budget.allows())) return 'over_budget' as const;
            // No call (and no bill) unless the claim holds the item for as long as a call may take.
            if (!(await lease.holdsFor(settings.openaiTimeoutMs))) return 'lost_lease' as const;
            // Known before the next waiting call starts, so that one is not made.
            return provider.enrich(input).catch((error: unknown) => {
              if (error instanceof LlmConfigurationError) this.configError ??= error.message;
              throw error;
            });
          });
          if (result === 'lost_lease') return result;
          if (typeof result === 'string') return (await repos.queue.release(item)) ? result : 'lost_lease';
          ({ tokens, cost } = this.costOf(result.calls));
          writes.push(this.bill(result.calls, raw));
          output = result.output;
        } catch (error) {
          if (error instanceof EnrichmentDeferredError) return (await repos.queue.release(item, error.until)) ? 'batched' : 'lost_lease';
          if (error instanceof LlmConfigurationError) {
            await this.bill(error.calls, raw);
            this.deps.metrics.llmRequests.inc({ model: provider.model, outcome: 'error' });
            logger.error({ id: item._id, message: error.message }, 'LLM configuration refused: stopping the run');
            return (await repos.queue.release(item)) ? 'config' : 'lost_lease';
          }
          if (error instanceof EnrichmentRejectedError) {
            await this.bill(error.calls, raw);
            this.deps.metrics.llmRequests.inc({ model: provider.model, outcome: 'rejected' });
            const moved = await repos.queue.moveToReview(item, [`LLM answer unusable: ${error.message}`]);
            return moved ? 'review' : 'lost_lease';
          }
          this.deps.metrics.llmRequests.inc({ model: provider.model, outcome: 'error' });
          throw error;
        }
      }

      if (corrections.description !== undefined) output = { ...output, description: corrections.description };
      const validation = validate(
        { normalized: merged.normalized, field_sources: merged.field_sources, ...financials, facts: qualityFacts, prose: output },
        this.deps.clock(),
      );
      const doc = processedDocument({
        merged,
        financials,
        overrides,
        analyst: layer,
        prose: output,
        validation,
        qualityFacts,
        enrichment: { model: provider.model, promptVersion: provider.promptVersion, tokens, costUsd: cost, cached: cached !== null, inputHash, enrichedAt },
        processedAt: this.deps.clock(),
        processingTimeMs: Math.round(performance.now() - started),
      });
      // A worker whose claim lapsed (and was perhaps taken by another) writes no result and
      // counts nothing: the claim's holder does. Calls already made stay billed: they were paid.
      if (!(await lease.holdsFor(LEASE_MARGIN_MS))) {
        await settleAll(writes);
        return 'lost_lease';
      }
      writes.push(repos.processed.upsert(doc));
      // The value the console shows today, kept so the accuracy report can score it once the home sells.
      const appraisal = financials.valuation.appraisal;
      if (appraisal && appraisal.value !== null) {
        const at = this.deps.clock();
        const parcel = sources.records.map((r) => r.data.parcel_number).find((p): p is string => typeof p === 'string' && p !== '') ?? null;
        writes.push(repos.valueSnapshots.record({ property_id: doc.raw_id, parcel_number: parcel, at, day: phoenixDay(at), value: appraisal.value, low: appraisal.low, high: appraisal.high, basis: appraisal.basis }));
      }
      await settleAll(writes);
      // Counted once the result is stored and before the item settles, under the item's round,
      // pending until the settling write (which carries it) lands: a crash in between leaves
      // the item claimed and the fact uncounted, and its re-run (here or in another worker)
      // settles it under the same fact, counted once.
      const fact = { ...factOf(item, 'processed', this.deps.clock()), source: raw.source, counts: { processed: 1, quality_sum: validation.score, quality_count: 1 } };
      await countPending(repos, item, fact);
      this.deps.metrics.qualityScores.observe(validation.score);

      const settled = { quality_score: validation.score, ...figuresSummary(doc), ...mergedSummary(doc, raw._id, facts) };
      // A merged property is listed under its first record: that row shows the property as
      // processed now, and every other record of it, processed before the merge or not, is
      // marked as listed there (the list leaves it out).
      for (const id of (doc.raw_ids ?? []).filter((r) => r !== raw._id)) {
        await repos.raw.setPipelineState(id, id === doc.raw_id ? { quality_score: validation.score, ...figuresSummary(doc), ...mergedSummary(doc, id, facts) } : mergedSummary(doc, id));
      }
      // An item the analyst approved stays out of review while nothing of another kind holds it.
      const held = validation.score < settings.qualityReviewThreshold && (!layer?.approval || reasonsNotApproved(validation.reasons, layer.approval).length > 0);
      let outcome: ItemOutcome;
      if (held) {
        if (!(await repos.queue.moveToReview(item, validation.reasons, settled, fact.key))) return 'lost_lease';
        await repos.dailyStats.confirm([fact.key]);
        outcome = 'review';
      } else {
        if ((await repos.queue.complete(item, settled, fact.key)) === 'lost_lease') return 'lost_lease';
        await repos.dailyStats.confirm([fact.key]);
        outcome = 'completed';
      }
      // The property's list row shows the analyst's layer: corrected facts, tags, deal status
      // (the row changes when records merge; a cleared correction shows the collected value again).
      const row = doc.raw_id === raw._id ? raw.summary : (await repos.raw.getData(doc.raw_id))?.summary;
      if (layer || (row?.analyst_fields?.length ?? 0) > 0) {
        await repos.raw.correctSummary(doc.raw_id, layerSummary(layer, corrections, doc.normalized, row));
      }
      return outcome;
    } catch (error) {
      // Nothing left running unwatched: the writes under way end before the item is failed.
      await Promise.allSettled(writes);
      // Not the item's fault: it goes back untouched (the attempt not counted) and the run stops.
      if (error instanceof DiskFullError) {
        this.diskFull ??= error;
        return (await repos.queue.release(item)) ? 'disk_full' : 'lost_lease';
      }
      return this.failed(item, (error as Error).message, true);
    } finally {
      lease.stop();
    }
  }

  /**
   * A review approval stored on the processed record only (made before the analyst's layer
   * existed) moved into the layer, so this processing keeps its corrections; null when there is
   * none.
   */
  private async adoptLegacyReview(identity: string[], previous: ProcessedProperty | null): Promise<AnalystLayer | null> {
    const legacy = legacyReview(previous);
    if (!legacy) return null;
    const layers = this.deps.repos.analystLayer;
    if (Object.keys(legacy.corrections).length > 0) await layers.setCorrections(identity, legacy.corrections, legacy.at);
    return layers.recordApproval(identity, legacy.reasons, legacy.at);
  }

  private async failed(item: QueueItem, message: string, retryable: boolean): Promise<ItemOutcome> {
    this.deps.logger.warn({ id: item._id, attempt: item.attempts, message }, 'processing failed');
    const { repos } = this.deps;
    // Raw ids are `<source>:<source id>`.
    const fact = { ...factOf(item, 'failed', this.deps.clock()), source: item._id.split(':')[0]!, counts: { failed: 1 } };
    const res = await repos.queue.fail(item, message, { retryable, beforeFailing: () => countPending(repos, item, fact), fact: fact.key });
    if (res.status === 'failed') {
      await repos.dailyStats.confirm([fact.key]);
      return 'failed';
    }
    return res.status === 'pending' ? 'retry' : 'lost_lease';
  }

  /** Tokens and dollars of the calls made for one item. */
  private costOf(calls: TokenUsage[]): { tokens: number; cost: number } {
    if (calls.length === 0) return { tokens: 0, cost: 0 };
    const price = modelPrice(this.deps.settings, this.deps.provider.model);
    return {
      tokens: calls.reduce((n, u) => n + u.prompt_tokens + u.completion_tokens, 0),
      cost: calls.reduce((n, u) => n + costUsd(u, price), 0),
    };
  }

  /** Every call in `llm_usage` (the day's tokens and cost are read from it), the budget and metrics told. */
  private async bill(calls: TokenUsage[], raw: StoredRawProperty): Promise<void> {
    const { provider, settings, clock, repos, metrics, budget } = this.deps;
    if (calls.length === 0) return;
    const price = modelPrice(settings, provider.model);
    const at = clock();
    await settleAll(
      calls.map((usage) => {
        const callCost = costUsd(usage, price);
        budget.spent(callCost);
        metrics.llmRequests.inc({ model: provider.model, outcome: 'ok' });
        const day = phoenixDay(at);
        // The ledger first, then the counter the budget guard reads (never ahead of the ledger).
        return repos.llmUsage
          .record({ at, day, model: provider.model, ...usage, cost_usd: callCost, raw_id: raw._id, purpose: 'enrich' }, raw.source)
          .then(() => repos.dailyStats.addSpend(day, raw.source, callCost));
      }),
    );
  }
}

/**
 * The day's fact of one processing of `item` (`processed` or `failed`), named by the item and its
 * round (QueueItem.round): the same key however many times a crash makes the item run.
 */
function factOf(item: QueueItem, kind: 'processed' | 'failed', now: Date): { key: string; day: string; item: string } {
  return { key: `${kind}:${item._id}:${item.round ?? 0}`, day: phoenixDay(now), item: item._id };
}

/**
 * Count `fact` pending, for the write that settles `item` (and carries the fact) to confirm;
 * first confirmed: the fact of the item's last settling, which that write stops carrying.
 */
async function countPending(repos: Repositories, item: QueueItem, fact: CountedFact): Promise<void> {
  if (item.last_fact) await repos.dailyStats.confirm([item.last_fact]);
  await repos.dailyStats.countOnce([fact], { pending: true });
}

/** Wait for every promise, then throw the first failure: no write is left running unwatched. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
