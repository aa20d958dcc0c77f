import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';
import { complexFactsOf, withComplexFacts, type ComplexFacts } from './complex-facts.js';
import { COLUMN, DAYS_PER_MONTH, FEATURE_COLUMNS, MIN_COLUMN_SUPPORT, dayNumber, featureRow, imputationOf, measuredPenalties, unmeasuredColumns, type Imputation } from './hedonic-features.js';
import { fitRidge, predict, type RidgeFit } from './ridge.js';
import { prbOf } from './ratio-study.js';
import { subdivisionKey } from './subdivision-key.js';
import type { AdjustedComparable, Adjustment, Appraisal, AppraisalBasis, MarketModel, MarketSale, PropertyFeatures, SimilarityFactors } from './types.js';

/**
 * The automated valuation model: the sales comparison approach with its adjustments estimated by
 * a hedonic regression on the market's own validated sales (IAAO Standard on Automated Valuation
 * Models, 2018, §4–5; Appraisal Institute, *The Appraisal of Real Estate*, 15th ed., ch. 18–19:
 * paired-data and regression-derived adjustments).
 *
 * For a subject valued as of day D, from the sales recorded on or before D only:
 * 1. **Market model.** A ridge regression of log price on living area, bedrooms, bathrooms,
 *    age, pool, garage, lot, type, HOA dues, land lease, levels, the assessor's value (or tax
 *    bill) and the month of sale (the trend), fitted on those sales (`ridge.ts`,
 *    `hedonic-features.ts`). With few sales it shrinks toward a plain $/sq ft market.
 * 2. **Comparables.** The sales most like the subject: same complex (subdivision) first, then
 *    nearest, same type, size, age and recency, each with a similarity in 0–1 (`similarity`).
 *    Each comparable's price is adjusted to the subject by the model's coefficients
 *    (price × e^(b·(subject − comparable)), time included), and shown factor by factor.
 * 3. **Value.** The similarity-weighted mean of the adjusted comparables' log prices, with the
 *    model's own estimate as one more comparable of weight `MODEL_WEIGHT` (so a subject with thin
 *    comparables leans on the model rather than on one sale), spread about the market's mean log
 *    price by the fit's vertical-equity stretch (`equityStretch`: PRB 0 on its own calibration
 *    sales), each value saying by how much.
 * 4. **Range.** The 10th to 90th percentile of what values of the same support (total similarity
 *    of its comparables) missed the market's own sales by, each of those sales valued the same
 *    way from the sales before it (`calibration`). A "80%" range therefore holds about 80% of
 *    real sales; it is wide where the model has missed by much.
 *
 * Fallbacks, each said in the basis: with fewer than `MIN_MODEL_SALES` sales known the value is
 * the most similar sales' and listings' $/sq ft (`area_sales`, a wide range); where the
 * comparables are thin the value is the model's (`market_model`), or, with an assessor's full
 * cash value and too few sales for a model, that value × the ZIP's measured median sale-to-FCV
 * ratio (`assessor_fcv_ratio`). A home with no sale in its complex, within 3 miles or in its ZIP
 * is never valued by a model fitted elsewhere: its full cash value (× the ratio where measured,
 * else as published: `assessor_full_cash_value`, a wide range), or nothing. The trend is not
 * carried past the market's last sale.
 */
export interface AppraiseOptions {
  /**
   * Sale ids left out of the comparables (the analyst's exclusions, or a held-out sale): the
   * next most similar evidence takes their place. The market model is fitted on the span's sales
   * as they are (its fits are shared by every subject valued with the same evidence), so a
   * held-out sale is out of it only when it is not known yet on the day valued.
   */
  excludedSaleIds?: readonly string[];
  /**
   * The last day whose evidence may be used (default: the day valued, what was known then). A
   * later day values a past day from sales recorded after it too, each time-adjusted by the
   * market's trend: the "whole window" leave-one-out of a ratio study.
   */
  knownThrough?: string;
}

/** Candidates a comparables search scores: the nearest (within 3 miles, or of the ZIP) and the complex's latest. */
const NEAREST_CANDIDATES = 48;
const COMPLEX_CANDIDATES = 32;
/** Most comparables a value uses. */
export const MAX_COMPARABLES = 8;
/** Weight of the model's own estimate among the comparables (in similarity units). */
export const MODEL_WEIGHT = 0.3;
/** A market model needs at least this many sales; below it, `area_sales`. */
export const MIN_MODEL_SALES = 6;
/** Comparables' total similarity at or above which the basis is `comparable_sales`. */
export const COMPARABLE_SUPPORT = 0.35;
/**
 * How far back a sale is evidence: 36 months. Older sales say little of today's value without a
 * repeat-sales index (Fannie Mae Selling Guide B4-1.3-08 wants comparables sold within 12
 * months); three years give the model enough sales to measure the trend that adjusts them.
 */
export const EVIDENCE_MONTHS = 36;
const EVIDENCE_DAYS = Math.round(EVIDENCE_MONTHS * 30.436875);
/** The ridge penalties tried (in sales' worth of prior weight per standardised column, `ridge.ts`). */
const LAMBDA_CHOICES = [1, 3, 10, 30, 100, 300];
/**
 * How many times a comparable in the subject's own complex counts against one outside it of the
 * same similarity, tried by the fit's cross-validation like λ: the market's own sales say how much
 * more a unit of the same complex tells (IAAO Standard on Mass Appraisal of Real Property 2017
 * §5.2: comparables from the same condominium project first; Fannie Mae Selling Guide B4-1.3-08).
 */
const COMPLEX_WEIGHT_CHOICES = [1, 2, 4, 8];
/** Weight of vertical equity against accuracy in choosing λ (`calibrationLoss`). */
const EQUITY_WEIGHT = 1;
/** Sales valued to calibrate a fit's range (the most recent ones). */
const CALIBRATION_SAMPLE = 400;
/** The range's level: the 10th to 90th percentile of errors. */
export const RANGE_LEVEL = 0.8;
/**
 * Error spread (natural log of value ÷ price, one standard deviation) assumed when too few sales
 * are known to measure it: 0.35, about the spread of a naive ZIP $/sq ft value (COD 29–61 on real
 * Scottsdale sales, issue #21), so the range it gives is wide and says so.
 */
const UNMEASURED_LOG_SD = 0.35;
/** z of the 90th percentile of a normal distribution. */
const Z90 = 1.2816;
const MILES_PER_KM = 1 / 1.609344;
/**
 * Factors that belong to a complex more than to a unit: within one complex they are not
 * adjusted (`complexCorrection`).
 */
