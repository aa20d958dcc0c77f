import { CholeskyDecomposition, Matrix } from 'ml-matrix';

/**
 * A linear regression y ≈ b0 + X·b fitted by ridge regression shrunk toward a prior (Hoerl &
 * Kennard 1970; the "generalised" form of Hastie, Tibshirani & Friedman, *The Elements of
 * Statistical Learning*, 2nd ed., §3.4.1): it minimises
 *
 *   Σ (y_i − b0 − x_i·b)² + λ Σ_j s_j² (b_j − prior_j)²
 *
 * where s_j is column j's standard deviation, so λ is counted in sales: with few sales the
 * coefficients stay near the prior (a plain $/sq ft market), with many the data decides.
 * λ is chosen by generalised cross-validation (Golub, Heath & Wahba 1979) over a grid. A column
 * may carry an absolute penalty besides (`absolutePenalty[j]` = σ² ÷ τ² for a prior of standard
 * deviation τ on its coefficient: the Bayesian reading of ridge), which the data outweigh only as
 * their own Σ(x − x̄)² grows past it.
 * The linear algebra is ml-matrix's (Cholesky).
 */
export interface RidgeFit {
  intercept: number;
  coefficients: number[];
  lambda: number;
  /** Leave-one-out residuals y_i − ŷ_(−i), from the hat matrix (exact for a linear smoother). */
  looResiduals: number[];
  /** In-sample fitted values. */
  fitted: number[];
  /** R² of the fit in sample. */
  r2: number;
  /** Effective degrees of freedom (the hat matrix's trace). */
  dof: number;
}

/** The λ grid GCV chooses from, in sales' worth of prior weight per standardised column. */
export const LAMBDA_GRID = [0.3, 1, 3, 10, 30, 100] as const;

/**
 * Fits y on the rows of `x` (n × p, no intercept column). Columns that do not vary get no
 * penalty scale and a zero coefficient beyond their prior. Throws when there are no rows.
 */
export function fitRidge(
  x: readonly (readonly number[])[],
  y: readonly number[],
  prior: readonly number[],
  grid: readonly number[] = LAMBDA_GRID,
  absolutePenalty: readonly number[] = [],
): RidgeFit {
  const n = x.length;
  if (n === 0) throw new Error('fitRidge: no rows');
  const p = x[0]!.length;
  const means = new Array<number>(p).fill(0);
  for (const row of x) for (let j = 0; j < p; j += 1) means[j]! += row[j]! / n;
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  // Centred columns: the intercept is then free of the penalty (b0 = ȳ − x̄·b).
  const xc = new Matrix(n, p);
  const sd = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i += 1) for (let j = 0; j < p; j += 1) xc.set(i, j, x[i]![j]! - means[j]!);
  for (let j = 0; j < p; j += 1) {
    let ss = 0;
    for (let i = 0; i < n; i += 1) ss += xc.get(i, j) ** 2;
    sd[j] = Math.sqrt(ss / n);
  }
  const yc = Matrix.columnVector(y.map((v) => v - yMean));
  const xtx = xc.transpose().mmul(xc);
  const xty = xc.transpose().mmul(yc);
  const totalSs = y.reduce((a, v) => a + (v - yMean) ** 2, 0);

  let best: { gcv: number; lambda: number; b: Matrix; inv: Matrix } | null = null;
  for (const lambda of grid) {
    const a = xtx.clone();
    const rhs = xty.clone();
    for (let j = 0; j < p; j += 1) {
      // A constant column (sd 0) is pinned to its prior by a unit penalty.
      const pen = (sd[j]! > 1e-12 ? lambda * sd[j]! ** 2 : 1) + (absolutePenalty[j] ?? 0);
      a.set(j, j, a.get(j, j) + pen);
      rhs.set(j, 0, rhs.get(j, 0) + pen * prior[j]!);
    }
    const chol = new CholeskyDecomposition(a);
    if (!chol.isPositiveDefinite()) continue;
    const b = chol.solve(rhs);
    const inv = chol.solve(Matrix.eye(p));
    let rss = 0;
    let trace = 1; // the intercept's share of the hat matrix's trace
    for (let i = 0; i < n; i += 1) {
      const row = xc.getRow(i);
      let fit = 0;
      for (let j = 0; j < p; j += 1) fit += row[j]! * b.get(j, 0);
      rss += (yc.get(i, 0) - fit) ** 2;
      trace += quadForm(inv, row);
    }
    const denom = Math.max(1e-9, 1 - trace / n);
    const gcv = rss / n / (denom * denom);
    if (!best || gcv < best.gcv) best = { gcv, lambda, b, inv };
  }
  if (!best) throw new Error('fitRidge: no λ gave a positive definite system');
  const coefficients = Array.from({ length: p }, (_, j) => best.b.get(j, 0));
  const intercept = yMean - means.reduce((a, m, j) => a + m * coefficients[j]!, 0);
  const fitted: number[] = [];
  const looResiduals: number[] = [];
  let rss = 0;
  let dof = 1;
  for (let i = 0; i < n; i += 1) {
    const row = xc.getRow(i);
    let fit = yMean;
    for (let j = 0; j < p; j += 1) fit += row[j]! * coefficients[j]!;
    const h = 1 / n + quadForm(best.inv, row);
    dof += h - 1 / n;
    fitted.push(fit);
    const r = y[i]! - fit;
    rss += r * r;
    looResiduals.push(r / Math.max(0.05, 1 - h));
  }
  return { intercept, coefficients, lambda: best.lambda, looResiduals, fitted, r2: totalSs > 0 ? 1 - rss / totalSs : 0, dof };
}

/** v' M v for a symmetric p × p matrix. */
function quadForm(m: Matrix, v: readonly number[]): number {
  let s = 0;
  for (let a = 0; a < v.length; a += 1) {
    if (v[a] === 0) continue;
    let row = 0;
    for (let b = 0; b < v.length; b += 1) row += m.get(a, b) * v[b]!;
    s += v[a]! * row;
  }
  return s;
}

/** The prediction of a fit for one row. */
export function predict(fit: Pick<RidgeFit, 'intercept' | 'coefficients'>, row: readonly number[]): number {
  let s = fit.intercept;
  for (let j = 0; j < row.length; j += 1) s += fit.coefficients[j]! * row[j]!;
  return s;
}
