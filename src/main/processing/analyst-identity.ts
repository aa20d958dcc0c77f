import type { Repositories } from '../db/repositories/index.js';
import { propertyIdentity } from './pipeline/analyst-overlay.js';

/**
 * The identities of the property a raw record is in, for its analyst layer (`propertyIdentity`):
 * the records of its processed property (or the ones its list row names, or the record alone),
 * read by `_id`. Empty when there is no such record.
 */
export async function identityOf(repos: Pick<Repositories, 'raw' | 'processed'>, id: string): Promise<string[]> {
  const [raw, processed] = await Promise.all([repos.raw.getData(id), repos.processed.getByRawId(id)]);
  if (!raw) return [];
  const ids = [...new Set([id, ...(processed?.raw_ids ?? raw.summary.records ?? [])])];
  const records = (await Promise.all(ids.map((r) => (r === id ? raw : repos.raw.getData(r))))).filter((r) => r !== null);
  return propertyIdentity(records, ids);
}
