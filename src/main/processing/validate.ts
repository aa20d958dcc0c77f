import type { NormalizedProperty } from '../../shared/schemas/processed-property.js';
import type { StoredUnderwriting, Valuation } from '../../shared/schemas/underwriting.js';
import { monthsBetween } from '../../shared/underwriting/stats.js';
import { listToValue } from '../../shared/valuation/list-to-value.js';
import type { EnrichmentOutput } from './enrich/output-schema.js';

/**
 * The quality rubric. `quality_score` = 0.30 × completeness + 0.25 × consistency
 * + 0.20 × freshness + 0.10 × measured + 0.15 × prose, each part in [0, 1], a reason for every
 * point lost:
 *
 * - completeness, source-aware: the share of the key fields that some source present publishes
 *   (`PUBLISHED_BY`) which the record has. A field no present source publishes (bedrooms of an
 *   assessor-only record) is a note ("not published by the assessor; no listing yet"), not a defect;
 * - consistency: each failed check costs 0.25 — value per sq ft outside $20–$2,000 or more than
 *   35% off the comparables' (else the ZIP's recent sales') median, when the value is not
 *   itself made from the comparables (`FROM_COMPARABLES`); bedrooms outside 0–12;
 *   bathrooms outside 0–12 or beside the living area outside 200–2,500 sq ft a bathroom; living
 *   area outside 200–20,000 sq ft; year built outside 1850–next year; a lot under 1,000 sq ft for
 *   a single-family home or multi-family building (`OWN_LOT_TYPES`: a condo's or townhouse's lot
 *   is its share of the land, a mobile home's in a park a rented space, never flagged); the
 *   property's sources disagreeing on a measured field (`sourceDisagreements`);
 * - freshness of the value's basis (the appraisal's date, else the stored value's): 1 up to 12
 *   months old, falling linearly to 0 at 60 months; no value is 0;
 * - measured: 1, less 0.5 when the bathrooms are estimated (assessor fixtures ÷ 3) and 0.5 when
 *   the value is an estimate (every appraisal is; of legacy values, all but an active listing);
 * - prose: each disagreement costs 0.34 — a bedroom, bathroom, square-foot, year, dollar or
 *   percent figure the data does not support (or a count the data lacks; the value's range, its
 *   level and list ÷ value in whole percents are data), a description outside
 *   40–1,500 characters, or an echo of injected instructions (then the prose part is 0).
 *
 * Prose that disagrees with the data is never published quietly: any disagreement caps the score
 * at 0.5 and an echo of injected instructions at 0.2, below the default review threshold (0.6).
 */
export interface Validation {
  score: number;
  /** Every point lost. */
  reasons: string[];
  /** Not defects: fields no source present publishes. */
  notes: string[];
}

/** What the record's sources say about it beyond the normalised fields (stored as `quality_facts`). */
export interface QualityFacts {
  /** The sources of the property's records (`maricopa_api`, `phoenix_mls`, `armls_export`). */
  sources: string[];
  bathrooms_estimated: boolean;
  has_coordinates: boolean;
  sales_on_record: number;
  /** Where the property's sources disagree (`sourceDisagreements`); absent on older records. */
  disagreements?: string[];
}

export interface QualityInput {
  normalized: NormalizedProperty;
  field_sources: Record<string, Record<string, string>>;
  valuation: Valuation;
  underwriting: StoredUnderwriting;
  facts: QualityFacts;
  prose: EnrichmentOutput;
}

type KeyField = 'street' | 'city' | 'ZIP' | 'bedrooms' | 'bathrooms' | 'square feet' | 'lot' | 'year built' | 'property type' | 'value' | 'coordinates' | 'sale history';

const SOURCE_NAMES: Record<string, string> = { maricopa_api: 'the assessor', phoenix_mls: 'the MLS site', armls_export: 'the ARMLS export', county_layer: 'the county parcel layer' };

