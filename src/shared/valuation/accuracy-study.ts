/**
 * The valuation's own accuracy report: every validated market sale valued as of the day before it
 * closed, from what was known then and never from itself (leave-one-out), scored against its
 * price with the IAAO ratio statistics (`ratio-study.ts`); the same for rents where lease rows
 * exist; and the values the console showed for a home before it sold. Pure: the appraiser is a
 * parameter, so the report runs the model the pipeline runs, and tests run it with appraisers of
 * known behaviour.
 */
import { addDays } from '../phoenix-time.js';
import type { Appraisal, MarketSale, PropertyFeatures } from './types.js';
import {
  priceQuartileBreakdowns,
  ratioBreakdowns,
  ratioStudy,
  type RatioBreakdown,
  type RatioObservation,
  type RatioStudy,
  type RatioStudyOptions,
} from './ratio-study.js';

/** What an appraiser answers for one subject: the parts of an `Appraisal` the study scores (dollars; a rent, dollars a month). */
export interface ScoredAppraisal {
  value: number | null;
  low: number | null;
  high: number | null;
  /** Where the value came from (`comparable_sales`, `assessor_fcv_ratio`, …). */
  basis: string | null;
  confidence: Appraisal['confidence'];
}

/**
 * Values `subject` as of `asOf` (`YYYY-MM-DD`) from what was recorded on or before that day,
 * never from the transaction `excludeId` (the one being scored). `new SalesMarket(sales)` adapts
 * as `(s, asOf, id) => market.appraise(s, asOf, {excludedSaleIds: [id]})`.
 */
export type Appraiser = (subject: PropertyFeatures, asOf: string, excludeId: string) => ScoredAppraisal;

/** One scored transaction: what it sold (or leased) for and what it was valued at the day before. */
export interface AccuracyRow {
  /** The sale's (or lease's) id. */
  id: string;
  property_id: string;
  parcel_number: string | null;
  address: string | null;
  zip: string | null;
  property_type: string | null;
  /** The day it closed (`YYYY-MM-DD`). */
  date: string;
  /** The day it was valued as of: the day before `date`. */
  as_of: string;
  /** Dollars (a rent: dollars a month). */
  price: number;
  /** The estimate, dollars (a rent: dollars a month); null when the model gave none. */
  value: number | null;
  low: number | null;
  high: number | null;
  basis: string | null;
  confidence: Appraisal['confidence'];
  /** value ÷ price; null when not valued. */
  ratio: number | null;
  /** Whether the 80% range held the price; null without a range. */
  held: boolean | null;
}

/** The ratio study of one set of rows, with its breakdowns and the rows themselves. */
export interface AccuracySection {
  /** What was scored and how, in one sentence. */
  basis: string;
  study: RatioStudy;
  by_zip: RatioBreakdown[];
  by_type: RatioBreakdown[];
  by_price_quartile: RatioBreakdown[];
  /** By where each value came from (`comparable_sales`, `assessor_fcv_ratio`, …; unvalued sales as `not valued`). */
  by_basis: RatioBreakdown[];
  /** Every scored transaction, oldest first: the chart of ratio against price. */
  rows: AccuracyRow[];
}

/** What a console showed for a home on a day (a value snapshot), as the report reads it. */
export interface ShownValue {
  property_id: string;
  parcel_number: string | null;
  /** America/Phoenix day it was shown (`YYYY-MM-DD`). */
  day: string;
  /** Dollars. */
  value: number | null;
  low: number | null;
  high: number | null;
  basis: string | null;
}

/** A lease row as rent evidence: the home, the day it leased and its rent, dollars a month. */
export interface MarketLease extends PropertyFeatures {
  lease_id: string;
  date: string;
  /** Dollars a month. */
  rent: number;
}

/**
 * The accuracy report: the valuation's leave-one-out ratio study (`sales`), the values shown
 * before a sale (`shown_before_sale`, null when no snapshot was given), and rent (`rent`, null
 * without lease rows). Every figure is an estimate from the sales it names.
 */