const COMPLEX_FACTORS: ReadonlySet<string> = new Set(['type', 'HOA', 'building', 'land lease']);
/** Huber's threshold for the blend, in log price: comparables more than 25% off the mean weigh less. */
const HUBER_K = 0.25;

/** One sale as the model holds it. */
interface HeldSale {
  sale: MarketSale;
  day: number;
  y: number;
  complex: string | null;
  /** The listing's first day and its under-contract day, when known. */
  listDay: number | null;
  contractDay: number | null;
}

/** What the market knew of a held sale on a day: its sale, its listing under contract, its listing, or nothing yet. */
type EvidenceKind = 'sale' | 'pending' | 'listing';

/** Held sales `from` to `to` (exclusive), by day. */
interface Span {
  from: number;
  to: number;
}

/** A market model fitted on held sales `from` to `count` (exclusive, by day), with its calibration. */
interface Fit {
  from: number;
  count: number;
  lastDay: number;
  ridge: RidgeFit;
  imputation: Imputation;
  /** Log errors of calibration values by support band (low, middle, high), sorted. */
  errors: number[][];
  fcvRatioByZip: Map<string, number>;
  /** Median sale price ÷ final asking price, and ÷ first asking price, of the fit's sales that know them. */
  saleToList: number | null;
  saleToOriginalList: number | null;
  /** How many times a comparable of the subject's own complex counts (`COMPLEX_WEIGHT_CHOICES`). */
  complexWeight: number;
  /** Columns too few of the fit's sales differ in to measure (`unmeasuredColumns`): held at their prior. */
  unmeasured: readonly boolean[];
  /**
   * The vertical-equity stretch of the fit's values (`equityStretch`): a value's log is taken
   * `stretch` times as far from `center` (the mean log price of the fit's sales). 1 leaves it.
   */
  equity: { center: number; stretch: number };
  /** The calibration sales' log prices, log values (before the stretch) and support bands, while the fit is made. */
  calibration?: { y: number[]; v: number[]; band: number[] };
}

/** Similarity factor of a listing under contract, and of one still on the market (asking prices, not sales). */
const PENDING_WEIGHT = 0.7;
const LISTING_WEIGHT = 0.3;

/** Support bands of the calibration: total similarity below 0.35, below 1.2, and above. */
const SUPPORT_BANDS = [COMPARABLE_SUPPORT, 1.2];

const round100 = (n: number) => Math.round(n / 100) * 100;
const round1000 = (n: number) => Math.round(n / 1000) * 1000;

/**
 * The validated market sales of the analyst's area, searchable as of any day: what the model
 * values a subject from. Sales without a positive living area cannot be priced by the model and
 * are left out. Built once; cheap to query many times (fits are cached).
 */
export class SalesMarket {
  private readonly held: HeldSale[];
  private readonly tree: KDBush;
  private readonly treeIds: number[] = [];
  private readonly byComplex = new Map<string, number[]>();
  private readonly byZip = new Map<string, number[]>();
  private readonly byParcel = new Map<string, number[]>();
  private readonly fits = new Map<string, Fit>();
  private readonly grid: number[] = [MIN_MODEL_SALES];
  /** Land lease and HOA dues of each complex, for its records that leave them unknown (`complex-facts.ts`). */
  private readonly complexFacts: Map<string, ComplexFacts>;

  constructor(sales: readonly MarketSale[]) {
    this.complexFacts = complexFactsOf(sales);
    this.held = sales
      .filter((s) => s.square_feet !== null && s.square_feet > 0 && s.price > 0)
      .map((s) => withComplexFacts(s, this.complexFacts).features)
      .map((sale) => ({
        sale,
        day: dayNumber(sale.date),
        y: Math.log(sale.price),
        complex: subdivisionKey(sale.subdivision),
        listDay: sale.listing ? dayNumber(sale.listing.list_date) : null,
        contractDay: sale.listing?.under_contract_date ? dayNumber(sale.listing.under_contract_date) : null,
      }))
      .sort((a, b) => a.day - b.day || (a.sale.sale_id < b.sale.sale_id ? -1 : 1));
    this.held.forEach((h, i) => {
      if (h.sale.lat !== null && h.sale.lon !== null) this.treeIds.push(i);
      if (h.complex) push(this.byComplex, h.complex, i);
      if (h.sale.zip) push(this.byZip, h.sale.zip, i);
      if (h.sale.parcel_number) push(this.byParcel, h.sale.parcel_number, i);
    });
    this.tree = new KDBush(Math.max(1, this.treeIds.length));
    for (const i of this.treeIds) this.tree.add(this.held[i]!.sale.lon!, this.held[i]!.sale.lat!);
    if (this.treeIds.length === 0) this.tree.add(0, 0);
    this.tree.finish();
  }

  /** The sales the model can use (with living area). */
  get size(): number {
    return this.held.length;
  }

