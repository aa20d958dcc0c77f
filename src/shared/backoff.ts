/**
 * Exponential backoff with jitter, the AWS Architecture Blog's way.
 *
 * `attempt` counts from 1 (the delay before the second try). `full` jitter draws from
 * [0, ceiling]; `equal` jitter from [ceiling/2, ceiling], so a retry is never immediate.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  jitter: 'full' | 'equal' | 'none';
}

export function backoffCeilingMs(attempt: number, policy: Pick<BackoffPolicy, 'baseMs' | 'maxMs'>): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 52));
}

export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  switch (policy.jitter) {
    case 'none':
      return ceiling;
    case 'full':
      return Math.floor(random() * ceiling);
    case 'equal':
      return Math.floor(ceiling / 2 + random() * (ceiling / 2));
  }
}
