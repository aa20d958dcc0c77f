import { subdivisionKey } from './subdivision-key.js';
import type { PropertyFeatures } from './types.js';

/**
 * The characteristics the market model prices, as the columns of a hedonic regression of the
 * natural log of the sale price (IAAO, "Standard on Automated Valuation Models", 2018, §4: a
 * multiplicative model of log price on property characteristics, location and time of sale).
 * In a log model a coefficient `b` of a column means "each unit more multiplies the price by
 * e^b": the adjustment of a comparable toward the subject is its price × e^(b × the difference).
 *
 * Each column belongs to a factor (the name an adjustment is shown under). A fact the record does
 * not know is imputed from the market's mean and flagged by a `… unknown` column, so a missing
 * fact neither drops the sale nor pretends to be zero.
 */
export interface FeatureColumn {
  /** Column name (`log living area`). */
  name: string;
  /** The adjustment it belongs to (`living area`, `age`, `time`, …). */
  factor: string;
  /** How to read its coefficient `b` (`+x% per bedroom`). */
  meaning: (b: number) => string;
  /**
   * The prior the ridge shrinks it toward when sales are few (see `ridge.ts`): 1 for log living
   * area (price proportional to size: the $/sq ft market an appraiser starts from), else 0.
   */
  prior: number;
  /**
   * A prior standard deviation of the coefficient, when the data of a short window cannot be
   * trusted to measure it alone (the trend: `TREND_PRIOR_SD`); see `ridge.ts`.
   */
  priorSd?: number;
}

/**
 * The trend's prior: 0 a month, standard deviation 1% a month. Phoenix-area home prices moved
 * between about −1% and +2.5% a month from 2019 to 2025 (S&P CoreLogic Case-Shiller AZ-Phoenix
 * Home Price Index, FRED series PHXRNSA), so a trend of several percent a month from a few months
 * of sales is composition, not the market: it is shrunk toward 0 until the sales of a long span
 * measure it.
 */
export const TREND_PRIOR_SD = 0.01;
/**
 * The error variance (log price) the priors are weighed against: 0.2², about a hedonic model's
 * spread before location is accounted for (COD near 15–20).
 */
export const PRIOR_ERROR_VARIANCE = 0.04;

/** The absolute ridge penalty of each column (σ² ÷ τ² where it has a prior sd τ, else 0). */
export function absolutePenalties(): number[] {
  return FEATURE_COLUMNS.map((c) => (c.priorSd ? PRIOR_ERROR_VARIANCE / c.priorSd ** 2 : 0));
}

/**
 * Sales that must differ from the rest in a column for the fit to measure its coefficient: 10,
 * the "ten events per variable" rule of regression practice (Harrell, *Regression Modeling
 * Strategies*, 2nd ed., 2015, §4.4; Peduzzi et al. 1996). With fewer, the coefficient is pinned to
 * its prior (`unmeasuredColumns`): two houses among fifty condos measured a lot coefficient that
 * priced a 3,086 sq ft lot 42% below a 4,590 sq ft one (7318 E Palo Verde Dr #7, sold $840,000,
 * valued $141,000), since the two houses' whole difference in price fell on their lots.
 */
export const MIN_COLUMN_SUPPORT = 10;

/**
 * Which columns the rows cannot measure: fewer than `MIN_COLUMN_SUPPORT` rows differ from the
 * column's most common value (a flag few sales carry, a lot only a few own-lot sales have, a
 * type with a handful of sales). The trend (`months`) is measured by its own prior instead.
 */
export function unmeasuredColumns(rows: readonly (readonly number[])[]): boolean[] {
  return FEATURE_COLUMNS.map((c, j) => !c.priorSd && rows.length - modeCount(rows, j) < MIN_COLUMN_SUPPORT);
}

/** How many rows hold column j's most common value. */
function modeCount(rows: readonly (readonly number[])[], j: number): number {
  const counts = new Map<number, number>();
  let mode = 0;
  for (const r of rows) {
    const n = (counts.get(r[j]!) ?? 0) + 1;
    counts.set(r[j]!, n);
    if (n > mode) mode = n;
  }
  return mode;
}