  /**
   * The value of `subject` as of `asOf` (`YYYY-MM-DD`), from the sales recorded on or before that
   * day only (what was known then), leaving out `excludedSaleIds`. Never throws for missing facts:
   * it says what it could not do in the evidence and returns a null value only when nothing can
   * be said (no sale known and no full cash value, or no living area and no full cash value).
   */
  appraise(own: PropertyFeatures, asOf: string, options: AppraiseOptions = {}): Appraisal {
    const { features: subject, filled } = withComplexFacts(own, this.complexFacts);
    const asOfDay = dayNumber(asOf);
    const knownDay = options.knownThrough ? Math.max(asOfDay, dayNumber(options.knownThrough)) : asOfDay;
    const span: Span = { from: this.countBefore(asOfDay - EVIDENCE_DAYS), to: this.countOnOrBefore(knownDay) };
    const known = span.to - span.from;
    const excluded = new Set(options.excludedSaleIds ?? []);
    const evidence: string[] = filled.length > 0 ? [`${filled.join(' and ')} not stated for this home: read as its complex's (the median its other records state)`] : [];
    const sqft = subject.square_feet;
    if (sqft === null || sqft <= 0) {
      evidence.push('no living area: the model prices homes by their size');
      return this.fcvOnly(subject, asOf, evidence);
    }
    // Too few sales for a model: the most similar sales and listings known then, if any.
    if (known < MIN_MODEL_SALES) return this.areaSales(subject, asOf, knownDay, span, excluded);
    const fit = this.fitFor(span);
    // The trend is measured to the market's last sale: a value after it is not extrapolated.
    const trendDay = dayString(Math.min(asOfDay, this.lastEvidenceDay(span)));
    const row = trendRow(featureRow(subject, asOf, fit.imputation), featureRow(subject, trendDay, fit.imputation));
    if (trendDay < asOf) evidence.push(`the market's trend is measured to its last sale on ${trendDay} and not carried on to ${asOf}`);
    const modelLog = predict(fit.ridge, row);
    const comps = this.comparablesOf(subject, asOfDay, knownDay, span, excluded, fit);
    if (comps.length === 0) {
      // No sale in its complex, within 3 miles or (without coordinates) in its ZIP: the model's
      // market is not this home's, and its estimate would be an extrapolation.
      const ratio = subject.zip ? fit.fcvRatioByZip.get(subject.zip) : undefined;
      const away = `no validated sale in its complex, within 3 miles or in its ZIP on or before ${asOf}: the market model (fitted on sales elsewhere) is not this home's market`;
      if (subject.full_cash_value && ratio) {
        const [lo, hi] = rangeFactors([], fit.errors.flat());
        return this.appraisal(subject.full_cash_value * ratio, lo, hi, 'assessor_fcv_ratio', asOf, [away, `full cash value ${usd(subject.full_cash_value)} × ZIP ${subject.zip}'s median sale-to-FCV ratio ${ratio.toFixed(3)}`], [], null);
      }
      return this.fcvOnly(subject, asOf, [away]);
    }
    const support = comps.reduce((a, c) => a + c.similarity, 0);
    const blendedLog = this.blend(modelLog, comps, fit, row, asOf);
    const valueLog = stretched(blendedLog, fit.equity);
    let basis: AppraisalBasis = support >= COMPARABLE_SUPPORT ? 'comparable_sales' : 'market_model';
    let value = Math.exp(valueLog);
    const ratio = subject.zip ? fit.fcvRatioByZip.get(subject.zip) : undefined;
    if (basis === 'market_model' && fit.count - fit.from < 3 * MIN_MODEL_SALES && subject.full_cash_value && ratio) {
      basis = 'assessor_fcv_ratio';
      value = subject.full_cash_value * ratio;
      evidence.push(`full cash value ${usd(subject.full_cash_value)} × ZIP ${subject.zip}'s median sale-to-FCV ratio ${ratio.toFixed(3)}: comparables thin and the model fitted on only ${fit.count - fit.from} sales`);
    }
    const [lo, hi] = rangeFactors(fit.errors[band(support)]!, fit.errors.flat());
    const model = this.modelOf(fit);
    const totalWeight = comps.reduce((a, c) => a + weightOf(c, fit.complexWeight), 0);
    const adjusted = comps.map((c) => this.adjust(subject, c, row, fit, totalWeight, asOf));
    if (basis === 'comparable_sales') {
      evidence.unshift(`${comps.length} comparable sales adjusted by the market model (similarity ${support.toFixed(2)} in all), weighted with the model's own estimate ${usd(Math.exp(modelLog))} (weight ${MODEL_WEIGHT})`);
      if (comps.some((c) => c.sameComplex) && fit.complexWeight > 1) {
        evidence.splice(1, 0, `a comparable in its own complex counted ${fit.complexWeight} times one outside it: the weight that valued the market's own recent sales best`);
      }
    } else if (basis === 'market_model') {
      evidence.unshift(`market model fitted on ${model.sales} sales (${model.market}); comparables thin (similarity ${support.toFixed(2)} in all, ${COMPARABLE_SUPPORT} wanted)`);
    }
    if (fit.equity.stretch !== 1 && basis !== 'assessor_fcv_ratio') evidence.push(equityEvidence(fit.equity.stretch, valueLog - blendedLog));
    return this.appraisal(value, lo, hi, basis, asOf, evidence, adjusted, model);
  }

  /** Sales recorded on or before a day (held is sorted by day). */
  private countOnOrBefore(day: number): number {
    return this.countBefore(day + 1);
  }

  /** Sales recorded before a day. */
  private countBefore(day: number): number {
    let lo = 0;
    let hi = this.held.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.held[mid]!.day < day) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The fit for the sales of a span: the fit of a canonical span within it (its end snapped down
   * to a grid 3% apart, its start up to a multiple of 32), so every subject valued with the same
   * evidence gets the same fit whatever was valued before it (a report on one ZIP gives its sales
   * the values the whole report gives them), and refitting on every new sale is spared. The
   * canonical span holds only sales known then, at least 97% of them.
   */
  private fitFor(span: Span): Fit {
    let to = this.gridAtOrBelow(span.to);
    if (to - span.from < MIN_MODEL_SALES) to = span.to;
    let from = Math.ceil(span.from / 32) * 32;
    if (to - from < MIN_MODEL_SALES) from = span.from;
    const key = `${from}:${to}`;
    let fit = this.fits.get(key);
    if (!fit) {
      fit = this.fit({ from, to });
      this.fits.set(key, fit);
    }
    return fit;
  }

  /** The largest grid count at or below `n`: MIN_MODEL_SALES, then each 3% (at least one) more. */
  private gridAtOrBelow(n: number): number {
    while (this.grid[this.grid.length - 1]! < n) {
      const last = this.grid[this.grid.length - 1]!;
      this.grid.push(Math.max(last + 1, Math.floor(last * 1.03)));
    }
    let lo = 0;
    while (lo + 1 < this.grid.length && this.grid[lo + 1]! <= n) lo += 1;
    return Math.min(n, this.grid[lo]!);
  }

  /**
   * A fit of the span's sales. The ridge's λ is the one whose values (comparables and model
   * blended, as `appraise` makes them) best predict the span's own recent sales from the sales
   * before each (least mean absolute log error): cross-validation of the whole valuation, not
   * of the regression alone, since the regression's job here is to adjust comparables. The
   * chosen λ's errors are the range's calibration.
   */
  private fit({ from, to: count }: Span): Fit {
    const sales = this.held.slice(from, count);
    const imputation = imputationOf(sales.map((h) => h.sale));
    const rows = sales.map((h) => featureRow(h.sale, h.sale.date, imputation));
    const y = sales.map((h) => h.y);
    const prior = FEATURE_COLUMNS.map((c) => c.prior);
    const unmeasured = unmeasuredColumns(rows);
    const penalties = measuredPenalties(unmeasured);
    const common = {
      unmeasured,
      from,
      count,
      lastDay: sales[sales.length - 1]!.day,
      imputation,
      fcvRatioByZip: fcvRatios(sales),
      saleToList: medianRatio(sales, (h) => h.sale.listing?.list_price),
      saleToOriginalList: medianRatio(sales, (h) => h.sale.listing?.original_list_price),
    };
    const ridges = LAMBDA_CHOICES.map((lambda) => fitRidge(rows, y, prior, [lambda], penalties));
    let best: { fit: Fit; loss: number } | null = null;
    for (const complexWeight of COMPLEX_WEIGHT_CHOICES) {
      // The comparables do not depend on λ: chosen once per complex weight, blended under each λ.
      const comps = this.calibrationComparables({ ...common, complexWeight, ridge: ridges[0]!, errors: [], equity: NO_STRETCH }, sales, from);
      for (const ridge of ridges) {
        const fit: Fit = { ...common, complexWeight, ridge, errors: [[], [], []], equity: NO_STRETCH };
        const loss = this.calibrate(fit, sales, comps);
        if (!best || loss < best.loss) best = { fit, loss };
      }
    }
    const chosen = best!.fit;
    const calibration = chosen.calibration!;
    delete chosen.calibration;
    const center = y.reduce((a, v) => a + v, 0) / y.length;
    chosen.equity = { center, stretch: equityStretch(calibration.y, calibration.v, center) };
    // The range is of the values as `appraise` gives them: stretched.
    chosen.errors = [[], [], []];
    calibration.v.forEach((v, i) => chosen.errors[calibration.band[i]!]!.push(calibration.y[i]! - stretched(v, chosen.equity)));
    for (const e of chosen.errors) e.sort((a, b) => a - b);
    return chosen;
  }