/** Which key fields each source publishes (SERVICES.md): the assessor gives no bedrooms, the MLS site no coordinates or sales. */
export const PUBLISHED_BY: Record<string, readonly KeyField[]> = {
  maricopa_api: ['street', 'city', 'ZIP', 'bathrooms', 'square feet', 'lot', 'year built', 'property type', 'value', 'coordinates', 'sale history'],
  phoenix_mls: ['street', 'city', 'ZIP', 'bedrooms', 'bathrooms', 'square feet', 'lot', 'year built', 'property type', 'value'],
  armls_export: ['street', 'city', 'ZIP', 'bedrooms', 'bathrooms', 'square feet', 'lot', 'year built', 'property type', 'value', 'coordinates', 'sale history'],
  county_layer: ['street', 'city', 'ZIP', 'square feet', 'lot', 'year built', 'property type', 'value', 'coordinates', 'sale history'],
};
const ALL_FIELDS: readonly KeyField[] = ['street', 'city', 'ZIP', 'bedrooms', 'bathrooms', 'square feet', 'lot', 'year built', 'property type', 'value', 'coordinates', 'sale history'];

const INJECTION_ECHO = /ignore (all |any )?(previous|prior|above) instructions|system prompt|as an ai\b|disregard (the|all) |you are now|new instructions/i;
const ABS_TOLERANCE = 0.5;
const FRESH_MONTHS = 12;
const STALE_MONTHS = 60;
const PPSF_TOLERANCE = 0.35;

/**
 * The types whose lot is land of their own, so a lot under `MIN_OWN_LOT_SQFT` is implausible:
 * single-family homes and multi-family buildings. Not condominiums or townhouses (the lot is a
 * share of common land: `Approx Lot SqFt` 738 for one real unit, 173-35-524, in the ARMLS export
 * in ../shared/fixtures), not mobile homes (a manufactured home is personal property on land it
 * does not own unless an affidavit of affixture joins it to the owner's land, A.R.S. 42-15203; one
 * in a park stands on a rented space with no lot of its own), not vacant land (a parcel of any
 * size is one) and not commercial.
 */
const OWN_LOT_TYPES: ReadonlySet<string> = new Set(['single_family', 'multi_family']);
const MIN_OWN_LOT_SQFT = 1000;
/** The bases whose value is itself made from the comparables, so checking it against their median proves nothing. */
const FROM_COMPARABLES: ReadonlySet<string> = new Set(['comparable_sales', 'market_model']);