/** An absolute penalty that holds a coefficient at its prior (far beyond any sales' Σ(x − x̄)²). */
export const PINNED_PENALTY = 1e9;

/** The ridge's absolute penalties (`absolutePenalties`) with each unmeasured column pinned to its prior. */
export function measuredPenalties(unmeasured: readonly boolean[]): number[] {
  return absolutePenalties().map((pen, j) => (unmeasured[j] ? pen + PINNED_PENALTY : pen));
}

const pct = (b: number) => `${b >= 0 ? '+' : ''}${((Math.exp(b) - 1) * 100).toFixed(1)}%`;

/** The property types priced against a single-family home (the baseline). */
const TYPE_COLUMNS = ['condo', 'townhouse', 'mobile_home', 'multi_family'] as const;
/** Types whose lot is their own to measure; a condo's or townhouse's "lot" is a share of common land. */
const OWN_LOT_TYPES: ReadonlySet<string> = new Set(['single_family', 'multi_family', 'land']);

export const FEATURE_COLUMNS: readonly FeatureColumn[] = [
  // Size in two columns (Mundlak 1978, "On the pooling of time series and cross section data",
  // Econometrica 46(1): a unit's mean and its deviation from it): the complex's typical size, and
  // the home's own size against it. A building of larger units is priced by the first, a larger
  // unit of the same building by the second, which the market prices at less than proportionally
  // more (a 2,109 sq ft unit of 4525 N 66th St was adjusted +50% from a 1,422 sq ft one at one
  // elasticity for both). Both have the $/sq ft prior of 1.
  { name: 'log living area', factor: 'living area', meaning: (b) => `${pct(b * Math.log(1.1))} for 10% more living area (a complex's typical, or a home outside one)`, prior: 1 },
  { name: 'log living area within complex', factor: 'living area', meaning: (b) => `${pct(b * Math.log(1.1))} for 10% more living area than its complex's typical`, prior: 1 },
  { name: 'bedrooms', factor: 'bedrooms', meaning: (b) => `${pct(b)} per bedroom at the same size`, prior: 0 },
  { name: 'bedrooms unknown', factor: 'bedrooms', meaning: (b) => `${pct(b)} when bedrooms are not known`, prior: 0 },
  { name: 'bathrooms', factor: 'bathrooms', meaning: (b) => `${pct(b)} per bathroom`, prior: 0 },
  { name: 'bathrooms unknown', factor: 'bathrooms', meaning: (b) => `${pct(b)} when bathrooms are not known`, prior: 0 },
  { name: 'age (decades)', factor: 'age', meaning: (b) => `${pct(b)} per decade older`, prior: 0 },
  { name: 'age squared', factor: 'age', meaning: (b) => `curvature of age (${b.toFixed(3)})`, prior: 0 },
  { name: 'new construction', factor: 'age', meaning: (b) => `${pct(b)} when built in the last 3 years`, prior: 0 },
  { name: 'year unknown', factor: 'age', meaning: (b) => `${pct(b)} when the year built is not known`, prior: 0 },
  { name: 'private pool', factor: 'pool', meaning: (b) => `${pct(b)} with a private pool`, prior: 0 },
  { name: 'garage spaces', factor: 'garage', meaning: (b) => `${pct(b)} per garage space`, prior: 0 },
  { name: 'log lot', factor: 'lot', meaning: (b) => `${pct(b * Math.log(1.1))} for 10% more lot`, prior: 0 },
  ...TYPE_COLUMNS.map((t) => ({ name: t, factor: 'type', meaning: (b: number) => `${pct(b)} as a ${t.replace('_', ' ')} against a single-family home`, prior: 0 })),
  { name: 'log HOA dues', factor: 'HOA', meaning: (b) => `${pct(b * Math.log(2))} for twice the HOA dues`, prior: 0 },
  { name: 'land lease', factor: 'land lease', meaning: (b) => `${pct(b)} on leased land`, prior: 0 },
  { name: 'two or more levels', factor: 'levels', meaning: (b) => `${pct(b)} with two or more levels`, prior: 0 },
  { name: 'log assessed value', factor: 'assessment', meaning: (b) => `${pct(b * Math.log(1.1))} for a 10% higher full cash value (or tax bill)`, prior: 0 },
  { name: 'assessment unknown', factor: 'assessment', meaning: (b) => `${pct(b)} when no assessment is known`, prior: 0 },
  { name: 'remodeled in 10 years', factor: 'condition', meaning: (b) => `${pct(b)} with the kitchen or baths updated in the last 10 years`, prior: 0 },
  { name: 'view', factor: 'view', meaning: (b) => `${pct(b)} with a mountain, city-light, golf or water view`, prior: 0 },
  { name: 'premium finishes', factor: 'finishes', meaning: (b) => `${pct(b)} with granite or other non-laminate counters`, prior: 0 },
  { name: 'amenity building', factor: 'building', meaning: (b) => `${pct(b)} in a building with an elevator, concierge or guards`, prior: 0 },
  { name: 'months', factor: 'time', meaning: (b) => `${pct(b)} a month (the market's trend)`, prior: 0, priorSd: TREND_PRIOR_SD },
];

