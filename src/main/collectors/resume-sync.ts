import { ContractError } from '../../shared/contract.js';
import type { Run } from '../../shared/schemas/run.js';
import type { CollectionService } from './collection-service.js';

/**
 * Take up a sync that failed or was cancelled (the run detail page's Resume): the assessor's
 * sync resumes from its own record (its cached answers make the done part cheap); the MLS sync
 * runs again with the same ZIP codes and limit, as a new run.
 *
 * Errors (ContractError): NOT_FOUND for an unknown run; CONFLICT for a run that is not a sync
 * or that did not fail or get cancelled.
 */
export function resumeSync(collection: CollectionService, run: Run | null, runId: string): Promise<{ run: Run; done: Promise<Run> }> {
  if (!run) throw new ContractError('NOT_FOUND', `No run with id "${runId}".`);
  if (run.kind !== 'sync') throw new ContractError('CONFLICT', `Run ${runId} is a ${run.kind} run; only syncs resume.`);
  if (run.status !== 'failed' && run.status !== 'cancelled') throw new ContractError('CONFLICT', `Run ${runId} is ${run.status}; only a failed or cancelled sync resumes.`);
  const p = run.params;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const limit = typeof p.limit === 'number' ? p.limit : undefined;
  if (run.source === 'phoenix_mls') return collection.startMls({ zips: strings(p.zips), limit }, { trigger: 'manual' });
  if (run.source === 'maricopa_api') {
    return collection.startMaricopa({ zips: strings(p.zips), apns: strings(p.apns), queries: strings(p.queries), limit, refresh: p.refresh === true }, { trigger: 'manual', resumeRunId: runId });
  }
  throw new ContractError('CONFLICT', `Run ${runId} is from ${run.source ?? 'no source'}, which has no resume.`);
}
