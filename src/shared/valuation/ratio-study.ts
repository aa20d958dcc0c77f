/**
 * A ratio study of values against sale prices: the statistics of the IAAO Standard on Ratio
 * Studies (International Association of Assessing Officers, 2013), each with its confidence
 * interval and the IAAO target it is judged against. Pure: no clock, no I/O; the bootstrap draws
 * from a seeded generator, so one table always gives the same intervals.
 *
 * Terms: a ratio is value ÷ price (1.00 = valued at the price). Fractions are fractions (0.10 =
 * 10%); COD is in percent, as the Standard writes it. No outlier trimming: an automated value is
 * scored on every sale it valued, as AVM vendors publish their hit rates.
 */

/** One sale as a ratio study reads it: the price it sold for and what it was valued at, dollars. */
export interface RatioObservation {
  /** The sale price, dollars (> 0). */
  price: number;
  /** The value, dollars; null when the model gave none (counts against coverage only). */
  value: number | null;
  /** The value's 80% range, dollars, when it had one. */
  low?: number | null;
  high?: number | null;
}

/** A two-sided interval of a statistic. */
export interface ConfidenceInterval {
  low: number;
  high: number;
  /** Its confidence level, a fraction (0.95). */
  level: number;
  /** How it was computed (`binomial order statistics`, `bootstrap percentile, 1,000 resamples, seed 21`, `OLS t interval`). */
  method: string;
}

/** The IAAO (or calibration) target a figure is judged against. */
export interface RatioTarget {
  /** Inclusive bounds; null when the target is one-sided. */
  min: number | null;
  max: number | null;
  /** The target as the Standard writes it (`0.90–1.10`, `≤ 15.0`). */
  label: string;
  /** Its source (`IAAO Standard on Ratio Studies (2013), Table 1-3`). */
  source: string;
}

/** One figure of the study: the statistic, its interval, its target and whether it meets it. */
export interface RatioMeasure {
  /** Stable key (`median_ratio`, `cod`, `prd`, `prb`, …). */
  key: string;
  /** What it is, in the field's words. */
  label: string;
  /** The figure, in `unit`; null when the sample cannot give it (no valued sale, or too few). */
  value: number | null;
  /** `ratio`, `percent` (COD), `fraction` (shares, errors). */
  unit: 'ratio' | 'percent' | 'fraction';
  ci: ConfidenceInterval | null;
  target: RatioTarget | null;
  /** Whether the figure meets its target; null when there is no target or no figure. */
  pass: boolean | null;
  /** How it is computed, in one line. */
  basis: string;
}

/** The statistics of one set of sales. Every figure is an estimate from the sample it names. */
export interface RatioStudy {
  /** Sales in the set. */
  sales: number;
  /** Sales the model valued. */
  valued: number;
  /** Sales valued with an 80% range. */
  with_range: number;
  median_ratio: RatioMeasure;
  mean_ratio: RatioMeasure;
  weighted_mean_ratio: RatioMeasure;
  cod: RatioMeasure;
  prd: RatioMeasure;
  prb: RatioMeasure;
  within_10: RatioMeasure;
  within_20: RatioMeasure;
  median_abs_error: RatioMeasure;
  coverage: RatioMeasure;
  range_held: RatioMeasure;
}

/** The measures of a `RatioStudy` in the order a report prints them. */
export const RATIO_MEASURE_KEYS = [
  'coverage',
  'median_ratio',
  'mean_ratio',
  'weighted_mean_ratio',
  'cod',
  'prd',
  'prb',
  'within_10',
  'within_20',
  'median_abs_error',
  'range_held',
] as const;
export type RatioMeasureKey = (typeof RATIO_MEASURE_KEYS)[number];

const IAAO = 'IAAO Standard on Ratio Studies (2013)';

