/**
 * Annual property tax, in order:
 *
 * 1. `tax_area_rate`: limited property value × the assessment ratio of the legal class × the tax
 *    area's rate (Arizona: primary tax on the limited property value, A.R.S. § 42-11001 and
 *    § 42-15001; Maricopa County publishes rates per $100 of assessed value for each tax area,
 *    set in `TAX_RATE_BY_AREA` as dollars per $100);
 * 2. `listing_taxes`: the annual taxes an ARMLS listing or export states (`Taxes`, `Tax Year`),
 *    when their tax year is at most MAX_STATED_TAX_AGE_YEARS before this one (or not stated): an
 *    older bill is not today's (the limited property value the primary tax is levied on may grow
 *    5% a year, A.R.S. § 42-13301, and the rates change every year), so it is named and passed
 *    over, as an old sale is for the value;
 * 3. `effective_rate`: the value × one effective rate (`PROPERTY_TAX_EFFECTIVE_RATE`, a fraction
 *    of value a year), recomputed when the what-if changes the price; with no value known, the
 *    price the underwriting buys at × that rate (`annual` null, `rate_of_value` set, the detail
 *    saying so): a tax the model cannot compute is never $0.
 *
 * `what_if`: the tax the analyst saved for the property (`properties.setTerms`), over all of these.
 */
export const TAX_BASES = ['tax_area_rate', 'listing_taxes', 'effective_rate', 'what_if'] as const;
export type TaxBasis = (typeof TAX_BASES)[number];

export interface TaxEstimate {
  /** Dollars a year. */
  annual: number | null;
  basis: TaxBasis | null;
  detail: string;
  /** Set for `effective_rate`: the annual tax is this fraction of the price. */
  rate_of_value?: number | null;
}

/**
 * The annual property tax, dollars a year, of buying at `price` (dollars): `price ×
 * rate_of_value` for an effective rate (it follows the price), else the stated or computed
 * `annual`; null when neither is known (never 0: the caller says the tax is unknown).
 */
export function propertyTaxAt(tax: Pick<TaxEstimate, 'annual' | 'rate_of_value'>, price: number): number | null {
  if (tax.rate_of_value != null) return price * tax.rate_of_value;
  return tax.annual;
}

/** Tax years a listing's stated taxes may lag this year's and still be used (2026: 2024 or later). */
export const MAX_STATED_TAX_AGE_YEARS = 2;

export interface TaxInputs {
  limitedPropertyValue: number | null;
  /** A fraction (0.10 for class 3.1 and 4.2 residences). */
  assessmentRatio: number | null;
  taxAreaCode: string | null;
  annualTaxes: number | null;
  taxesYear: number | null;
  value: number | null;
  /** This tax year (the valuation day's calendar year); absent: stated taxes of any year are used. */
  year?: number;
}

export interface TaxSettings {
  /** Dollars per $100 of assessed value, by tax area code. */
  taxRatePer100ByArea: Record<string, number>;
  /** Fraction of value a year. */
  effectiveTaxRate: number;
}

export function estimatePropertyTax(t: TaxInputs, s: TaxSettings): TaxEstimate {
  const areaRate = t.taxAreaCode ? s.taxRatePer100ByArea[t.taxAreaCode] : undefined;
  if (areaRate !== undefined && t.limitedPropertyValue !== null && t.assessmentRatio !== null) {
    const assessed = t.limitedPropertyValue * t.assessmentRatio;
    const annual = Math.round((assessed * areaRate) / 100);
    return { annual, basis: 'tax_area_rate', detail: `limited value $${t.limitedPropertyValue.toLocaleString('en-US')} × ratio ${t.assessmentRatio} × $${areaRate} per $100 (tax area ${t.taxAreaCode})` };
  }
  // Too old, or a tax year not yet billed (a typo: a bill for next year is not known yet).
  const stale =
    t.annualTaxes !== null && t.annualTaxes > 0 && t.taxesYear !== null && t.year !== undefined && (t.year - t.taxesYear > MAX_STATED_TAX_AGE_YEARS || t.taxesYear > t.year);
  if (t.annualTaxes !== null && t.annualTaxes > 0 && !stale) {
    return { annual: Math.round(t.annualTaxes), basis: 'listing_taxes', detail: `taxes stated by the listing${t.taxesYear ? ` for ${t.taxesYear}` : ' (tax year not stated)'}` };
  }
  const passedOver = stale
    ? `; the listing's ${t.taxesYear} taxes ($${Math.round(t.annualTaxes!).toLocaleString('en-US')}) are ${t.taxesYear! > t.year! ? 'for a tax year not yet billed' : 'too old to use'}`
    : '';
  // No value to apply the rate to: the rate applies to whatever price the underwriting buys at
  // (an asking price, a what-if price), never a tax of $0.
  if (t.value === null) {
    return {
      annual: null,
      basis: 'effective_rate',
      detail: `no value known: the price × effective rate ${(s.effectiveTaxRate * 100).toFixed(2)}%${t.taxAreaCode ? ` (no rate set for tax area ${t.taxAreaCode})` : ''}${passedOver}`,
      rate_of_value: s.effectiveTaxRate,
    };
  }
  return {
    annual: Math.round(t.value * s.effectiveTaxRate),
    basis: 'effective_rate',
    detail: `value × effective rate ${(s.effectiveTaxRate * 100).toFixed(2)}%${t.taxAreaCode ? ` (no rate set for tax area ${t.taxAreaCode})` : ''}${passedOver}`,
    rate_of_value: s.effectiveTaxRate,
  };
}
