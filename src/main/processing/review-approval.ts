import { ContractError, type ReviewEdits } from '../../shared/contract.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Clock } from '../runtime/clock.js';
import { identityOf } from './analyst-identity.js';
import { correctedSummary } from './pipeline/analyst-overlay.js';

/**
 * Approve one item held for review, with the analyst's corrections if any. The corrections and
 * the approval (with the reasons the item was held for) go into the analyst's layer, which every
 * later processing applies over the collected data: a re-collection keeps the corrected fields
 * and does not hold the item again for the issues approved here. For the views to agree at once,
 * the corrected fields are also written to the processed record, `rescore` recomputes its value,
 * figures and quality score (processing's, which copies them to the property list), and the
 * corrected facts reach the list's summary (what it shows, filters and sorts on; a corrected
 * estimate is no longer one), all before this returns.
 *
 * Errors (ContractError): NOT_FOUND for an unknown id; CONFLICT when the item is not held for
 * review, has no processed record to correct, or changed meanwhile.
 */
export async function approveHeld(
  deps: { repos: Repositories; clock: Clock; rescore: (id: string) => Promise<boolean> },
  id: string,
  edits: ReviewEdits | undefined,
): Promise<'completed'> {
  const { repos, clock } = deps;
  const item = await repos.queue.get(id);
  if (!item) throw new ContractError('NOT_FOUND', `No queue item "${id}".`);
  if (item.status !== 'review') throw new ContractError('CONFLICT', `${id} is ${item.status}, not held for review.`);
  const keys = await identityOf(repos, id);
  if (edits && Object.keys(edits).length > 0) {
    if (!(await repos.processed.applyReview(id, edits, clock()))) {
      throw new ContractError('CONFLICT', `${id} has no processed record to correct; send it back for processing instead.`);
    }
    await repos.analystLayer.setCorrections(keys, edits, clock());
    await deps.rescore(id);
    const raw = await repos.raw.getData(id);
    await repos.raw.correctSummary(id, correctedSummary(edits, raw?.summary));
  }
  const rescored = await repos.processed.getByRawId(id);
  await repos.analystLayer.recordApproval(keys, [...item.review_reasons, ...(rescored?.quality_reasons ?? [])], clock());
  if (!(await repos.queue.approve(id))) throw new ContractError('CONFLICT', `${id} changed meanwhile; reload the review list.`);
  return 'completed';
}
