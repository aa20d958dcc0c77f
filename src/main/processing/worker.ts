import { setTimeout as sleep } from 'node:timers/promises';
import pLimit, { type LimitFunction } from 'p-limit';
import { phoenixDay } from '../../shared/phoenix-time.js';
import type { ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { QueueItem } from '../../shared/schemas/queue.js';
import type { StoredRawProperty } from '../db/collections.js';
import type { Settings } from '../../shared/settings.js';
import type { CompSale } from '../../shared/underwriting/comparables.js';
import { applyOverrides } from '../../shared/underwriting/overrides.js';
import { underwrite } from '../../shared/underwriting/underwrite.js';
import type { Clock } from '../runtime/clock.js';
import { contentHash } from '../db/content-hash.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { DailyBudget } from './budget.js';
import type { EnrichmentOutput } from './enrich/output-schema.js';
import { EnrichmentDeferredError, EnrichmentRejectedError, LlmConfigurationError, type EnrichmentInput, type EnrichmentProvider, type TokenUsage } from './enrich/provider.js';
import { factsOf } from './facts.js';
import { ComparablesIndex } from './comparables-index.js';
import { computeFinancials, figuresSummary, financialSettings, mergedSummary, type FinancialSettings } from './financials.js';
import { LEASE_MARGIN_MS, LeaseKeeper } from './lease-keeper.js';
import { mergeNormalized, normalize, type Normalized } from './normalize.js';
import { modelPrice } from './llm-settings.js';
import { costUsd } from './pricing.js';
import { validate, type QualityFacts } from './validate.js';
import { compSalesOf, sourceDisagreements, valuationFacts, type ValuationRecord } from './valuation-facts.js';

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
 * call or because the server refused the configuration (`config`: the run stops).
 */
type HandedBack = 'over_budget' | 'stopping' | 'config';
export type StopReason = 'empty' | 'limit' | 'budget' | 'signal' | 'config';

/** How long an enrichment is reused for identical input. */
const ENRICHMENT_REUSE_MS = 90 * 86_400_000;
/** How long the comparables index (every stored sale) is reused before it is rebuilt. */
const COMPARABLES_CACHE_MS = 10 * 60_000;
/**
 * Items in hand per model call allowed at once: while `concurrency` calls run, the other items
 * are read before their call or written after it, so the model is never left waiting on the
 * database.
 */
const ITEMS_PER_CALL_SLOT = 2;

/**
 * Claims queue items with a lease and turns each raw record into a processed one: normalise,
 * merge with the other source's record of the same property, compute the figures, enrich
 * (cached by content hash), validate and score, upsert by raw id, then complete or hold for
 * review. The lease is renewed during long calls; failures back off through the queue. Stopping
 * finishes the items in hand and hands back anything still claimed.
 */
export class ProcessingWorker {
  private comparables: { at: number; index: Promise<ComparablesIndex> } | null = null;
  private readonly figures: FinancialSettings;
  /** At most `concurrency` model calls at once. */
  private readonly modelCalls: LimitFunction;
  /** The server's refusal of the configuration that stopped the run, with what to check. */
  configError: string | undefined;

  constructor(
    private readonly deps: WorkerDeps,
    readonly workerId: string,
    private readonly concurrency: number,
  ) {
    this.modelCalls = pLimit(concurrency);
    this.figures = financialSettings(deps.settings);
  }

  async run(options: WorkerRunOptions): Promise<{ claimed: number; stoppedBy: StopReason; detail?: string }> {
    let claimed = 0;
    let stoppedBy: StopReason | undefined;
    const limit = options.limit ?? Infinity;
    const loop = async () => {
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
        if (outcome === 'over_budget' || outcome === 'stopping' || outcome === 'config') {
          claimed -= 1;
          stoppedBy ??= outcome === 'stopping' ? 'signal' : outcome === 'config' ? 'config' : 'budget';
        } else options.onItem?.(outcome);
      }
    };
    try {
      await Promise.all(Array.from({ length: this.concurrency * ITEMS_PER_CALL_SLOT }, loop));
    } finally {
      const released = await this.deps.repos.queue.releaseAll(this.workerId);
      if (released > 0) this.deps.logger.warn({ workerId: this.workerId, released }, 'released claimed items on stop');
    }
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
      const { merged, records } = await this.normalizeWithCounterpart(raw);
      const facts = valuationFacts(records);
      // The parcel of any of the property's records: its own sales are never its comparables.
      const parcel = records.map((r) => r.data.parcel_number).find((p): p is string => typeof p === 'string' && p !== '') ?? null;
      const previous = await repos.processed.getFirstOf([merged.property_id, ...merged.raw_ids]);
      const financials = computeFinancials(
        { id: raw._id, parcel_number: parcel, normalized: merged.normalized, facts },
        await this.comparablesIndex(),
        phoenixDay(this.deps.clock()),
        this.figures,
      );
      const overrides = previous?.underwriting_overrides ?? null;
      if (overrides) {
        const inputs = applyOverrides(financials.underwriting.inputs, overrides);
        financials.underwriting = { inputs, result: underwrite(inputs) };
      }
      const qualityFacts: QualityFacts = {
        sources: [...new Set(records.map((r) => r.source))],
        bathrooms_estimated: records.some((r) => r.data.bathrooms_estimated === true && merged.field_sources.details?.bathrooms === r.source),
        has_coordinates: facts.latitude !== null,
        sales_on_record: facts.sales.length,
        disagreements: sourceDisagreements(records),
      };
      const input: EnrichmentInput = {
        normalized: merged.normalized,
        financials,
        facts: factsOf(raw.data, merged.normalized.details.bathrooms_estimated === true),
        listingText: typeof raw.data.description === 'string' ? raw.data.description : null,
      };

      let output: EnrichmentOutput;
      let tokens = 0;
      let cost = 0;
      const { provider } = this.deps;
      const inputHash = contentHash(input);
      const cached = reusableEnrichment(previous, provider, inputHash, this.deps.clock());
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

      const validation = validate(
        { normalized: merged.normalized, field_sources: merged.field_sources, ...financials, facts: qualityFacts, prose: output },
        this.deps.clock(),
      );
      const u = financials.underwriting.result;
      const doc: Omit<ProcessedProperty, '_id'> = {
        raw_id: merged.property_id,
        raw_ids: merged.raw_ids,
        processed_at: this.deps.clock(),
        normalized: merged.normalized,
        llm_enrichment: {
          description: output.description,
          key_features: output.key_features,
          investment_summary: output.investment_summary,
          investment_analysis: {
            rental_estimate: financials.underwriting.inputs.rent.monthly,
            cap_rate: u.cap_rate,
            market_trend: financials.valuation.zip_trend.trend,
            recommendation: u.recommendation,
            net_operating_income: u.net_operating_income,
            recommendation_reason: u.reasons.join('; '),
          },
        },
        quality_score: validation.score,
        quality_reasons: validation.reasons,
        quality_notes: validation.notes,
        quality_facts: qualityFacts,
        valuation: financials.valuation,
        underwriting: financials.underwriting,
        ...(overrides && { underwriting_overrides: overrides }),
        field_sources: merged.field_sources,
        address_key: merged.address_key,
        processing_metadata: {
          llm_model: provider.model,
          tokens_used: tokens,
          processing_time_ms: Math.round(performance.now() - started),
          prompt_version: provider.promptVersion,
          cost_usd: cost,
          ...(cached ? { enrichment_cached: true } : {}),
          input_hash: inputHash,
          enriched_at: enrichedAt,
        },
      };
      // A worker whose claim lapsed (and was perhaps taken by another) writes no result and
      // counts nothing: the claim's holder does. Calls already made stay billed: they were paid.
      if (!(await lease.holdsFor(LEASE_MARGIN_MS))) {
        await settleAll(writes);
        return 'lost_lease';
      }
      writes.push(
        repos.processed.upsert(doc),
        repos.dailyStats.increment(phoenixDay(this.deps.clock()), raw.source, { processed: 1, quality_sum: validation.score, quality_count: 1 }),
      );
      await settleAll(writes);
      this.deps.metrics.qualityScores.observe(validation.score);

      const settled = { quality_score: validation.score, ...figuresSummary(doc), ...mergedSummary(doc, raw._id) };
      // A merged property is listed under its first record: that row shows the property as
      // processed now, and every other record of it, processed before the merge or not, is
      // marked as listed there (the list leaves it out).
      for (const id of (doc.raw_ids ?? []).filter((r) => r !== raw._id)) {
        await repos.raw.setPipelineState(id, id === doc.raw_id ? { quality_score: validation.score, ...figuresSummary(doc), ...mergedSummary(doc, id) } : mergedSummary(doc, id));
      }
      if (validation.score < settings.qualityReviewThreshold) {
        return (await repos.queue.moveToReview(item, validation.reasons, settled)) ? 'review' : 'lost_lease';
      }
      const done = await repos.queue.complete(item, settled);
      return done === 'lost_lease' ? 'lost_lease' : 'completed';
    } catch (error) {
      // Nothing left running unwatched: the writes under way end before the item is failed.
      await Promise.allSettled(writes);
      return this.failed(item, (error as Error).message, true);
    } finally {
      lease.stop();
    }
  }

  private async failed(item: QueueItem, message: string, retryable: boolean): Promise<ItemOutcome> {
    this.deps.logger.warn({ id: item._id, attempt: item.attempts, message }, 'processing failed');
    const res = await this.deps.repos.queue.fail(item, message, { retryable });
    if (res.status === 'failed') {
      // Raw ids are `<source>:<source id>`.
      await this.deps.repos.dailyStats.increment(phoenixDay(this.deps.clock()), item._id.split(':')[0]!, { failed: 1 });
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

  /** Every call in `llm_usage`, tokens and cost in `daily_stats`, the budget and metrics told. */
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
        return repos.llmUsage.record({ at, day: phoenixDay(at), model: provider.model, ...usage, cost_usd: callCost, raw_id: raw._id, purpose: 'enrich' }, raw.source);
      }),
    );
  }

  /**
   * The record merged with the other sources' records of the same property (same parcel
   * number, else same canonical address), all of them, and the property's id: one processed
   * property per property, named by the first record in comparePropertyRank's order.
   */
  private async normalizeWithCounterpart(raw: StoredRawProperty): Promise<{ merged: Normalized & { property_id: string; raw_ids: string[] }; records: ValuationRecord[] }> {
    const others = await this.deps.repos.raw.findCounterparts(raw);
    // In the property's own order, so whichever record is processed the merge comes out the same.
    const records: ValuationRecord[] = [raw, ...others].sort((a, b) => comparePropertyRank(a._id, b._id));
    const all = records.map((r) => ({ ...normalize({ source: r.source, data: r.data }), source: r.source }));
    const raw_ids = records.map((r) => r._id).sort();
    return { merged: { ...(all.length === 1 ? all[0]! : mergeNormalized(all)), property_id: records[0]!._id, raw_ids }, records };
  }

  /** Every stored sale in a k-d tree, rebuilt every few minutes (items in flight share one build). */
  private comparablesIndex(): Promise<ComparablesIndex> {
    const now = this.deps.clock().getTime();
    if (!this.comparables || now - this.comparables.at >= COMPARABLES_CACHE_MS) {
      const index = this.deps.repos.raw.withSales().then((docs) => new ComparablesIndex(dedupeSales(docs.flatMap(compSalesOf))));
      index.catch(() => (this.comparables = null));
      this.comparables = { at: now, index };
    }
    return this.comparables.index;
  }
}

