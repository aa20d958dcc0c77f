import type { RatioMeasure } from './ratio-study.js';

/**
 * A ratio-study figure as text, as the CLI and the console print it: ratios to three decimals
 * (PRB signed: `+0.015`, `−0.032`), COD (percent) to one, shares and errors as percents
 * (`61.3%`); `n/a` when the sample cannot give it.
 */
export function formatMeasureValue(value: number | null, m: Pick<RatioMeasure, 'unit' | 'key'>): string {
  if (value === null) return 'n/a';
  if (m.unit === 'percent') return value.toFixed(1);
  if (m.unit === 'fraction') return `${(value * 100).toFixed(1)}%`;
  if (m.key === 'prb') return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)}`;
  return value.toFixed(3);
}

/** A measure's 95% interval as text (`0.900–1.100`; PRB `−0.065 to +0.096`), or '' without one. */
export function formatMeasureInterval(m: RatioMeasure): string {
  if (!m.ci) return '';
  return `${formatMeasureValue(m.ci.low, m)}${m.key === 'prb' ? ' to ' : '–'}${formatMeasureValue(m.ci.high, m)}`;
}

/** `pass`, `FAIL`, or '' when the figure has no target or no value. */
export function formatMeasureResult(m: RatioMeasure): string {
  return m.pass === null ? '' : m.pass ? 'pass' : 'FAIL';
}