/** The targets each figure is judged against. */
export const RATIO_TARGETS = {
  median_ratio: { min: 0.9, max: 1.1, label: '0.90–1.10', source: `${IAAO}, Table 1-3 (level)` },
  cod: {
    min: null,
    max: 15,
    label: '≤ 15.0 (≤ 10.0 for newer or homogeneous homes)',
    source: `${IAAO}, Table 1-3 (single-family residential and condominiums)`,
  },
  prd: { min: 0.98, max: 1.03, label: '0.98–1.03', source: `${IAAO}, §9.2.7` },
  prb: { min: -0.05, max: 0.05, label: '−0.05 to +0.05', source: `${IAAO}, §9.2.7 (Gloudemans' PRB)` },
  range_held: {
    min: 0.7,
    max: 0.9,
    label: '0.70–0.90 (an 80% range)',
    source: 'calibration of an 80% prediction interval (issue #21)',
  },
} satisfies Partial<Record<RatioMeasureKey, RatioTarget>>;

/** Options of a ratio study. */
export interface RatioStudyOptions {
  /** Bootstrap resamples for the COD and PRD intervals (default 1,000). */
  resamples?: number;
  /** The bootstrap generator's seed (default 21). */
  seed?: number;
}

const DEFAULT_RESAMPLES = 1000;
const DEFAULT_SEED = 21;
const LEVEL = 0.95;

/**
 * The ratio study of `observations`: level (median, mean, weighted mean ratio), uniformity (COD),
 * vertical equity (PRD, PRB), accuracy shares, coverage and how often the 80% range held the
 * price, each with its 95% interval where the Standard gives one.
 *
 * Sales with a null value count against coverage only; a price ≤ 0 is a programming error (sales
 * validation keeps such transfers out) and throws a RangeError.
 */
export function ratioStudy(observations: readonly RatioObservation[], options: RatioStudyOptions = {}): RatioStudy {
  for (const o of observations) {
    if (!(o.price > 0)) throw new RangeError(`ratioStudy: a sale price must be positive dollars (got ${o.price})`);
  }
  const valued = observations.filter((o): o is RatioObservation & { value: number } => o.value !== null && o.value > 0);
  const values = valued.map((o) => o.value);
  const prices = valued.map((o) => o.price);
  const ratios = valued.map((o) => o.value / o.price);
  const ranged = valued.filter((o) => o.low != null && o.high != null);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  const n = ratios.length;

  const median = n > 0 ? medianOf(ratios) : null;
  const mean = n > 0 ? sum(ratios) / n : null;
  const weighted = n > 0 ? sum(values) / sum(prices) : null;
  const cod = n > 0 ? codOf(ratios) : null;
  const prd = n > 0 ? prdOf(values, prices) : null;
  const prb = prbOf(values, prices);
  const boot = n >= 2 ? bootstrapCodPrd(values, prices, resamples, seed) : null;
  const bootMethod = `bootstrap percentile, ${resamples.toLocaleString('en-US')} resamples, seed ${seed}`;
  const errors = ratios.map((r) => Math.abs(r - 1));
  const within10 = errors.filter((e) => e <= 0.1 + 1e-12).length;
  const within20 = errors.filter((e) => e <= 0.2 + 1e-12).length;
  const held = ranged.filter((o) => o.low! <= o.price && o.price <= o.high!).length;

  return {
    sales: observations.length,
    valued: n,
    with_range: ranged.length,
    coverage: measure('coverage', 'Valued (coverage)', observations.length > 0 ? n / observations.length : null, 'fraction', {
      ci: observations.length > 0 ? wilsonInterval(n, observations.length) : null,
      basis: 'sales valued ÷ sales in the study; interval: Wilson score',
    }),
    median_ratio: measure('median_ratio', 'Median ratio (level)', median, 'ratio', {
      ci: medianInterval(ratios),
      target: RATIO_TARGETS.median_ratio,
      basis: 'middle value ÷ price of the valued sales',
    }),
    mean_ratio: measure('mean_ratio', 'Mean ratio', mean, 'ratio', { basis: 'average of value ÷ price' }),
    weighted_mean_ratio: measure('weighted_mean_ratio', 'Weighted mean ratio', weighted, 'ratio', {
      basis: 'sum of values ÷ sum of prices',
    }),
    cod: measure('cod', 'COD (uniformity)', cod, 'percent', {
      ci: boot ? percentileInterval(boot.cod, bootMethod) : null,
      target: RATIO_TARGETS.cod,
      basis: 'average absolute deviation of the ratios from the median ratio ÷ the median × 100',
    }),
    prd: measure('prd', 'PRD (vertical equity)', prd, 'ratio', {
      ci: boot ? percentileInterval(boot.prd, bootMethod) : null,
      target: RATIO_TARGETS.prd,
      basis: 'mean ratio ÷ weighted mean ratio (> 1: dearer homes valued lower than cheaper ones)',
    }),
    prb: measure('prb', 'PRB (vertical equity)', prb?.coefficient ?? null, 'ratio', {
      ci: prb?.ci ?? null,
      target: RATIO_TARGETS.prb,
      basis: 'slope of (ratio − median) ÷ median on log2 of ½(value ÷ median + price): the change in ratio as value doubles',
    }),
    within_10: measure('within_10', 'Within ±10% of the price', n > 0 ? within10 / n : null, 'fraction', {
      ci: n > 0 ? wilsonInterval(within10, n) : null,
      basis: 'share of valued sales with |value ÷ price − 1| ≤ 0.10; interval: Wilson score',
    }),
    within_20: measure('within_20', 'Within ±20% of the price', n > 0 ? within20 / n : null, 'fraction', {
      ci: n > 0 ? wilsonInterval(within20, n) : null,
      basis: 'share of valued sales with |value ÷ price − 1| ≤ 0.20; interval: Wilson score',
    }),
    median_abs_error: measure('median_abs_error', 'Median absolute error', n > 0 ? medianOf(errors) : null, 'fraction', {
      ci: medianInterval(errors),
      basis: 'middle value of |value − price| ÷ price',
    }),
    range_held: measure(
      'range_held',
      '80% range held the price',
      ranged.length > 0 ? held / ranged.length : null,
      'fraction',
      {
        ci: ranged.length > 0 ? wilsonInterval(held, ranged.length) : null,
        target: RATIO_TARGETS.range_held,
        basis: 'share of sales valued with a range whose price fell within it; interval: Wilson score',
      },
    ),
  };
}