export interface AccuracyReport {
  /** The sales the report was asked for (`zip`, `type`; null: every one). */
  scope: { zip: string | null; type: string | null };
  /** The first and last sale day scored (null with no sale). */
  first_sale: string | null;
  last_sale: string | null;
  sales: AccuracySection;
  /**
   * The same sales each valued as of the day before it closed from every other sale of the
   * database, those recorded after it too (time-adjusted by the market's trend): the "whole
   * window" leave-one-out of a ratio study, which measures the model apart from how few sales
   * were known early on. Null when not asked for.
   */
  window: AccuracySection | null;
  shown_before_sale: AccuracySection | null;
  rent: AccuracySection | null;
  /** When the report was made (ISO 8601), when the caller says. */
  generated_at: string | null;
  estimated: true;
}

/** Options of a study run. */
export interface AccuracyStudyOptions extends RatioStudyOptions {
  /** Only sales in this ZIP. */
  zip?: string;
  /** Only sales of this property type (`condo`, `single_family`, …). */
  type?: string;
  /** Called as sales are valued: (valued so far, to value). */
  progress?: (done: number, total: number) => void;
  /** Stops the run between two sales: it throws the signal's reason. */
  signal?: AbortSignal;
  /** The values shown before each sale (snapshots): scored as `shown_before_sale`. */
  shown?: readonly ShownValue[];
  /** The appraiser of the whole-window section (`window`): every other sale known. */
  windowAppraiser?: Appraiser;
  /** Stamped on the report as `generated_at`. */
  generatedAt?: string;
}

const PROGRESS_EVERY = 50;
/** Sales valued between two pauses of the async run (each pause lets timers, cancels and heartbeats in). */
const CHUNK = 200;

const LEAVE_ONE_OUT =
  'each validated market sale valued as of the day before it closed, from the sales recorded by then, never from itself (leave-one-out)';
const WHOLE_WINDOW =
  'each validated market sale valued as of the day before it closed from every other sale, those recorded after it too, time-adjusted by the market trend (whole-window leave-one-out)';

/**
 * The accuracy report of `sales` valued by `appraise`, synchronously. Throws the signal's reason
 * when `options.signal` is aborted, and whatever `appraise` throws.
 */
export function runAccuracyStudy(sales: readonly MarketSale[], appraise: Appraiser, options: AccuracyStudyOptions = {}): AccuracyReport {
  const run = accuracySteps(sales, appraise, options);
  let step = run.next();
  while (!step.done) step = run.next();
  return step.value;
}

/**
 * `runAccuracyStudy`, pausing for a macrotask every 200 sales so that a cancel, a timer or a
 * heartbeat can run in between (the service's run uses this one).
 */
export async function runAccuracyStudyAsync(
  sales: readonly MarketSale[],
  appraise: Appraiser,
  options: AccuracyStudyOptions = {},
): Promise<AccuracyReport> {
  const run = accuracySteps(sales, appraise, options);
  let step = run.next();
  while (!step.done) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    step = run.next();
  }
  return step.value;
}

/** The sales of `scope` (a ZIP, a property type; all when unset), oldest first. */
export function salesInScope(sales: readonly MarketSale[], scope: Pick<AccuracyStudyOptions, 'zip' | 'type'>): MarketSale[] {
  return sales
    .filter((s) => (scope.zip === undefined || s.zip === scope.zip) && (scope.type === undefined || s.property_type === scope.type))
    .sort((a, b) => a.date.localeCompare(b.date) || a.sale_id.localeCompare(b.sale_id));
}