  /** The calibration sales of a span (its most recent CALIBRATION_SAMPLE) with their comparables, from the sales before each. */
  private calibrationComparables(fit: Fit, sales: readonly HeldSale[], from: number): { k: number; comps: Scored[] }[] {
    const out: { k: number; comps: Scored[] }[] = [];
    for (let k = Math.max(0, sales.length - CALIBRATION_SAMPLE); k < sales.length; k += 1) {
      const h = sales[k]!;
      const span = { from, to: this.countOnOrBefore(h.day - 1) };
      out.push({ k, comps: this.comparablesOf(h.sale, h.day - 1, h.day - 1, span, new Set([h.sale.sale_id]), fit) });
    }
    return out;
  }

  /**
   * Calibration: the span's most recent sales, each valued as `appraise` would value it from the
   * sales before it (its own left out of the comparables, its leave-one-out model estimate); the
   * errors (log price − log value) go into the fit's bands. Returns `calibrationLoss` of them.
   */
  private calibrate(fit: Fit, sales: readonly HeldSale[], calibration: readonly { k: number; comps: Scored[] }[]): number {
    const errors: number[] = [];
    const values: number[] = [];
    const ys: number[] = [];
    const bands: number[] = [];
    for (const { k, comps } of calibration) {
      const h = sales[k]!;
      const modelLog = h.y - fit.ridge.looResiduals[k]!;
      const support = comps.reduce((a, c) => a + c.similarity, 0);
      const valueLog = this.blend(modelLog, comps, fit, featureRow(h.sale, h.sale.date, fit.imputation), h.sale.date);
      fit.errors[band(support)]!.push(h.y - valueLog);
      errors.push(h.y - valueLog);
      values.push(valueLog);
      ys.push(h.y);
      bands.push(band(support));
    }
    fit.calibration = { y: ys, v: values, band: bands };
    return calibrationLoss(errors, values);
  }

  /**
   * The value's log: the comparables' adjusted log prices (the model's estimate of the subject
   * plus each comparable's residual) and the model's own estimate, weighted by similarity (the
   * model by MODEL_WEIGHT), with Huber's down-weighting of any more than HUBER_K (in log price)
   * from the weighted mean, so one odd sale cannot carry the value (Huber 1964; IAAO Standard on
   * Automated Valuation Models §5.3, outlier treatment).
   */
  private blend(modelLog: number, comps: readonly Scored[], fit: Fit, subjectRow: readonly number[], ageDay: string): number {
    const values = [modelLog, ...comps.map((c) => modelLog + this.residual(c, fit) - this.complexCorrection(c, subjectRow, fit, ageDay))];
    const base = [MODEL_WEIGHT, ...comps.map((c) => weightOf(c, fit.complexWeight))];
    let weights = base;
    let mean = 0;
    for (let iteration = 0; iteration < 4; iteration += 1) {
      const total = weights.reduce((a, w) => a + w, 0);
      mean = values.reduce((a, v, i) => a + v * weights[i]!, 0) / total;
      weights = base.map((w, i) => (Math.abs(values[i]! - mean) > HUBER_K ? (w * HUBER_K) / Math.abs(values[i]! - mean) : w));
    }
    return mean;
  }

  /**
   * What the model's adjustments for complex-level factors (`COMPLEX_FACTORS`) add to a comparable
   * in the subject's own complex, in log price: taken back, since two units of one complex share
   * them (their type labels, dues and amenities differ by who wrote the listing, not by the
   * building). Zero for any other comparable.
   */
  private complexCorrection(c: Scored, subjectRow: readonly number[], fit: Fit, ageDay: string): number {
    const h = this.held[c.index]!;
    const day = c.kind === 'sale' ? h.sale.date : this.listingPrice(h, c.kind, fit).day;
    const atSale = featureRow(h.sale, day, fit.imputation);
    // The comparable aged on the subject's day: its age adjustment is the homes' difference in year built.
    const aged = featureRow(h.sale, day, fit.imputation, ageDay);
    let log = 0;
    FEATURE_COLUMNS.forEach((col, j) => {
      if (col.factor === 'age') log += fit.ridge.coefficients[j]! * (aged[j]! - atSale[j]!);
      else if (c.sameComplex && COMPLEX_FACTORS.has(col.factor)) log += fit.ridge.coefficients[j]! * (subjectRow[j]! - atSale[j]!);
    });
    return log;
  }

  /** The day of the last sale of a span (the trend's reach). */
  private lastEvidenceDay(span: Span): number {
    return span.to > span.from ? this.held[span.to - 1]!.day : Number.NEGATIVE_INFINITY;
  }

  /**
   * A comparable's residual under a fit: its log price (for a listing, its asking price × the
   * measured ratio, as of the day it went under contract or was listed) minus the model's estimate.
   */
  private residual(c: Pick<Scored, 'index' | 'kind'>, fit: Fit): number {
    const h = this.held[c.index]!;
    if (c.kind === 'sale') {
      if (c.index >= fit.from && c.index < fit.count) return h.y - fit.ridge.fitted[c.index - fit.from]!;
      return h.y - predict(fit.ridge, featureRow(h.sale, h.sale.date, fit.imputation));
    }
    const { price, day } = this.listingPrice(h, c.kind, fit);
    return Math.log(price) - predict(fit.ridge, featureRow(h.sale, day, fit.imputation));
  }

  /** A listing's expected sale price (dollars) and the day it is dated. */
  private listingPrice(h: HeldSale, kind: 'pending' | 'listing', fit: Fit): { price: number; day: string } {
    const l = h.sale.listing!;
    if (kind === 'pending') return { price: l.list_price! * (fit.saleToList ?? 1), day: l.under_contract_date! };
    return { price: l.original_list_price! * (fit.saleToOriginalList ?? 1), day: l.list_date };
  }

