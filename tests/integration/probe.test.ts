import { inject, expect, it } from 'vitest';
import { runProbe } from '../probe/run.js';

/**
 * Issue #24: the probe stays green. Its quick set (every HTTP and contract case, a sample of the
 * file and restore cases) against a real `serve`; each case that did not hold is listed.
 */
it('the probe: every bad input tried is refused cleanly', async () => {
  const lines: string[] = [];
  const outcome = await runProbe({ mongoUri: inject('mongoUri'), quick: true, print: (l) => lines.push(l) });
  expect(outcome.failures).toEqual([]);
  expect(outcome.tried).toBeGreaterThanOrEqual(100);
  expect(outcome.held).toBe(outcome.tried);
}, 900_000);
