import { ContractError } from '../../shared/contract.js';
import type { AnalystLayer } from '../../shared/schemas/analyst-layer.js';
import type { EnqueueOutcome } from '../db/repositories/queue.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Clock } from '../runtime/clock.js';
import { propertyKeysOrThrow } from './analyst-work.js';

/** What steering a property's comparables needs: the repositories and the clock. */
export interface ComparableSteeringDeps {
  repos: Pick<Repositories, 'raw' | 'processed' | 'analystLayer' | 'queue'>;
  clock: Clock;
}

/** A comparable steered: the layer as it now reads, and how the property was queued to be revalued. */
export interface SteeredComparable {
  analyst: AnalystLayer;
  /** `rerun_after_current` when a worker is processing it now (it runs again when done). */
  queued: EnqueueOutcome;
}

/**
 * Exclude a comparable sale from a property's value (`included` false) or include it again
 * (true), issue #23. The choice is kept in the property's analyst layer, which every processing
 * applies (`appraiseExcluding`: valued without the excluded sales), so re-collection, reprocess
 * and backup/restore keep it; the property is queued at once, at the head of the queue, to be
 * revalued by the pipeline.
 *
 * The sale must be one of the comparables its value lists, or one the layer excludes already.
 * Errors: ContractError NOT_FOUND for an unknown property or a sale that is neither.
 */
export async function setComparableIncluded(deps: ComparableSteeringDeps, id: string, saleId: string, included: boolean): Promise<SteeredComparable> {
  const { repos, clock } = deps;
  const keys = await propertyKeysOrThrow(repos, id);
  const [processed, layer] = await Promise.all([repos.processed.getByRawId(id), repos.analystLayer.find(keys)]);
  const listed = processed?.valuation?.appraisal?.comparables.find((c) => c.sale_id === saleId);
  const known = listed ? { sale_id: saleId, address: listed.address, date: listed.date, price: listed.price } : layer?.excluded_comparables?.find((c) => c.sale_id === saleId);
  if (!known) throw new ContractError('NOT_FOUND', `No comparable sale "${saleId}" in the value of ${id}: choose one of the comparables its page lists.`);
  const { sale_id, address, date, price } = known;
  const analyst = await repos.analystLayer.setComparableExcluded(keys, { sale_id, address, date, price }, !included, clock());
  const queued = await repos.queue.enqueue(id);
  await repos.queue.putFirst([id]);
  return { analyst, queued };
}
