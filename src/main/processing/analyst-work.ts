import { ContractError } from '../../shared/contract.js';
import type { AnalystCorrections, AnalystLayer, CorrectableField, DealStatus } from '../../shared/schemas/analyst-layer.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Clock } from '../runtime/clock.js';
import { identityOf } from './analyst-identity.js';
import { correctedSummary } from './pipeline/analyst-overlay.js';

/** What the analyst's edits outside the review list need: the repositories, the clock, processing's `rescore` and `reprocess`. */
export interface AnalystWorkDeps {
  repos: Repositories;
  clock: Clock;
  /** Recompute a processed record after a correction (processing's `rescore`); false when there is nothing to recompute. */
  rescore: (id: string) => Promise<boolean>;
  /** Queue raw records for processing again; how many were queued. */
  reprocess: (ids: string[]) => Promise<number>;
}

/**
 * The identities of the property a raw id is in (`identityOf`).
 * Errors: ContractError NOT_FOUND when no raw record has this id.
 */
export async function propertyKeysOrThrow(repos: Pick<Repositories, 'raw' | 'processed'>, id: string): Promise<string[]> {
  const keys = await identityOf(repos, id);
  if (keys.length === 0) throw new ContractError('NOT_FOUND', `No property with id "${id}".`);
  return keys;
}

/**
 * Correct fields of a property: kept in its analyst layer (applied over every source by each
 * processing), and written into the processed record with its figures recomputed and its list
 * row updated at once. A property not processed yet gets them when it is.
 * Errors: ContractError NOT_FOUND for an unknown id.
 */
export async function correctProperty(deps: AnalystWorkDeps, id: string, corrections: AnalystCorrections): Promise<AnalystLayer> {
  const { repos, clock } = deps;
  const keys = await propertyKeysOrThrow(repos, id);
  const layer = await repos.analystLayer.setCorrections(keys, corrections, clock());
  if (await repos.processed.applyCorrections(id, corrections)) await deps.rescore(id);
  const raw = await repos.raw.getData(id);
  await repos.raw.correctSummary(id, correctedSummary(corrections, raw?.summary));
  return layer;
}

/**
 * Clear corrected fields: the layer forgets them and the property is queued, so processing brings
 * back what the sources say. `queued` is false when it was queued already.
 * Errors: ContractError NOT_FOUND for an unknown id.
 */
export async function clearCorrections(deps: AnalystWorkDeps, id: string, fields: readonly CorrectableField[]): Promise<{ analyst: AnalystLayer; queued: boolean }> {
  const keys = await propertyKeysOrThrow(deps.repos, id);
  const analyst = await deps.repos.analystLayer.clearCorrections(keys, fields, deps.clock());
  return { analyst, queued: (await deps.reprocess([id])) > 0 };
}

/**
 * Tag a property (the tags replace the ones before) or set its deal status: kept in its analyst
 * layer and written on its list row at once, so the list's `tag` and `dealStatus` filters find it.
 * Errors: ContractError NOT_FOUND for an unknown id.
 */
export async function markProperty(deps: Pick<AnalystWorkDeps, 'repos' | 'clock'>, id: string, mark: { tags: string[] } | { status: DealStatus }): Promise<AnalystLayer> {
  const { repos, clock } = deps;
  const keys = await propertyKeysOrThrow(repos, id);
  const layer = 'tags' in mark ? await repos.analystLayer.setTags(keys, mark.tags, clock()) : await repos.analystLayer.setStatus(keys, mark.status, clock());
  const [processed, raw] = await Promise.all([repos.processed.getByRawId(id), repos.raw.getData(id)]);
  const rowId = processed?.raw_id ?? raw?.summary.merged_into ?? id;
  await repos.raw.correctSummary(rowId, { tags: layer.tags, deal_status: layer.status?.value ?? null, deal_status_at: layer.status?.set_at ?? null });
  return layer;
}