function measure(
  key: RatioMeasureKey,
  label: string,
  value: number | null,
  unit: RatioMeasure['unit'],
  extra: { ci?: ConfidenceInterval | null; target?: RatioTarget; basis: string },
): RatioMeasure {
  const target = extra.target ?? null;
  const pass =
    target === null || value === null
      ? null
      : (target.min === null || value >= target.min - 1e-12) && (target.max === null || value <= target.max + 1e-12);
  return { key, label, value, unit, ci: extra.ci ?? null, target, pass, basis: extra.basis };
}

/** The median of `xs` (the mean of the two middle values when the count is even); xs non-empty. */
export function medianOf(xs: readonly number[]): number {
  const sorted = Float64Array.from(xs).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** COD, percent: 100 × the mean of |ratio − median| ÷ the median (IAAO 2013, Appendix B). `ratios` non-empty. */
export function codOf(ratios: readonly number[]): number {
  const median = medianOf(ratios);
  let deviation = 0;
  for (const r of ratios) deviation += Math.abs(r - median);
  return (100 * (deviation / ratios.length)) / median;
}

/** PRD: the mean ratio ÷ the weighted mean ratio (IAAO 2013, Appendix B). Arrays of one length, non-empty. */
export function prdOf(values: readonly number[], prices: readonly number[]): number {
  let ratioSum = 0;
  let valueSum = 0;
  let priceSum = 0;
  for (let i = 0; i < values.length; i++) {
    ratioSum += values[i]! / prices[i]!;
    valueSum += values[i]!;
    priceSum += prices[i]!;
  }
  return ratioSum / values.length / (valueSum / priceSum);
}

/**
 * PRB, the price-related bias (Gloudemans 2011; IAAO 2013, Appendix B): the OLS slope of
 * (ratio − median) ÷ median on log2(½ × value ÷ median + ½ × price), with its 95% t interval.
 * A PRB of −0.03 means the ratio falls 3% each time the value doubles. Null with fewer than three
 * sales or when every value proxy is the same (no slope).
 */
export function prbOf(
  values: readonly number[],
  prices: readonly number[],
): { coefficient: number; ci: ConfidenceInterval } | null {
  const n = values.length;
  if (n < 3) return null;
  const ratios = values.map((v, i) => v / prices[i]!);
  const median = medianOf(ratios);
  const y = ratios.map((r) => (r - median) / median);
  const x = values.map((v, i) => Math.log2(0.5 * (v / median) + 0.5 * prices[i]!));
  const fit = simpleRegression(x, y);
  if (!fit) return null;
  const t = studentTQuantile(0.5 + LEVEL / 2, n - 2);
  return {
    coefficient: fit.slope,
    ci: { low: fit.slope - t * fit.slopeSe, high: fit.slope + t * fit.slopeSe, level: LEVEL, method: `OLS t interval, ${n - 2} df` },
  };
}

/** Ordinary least squares of y on x with an intercept: the slope and its standard error. Null when x does not vary. */
function simpleRegression(x: readonly number[], y: readonly number[]): { slope: number; intercept: number; slopeSe: number } | null {
  const n = x.length;
  const mx = sum(x) / n;
  const my = sum(y) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - intercept - slope * x[i]!) ** 2;
  return { slope, intercept, slopeSe: Math.sqrt(sse / (n - 2) / sxx) };
}