  /** What was known of held sale `i` on `day`, the sales of `span` having closed by then. */
  private evidenceKind(i: number, day: number, span: Span, fit: Fit | null): EvidenceKind | null {
    if (i < span.from) return null;
    if (i < span.to) return 'sale';
    const h = this.held[i]!;
    if (h.day <= day) return 'sale';
    if (h.contractDay !== null && h.contractDay <= day && h.sale.listing!.list_price && fit !== null && fit.saleToList !== null) return 'pending';
    if (h.listDay !== null && h.listDay <= day && h.sale.listing!.original_list_price && fit !== null && fit.saleToOriginalList !== null) return 'listing';
    return null;
  }

  /**
   * The most similar evidence known on `asOfDay` (the first `known` sales closed by then, and the
   * listings of later sales already listed or under contract: `evidenceKind`), for a subject: its
   * complex, its own parcel, its neighbours within 3 miles and, without coordinates, its ZIP.
   * Never the subject's own records, nor what `excluded` names.
   */
  private comparablesOf(subject: PropertyFeatures, asOfDay: number, knownDay: number, span: Span, excluded: ReadonlySet<string>, fit: Fit | null): Scored[] {
    const candidates = new Map<number, EvidenceKind>();
    const complex = subdivisionKey(subject.subdivision);
    const consider = (i: number): boolean => {
      if (candidates.has(i)) return false;
      const kind = this.evidenceKind(i, knownDay, span, fit);
      if (kind === null) return false;
      candidates.set(i, kind);
      return true;
    };
    const take = (ids: readonly number[] | undefined, limit: number) => {
      if (!ids) return;
      let taken = 0;
      for (let k = ids.length - 1; k >= 0 && taken < limit; k -= 1) if (consider(ids[k]!)) taken += 1;
    };
    if (complex) take(this.byComplex.get(complex), COMPLEX_CANDIDATES);
    if (subject.parcel_number) take(this.byParcel.get(subject.parcel_number), 5);
    if (subject.lat !== null && subject.lon !== null && this.treeIds.length > 0) {
      for (const t of around(this.tree, subject.lon, subject.lat, NEAREST_CANDIDATES, 3 / MILES_PER_KM, (t) => this.evidenceKind(this.treeIds[t]!, knownDay, span, fit) !== null)) consider(this.treeIds[t]!);
    } else if (subject.zip) take(this.byZip.get(subject.zip), NEAREST_CANDIDATES);
    const scored: Scored[] = [];
    for (const [i, kind] of candidates) {
      const h = this.held[i]!;
      if (excluded.has(h.sale.sale_id)) continue;
      // The subject's own earlier sale is evidence; its own listing is not (the value is off-market).
      if (kind !== 'sale' && (h.sale.property_id === subject.property_id || (subject.parcel_number !== null && h.sale.parcel_number === subject.parcel_number))) continue;
      const s = similarity(subject, complex, h, kind === 'sale' ? h.day : kind === 'pending' ? h.contractDay! : h.listDay!, asOfDay);
      const factor = kind === 'sale' ? 1 : kind === 'pending' ? PENDING_WEIGHT : LISTING_WEIGHT;
      const weighted = s.similarity * factor;
      if (weighted > 0.005) scored.push({ index: i, kind, ...s, similarity: weighted, factors: { ...s.factors, evidence: factor } });
    }
    const complexWeight = fit?.complexWeight ?? 1;
    return scored.sort((a, b) => weightOf(b, complexWeight) - weightOf(a, complexWeight)).slice(0, MAX_COMPARABLES);
  }

  /**
   * A comparable with its adjustments toward the subject (its regression row `s`), factor by
   * factor, in dollars; its weight is its share of `totalWeight` (the comparables' blend weights,
   * `weightOf`) plus the model's MODEL_WEIGHT, before Huber's down-weighting.
   */
  private adjust(subject: PropertyFeatures, c: Scored, s: readonly number[], fit: Fit, totalWeight: number, ageDay: string): AdjustedComparable {
    const h = this.held[c.index]!;
    const listing = c.kind === 'sale' ? null : this.listingPrice(h, c.kind, fit);
    const asking = c.kind === 'pending' ? h.sale.listing!.list_price! : c.kind === 'listing' ? h.sale.listing!.original_list_price! : h.sale.price;
    const day = listing ? listing.day : h.sale.date;
    const x = featureRow(h.sale, day, fit.imputation, ageDay);
    const byFactor = new Map<string, number>();
    if (listing) byFactor.set(c.kind === 'pending' ? 'sale-to-list ratio' : 'sale-to-original-list ratio', Math.log(listing.price / asking));
    FEATURE_COLUMNS.forEach((col, j) => {
      if (c.sameComplex && COMPLEX_FACTORS.has(col.factor)) return;
      byFactor.set(col.factor, (byFactor.get(col.factor) ?? 0) + fit.ridge.coefficients[j]! * (s[j]! - x[j]!));
    });
    const adjustments: Adjustment[] = [];
    let cumulative = 0;
    for (const [factor, log] of byFactor) {
      if (Math.abs(log) < 1e-4) continue;
      adjustments.push({ factor, amount: Math.round(asking * Math.exp(cumulative) * (Math.exp(log) - 1)) });
      cumulative += log;
    }
    return {
      sale_id: h.sale.sale_id,
      kind: c.kind,
      property_id: h.sale.property_id,
      parcel_number: h.sale.parcel_number,
      address: h.sale.address,
      subdivision: h.sale.subdivision,
      property_type: h.sale.property_type,
      distance_miles: c.distance_miles === null ? null : Math.round(c.distance_miles * 100) / 100,
      date: day,
      price: asking,
      square_feet: h.sale.square_feet,
      bedrooms: h.sale.bedrooms,
      bathrooms: h.sale.bathrooms,
      year_built: h.sale.year_built,
      similarity: Math.round(c.similarity * 1000) / 1000,
      similarity_factors: roundedFactors(c.factors),
      lat: h.sale.lat,
      lon: h.sale.lon,
      reasons: reasonsOf(subject, h, c, dayNumber(ageDay)),
      adjustments,
      adjusted_price: Math.round(asking * Math.exp(cumulative)),
      weight: Math.round((weightOf(c, fit.complexWeight) / (totalWeight + MODEL_WEIGHT)) * 1000) / 1000,
      included: true,
    };
  }

