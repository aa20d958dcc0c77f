import { ContractError, type ReviewEdits } from '../../shared/contract.js';
import type { Repositories } from '../db/repositories/index.js';
import type { Clock } from '../runtime/clock.js';

/**
 * Approve one item held for review, with the analyst's corrections if any. The corrected fields
 * are written to the processed record, `rescore` recomputes its value, figures and quality score
 * (processing's, which copies them to the property list), and the corrected facts reach the
 * list's summary (what it shows, filters and sorts on; a corrected estimate is no longer one),
 * all before this returns, so every view agrees at once.
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
  if (edits && Object.keys(edits).length > 0) {
    if (!(await repos.processed.applyReview(id, edits, clock()))) {
      throw new ContractError('CONFLICT', `${id} has no processed record to correct; send it back for processing instead.`);
    }
    await deps.rescore(id);
    const raw = await repos.raw.getData(id);
    const estimated = raw?.summary.estimated?.filter((f) => !(f in edits));
    await repos.raw.correctSummary(id, {
      ...(edits.bedrooms !== undefined && { bedrooms: edits.bedrooms }),
      ...(edits.bathrooms !== undefined && { bathrooms: edits.bathrooms }),
      ...(edits.square_feet !== undefined && { square_feet: edits.square_feet }),
      ...(edits.year_built !== undefined && { year_built: edits.year_built }),
      ...(edits.list_price !== undefined && { price: edits.list_price }),
      ...(estimated && { estimated }),
    });
  }
  if (!(await repos.queue.approve(id))) throw new ContractError('CONFLICT', `${id} changed meanwhile; reload the review list.`);
  return 'completed';
}
