import type { Run } from '../../../shared/schemas/run.js';
import { durationText, recordsDone } from '../../../shared/sync-progress.js';

/**
 * Seconds one page of 1,000 parcels is assumed to take (the layer's answer and storing it) until
 * a county sync on this database has measured it: an assumption, said as one in the plan.
 */
export const ASSUMED_SECONDS_PER_PAGE = 2;

/** What a county sync is about to do, said before it starts. */
export interface CountySyncPlan {
  /** Parcels the layer holds for the sync's ZIP codes, cities or box (its `returnCountOnly` counts), less what a resumed run already stored. */
  parcels: number;
  pages: number;
  pageSize: number;
  /** Estimated seconds, from `rate` (parcels a second). */
  seconds: number;
  rate: number;
  /** Where the rate comes from: `measured by the last county sync (…)` or the assumption. */
  basis: string;
  /** `~12,400 parcels from the layer in ~52 s (13 pages of 1,000; at 240 parcels a second, measured by the last county sync)`. */
  text: string;
}

/**
 * The plan for `parcels` in pages of `pageSize`: timed at the rate of `lastRun` (the latest
 * succeeded county sync: records done ÷ its duration) when it did any, else at
 * ASSUMED_SECONDS_PER_PAGE a page of 1,000.
 */
export function countySyncPlan(parcels: number, pageSize: number, lastRun: Pick<Run, 'counters' | 'started_at' | 'finished_at'> | null): CountySyncPlan {
  const pages = Math.ceil(parcels / pageSize);
  const lastSeconds = lastRun?.finished_at ? (new Date(lastRun.finished_at).getTime() - new Date(lastRun.started_at).getTime()) / 1000 : 0;
  const lastDone = lastRun ? recordsDone(lastRun.counters) : 0;
  const measured = lastDone > 0 && lastSeconds > 0;
  const rate = measured ? lastDone / lastSeconds : 1000 / ASSUMED_SECONDS_PER_PAGE;
  const basis = measured
    ? `at ${Math.round(rate).toLocaleString('en-US')} parcels a second, measured by the last county sync (${lastDone.toLocaleString('en-US')} parcels in ${durationText(lastSeconds)})`
    : `assuming ${ASSUMED_SECONDS_PER_PAGE} s a page of 1,000 until a sync has measured it`;
  const seconds = parcels / rate;
  const text = `~${parcels.toLocaleString('en-US')} parcels from the layer in ${durationText(seconds)} (${pages.toLocaleString('en-US')} page${pages === 1 ? '' : 's'} of up to ${pageSize.toLocaleString('en-US')}; ${basis})`;
  return { parcels, pages, pageSize, seconds, rate, basis, text };
}