  /** The fitted model as the console shows it. */
  private modelOf(fit: Fit): MarketModel {
    return {
      sales: fit.count - fit.from,
      market: `${fit.count - fit.from} validated sales recorded ${this.held[fit.from]!.sale.date} to ${this.held[fit.count - 1]!.sale.date}`,
      coefficients: FEATURE_COLUMNS.map((c, j) => ({
        name: c.name,
        value: Math.round(fit.ridge.coefficients[j]! * 1e5) / 1e5,
        meaning: fit.unmeasured[j]
          ? `not measured: fewer than ${MIN_COLUMN_SUPPORT} of these sales differ in it, so it stays at its prior (${c.meaning(fit.ridge.coefficients[j]!)})`
          : c.meaning(fit.ridge.coefficients[j]!),
      })),
      r2: Math.round(fit.ridge.r2 * 1000) / 1000,
      monthly_trend: Math.round((Math.exp(fit.ridge.coefficients[COLUMN['months']!]!) - 1) * 1e5) / 1e5,
    };
  }

  /** Few sales known: their median $/sq ft, time-unadjusted, with an unmeasured (wide) range. */
  /**
   * Few sales known: the similarity-weighted median $/sq ft of the most similar evidence (the
   * sales, and the listings under contract or on the market then, at their asking prices × the
   * known sales' median sale-to-list ratio, 1 when none is measured), × the subject's living area;
   * unadjusted, with an unmeasured (wide) range.
   */
  private areaSales(subject: PropertyFeatures, asOf: string, knownDay: number, span: Span, excluded: ReadonlySet<string>): Appraisal {
    const asOfDay = dayNumber(asOf);
    const known = span.to - span.from;
    const sold = this.held.slice(span.from, span.to);
    const fit: Fit = {
      from: span.from,
      count: span.to,
      lastDay: asOfDay,
      ridge: { intercept: 0, coefficients: FEATURE_COLUMNS.map((c) => c.prior), lambda: Infinity, looResiduals: [], fitted: [], r2: 0, dof: 0 },
      imputation: imputationOf(sold.map((h) => h.sale)),
      errors: [[], [], []],
      fcvRatioByZip: new Map(),
      saleToList: medianRatio(sold, (h) => h.sale.listing?.list_price, 1) ?? 1,
      saleToOriginalList: medianRatio(sold, (h) => h.sale.listing?.original_list_price, 1) ?? 1,
      // Too few sales to measure how much more its complex tells: counted as any other.
      complexWeight: 1,
      // Nothing is measured: every coefficient is its prior.
      unmeasured: FEATURE_COLUMNS.map(() => true),
      equity: NO_STRETCH,
    };
    const comps = this.comparablesOf(subject, asOfDay, knownDay, span, excluded, fit);
    const priced = comps.length > 0
      ? comps.map((c) => ({ c, price: c.kind === 'sale' ? this.held[c.index]!.sale.price : this.listingPrice(this.held[c.index]!, c.kind, fit).price, sqft: this.held[c.index]!.sale.square_feet!, weight: c.similarity }))
      : sold.filter((h) => !excluded.has(h.sale.sale_id)).map((h) => ({ c: null, price: h.sale.price, sqft: h.sale.square_feet!, weight: 1 }));
    if (priced.length === 0) {
      return this.fcvOnly(subject, asOf, [known === 0 ? `no validated market sale known in the ${EVIDENCE_MONTHS} months to ${asOf}, nor a listing like it` : `every sale known on or before ${asOf} was excluded`]);
    }
    const ppsf = weightedMedian(priced.map((p) => ({ value: p.price / p.sqft, weight: p.weight })));
    const value = ppsf * subject.square_feet!;
    const spread = UNMEASURED_LOG_SD * Math.sqrt(1 + 1 / priced.length);
    const support = comps.reduce((a, c) => a + c.similarity, 0);
    const subjectRow = featureRow(subject, asOf, fit.imputation);
    const adjusted = comps.map((c) => this.adjust(subject, c, subjectRow, fit, support, asOf));
    const listings = comps.filter((c) => c.kind !== 'sale').length;
    return this.appraisal(value, Math.exp(-Z90 * spread), Math.exp(Z90 * spread), 'area_sales', asOf, [
      `only ${known} validated sales known on or before ${asOf}, fewer than the ${MIN_MODEL_SALES} a market model needs: the similarity-weighted median $${ppsf.toFixed(0)}/sq ft of ${priced.length} ${listings > 0 ? `sales and listings (${listings} listings at their asking price × ${fit.saleToList!.toFixed(3)})` : 'sales'} × ${subject.square_feet!.toLocaleString('en-US')} sq ft, unadjusted, with a wide range (its spread assumed, not measured)`,
    ], adjusted, null);
  }


  /** No sale to value from: the full cash value, with an unmeasured range, or nothing. */
  private fcvOnly(subject: PropertyFeatures, asOf: string, evidence: string[]): Appraisal {
    if (subject.full_cash_value !== null && subject.full_cash_value > 0) {
      const spread = UNMEASURED_LOG_SD;
      evidence.push(`assessor full cash value ${usd(subject.full_cash_value)}${subject.fcv_tax_year ? ` for tax year ${subject.fcv_tax_year} (valued ${subject.fcv_tax_year - 1}-01-01)` : ''}, not adjusted: no sales to measure the ZIP's sale-to-FCV ratio`);
      const valued = subject.fcv_tax_year ? `${subject.fcv_tax_year - 1}-01-01` : asOf;
      return this.appraisal(subject.full_cash_value, Math.exp(-Z90 * spread), Math.exp(Z90 * spread), 'assessor_full_cash_value', valued, evidence, [], null, true);
    }
    return { value: null, low: null, high: null, range_level: RANGE_LEVEL, confidence: null, basis: null, date: null, estimated: true, evidence: [...evidence, 'no full cash value either: nothing to value it from'], comparables: [], model: null };
  }

  /**
   * The appraisal of a value and its range's multipliers. A model's value is rounded to $1,000
   * ($100 under $100,000), the precision it can claim; a published figure (`exact`, the assessor's
   * full cash value unadjusted) is kept as published.
   */
  private appraisal(value: number, lo: number, hi: number, basis: AppraisalBasis, asOf: string, evidence: string[], comparables: AdjustedComparable[], model: MarketModel | null, exact = false): Appraisal {
    const low = round1000(value * lo);
    const high = round1000(value * hi);
    const rounded = exact ? Math.round(value) : value >= 100_000 ? round1000(value) : round100(value);
    const half = (high - low) / 2 / Math.max(1, rounded);
    return {
      value: rounded,
      low: Math.min(low, rounded),
      high: Math.max(high, rounded),
      range_level: RANGE_LEVEL,
      confidence: confidenceOf(half),
      basis,
      date: asOf,
      estimated: true,
      evidence: [...evidence, `80% range ${usd(low)}–${usd(high)}: the 10th–90th percentile of what such values missed the market's own sales by`],
      comparables,
      model,
    };
  }
}