/** Index of a column by name. */
export const COLUMN = Object.fromEntries(FEATURE_COLUMNS.map((c, i) => [c.name, i])) as Record<string, number>;

/** Facts of a property as the model prices them (the tax bill stands in for the assessment when no FCV is known). */
export type PricedFacts = PropertyFeatures;

/** Means used to fill unknown facts, from the sales a model is fitted on. */
export interface Imputation {
  bedroomsPerSqft: number;
  bathroomsPerSqft: number;
  /** Mean log assessment minus mean log living area (an assessment per sq ft, in logs). */
  logAssessmentPerSqft: number;
  /** Mean of log(taxes) − log(FCV) where both are known: a tax bill read as an assessment. */
  logTaxToFcv: number;
  /**
   * Mean log lot (sq ft) of the sales whose lot is their own (single-family, multi-family, land)
   * and known; null when none. The lot column is centred on it, so its coefficient prices a
   * bigger or smaller lot than the market's typical, never the difference between a house and a
   * condo (the type columns price that).
   */
  logLotMean: number | null;
  /**
   * Mean log living area of each complex's sales (`subdivisionKey`) with two or more: the
   * complex's typical size (the `log living area` column of its homes). A home of a complex not
   * in it is its own typical.
   */
  complexLogArea: Map<string, number>;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day. */
export function dayNumber(day: string): number {
  return Math.round(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000);
}

/** The average Gregorian month, days. */
export const DAYS_PER_MONTH = 30.436875;

/**
 * The log of what the assessor says the property is worth: its full cash value, else its tax
 * bill read as one (the market's mean tax-to-FCV ratio where both are known; else the bill as is,
 * which the model's own coefficient then scales). Null when neither is known.
 */
function logAssessment(p: PricedFacts, imp: Imputation): number | null {
  if (p.full_cash_value !== null && p.full_cash_value > 0) return Math.log(p.full_cash_value);
  if (p.annual_taxes != null && p.annual_taxes > 0) return Math.log(p.annual_taxes) - imp.logTaxToFcv;
  return null;
}

/**
 * The regression row of a property sold (or valued) on `day`, in FEATURE_COLUMNS' order (no
 * intercept: the fit adds it), its age reckoned on `ageDay` (default `day`: the age at the sale;
 * a comparable adjusted to a subject is aged on the subject's day, so the adjustment for age is
 * the homes' difference in year built, not the months between, which the trend prices).
 * `square_feet` must be known and positive. Size is two columns: the complex's typical log size
 * (`Imputation.complexLogArea`, the home's own outside a known complex) and the home's own
 * against it.
 */
export function featureRow(p: PricedFacts, day: string, imp: Imputation, ageDay: string = day): number[] {
  const sqft = p.square_feet!;
  const year = Number(ageDay.slice(0, 4));
  const age = p.year_built === null ? null : Math.max(0, Math.min(150, year - p.year_built));
  const type = p.property_type ?? 'single_family';
  const ownLot = OWN_LOT_TYPES.has(type) && p.lot_size !== null && p.lot_size > 0 && imp.logLotMean !== null;
  const assessment = logAssessment(p, imp);
  const complex = subdivisionKey(p.subdivision);
  const level = (complex !== null ? imp.complexLogArea.get(complex) : undefined) ?? Math.log(sqft);
  const row = [
    level,
    Math.log(sqft) - level,
    p.bedrooms ?? imp.bedroomsPerSqft * sqft,
    p.bedrooms === null ? 1 : 0,
    p.bathrooms ?? imp.bathroomsPerSqft * sqft,
    p.bathrooms === null ? 1 : 0,
    age === null ? 0 : age / 10,
    age === null ? 0 : (age / 10) ** 2,
    age !== null && age <= 2 ? 1 : 0,
    age === null ? 1 : 0,
    p.pool === true ? 1 : 0,
    Math.min(4, p.garage_spaces ?? 0),
    ownLot ? Math.log(p.lot_size!) - imp.logLotMean! : 0,
    ...TYPE_COLUMNS.map((t) => (type === t ? 1 : 0)),
    Math.log(1 + Math.max(0, p.hoa_monthly ?? 0)),
    (p.land_lease_monthly ?? 0) > 0 ? 1 : 0,
    (p.interior_levels ?? 1) >= 2 ? 1 : 0,
    assessment ?? imp.logAssessmentPerSqft + Math.log(sqft),
    assessment === null ? 1 : 0,
    p.remodeled_year != null && year - p.remodeled_year <= 10 && year >= p.remodeled_year ? 1 : 0,
    p.view === true ? 1 : 0,
    p.premium_finishes === true ? 1 : 0,
    p.amenity_building === true ? 1 : 0,
    dayNumber(day) / DAYS_PER_MONTH,
  ];
  return row;
}

/** The imputation means of some sales (fallbacks when none know a fact are documented typicals). */
export function imputationOf(sales: readonly PricedFacts[]): Imputation {
  let beds = 0;
  let bedsArea = 0;
  let baths = 0;
  let bathsArea = 0;
  let taxToFcv = 0;
  let nT = 0;
  let logLot = 0;
  let nL = 0;
  for (const s of sales) {
    if (OWN_LOT_TYPES.has(s.property_type ?? 'single_family') && s.lot_size !== null && s.lot_size > 0) {
      logLot += Math.log(s.lot_size);
      nL += 1;
    }
    const sqft = s.square_feet!;
    if (s.bedrooms !== null) {
      beds += s.bedrooms;
      bedsArea += sqft;
    }
    if (s.bathrooms !== null) {
      baths += s.bathrooms;
      bathsArea += sqft;
    }
    if (s.full_cash_value !== null && s.full_cash_value > 0 && s.annual_taxes != null && s.annual_taxes > 0) {
      taxToFcv += Math.log(s.annual_taxes) - Math.log(s.full_cash_value);
      nT += 1;
    }
  }
  const partial: Imputation = {
    // Where nothing is known: one bedroom per 600 sq ft and one bathroom per 700 (US Census, American
    // Housing Survey 2023: median single-family home 1,800 sq ft, 3 bedrooms, 2.5 bathrooms).
    bedroomsPerSqft: bedsArea > 0 ? beds / bedsArea : 1 / 600,
    bathroomsPerSqft: bathsArea > 0 ? baths / bathsArea : 1 / 700,
    logAssessmentPerSqft: 0,
    logTaxToFcv: nT > 0 ? taxToFcv / nT : 0,
    logLotMean: nL > 0 ? logLot / nL : null,
    complexLogArea: new Map(),
  };
  let logA = 0;
  let nA = 0;
  for (const s of sales) {
    const a = logAssessment(s, partial);
    if (a !== null) {
      logA += a - Math.log(s.square_feet!);
      nA += 1;
    }
  }
  const byComplex = new Map<string, number[]>();
  for (const s of sales) {
    const c = subdivisionKey(s.subdivision);
    if (c === null) continue;
    const list = byComplex.get(c) ?? [];
    list.push(Math.log(s.square_feet!));
    byComplex.set(c, list);
  }
  const complexLogArea = new Map<string, number>();
  for (const [c, xs] of byComplex) if (xs.length >= 2) complexLogArea.set(c, xs.reduce((a, x) => a + x, 0) / xs.length);
  return { ...partial, logAssessmentPerSqft: nA > 0 ? logA / nA : 0, complexLogArea };
}