/** One sale recorded by several sources (the assessor and ARMLS) counts once. */
function dedupeSales(sales: CompSale[]): CompSale[] {
  const seen = new Set<string>();
  return sales.filter((s) => {
    const key = `${s.parcel_number ?? s.property_id}|${s.date}|${s.price}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Sources in the order their record names a merged property: the parcel's record first. */
const PROPERTY_ID_SOURCES = ['maricopa_api', 'armls_export', 'phoenix_mls'];

/**
 * Raw ids in a property's own order: the assessor's record first, then the ARMLS export's, then
 * the listing's (raw ids are `<source>:<source id>`), by id within a source. The first names the
 * processed property its records share, whichever record comes (or is processed) first.
 */
function comparePropertyRank(a: string, b: string): number {
  const rank = (id: string) => {
    const at = PROPERTY_ID_SOURCES.indexOf(id.split(':')[0]!);
    return at < 0 ? PROPERTY_ID_SOURCES.length : at;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The enrichment already stored for this record, when the model's input has not changed since
 * (same content hash, model and prompt version) and it is not too old: reprocessing unchanged
 * data costs nothing.
 */
function reusableEnrichment(
  previous: ProcessedProperty | null,
  provider: EnrichmentProvider,
  inputHash: string,
  now: Date,
): { output: EnrichmentOutput; enrichedAt: Date } | null {
  const meta = previous?.processing_metadata;
  if (!previous || !meta?.input_hash || !meta.enriched_at) return null;
  if (meta.input_hash !== inputHash || meta.llm_model !== provider.model || meta.prompt_version !== provider.promptVersion) return null;
  if (now.getTime() - meta.enriched_at.getTime() > ENRICHMENT_REUSE_MS) return null;
  const { description, key_features, investment_summary } = previous.llm_enrichment;
  if (investment_summary === undefined) return null;
  return { output: { description, key_features, investment_summary }, enrichedAt: meta.enriched_at };
}

/** Wait for every promise, then throw the first failure: no write is left running unwatched. */
async function settleAll(promises: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
