import type { Run } from './schemas/run.js';

/** How far a run is, how fast it goes and how long it has left, as its counters and times say. */
export interface RunPace {
  /** Records done (stored, unchanged, failed or skipped). */
  done: number;
  /** Records it set out to do, null while unknown. */
  total: number | null;
  /** Records a second since the run started, null before one is done. */
  perSecond: number | null;
  /** Seconds left at that rate, null when the total or the rate is unknown. */
  secondsLeft: number | null;
}

/** Records a run has done: its `inserted`, `updated`, `unchanged`, `failed` and `skipped` counters. */
export function recordsDone(counters: Run['counters']): number {
  return (counters.inserted ?? 0) + (counters.updated ?? 0) + (counters.unchanged ?? 0) + (counters.failed ?? 0) + (counters.skipped ?? 0);
}

/**
 * A run's pace: records done ÷ seconds since it started (to its last update, or to its end), and
 * the records left ÷ that rate. A measured average over the whole run, not a forecast: a run
 * that slows down takes longer than it says.
 */
export function runPace(run: Pick<Run, 'counters' | 'total' | 'started_at' | 'updated_at' | 'finished_at'>): RunPace {
  const done = recordsDone(run.counters);
  const until = run.finished_at ?? run.updated_at;
  const seconds = (new Date(until).getTime() - new Date(run.started_at).getTime()) / 1000;
  const perSecond = done > 0 && seconds > 0 ? done / seconds : null;
  const secondsLeft = perSecond !== null && run.total !== null ? Math.max(0, run.total - done) / perSecond : null;
  return { done, total: run.total, perSecond, secondsLeft };
}

/** A duration in words, rounded as a person would say it: `~40 s`, `~2 min`, `~1 h 5 min`. */
export function durationText(seconds: number): string {
  if (seconds < 1) return '<1 s';
  if (seconds < 90) return `~${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `~${minutes} min`;
  return `~${Math.floor(minutes / 60)} h${minutes % 60 > 0 ? ` ${minutes % 60} min` : ''}`;
}

/** A rate in words: `480 a second`, `12 a minute` (under one a second), `—` when unknown. */
export function rateText(perSecond: number | null, unit: string): string {
  if (perSecond === null) return '—';
  return perSecond >= 1 ? `${Math.round(perSecond).toLocaleString('en-US')} ${unit} a second` : `${Math.round(perSecond * 60)} ${unit} a minute`;
}

/** `1,000/2,350 parcels, 480 parcels a second, ~3 s left` (what is known of it). */
export function paceText(pace: RunPace, unit: string): string {
  const progress = pace.total !== null ? `${pace.done.toLocaleString('en-US')}/${pace.total.toLocaleString('en-US')} ${unit}` : `${pace.done.toLocaleString('en-US')} ${unit}`;
  const left = pace.secondsLeft !== null ? `, ${durationText(pace.secondsLeft)} left` : '';
  return `${progress}, ${rateText(pace.perSecond, unit)}${left}`;
}