function* accuracySteps(sales: readonly MarketSale[], appraise: Appraiser, options: AccuracyStudyOptions): Generator<void, AccuracyReport> {
  const inScope = salesInScope(sales, options);
  const rows = yield* scoreAll(
    inScope.map((s) => ({ id: s.sale_id, date: s.date, price: s.price, features: featuresOf(s, s.date) })),
    appraise,
    options,
  );
  const windowRows = options.windowAppraiser
    ? yield* scoreAll(
        inScope.map((s) => ({ id: s.sale_id, date: s.date, price: s.price, features: featuresOf(s, s.date) })),
        options.windowAppraiser,
        { ...options, progress: undefined },
      )
    : null;
  return {
    scope: { zip: options.zip ?? null, type: options.type ?? null },
    first_sale: inScope[0]?.date ?? null,
    last_sale: inScope.at(-1)?.date ?? null,
    sales: section(rows, LEAVE_ONE_OUT, options),
    window: windowRows ? section(windowRows, WHOLE_WINDOW, options) : null,
    shown_before_sale: options.shown ? shownBeforeSale(inScope, options.shown, options) : null,
    rent: null,
    generated_at: options.generatedAt ?? null,
    estimated: true,
  };
}

/**
 * The rent section of a report: each lease valued as of the day before it leased by `appraiseRent`
 * (dollars a month), never from itself, scored against its rent. Options as `runAccuracyStudy`'s.
 */
export function runRentAccuracyStudy(
  leases: readonly MarketLease[],
  appraiseRent: Appraiser,
  options: AccuracyStudyOptions = {},
): AccuracySection {
  const inScope = leases
    .filter((l) => (options.zip === undefined || l.zip === options.zip) && (options.type === undefined || l.property_type === options.type))
    .slice()
    .sort((a, b) => a.date.localeCompare(b.date) || a.lease_id.localeCompare(b.lease_id));
  const run = scoreAll(
    inScope.map((l) => ({ id: l.lease_id, date: l.date, price: l.rent, features: featuresOf(l, l.date) })),
    appraiseRent,
    options,
  );
  let step = run.next();
  while (!step.done) step = run.next();
  return section(
    step.value,
    'each lease valued as of the day before it leased, from the leases recorded by then, never from itself (leave-one-out); dollars a month',
    options,
  );
}

interface Scorable {
  id: string;
  date: string;
  price: number;
  features: PropertyFeatures;
}

function* scoreAll(items: readonly Scorable[], appraise: Appraiser, options: AccuracyStudyOptions): Generator<void, AccuracyRow[]> {
  const rows: AccuracyRow[] = [];
  for (const [index, item] of items.entries()) {
    options.signal?.throwIfAborted();
    const asOf = addDays(item.date, -1);
    const appraisal = appraise(item.features, asOf, item.id);
    rows.push(rowOf(item, asOf, appraisal));
    const done = index + 1;
    if (done % PROGRESS_EVERY === 0 || done === items.length) options.progress?.(done, items.length);
    if (done % CHUNK === 0 && done < items.length) yield;
  }
  return rows;
}

function rowOf(item: Scorable, asOf: string, appraisal: ScoredAppraisal): AccuracyRow {
  const value = appraisal.value !== null && appraisal.value > 0 ? appraisal.value : null;
  const ranged = value !== null && appraisal.low !== null && appraisal.high !== null;
  return {
    id: item.id,
    property_id: item.features.property_id,
    parcel_number: item.features.parcel_number,
    address: item.features.address,
    zip: item.features.zip,
    property_type: item.features.property_type,
    date: item.date,
    as_of: asOf,
    price: item.price,
    value,
    low: ranged ? appraisal.low : null,
    high: ranged ? appraisal.high : null,
    basis: value !== null ? appraisal.basis : null,
    confidence: value !== null ? appraisal.confidence : null,
    ratio: value !== null ? value / item.price : null,
    held: ranged ? appraisal.low! <= item.price && item.price <= appraisal.high! : null,
  };
}