/**
 * The 95% interval of the median of `xs` from order statistics (IAAO 2013, Appendix B): the k-th
 * smallest and k-th largest values, k the largest rank with P(Binomial(n, ½) < k) ≤ 2.5%. Its
 * coverage is at least 95%; null with fewer than six values (no such rank exists).
 */
export function medianInterval(xs: readonly number[]): ConfidenceInterval | null {
  const n = xs.length;
  const k = binomialLowerRank(n, (1 - LEVEL) / 2);
  if (k < 1) return null;
  const sorted = Float64Array.from(xs).sort();
  return { low: sorted[k - 1]!, high: sorted[n - k]!, level: LEVEL, method: `binomial order statistics (ranks ${k} and ${n - k + 1} of ${n})` };
}

/** The largest k with P(Binomial(n, ½) ≤ k − 1) ≤ alpha; 0 when even k = 1 fails. Computed in logs, exact for any n. */
function binomialLowerRank(n: number, alpha: number): number {
  let logC = 0; // log C(n, 0)
  let cumulative = 0;
  const logHalfN = -n * Math.LN2;
  for (let i = 0; i <= n; i++) {
    cumulative += Math.exp(logC + logHalfN);
    if (cumulative > alpha + 1e-15) return i;
    logC += Math.log(n - i) - Math.log(i + 1);
  }
  return n;
}

/** Wilson score 95% interval of a share `successes` of `trials` (Wilson 1927). trials > 0. */
function wilsonInterval(successes: number, trials: number): ConfidenceInterval {
  const z = normalQuantile(0.5 + LEVEL / 2);
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half), level: LEVEL, method: 'Wilson score' };
}

/** Bootstrap resamples (with replacement, seeded) of COD and PRD. */
function bootstrapCodPrd(
  values: readonly number[],
  prices: readonly number[],
  resamples: number,
  seed: number,
): { cod: Float64Array; prd: Float64Array } {
  const n = values.length;
  const random = mulberry32(seed);
  const cod = new Float64Array(resamples);
  const prd = new Float64Array(resamples);
  const ratios = new Float64Array(n);
  for (let b = 0; b < resamples; b++) {
    let ratioSum = 0;
    let valueSum = 0;
    let priceSum = 0;
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      const r = values[j]! / prices[j]!;
      ratios[i] = r;
      ratioSum += r;
      valueSum += values[j]!;
      priceSum += prices[j]!;
    }
    ratios.sort();
    const mid = n >> 1;
    const median = n % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
    let deviation = 0;
    for (let i = 0; i < n; i++) deviation += Math.abs(ratios[i]! - median);
    cod[b] = (100 * (deviation / n)) / median;
    prd[b] = ratioSum / n / (valueSum / priceSum);
  }
  return { cod, prd };
}