interface Scored {
  index: number;
  kind: EvidenceKind;
  /** In the subject's own complex (or its own parcel): complex-level factors are not adjusted. */
  sameComplex: boolean;
  similarity: number;
  /** The factors `similarity` is the product of (`evidence` included). */
  factors: SimilarityFactors;
  distance_miles: number | null;
  /** The subject's own earlier sale (its parcel's). */
  sameParcel: boolean;
  /** The day the evidence is dated (its sale, its contract, its listing), a day number. */
  evidenceDay: number;
}

/**
 * How alike a sale is to the subject, 0–1: the product of location (same complex 1, else
 * e^(−miles/0.35); same ZIP without coordinates 0.1), type (same 1, condo and townhouse 0.5,
 * else 0.15), size (e^(−|ln ratio|/0.6)), age (e^(−years/20)), recency (e^(−months/12)) and a land
 * lease on one side only (0.4). The scales are an appraiser's search brackets (Fannie Mae Selling
 * Guide B4-1.3-08: comparables from the same project or neighbourhood, within a mile, sold in the
 * last 12 months, of similar size and age), made continuous. `comparablesOf` multiplies it by the
 * evidence's factor (a sale 1, a listing under contract `PENDING_WEIGHT`, on the market
 * `LISTING_WEIGHT`); each factor is shown with the comparable (`SimilarityFactors`).
 */
function similarity(subject: PropertyFeatures, complex: string | null, h: HeldSale, evidenceDay: number, asOfDay: number): Omit<Scored, 'index' | 'kind' | 'factors'> & { factors: Omit<SimilarityFactors, 'evidence'> } {
  const c = h.sale;
  let miles: number | null = null;
  if (subject.lat !== null && subject.lon !== null && c.lat !== null && c.lon !== null) miles = distance(subject.lon, subject.lat, c.lon, c.lat) * MILES_PER_KM;
  const sameParcel = subject.parcel_number !== null && subject.parcel_number === c.parcel_number;
  const sameComplex = complex !== null && complex === h.complex;
  let loc: number;
  if (sameParcel || sameComplex) loc = 1;
  else if (miles !== null) loc = Math.exp(-miles / 0.35);
  else loc = subject.zip !== null && subject.zip === c.zip ? 0.1 : 0.02;
  const st = subject.property_type;
  const ct = c.property_type;
  const attached = (t: string | null) => t === 'condo' || t === 'townhouse';
  const type = st === ct ? 1 : attached(st) && attached(ct) ? 0.5 : 0.15;
  const size = subject.square_feet && c.square_feet ? Math.exp(-Math.abs(Math.log(subject.square_feet / c.square_feet)) / 0.6) : 0.5;
  const age = subject.year_built !== null && c.year_built !== null ? Math.exp(-Math.abs(subject.year_built - c.year_built) / 20) : 0.6;
  const months = Math.abs(asOfDay - evidenceDay) / DAYS_PER_MONTH;
  const recency = Math.exp(-months / 12);
  // A land lease on one side only: unlike markets (an unknown lease is not a difference).
  const leased = (p: PropertyFeatures) => (p.land_lease_monthly === null ? null : p.land_lease_monthly > 0);
  const lease = leased(subject) === null || leased(c) === null || leased(subject) === leased(c) ? 1 : 0.4;
  const factors = { location: loc, type, size, age, recency, land_lease: lease };
  return { similarity: loc * type * size * age * recency * lease, factors, distance_miles: miles, sameParcel, sameComplex: sameParcel || sameComplex, evidenceDay };
}

/**
 * Why a comparable was chosen, in words (what it is, where, its type, its size against the
 * subject's, when it sold): written for the comparables a value uses only, never for every
 * candidate `similarity` scores.
 */
function reasonsOf(subject: PropertyFeatures, h: HeldSale, c: Scored, asOfDay: number): string[] {
  const sale = h.sale;
  const reasons: string[] = [];
  if (c.kind === 'pending') reasons.push('under contract then (asking price × the sale-to-list ratio)');
  else if (c.kind === 'listing') reasons.push('listed then (first asking price × the sale-to-original-list ratio)');
  if (c.sameParcel) reasons.push("the subject's own earlier sale");
  else if (c.sameComplex) reasons.push(`same complex (${sale.subdivision})`);
  if (c.distance_miles !== null) reasons.push(`${c.distance_miles.toFixed(2)} mi`);
  else if (subject.zip === sale.zip) reasons.push(`same ZIP ${sale.zip}`);
  if (subject.property_type === sale.property_type && subject.property_type) reasons.push(`same type (${subject.property_type.replace('_', ' ')})`);
  if (subject.square_feet && sale.square_feet) reasons.push(`${sale.square_feet.toLocaleString('en-US')} sq ft against ${subject.square_feet.toLocaleString('en-US')}`);
  const months = Math.abs(asOfDay - c.evidenceDay) / DAYS_PER_MONTH;
  reasons.push(`sold ${months < 1 ? 'within a month' : `${Math.round(months)} months ${c.evidenceDay <= asOfDay ? 'before' : 'after'}`}`);
  return reasons;
}

/** The similarity factors to three decimals, as a comparable shows them. */
function roundedFactors(f: SimilarityFactors): SimilarityFactors {
  const r = (n: number) => Math.round(n * 1000) / 1000;
  return { location: r(f.location), type: r(f.type), size: r(f.size), age: r(f.age), recency: r(f.recency), land_lease: r(f.land_lease), evidence: r(f.evidence) };
}

/**
 * How badly a fit's calibration values missed: the mean absolute log error plus the change of
 * the error across one standard deviation of value (its regressivity: IAAO Standard on Ratio
 * Studies 2013 §9.2.7, the PRB), so the λ chosen is accurate and vertically equitable.
 */
function calibrationLoss(errors: readonly number[], values: readonly number[]): number {
  const n = errors.length;
  if (n === 0) return 0;
  const mae = errors.reduce((a, e) => a + Math.abs(e), 0) / n;
  const vMean = values.reduce((a, v) => a + v, 0) / n;
  const eMean = errors.reduce((a, e) => a + e, 0) / n;
  let cov = 0;
  let varV = 0;
  for (let i = 0; i < n; i += 1) {
    cov += (values[i]! - vMean) * (errors[i]! - eMean);
    varV += (values[i]! - vMean) ** 2;
  }
  const slopeTimesSd = varV > 0 ? Math.abs(cov / varV) * Math.sqrt(varV / n) : 0;
  return mae + EQUITY_WEIGHT * slopeTimesSd;
}

