import type { Settings } from '../../shared/settings.js';
import { LEASE_MARGIN_MS } from '../processing/lease-keeper.js';

/**
 * Why `QUEUE_LEASE_MS` is too short for `OPENAI_TIMEOUT_MS`, or null when it is long enough.
 *
 * A worker renews its lease (every third of it) and makes sure it holds the item for a request's
 * timeout before each model call, and for the margin before writing the results (LeaseKeeper). A
 * lease shorter than one request's timeout plus `LEASE_MARGIN_MS` can lapse while a call is still
 * allowed to run, and then another worker processes (and pays for) the item again; a lease of
 * 8 s let 72 of 500 items be processed twice (issue 14).
 */
export function leaseProblem(settings: Pick<Settings, 'queueLeaseMs' | 'openaiTimeoutMs'>): string | null {
  const minimum = settings.openaiTimeoutMs + LEASE_MARGIN_MS;
  if (settings.queueLeaseMs >= minimum) return null;
  return (
    `a queue lease of ${settings.queueLeaseMs} ms is shorter than one LLM request may take (OPENAI_TIMEOUT_MS ${settings.openaiTimeoutMs} ms) ` +
    `plus ${LEASE_MARGIN_MS} ms for the item's reads and writes: set QUEUE_LEASE_MS to at least ${minimum} or lower OPENAI_TIMEOUT_MS`
  );
}
