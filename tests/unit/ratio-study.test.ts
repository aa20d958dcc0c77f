import { describe, expect, it } from 'vitest';
import {
  codOf,
  medianInterval,
  prbOf,
  prdOf,
  priceQuartileBreakdowns,
  ratioBreakdowns,
  ratioStudy,
  studentTQuantile,
  type RatioObservation,
} from '../../src/shared/valuation/ratio-study.js';

/**
 * Ten sales, worked by hand (value, price → ratio):
 *
 *   110,000 / 100,000 = 1.10      380,000 /   400,000 = 0.95
 *   135,000 / 150,000 = 0.90      540,000 /   500,000 = 1.08
 *   210,000 / 200,000 = 1.05      510,000 /   600,000 = 0.85
 *   237,500 / 250,000 = 0.95      760,000 /   800,000 = 0.95
 *   300,000 / 300,000 = 1.00    1,200,000 / 1,000,000 = 1.20
 *
 * Sorted: 0.85 0.90 0.95 0.95 0.95 | 1.00 1.05 1.08 1.10 1.20 → median (0.95 + 1.00) / 2 = 0.975.
 * |ratio − 0.975|: .125 .075 .075 .025 .025 .025 .105 .125 .025 .225, sum 0.83, mean 0.083
 *   → COD = 100 × 0.083 / 0.975 = 8.512820…
 * Mean ratio 10.03 / 10 = 1.003; weighted mean 4,382,500 / 4,300,000 = 1.019186…
 *   → PRD = 1.003 / 1.0191860465 = 0.984118653…
 * PRB: y = (ratio − 0.975) / 0.975, x = log2(½ × value / 0.975 + ½ × price); OLS slope
 *   Sxy / Sxx = 0.015301132 with SE 0.034819001 (Python, stdlib only, the same formulas), and
 *   t(0.975, 8 df) = 2.306004 → 95% CI 0.015301 ± 0.080293 = (−0.064992, 0.095594).
 * Median's 95% CI, n = 10: P(Bin(10, ½) ≤ 1) = 11/1024 ≤ 0.025 < P(≤ 2) = 56/1024, so k = 2:
 *   the 2nd and 9th ratios, 0.90 and 1.10.
 * |ratio − 1|: 0 .05 .05 .05 .05 .08 .10 .10 .15 .20 → within ±10%: 8 of 10; within ±20%: 10 of
 *   10; median absolute error (0.05 + 0.08) / 2 = 0.065.
 */
const TABLE: [value: number, price: number][] = [
  [110_000, 100_000],
  [135_000, 150_000],
  [210_000, 200_000],
  [237_500, 250_000],
  [300_000, 300_000],
  [380_000, 400_000],
  [540_000, 500_000],
  [510_000, 600_000],
  [760_000, 800_000],
  [1_200_000, 1_000_000],
];
const values = TABLE.map(([v]) => v);
const prices = TABLE.map(([, p]) => p);
const ratios = TABLE.map(([v, p]) => v / p);
const observations: RatioObservation[] = TABLE.map(([value, price]) => ({ value, price }));