/** The 2.5th and 97.5th percentiles (linear interpolation) of bootstrap draws. */
function percentileInterval(draws: Float64Array, method: string): ConfidenceInterval {
  const sorted = Float64Array.from(draws).sort();
  return { low: quantileOfSorted(sorted, (1 - LEVEL) / 2), high: quantileOfSorted(sorted, 0.5 + LEVEL / 2), level: LEVEL, method };
}

/** The q-quantile of sorted values, linear between order statistics (Hyndman & Fan type 7). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** Mulberry32: a small seeded 32-bit generator of uniform [0, 1) numbers, for reproducible resampling. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The standard normal quantile (Acklam's rational approximation, relative error under 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Student's t quantile with `df` degrees of freedom: exact for 1 and 2 df, else the Cornish–Fisher
 * expansion of Abramowitz & Stegun 26.7.5 (error under 1e-3 from 3 df, under 1e-5 from 10 df).
 */
export function studentTQuantile(p: number, df: number): number {
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

function sum(xs: readonly number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total;
}

/** The ratio study of one group of sales (a ZIP, a property type, a price quartile). */
export interface RatioBreakdown {
  /** The group's key (`85251`, `condo`, `Q1`). */
  key: string;
  /** What the group is (`ZIP 85251`, `condo`, `Q1: $250,000–$410,000`). */
  label: string;
  study: RatioStudy;
}

/**
 * The ratio study of each group of `observations` by `keyOf` (null keys group as `unknown`),
 * largest group first, then by key.
 */
export function ratioBreakdowns<T extends RatioObservation>(
  observations: readonly T[],
  keyOf: (o: T) => string | null,
  labelOf: (key: string) => string = (key) => key,
  options: RatioStudyOptions = {},
): RatioBreakdown[] {
  const groups = new Map<string, T[]>();
  for (const o of observations) {
    const key = keyOf(o) ?? 'unknown';
    const group = groups.get(key);
    if (group) group.push(o);
    else groups.set(key, [o]);
  }
  return [...groups]
    .sort(([a, ga], [b, gb]) => gb.length - ga.length || a.localeCompare(b))
    .map(([key, group]) => ({ key, label: labelOf(key), study: ratioStudy(group, options) }));
}

/**
 * The ratio study of each quarter of `observations` by sale price (quartiles of the prices,
 * Hyndman & Fan type 7; a price on a quartile goes to the lower quarter): where PRD and PRB see
 * regressivity, these show which end is over- or under-valued. Empty when there are no sales.
 */
export function priceQuartileBreakdowns<T extends RatioObservation>(
  observations: readonly T[],
  options: RatioStudyOptions = {},
): RatioBreakdown[] {
  if (observations.length === 0) return [];
  const sorted = Float64Array.from(observations.map((o) => o.price)).sort();
  const cuts = [0.25, 0.5, 0.75].map((q) => quantileOfSorted(sorted, q));
  const quarterOf = (price: number) => cuts.filter((cut) => price > cut).length;
  const bounds = (quarter: number) => {
    const members = observations.filter((o) => quarterOf(o.price) === quarter).map((o) => o.price);
    return members.length > 0 ? `${dollars(Math.min(...members))}–${dollars(Math.max(...members))}` : 'no sales';
  };
  return [0, 1, 2, 3].map((quarter) => {
    const group = observations.filter((o) => quarterOf(o.price) === quarter);
    return { key: `Q${quarter + 1}`, label: `Q${quarter + 1}: ${bounds(quarter)}`, study: ratioStudy(group, options) };
  });
}

function dollars(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}
