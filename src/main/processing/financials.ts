import type { NormalizedProperty, ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { PipelineSummary } from '../../shared/schemas/raw-property.js';
import type { StoredUnderwriting, Valuation } from '../../shared/schemas/underwriting.js';
import { zipTrend } from '../../shared/underwriting/comparables.js';
import { estimatePropertyTax, type TaxSettings } from '../../shared/underwriting/property-tax.js';
import type { RentSettings } from '../../shared/underwriting/rent.js';
import { recommendationRulesOf, underwrite, type RecommendationRules, type UnderwritingAssumptions, type UnderwritingInputs } from '../../shared/underwriting/underwrite.js';
import type { ValueEstimate } from '../../shared/underwriting/value.js';
import type { PropertyFeatures } from '../../shared/valuation/types.js';
import { rentInputOf } from '../../shared/valuation/rent-model.js';
import type { Settings } from '../../shared/settings.js';
import { listToValue } from '../../shared/valuation/list-to-value.js';
import { appraiseExcluding } from '../../shared/valuation/steered-appraisal.js';
import type { ValuationMarket } from './market-sales.js';
import { rentTableOf } from '../collectors/hud/default-safmr.js';
import { otherFeesMonthly, type ValuationFacts } from './valuation-facts.js';

/**
 * The figures of one property, computed by code (the model only explains them): the value with
 * its basis, date and evidence, the comparables, the ZIP's sales trend, and the underwriting
 * (`src/shared/underwriting/`, the same code the console's what-if runs).
 */
export interface Financials {
  valuation: Valuation;
  underwriting: StoredUnderwriting;
}

export interface FinancialSettings {
  rent: RentSettings;
  tax: TaxSettings;
  assumptions: UnderwritingAssumptions;
  /** The recommendation's thresholds (the settings', as fractions). */
  rules: RecommendationRules;
}

/** Rents are kept within these bounds when estimated per sq ft (dollars a month). */
const MIN_RENT = 800;
const MAX_RENT = 8000;

/** The settings the figures use. */
export function financialSettings(s: Settings): FinancialSettings {
  return {
    rent: {
      table: rentTableOf(s.rentByZipBedrooms),
      rentPerSqftByZip: s.rentPerSqftByZip,
      rentPerSqftDefault: s.rentPerSqftDefault,
      rentPerSqftCondo: s.rentPerSqftCondo,
      minRent: MIN_RENT,
      maxRent: MAX_RENT,
    },
    tax: { taxRatePer100ByArea: s.taxRateByArea, effectiveTaxRate: s.propertyTaxEffectiveRate },
    assumptions: {
      vacancyRate: s.vacancyRate,
      maintenanceRate: s.maintenanceRate,
      managementRate: s.managementRate,
      insuranceAnnual: s.insuranceAnnualUsd,
      downPaymentRate: s.downPaymentRate,
      interestRate: s.interestRate,
      termYears: s.loanTermYears,
      closingCostRate: s.closingCostRate,
    },
    rules: recommendationRulesOf(s),
  };
}

export interface Subject {
  /** The raw record's id. */
  id: string;
  /** What the model values: the property's facts pooled from its records (`subjectFeatures`). */
  features: PropertyFeatures;
  normalized: NormalizedProperty;
  facts: ValuationFacts;
  /** The comparable sales the analyst excluded (`MarketSale.sale_id`s, from the analyst's layer): valued without them. */
  excludedSaleIds?: readonly string[];
}

/**
 * Value, range, comparables, trend and underwriting of one property as of `today`; also writes
 * the value, its basis, date and the value per sq ft into `subject.normalized.pricing`.
 *
 * The value is the model's (`SalesMarket.appraise`: an estimate with its 80% range, without the
 * comparables the analyst excluded: `appraiseExcluding`), never the asking price. The underwriting buys at the price the analyst would pay: an active listing's
 * asking price, else the value (a parcel not for sale, priced at what it is worth); the
 * analyst's what-if price replaces either (`applyOverrides`). The rent is the market's leases'
 * estimate as of `today` (`market.rents`: rent comparables from its leases, else the table, else
 * $/sq ft: rent-model.ts).
 */
export function computeFinancials(subject: Subject, market: ValuationMarket, today: string, s: FinancialSettings): Financials {
  const n = subject.normalized;
  const f = subject.facts;
  const sqft = n.details.square_feet;
  // The merged record's ZIP where the records' own fields lack one (an MLS page's address only).
  const features: PropertyFeatures = { ...subject.features, zip: subject.features.zip ?? n.address.zip };
  const appraisal = appraiseExcluding(market.model, features, today, subject.excludedSaleIds ?? []);
  const note =
    subject.features.lat === null || subject.features.lon === null
      ? 'no coordinates: comparables are found by complex and ZIP only'
      : sqft === null || sqft <= 0
        ? 'no living area: the model prices homes by their size'
        : null;
  const trend = zipTrend(
    market.zipSales(n.address.zip).flatMap((m) => (m.square_feet ? [{ date: m.date, price: m.price, square_feet: m.square_feet }] : [])),
    today,
  );
  n.pricing.value = appraisal.value;
  n.pricing.value_basis = appraisal.basis;
  n.pricing.value_date = appraisal.date;
  n.pricing.price_per_sqft = appraisal.value !== null && sqft ? Math.round((appraisal.value / sqft) * 100) / 100 : null;

  const asking = f.listingActive && f.listPrice !== null && f.listPrice > 0 ? f.listPrice : null;
  const inputs: UnderwritingInputs = {
    price: asking ?? appraisal.value,
    price_basis: asking !== null ? 'asking_price' : appraisal.value !== null ? 'value' : null,
    value: appraisal.value,
    // The merged, analyst-corrected facts (as rescore reads them), the place from the features.
    rent: rentInputOf(
      market.rents.estimate(
        { ...features, zip: n.address.zip, property_type: n.details.property_type, square_feet: sqft, bedrooms: n.details.bedrooms, bathrooms: n.details.bathrooms },
        today,
        s.rent,
      ),
    ),
    tax: estimatePropertyTax(
      {
        limitedPropertyValue: f.limitedPropertyValue,
        assessmentRatio: f.assessmentRatio,
        taxAreaCode: f.taxAreaCode,
        annualTaxes: f.annualTaxes,
        taxesYear: f.taxesYear,
        value: appraisal.value,
        year: Number(today.slice(0, 4)),
      },
      s.tax,
    ),
    hoa_monthly: f.hoaMonthly,
    land_lease_monthly: f.landLeaseMonthly,
    other_fees_monthly: otherFeesMonthly(f, today),
    market_trend: trend.trend,
    assumptions: s.assumptions,
  };
  const value: ValueEstimate = { value: appraisal.value, basis: appraisal.basis, date: appraisal.date, estimated: true, evidence: appraisal.evidence };
  return {
    valuation: { value, appraisal, comparables: null, comparables_note: note, zip_trend: trend },
    underwriting: { inputs, result: underwrite(inputs, s.rules) },
  };
}

/**
 * What the property list's row of record `id` says of the property it belongs to: for a
 * property with records from several sources, the row it is listed under (the processed
 * property's `raw_id`) gets the merged facts (the asking price of its listing, dollars; bedrooms,
 * bathrooms with "est." only when the merged count is the assessor's estimate, living area, year)
 * and the ids of all its records, so the list shows, filters, sorts and exports them, and the
 * map places it at `point` (the merged records' coordinates, WGS 84 degrees: ValuationFacts
 * `latitude`/`longitude`, one record's pair) though its own record has none (an assessor
 * `/parcel` answer without `Geo`, placed by the county parcel layer's record of the parcel);
 * every other record of it is marked `merged_into` that row, which the list then leaves out.
 * A property of one record: `merged_into: null`, no `records`.
 */
export function mergedSummary(
  doc: Pick<ProcessedProperty, 'raw_id' | 'raw_ids' | 'normalized'>,
  id: string,
  point: { latitude: number | null; longitude: number | null } | null = null,
): PipelineSummary {
  const ids = doc.raw_ids ?? [doc.raw_id];
  if (id !== doc.raw_id) return { merged_into: doc.raw_id };
  if (ids.length < 2) return { merged_into: null, records: [] };
  const d = doc.normalized.details;
  return {
    merged_into: null,
    records: ids,
    price: doc.normalized.pricing.list_price,
    bedrooms: d.bedrooms,
    bathrooms: d.bathrooms,
    square_feet: d.square_feet,
    year_built: d.year_built,
    estimated: d.bathrooms_estimated === true && d.bathrooms !== null ? ['bathrooms'] : [],
    ...(point?.latitude != null && point.longitude != null && { lat: point.latitude, lon: point.longitude }),
  };
}

/**
 * The summary fields the property list shows and filters from a processed record: the value with
 * its basis, date, 80% range (dollars) and confidence (from `valuation.appraisal`, null on a record
 * valued before the automated valuation), list ÷ value (the asking price over the appraisal's
 * value, a fraction: `list-to-value.ts`; null on a legacy value, which may be the asking price
 * itself), the rent and the underwriting's figures, and the analyst's saved terms they were
 * computed with (`own_terms`, null for none or an empty set). Pass the record's `valuation` and
 * `underwriting_overrides`: without them the range and confidence are written as null, and the
 * row says it used no terms of the analyst's.
 */
export function figuresSummary(doc: Pick<ProcessedProperty, 'normalized' | 'underwriting' | 'valuation' | 'underwriting_overrides'>): PipelineSummary {
  const p = doc.normalized.pricing;
  const u = doc.underwriting;
  const a = doc.valuation?.appraisal;
  return {
    value: p.value ?? null,
    value_basis: p.value_basis ?? null,
    value_date: p.value_date ?? null,
    value_low: a?.low ?? null,
    value_high: a?.high ?? null,
    value_confidence: a?.confidence ?? null,
    list_to_value: listToValue(p.list_price, a?.value),
    rent: u?.inputs.rent.monthly ?? null,
    rent_detail: u?.inputs.rent.monthly == null ? null : u.inputs.rent.detail,
    cap_rate: u?.result.cap_rate ?? null,
    cash_on_cash: u?.result.cash_on_cash ?? null,
    cash_flow_monthly: u?.result.cash_flow_monthly ?? null,
    recommendation: u?.result.recommendation ?? null,
    own_terms: u && doc.underwriting_overrides && Object.keys(doc.underwriting_overrides).length > 0 ? doc.underwriting_overrides : null,
  };
}