function section(rows: AccuracyRow[], basis: string, options: RatioStudyOptions): AccuracySection {
  const ratioOptions: RatioStudyOptions = { resamples: options.resamples, seed: options.seed };
  const observations: (RatioObservation & AccuracyRow)[] = rows;
  return {
    basis,
    study: ratioStudy(observations, ratioOptions),
    by_zip: ratioBreakdowns(observations, (r) => r.zip, (key) => (key === 'unknown' ? 'ZIP unknown' : `ZIP ${key}`), ratioOptions),
    by_type: ratioBreakdowns(observations, (r) => r.property_type, (key) => key.replaceAll('_', ' '), ratioOptions),
    by_price_quartile: priceQuartileBreakdowns(observations, ratioOptions),
    by_basis: ratioBreakdowns(observations, (r) => (r.value === null ? 'not valued' : r.basis), (key) => key.replaceAll('_', ' '), ratioOptions),
    rows,
  };
}

/**
 * The values the console showed before each sale, scored: for each sale, the latest snapshot of
 * its property (same parcel number, else same property id) from a day before the sale day.
 * Sales with none count against coverage.
 */
function shownBeforeSale(sales: readonly MarketSale[], shown: readonly ShownValue[], options: RatioStudyOptions): AccuracySection {
  const byKey = new Map<string, ShownValue[]>();
  for (const snapshot of shown) {
    for (const key of snapshotKeys(snapshot.parcel_number, snapshot.property_id)) {
      const list = byKey.get(key);
      if (list) list.push(snapshot);
      else byKey.set(key, [snapshot]);
    }
  }
  const rows = sales.map((sale) => {
    const latest = latestBefore(byKey, snapshotKeys(sale.parcel_number, sale.property_id), sale.date);
    const item = { id: sale.sale_id, date: sale.date, price: sale.price, features: featuresOf(sale, sale.date) };
    const appraisal: ScoredAppraisal = latest
      ? { value: latest.value, low: latest.low, high: latest.high, basis: latest.basis, confidence: null }
      : { value: null, low: null, high: null, basis: null, confidence: null };
    return rowOf(item, latest?.day ?? addDays(sale.date, -1), appraisal);
  });
  return section(
    rows,
    'for each market sale, the value the console last showed for that home (by APN, else property id) on a day before it sold; `as_of` is that day',
    options,
  );
}

/** The latest snapshot under the first of `keys` that has one from a day before `day`. */
function latestBefore(byKey: ReadonlyMap<string, ShownValue[]>, keys: readonly string[], day: string): ShownValue | null {
  for (const key of keys) {
    let latest: ShownValue | null = null;
    for (const snapshot of byKey.get(key) ?? []) {
      if (snapshot.day < day && (latest === null || snapshot.day > latest.day)) latest = snapshot;
    }
    if (latest) return latest;
  }
  return null;
}

function snapshotKeys(parcel: string | null, propertyId: string): string[] {
  return parcel ? [`apn:${parcel}`, `id:${propertyId}`] : [`id:${propertyId}`];
}

/** The subject as the appraiser sees it: the home's facts only, never the sale's price or date. */
function featuresOf(p: PropertyFeatures, saleDay: string): PropertyFeatures {
  // Everything the record knows of the home; nothing of the sale (price, day, sources, listing) or lease.
  const facts: Record<string, unknown> = { ...p };
  for (const key of SALE_FIELDS) delete facts[key];
  // A full cash value valued after the sale (January 1 of the year before its tax year, A.R.S.
  // § 42-11001) was not known then: today's FCV of a home sold in 2009 is no evidence of 2009.
  if (p.fcv_tax_year == null || `${p.fcv_tax_year - 1}-01-01` >= saleDay) {
    facts.full_cash_value = null;
    facts.fcv_tax_year = null;
  }
  return facts as unknown as PropertyFeatures;
}

/** Fields of a sale or lease record that are not facts of the home: the study never shows them. */
const SALE_FIELDS = ['sale_id', 'date', 'date_precision', 'price', 'sources', 'listing', 'lease_id', 'rent', 'source'] as const;