export function validate(q: QualityInput, now: Date = new Date()): Validation {
  const reasons: string[] = [];
  const notes: string[] = [];
  const n = q.normalized;
  const d = n.details;

  // Completeness, source-aware.
  const present: Record<KeyField, boolean> = {
    street: n.address.street !== null,
    city: n.address.city !== null,
    ZIP: n.address.zip !== null,
    bedrooms: d.bedrooms !== null,
    bathrooms: d.bathrooms !== null,
    'square feet': d.square_feet !== null,
    lot: d.lot_sqft !== null,
    'year built': d.year_built !== null,
    'property type': d.property_type !== null,
    value: (n.pricing.value ?? null) !== null,
    coordinates: q.facts.has_coordinates,
    'sale history': q.facts.sales_on_record > 0,
  };
  const expected = ALL_FIELDS.filter((f) => q.facts.sources.some((s) => PUBLISHED_BY[s]?.includes(f)));
  const missing = expected.filter((f) => !present[f]);
  if (missing.length > 0) reasons.push(`missing: ${missing.join(', ')}`);
  for (const f of ALL_FIELDS) {
    if (present[f] || expected.includes(f)) continue;
    const by = q.facts.sources.map((s) => SOURCE_NAMES[s] ?? s).join(' or ');
    notes.push(`${f}: not published by ${by}${q.facts.sources.some((s) => s !== 'maricopa_api' && s !== 'county_layer') ? '' : '; no listing yet'}`);
  }
  const completeness = expected.length === 0 ? 0 : 1 - missing.length / expected.length;

  // Consistency.
  let consistency = 1;
  const check = (failed: boolean, reason: string) => {
    if (failed) {
      consistency -= 0.25;
      reasons.push(reason);
    }
  };
  const ppsf = n.pricing.price_per_sqft;
  const reference = q.valuation.comparables?.median_price_per_sqft ?? (q.valuation.zip_trend.recent_sales >= 5 ? q.valuation.zip_trend.recent_median_ppsf : null);
  const referenceName = q.valuation.comparables?.median_price_per_sqft != null ? "the comparables' median" : "the ZIP's recent sales median";
  check(ppsf !== null && (ppsf < 20 || ppsf > 2000), `value per sq ft $${ppsf} is implausible`);
  check(
    ppsf !== null && reference !== null && !FROM_COMPARABLES.has(n.pricing.value_basis ?? '') && Math.abs(ppsf / reference - 1) > PPSF_TOLERANCE,
    `value per sq ft $${ppsf} is more than 35% off ${referenceName} ($${reference})`,
  );
  check(d.bedrooms !== null && (d.bedrooms < 0 || d.bedrooms > 12), `${d.bedrooms} bedrooms is implausible`);
  check(d.bathrooms !== null && (d.bathrooms < 0 || d.bathrooms > 12), `${d.bathrooms} bathrooms is implausible`);
  check(
    d.bathrooms !== null && d.bathrooms > 0 && d.square_feet !== null && (d.square_feet / d.bathrooms < 200 || d.square_feet / d.bathrooms > 2500),
    `${d.bathrooms} bathrooms for ${d.square_feet} sq ft is inconsistent (${Math.round(d.square_feet! / d.bathrooms!)} sq ft a bathroom)`,
  );
  check(d.square_feet !== null && (d.square_feet < 200 || d.square_feet > 20_000), `${d.square_feet} sq ft is implausible`);
  check(d.year_built !== null && (d.year_built < 1850 || d.year_built > now.getUTCFullYear() + 1), `year built ${d.year_built} is implausible`);
  check(
    d.property_type !== null && OWN_LOT_TYPES.has(d.property_type) && d.lot_sqft !== null && d.lot_sqft < MIN_OWN_LOT_SQFT,
    `lot of ${d.lot_sqft} sq ft is too small for a ${d.property_type?.replace('_', '-')} home`,
  );
  for (const d of q.facts.disagreements ?? []) check(true, `sources disagree on ${d}`);
  consistency = Math.max(0, consistency);

  // Freshness of the value's basis: the automated valuation's appraisal, else (a record valued before it) the stored value.
  const today = now.toISOString().slice(0, 10);
  const v = q.valuation.appraisal ?? q.valuation.value;
  let freshness = 0;
  if (v.value === null || v.date === null) reasons.push('no dated value');
  else {
    const age = Math.max(0, monthsBetween(v.date, today));
    freshness = age <= FRESH_MONTHS ? 1 : Math.max(0, 1 - (age - FRESH_MONTHS) / (STALE_MONTHS - FRESH_MONTHS));
    if (age > FRESH_MONTHS) reasons.push(`value basis is ${age} months old (${v.basis?.replace(/_/g, ' ')} of ${v.date})`);
  }

  // Measured, not estimated.
  const bathsEstimated = q.facts.bathrooms_estimated && q.field_sources.details?.bathrooms !== 'analyst' && d.bathrooms !== null;
  let measured = 1;
  if (bathsEstimated) {
    measured -= 0.5;
    reasons.push('bathrooms estimated (fixtures ÷ 3)');
  }
  if (v.value !== null && v.estimated) {
    measured -= 0.5;
    reasons.push(`value is an estimate (${v.basis?.replace(/_/g, ' ')})`);
  }

  const proseScore = checkProse(q, reasons);

  let score = Math.round((0.3 * completeness + 0.25 * consistency + 0.2 * freshness + 0.1 * measured + 0.15 * proseScore) * 1000) / 1000;
  if (proseScore === 0 && reasons.includes('prose echoes injected instructions')) score = Math.min(score, 0.2);
  else if (proseScore < 1) score = Math.min(score, 0.5);
  return { score, reasons, notes };
}

