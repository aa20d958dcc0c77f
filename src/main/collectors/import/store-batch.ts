import type { RawPropertyInput } from '../../../shared/schemas/raw-property.js';
import type { Run } from '../../../shared/schemas/run.js';
import type { RunRecorder } from '../../runs/run-recorder.js';
import type { MaricopaSyncDeps } from '../maricopa/sync.js';

/**
 * Store a batch of records exactly as a sync stores one: the same upsert (content hash, price
 * history, property keys), new and changed records queued, an unchanged one queued only if it
 * never was (so re-importing a file changes nothing) or if its last change may not have reached
 * the queue (UpsertResult.awaitsQueue: an import a full disk or a crash cut off), counted on the run (the day's volume counts each
 * new or changed record as the upsert writes it). Counters: `fetched` (stored rows), `inserted`, `updated`, `unchanged`, `enqueued`.
 */
export async function storeBatch(deps: MaricopaSyncDeps, recorder: RunRecorder, source: string, inputs: RawPropertyInput[]): Promise<void> {
  if (inputs.length === 0) return;
  // New and changed records are written already marked pending, as the queue makes them next.
  const results = await deps.repos.raw.upsertMany(inputs, { queuedStatus: 'pending' });
  const changed = results.filter((r) => r.outcome !== 'unchanged').map((r) => r.id);
  const unchanged = results.filter((r) => r.outcome === 'unchanged' && !r.awaitsQueue).map((r) => r.id);
  const awaiting = results.filter((r) => r.awaitsQueue).map((r) => r.id);
  const enqueued = await deps.repos.queue.enqueueMany(changed, { summaryHasPending: new Set(changed) });
  await deps.repos.queue.ensureQueuedMany(unchanged);
  await deps.repos.queue.requeueAwaiting(awaiting);
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  for (const r of results) counts[r.outcome] += 1;
  for (const [outcome, n] of Object.entries(counts)) if (n > 0) deps.metrics.propertiesCollected.inc({ source, outcome }, n);
  await recorder.count({ fetched: inputs.length, ...counts, enqueued: enqueued.length });
}

/**
 * End an import's run: `cancelled` when `signal` stopped it, `failed` when no record could be
 * stored and some were bad, else `succeeded`; the message counts what was stored and what was
 * bad (`12 rows stored (2 new, 0 changed, 10 unchanged), 1 bad row`), `nouns` in the plural.
 */
export async function finishImport(recorder: RunRecorder, signal: AbortSignal | undefined, nouns: { stored: string; bad: string }): Promise<Run> {
  const c = recorder.snapshot();
  const summary = `${counted(c.fetched ?? 0, nouns.stored)} stored (${c.inserted ?? 0} new, ${c.updated ?? 0} changed, ${c.unchanged ?? 0} unchanged), ${counted(c.failed ?? 0, nouns.bad)}`;
  if (signal?.aborted) return (await recorder.finish('cancelled', `Cancelled after ${summary}`))!;
  return (await recorder.finish((c.fetched ?? 0) === 0 && (c.failed ?? 0) > 0 ? 'failed' : 'succeeded', summary))!;
}

/** `1 row`, `0 rows`, `1 bad row`: `n` and the plural noun `nouns` (`rows`, `bad files`), its last `s` dropped for one. */
function counted(n: number, nouns: string): string {
  return `${n} ${n === 1 ? nouns.replace(/s$/, '') : nouns}`;
}

/** End an import that threw: its message on the run, `cancelled` when `signal` stopped it, else `failed` (RunRecorder.failWith). */
export async function failImport(deps: Pick<MaricopaSyncDeps, 'logger'>, recorder: RunRecorder, signal: AbortSignal | undefined, error: unknown): Promise<Run> {
  return recorder.failWith(error, deps.logger, 'import failed', signal?.aborted ? 'cancelled' : 'failed');
}