describe('the IAAO statistics on a hand-computed table', () => {
  it('computes COD, PRD and PRB exactly', () => {
    expect(codOf(ratios)).toBeCloseTo(8.512820512820513, 12);
    expect(prdOf(values, prices)).toBeCloseTo(1.003 / (4_382_500 / 4_300_000), 12);
    const prb = prbOf(values, prices)!;
    expect(prb.coefficient).toBeCloseTo(0.015301132451640387, 12);
    expect(prb.ci.low).toBeCloseTo(-0.06499162734167256, 3);
    expect(prb.ci.high).toBeCloseTo(0.09559389224495334, 3);
  });

  it('gives the level, shares, error and the median interval', () => {
    const study = ratioStudy(observations);
    expect(study.sales).toBe(10);
    expect(study.valued).toBe(10);
    expect(study.median_ratio.value).toBeCloseTo(0.975, 12);
    expect(study.median_ratio.ci).toMatchObject({ low: 0.9, high: 1.1, level: 0.95 });
    expect(study.mean_ratio.value).toBeCloseTo(1.003, 12);
    expect(study.weighted_mean_ratio.value).toBeCloseTo(1.0191860465116278, 12);
    expect(study.cod.value).toBeCloseTo(8.512820512820513, 12);
    expect(study.prd.value).toBeCloseTo(0.9841186537364518, 12);
    expect(study.prb.value).toBeCloseTo(0.015301132451640387, 12);
    expect(study.within_10.value).toBe(0.8);
    expect(study.within_20.value).toBe(1);
    expect(study.median_abs_error.value).toBeCloseTo(0.065, 12);
    expect(study.coverage.value).toBe(1);
  });

  it('judges each figure against its IAAO target', () => {
    const study = ratioStudy(observations);
    expect(study.median_ratio.pass).toBe(true); // 0.975 in 0.90–1.10
    expect(study.cod.pass).toBe(true); // 8.5 ≤ 15
    expect(study.prd.pass).toBe(true); // 0.984 in 0.98–1.03
    expect(study.prb.pass).toBe(true); // 0.015 in ±0.05
    expect(study.within_10.pass).toBeNull(); // no IAAO target
    const regressive = ratioStudy([
      { value: 150_000, price: 100_000 },
      { value: 220_000, price: 200_000 },
      { value: 300_000, price: 300_000 },
      { value: 360_000, price: 400_000 },
      { value: 400_000, price: 500_000 },
    ]);
    // Ratios 1.5 1.1 1.0 0.9 0.8: mean 1.06, weighted 1,430,000 / 1,500,000 = 0.95333 → PRD 1.1119.
    expect(regressive.prd.value).toBeCloseTo(1.06 / (1_430_000 / 1_500_000), 12);
    expect(regressive.prd.pass).toBe(false);
    // |r − 1.0|: .5 .1 0 .1 .2 → mean 0.18 → COD 18.0 > 15.
    expect(regressive.cod.value).toBeCloseTo(18, 12);
    expect(regressive.cod.pass).toBe(false);
    expect(regressive.prb.value!).toBeLessThan(-0.05);
    expect(regressive.prb.pass).toBe(false);
  });

  it('bootstraps COD and PRD intervals that contain the figure and repeat with the seed', () => {
    const a = ratioStudy(observations, { seed: 7 });
    const b = ratioStudy(observations, { seed: 7 });
    const c = ratioStudy(observations, { seed: 8 });
    expect(a.cod.ci).toEqual(b.cod.ci);
    expect(a.prd.ci).toEqual(b.prd.ci);
    expect(a.cod.ci).not.toEqual(c.cod.ci);
    expect(a.cod.ci!.low).toBeLessThan(a.cod.value!);
    expect(a.cod.ci!.high).toBeGreaterThan(a.cod.value!);
    expect(a.prd.ci!.low).toBeLessThan(a.prd.value!);
    expect(a.prd.ci!.high).toBeGreaterThan(a.prd.value!);
    expect(a.cod.ci!.method).toContain('seed 7');
  });

  it('counts unvalued sales against coverage only, and scores the range', () => {
    const study = ratioStudy([
      { value: 100_000, price: 100_000, low: 90_000, high: 110_000 }, // held
      { value: 100_000, price: 120_000, low: 90_000, high: 110_000 }, // missed
      { value: 210_000, price: 200_000, low: 190_000, high: 230_000 }, // held
      { value: null, price: 300_000 },
    ]);
    expect(study.sales).toBe(4);
    expect(study.valued).toBe(3);
    expect(study.coverage.value).toBe(0.75);
    expect(study.with_range).toBe(3);
    expect(study.range_held.value).toBeCloseTo(2 / 3, 12);
    expect(study.range_held.pass).toBe(false); // 0.667 < 0.70
    expect(study.median_ratio.ci).toBeNull(); // too few for a 95% order-statistic interval
  });

  it('says nothing of an empty study and refuses a price that is no price', () => {
    const empty = ratioStudy([]);
    expect(empty.median_ratio.value).toBeNull();
    expect(empty.cod.pass).toBeNull();
    expect(empty.coverage.value).toBeNull();
    expect(() => ratioStudy([{ value: 1, price: 0 }])).toThrow(RangeError);
  });
});

describe('intervals', () => {
  it('takes the binomial ranks of the median interval', () => {
    // n = 6: P(Bin(6, ½) = 0) = 1/64 ≤ 0.025 < 7/64 → k = 1 (min and max); n = 5: 1/32 > 0.025 → none.
    expect(medianInterval([3, 1, 2, 6, 5, 4])).toMatchObject({ low: 1, high: 6 });
    expect(medianInterval([1, 2, 3, 4, 5])).toBeNull();
    // n = 100: k = 40 (P(Bin ≤ 39) = 0.0176, P(≤ 40) = 0.0284), so the 40th and 61st of 1..100.
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(medianInterval(hundred)).toMatchObject({ low: 40, high: 61 });
  });

  it("approximates Student's t quantiles", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.3027, 3);
    expect(studentTQuantile(0.975, 8)).toBeCloseTo(2.3060, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.9623, 4);
  });
});

describe('breakdowns', () => {
  it('groups by a key, largest first, unknown keys together', () => {
    const rows = observations.map((o, i) => ({ ...o, zip: i < 6 ? '85251' : i < 9 ? '85250' : null }));
    const groups = ratioBreakdowns(rows, (r) => r.zip, (key) => `ZIP ${key}`);
    expect(groups.map((g) => [g.key, g.study.sales])).toEqual([
      ['85251', 6],
      ['85250', 3],
      ['unknown', 1],
    ]);
    expect(groups[0]!.label).toBe('ZIP 85251');
  });

  it('splits by price quartile', () => {
    // Prices 100k…1M: quartiles (type 7) 212,500, 350,000, 575,000 → 3, 2, 2, 3 sales.
    const quarters = priceQuartileBreakdowns(observations);
    expect(quarters.map((q) => q.study.sales)).toEqual([3, 2, 2, 3]);
    expect(quarters[0]!.label).toBe('Q1: $100,000–$200,000');
    expect(quarters[3]!.label).toBe('Q4: $600,000–$1,000,000');
    // Q4 ratios 0.85 0.95 1.20 → median 0.95.
    expect(quarters[3]!.study.median_ratio.value).toBeCloseTo(0.95, 12);
  });
});
