import type { NormalizedProperty, ProcessedProperty } from '../../shared/schemas/processed-property.js';
import type { PipelineSummary } from '../../shared/schemas/raw-property.js';
import type { StoredUnderwriting, Valuation } from '../../shared/schemas/underwriting.js';
import { findComparables, zipTrend, type ComparablesResult } from '../../shared/underwriting/comparables.js';
import { estimatePropertyTax, type TaxSettings } from '../../shared/underwriting/property-tax.js';
import { estimateRent, type RentSettings } from '../../shared/underwriting/rent.js';
import { underwrite, type UnderwritingAssumptions } from '../../shared/underwriting/underwrite.js';
import { chooseValue } from '../../shared/underwriting/value.js';
import type { Settings } from '../../shared/settings.js';
import { listToValue } from '../../shared/valuation/list-to-value.js';
import type { ComparablesIndex } from './comparables-index.js';
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
  maxSaleAgeMonths: number;
}

/** Rents are kept within these bounds when estimated per sq ft (dollars a month). */
const MIN_RENT = 800;
const MAX_RENT = 8000;

/** The settings the figures use. */
export function financialSettings(s: Settings): FinancialSettings {
  return {
    rent: { rentByZipBedrooms: s.rentByZipBedrooms, rentPerSqftByZip: s.rentPerSqftByZip, rentPerSqftDefault: s.rentPerSqftDefault, minRent: MIN_RENT, maxRent: MAX_RENT },
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
    maxSaleAgeMonths: s.valueMaxSaleAgeMonths,
  };
}

export interface Subject {
  /** The raw record's id, so its own sales are not its comparables. */
  id: string;
  parcel_number: string | null;
  normalized: NormalizedProperty;
  facts: ValuationFacts;
}

/**
 * Value, comparables, trend and underwriting of one property; also writes the value, its basis,
 * date and the value per sq ft into `subject.normalized.pricing`.
 */
export function computeFinancials(subject: Subject, index: ComparablesIndex, today: string, s: FinancialSettings): Financials {
  const n = subject.normalized;
  const f = subject.facts;
  const sqft = n.details.square_feet;
  let comparables: ComparablesResult | null = null;
  let note: string | null = null;
  if (f.latitude === null || f.longitude === null) note = 'no coordinates: comparables need the parcel\'s latitude and longitude';
  else if (sqft === null || sqft <= 0) note = 'no living area: comparables are matched by size';
  else {
    comparables = findComparables(
      { property_id: subject.id, parcel_number: subject.parcel_number, lat: f.latitude, lon: f.longitude, square_feet: sqft, year_built: n.details.year_built, property_type: n.details.property_type },
      index.nearby,
      today,
    );
  }
  const trend = zipTrend(index.zipSales(n.address.zip), today);
  const value = chooseValue({
    listPrice: f.listPrice,
    listingActive: f.listingActive,
    listedOn: f.listedOn,
    sales: f.sales,
    comparableEstimate:
      comparables?.estimate != null ? { value: comparables.estimate, date: comparables.date!, count: comparables.comparables.length, step: comparables.step } : null,
    fullCashValue: f.fullCashValue,
    valuationYear: f.valuationYear,
    today,
    maxSaleAgeMonths: s.maxSaleAgeMonths,
  });
  n.pricing.value = value.value;
  n.pricing.value_basis = value.basis;
  n.pricing.value_date = value.date;
  n.pricing.price_per_sqft = value.value !== null && sqft ? Math.round((value.value / sqft) * 100) / 100 : null;

  const inputs = {
    price: value.value,
    rent: estimateRent({ zip: n.address.zip, bedrooms: n.details.bedrooms, square_feet: sqft }, s.rent),
    tax: estimatePropertyTax(
      {
        limitedPropertyValue: f.limitedPropertyValue,
        assessmentRatio: f.assessmentRatio,
        taxAreaCode: f.taxAreaCode,
        annualTaxes: f.annualTaxes,
        taxesYear: f.taxesYear,
        value: value.value,
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
  return {
    valuation: { value, comparables, comparables_note: note, zip_trend: trend },
    underwriting: { inputs, result: underwrite(inputs) },
  };
}

/**
 * What the property list's row of record `id` says of the property it belongs to: for a
 * property with records from several sources, the row it is listed under (the processed
 * property's `raw_id`) gets the merged facts (bedrooms, bathrooms with "est." only when the
 * merged count is the assessor's estimate, living area, year) and the ids of all its records;
 * every other record of it is marked `merged_into` that row, which the list then leaves out.
 * A property of one record: `merged_into: null`, no `records`.
 */
export function mergedSummary(doc: Pick<ProcessedProperty, 'raw_id' | 'raw_ids' | 'normalized'>, id: string): PipelineSummary {
  const ids = doc.raw_ids ?? [doc.raw_id];
  if (id !== doc.raw_id) return { merged_into: doc.raw_id };
  if (ids.length < 2) return { merged_into: null, records: [] };
  const d = doc.normalized.details;
  return {
    merged_into: null,
    records: ids,
    bedrooms: d.bedrooms,
    bathrooms: d.bathrooms,
    square_feet: d.square_feet,
    year_built: d.year_built,
    estimated: d.bathrooms_estimated === true && d.bathrooms !== null ? ['bathrooms'] : [],
  };
}

/**
 * The summary fields the property list shows and filters from a processed record: the value with
 * its basis, date, 80% range (dollars) and confidence (from `valuation.appraisal`, null on a record
 * valued before the automated valuation), list ÷ value (the asking price over the appraisal's
 * value, a fraction: `list-to-value.ts`; null on a legacy value, which may be the asking price
 * itself), the rent and the underwriting's figures. Pass the record's
 * `valuation`: without it the range and confidence are written as null.
 */
export function figuresSummary(doc: Pick<ProcessedProperty, 'normalized' | 'underwriting' | 'valuation'>): PipelineSummary {
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
    recommendation: u?.result.recommendation ?? null,
  };
}