/** No vertical-equity stretch. */
const NO_STRETCH = { center: 0, stretch: 1 } as const;
/** Calibration values an equity stretch needs measured, and the bounds of the stretch. */
const EQUITY_MIN_SALES = 30;
const STRETCH_BOUNDS: readonly [number, number] = [0.9, 1.15];

/** A log value stretched about the fit's center (`Fit.equity`). */
function stretched(valueLog: number, equity: { center: number; stretch: number }): number {
  return equity.center + (valueLog - equity.center) * equity.stretch;
}

/**
 * The stretch that leaves the calibration values vertically equitable: the factor s (within
 * `STRETCH_BOUNDS`) by which each log value is taken further from `center` so that the values'
 * price-related bias, the IAAO's measure of vertical equity (PRB, Gloudemans 2011; IAAO
 * Standard on Ratio Studies 2013 §9.2.7 and Appendix B), is zero on the fit's own calibration
 * sales (each valued from the sales before it).
 *
 * Why: a value that is the best estimate of the price (least error) is regressive by the ratio
 * study's measures whenever prices carry noise the facts cannot explain, since the dearest sales
 * are, more often than not, those that sold above what their facts say (the regression toward
 * the mean of Paglin & Fogarty 1972; Clapp 1990, "A methodology for constructing vertical
 * assessment equity"). Mass appraisal wants values neither regressive nor progressive, so the
 * values are spread as far as the market's own sales say they must be. 1 with fewer than
 * `EQUITY_MIN_SALES` calibration sales (nothing measured).
 */
function equityStretch(y: readonly number[], v: readonly number[], center: number): number {
  if (y.length < EQUITY_MIN_SALES) return 1;
  const prices = y.map((l) => Math.exp(l));
  const prb = (s: number) => prbOf(v.map((l) => Math.exp(stretched(l, { center, stretch: s }))), prices)?.coefficient ?? 0;
  let [lo, hi] = STRETCH_BOUNDS;
  if (prb(lo) >= 0) return lo;
  if (prb(hi) <= 0) return hi;
  for (let i = 0; i < 30; i += 1) {
    const mid = (lo + hi) / 2;
    if (prb(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** What the vertical-equity stretch did to a value (`equityStretch`), said in the evidence. */
function equityEvidence(stretch: number, logShift: number): string {
  const pct = (Math.exp(logShift) - 1) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}% for vertical equity: values spread ${stretch.toFixed(3)} times as far from the market's typical price, as far as its own recent sales say a value must be to be neither regressive nor progressive (IAAO price-related bias 0)`;
}

/** The `YYYY-MM-DD` of a day number (days since 1970-01-01). */
function dayString(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** A subject's row with its time column from `trend` (the trend's reach) and the rest from `own`. */
function trendRow(own: number[], trend: readonly number[]): number[] {
  const out = [...own];
  out[COLUMN['months']!] = trend[COLUMN['months']!]!;
  return out;
}

/**
 * The confidence of a value from its 80% range's half-width (a fraction of the value): its
 * forecast standard deviation (FSD = half-width ÷ 1.2816, the spread AVM vendors publish their
 * confidence by) at most 0.12 is `high` (a half-width within ±15%), at most 0.20 `medium`
 * (±25%), else `low`.
 */
function confidenceOf(half: number): 'high' | 'medium' | 'low' {
  const fsd = half / Z90;
  return fsd <= 0.12 ? 'high' : fsd <= 0.2 ? 'medium' : 'low';
}

/** A comparable's weight in the blend and the ranking: its similarity, × `complexWeight` in the subject's own complex. */
function weightOf(c: Scored, complexWeight: number): number {
  return c.similarity * (c.sameComplex ? complexWeight : 1);
}

/** Support band of a total similarity. */
function band(support: number): number {
  return support < SUPPORT_BANDS[0]! ? 0 : support < SUPPORT_BANDS[1]! ? 1 : 2;
}

/**
 * Multipliers of the value at the range's ends: the 10th and 90th percentiles of the band's
 * calibration errors (log price − log value) when it has 20 or more, else of all of them, widened
 * by √(1 + 1/n) for the sampling error of a percentile of n; a normal spread of the pooled errors
 * (or the unmeasured spread) when there are fewer than 8.
 */
function rangeFactors(bandErrors: readonly number[], all: readonly number[]): [number, number] {
  const errors = bandErrors.length >= 20 ? bandErrors : [...all].sort((a, b) => a - b);
  if (errors.length < 8) {
    const sd = errors.length >= 3 ? Math.sqrt(errors.reduce((a, e) => a + e * e, 0) / errors.length) : UNMEASURED_LOG_SD;
    const s = Math.max(sd, 0.1) * Math.sqrt(1 + 1 / Math.max(1, errors.length));
    return [Math.exp(-Z90 * s), Math.exp(Z90 * s)];
  }
  const widen = Math.sqrt(1 + 1 / errors.length);
  const q = (p: number) => quantile(errors, p);
  const mid = q(0.5);
  return [Math.exp(mid + (q(0.1) - mid) * widen), Math.exp(mid + (q(0.9) - mid) * widen)];
}

/** The p-quantile of sorted numbers (linear interpolation, R type 7). */
function quantile(sorted: readonly number[], p: number): number {
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}

/** Each ZIP's median sale price ÷ full cash value over sales that know one (five or more). */
function fcvRatios(sales: readonly HeldSale[]): Map<string, number> {
  const byZip = new Map<string, number[]>();
  for (const h of sales) if (h.sale.zip && h.sale.full_cash_value && h.sale.full_cash_value > 0) push(byZip, h.sale.zip, h.sale.price / h.sale.full_cash_value);
  const out = new Map<string, number>();
  for (const [zip, ratios] of byZip) if (ratios.length >= 5) out.set(zip, median(ratios));
  return out;
}

/** The median of price ÷ `of(sale)` over held sales that know a positive `of`; null with fewer than `least` (five). */
function medianRatio(sales: readonly HeldSale[], of: (h: HeldSale) => number | null | undefined, least = 5): number | null {
  const ratios: number[] = [];
  for (const h of sales) {
    const d = of(h);
    if (d != null && d > 0) ratios.push(h.sale.price / d);
  }
  return ratios.length >= least ? median(ratios) : null;
}

/** The weighted median: the smallest value with at least half the total weight at or below it. */
function weightedMedian(items: readonly { value: number; weight: number }[]): number {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  const half = sorted.reduce((a, x) => a + x.weight, 0) / 2;
  let acc = 0;
  for (const x of sorted) {
    acc += x.weight;
    if (acc >= half) return x.value;
  }
  return sorted[sorted.length - 1]!.value;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