/** The prose part: 1, less 0.34 a disagreement (reasons added), 0 on an injection echo. */
function checkProse(q: QualityInput, reasons: string[]): number {
  const { normalized: n, prose } = q;
  const d = n.details;
  const u = q.underwriting.result;
  const a = q.valuation.appraisal;
  let score = 1;
  const disagree = (reason: string) => {
    score -= 0.34;
    reasons.push(reason);
  };
  const text = [prose.description, ...prose.key_features, prose.investment_summary].join('\n');
  if (INJECTION_ECHO.test(text)) {
    reasons.push('prose echoes injected instructions');
    return 0;
  }
  checkCounts(text, /(\d+(?:\.\d+)?)[-\s]?(?:bedrooms?|beds?\b|br\b)/gi, d.bedrooms, 'bedrooms', disagree);
  checkCounts(text, /(\d+(?:\.\d+)?)[-\s]?(?:bathrooms?|baths?\b|ba\b)/gi, d.bathrooms, 'bathrooms', disagree);
  const areas = [d.square_feet, d.lot_sqft].filter((v): v is number => v !== null);
  for (const m of text.matchAll(/([\d,]+(?:\.\d+)?)\s?(?:sq\.?\s?ft\.?|square[-\s]feet|sf\b)/gi)) {
    const value = Number(m[1]!.replace(/,/g, ''));
    if (!areas.some((a) => Math.abs(a - value) <= Math.max(ABS_TOLERANCE, a * 0.02))) disagree(`mentions ${m[0]} but the data has ${areas.join(' / ') || 'no size'}`);
  }
  for (const m of text.matchAll(/\b(?:built|constructed|erected)(?:\s+in)?\s+(\d{4})\b/gi)) {
    if (Number(m[1]) !== d.year_built) disagree(`says built in ${m[1]} but the data has ${d.year_built ?? 'no year'}`);
  }
  const e = u.expenses;
  const dollars = [
    n.pricing.list_price, n.pricing.value, n.pricing.price_per_sqft, q.underwriting.inputs.rent.monthly, u.net_operating_income,
    q.underwriting.inputs.price === null ? null : q.underwriting.inputs.price * 0.01, // the 1% rule's bar
    u.cash_flow_monthly, u.cash_flow_annual, u.monthly_principal_interest, u.down_payment, u.cash_invested, u.gross_rent_annual,
    e?.property_tax, e?.insurance, e?.hoa, e?.land_lease, e?.other_fees, e?.maintenance, e?.management, e?.total,
    q.valuation.comparables?.median_price_per_sqft, q.valuation.comparables?.estimate,
    a?.value, a?.low, a?.high,
    ...[...q.valuation.value.evidence, ...(a?.evidence ?? []), ...u.reasons].flatMap((line) => [...line.matchAll(/\$([\d,]+)/g)].map((m) => Number(m[1]!.replace(/,/g, '')))),
  ].filter((v): v is number => typeof v === 'number');
  for (const m of text.matchAll(/(-?)\$\s?(\d(?:[\d,]*\d)?(?:\.\d+)?)\s?(k|m)?\b/gi)) {
    const scale = m[3]?.toLowerCase() === 'k' ? 1e3 : m[3]?.toLowerCase() === 'm' ? 1e6 : 1;
    const value = Number(m[2]!.replace(/,/g, '')) * scale;
    if (!dollars.some((v) => Math.abs(Math.abs(v) - value) <= Math.max(1, Math.abs(v) * 0.02))) disagree(`mentions ${m[0]}, a figure the data does not support`);
  }
  // The value's range level (80%) and list ÷ value in whole percents ("8% under its estimated value").
  const ratio = a ? listToValue(n.pricing.list_price, a.value) : null;
  const rates = [u.cap_rate, u.cash_on_cash, q.underwriting.inputs.assumptions.interestRate, q.underwriting.inputs.assumptions.downPaymentRate, q.valuation.zip_trend.change, a?.range_level]
    .filter((v): v is number => typeof v === 'number')
    .map((r) => Math.abs(r * 100));
  if (ratio !== null) rates.push(Math.round(Math.abs(ratio - 1) * 100));
  // The rules' own thresholds, as the recommendation's reasons state them (computed by code).
  const ruleRates = u.reasons.flatMap((line) => [...line.matchAll(/(\d+(?:\.\d+)?)%/g)].map((m) => Number(m[1])));
  const percents = [...rates, ...ruleRates, 6.5, 5, 8, 1, 3, 35];
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s?%/g)) {
    const value = Number(m[1]);
    if (!percents.some((p) => Math.abs(p - value) <= 0.1)) disagree(`mentions ${m[0]}, a rate the data does not support`);
  }
  const byAnalyst = q.field_sources.llm_enrichment?.description === 'analyst';
  if (!byAnalyst && (prose.description.length < 40 || prose.description.length > 1500)) disagree(`description of ${prose.description.length} characters is outside 40–1,500`);
  return Math.max(0, score);
}

function checkCounts(text: string, pattern: RegExp, actual: number | null, what: string, disagree: (reason: string) => void): void {
  for (const m of text.matchAll(pattern)) {
    const value = Number(m[1]);
    if (actual === null) disagree(`mentions ${m[0].trim()} but the data has no ${what}`);
    else if (Math.abs(value - actual) > 1e-9) disagree(`mentions ${m[0].trim()} but the data has ${actual} ${what}`);
  }
}
