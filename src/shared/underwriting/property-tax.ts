/**
 * Annual property tax, in order:
 *
 * 1. `tax_area_rate`: limited property value × the assessment ratio of the legal class × the tax
 *    area's rate (Arizona: primary tax on the limited property value, A.R.S. § 42-11001 and
 *    § 42-15001; Maricopa County publishes rates per $100 of assessed value for each tax area,
 *    set in `TAX_RATE_BY_AREA` as dollars per $100);
 * 2. `listing_taxes`: the annual taxes an ARMLS listing or export states (`Taxes`, `Tax Year`);
 * 3. `effective_rate`: the value × one effective rate (`PROPERTY_TAX_EFFECTIVE_RATE`, a fraction
 *    of value a year), recomputed when the what-if changes the price.
 */
export const TAX_BASES = ['tax_area_rate', 'listing_taxes', 'effective_rate'] as const;
export type TaxBasis = (typeof TAX_BASES)[number];

export interface TaxEstimate {
  /** Dollars a year. */
  annual: number | null;
  basis: TaxBasis | null;
  detail: string;
  /** Set for `effective_rate`: the annual tax is this fraction of the price. */
  rate_of_value?: number | null;
}

export interface TaxInputs {
  limitedPropertyValue: number | null;
  /** A fraction (0.10 for class 3.1 and 4.2 residences). */
  assessmentRatio: number | null;
  taxAreaCode: string | null;
  annualTaxes: number | null;
  taxesYear: number | null;
  value: number | null;
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
  if (t.annualTaxes !== null && t.annualTaxes > 0) {
    return { annual: Math.round(t.annualTaxes), basis: 'listing_taxes', detail: `taxes stated by the listing${t.taxesYear ? ` for ${t.taxesYear}` : ''}` };
  }
  if (t.value === null) return { annual: null, basis: null, detail: 'no tax area rate, stated taxes or value' };
  return {
    annual: Math.round(t.value * s.effectiveTaxRate),
    basis: 'effective_rate',
    detail: `value × effective rate ${(s.effectiveTaxRate * 100).toFixed(2)}%${t.taxAreaCode ? ` (no rate set for tax area ${t.taxAreaCode})` : ''}`,
    rate_of_value: s.effectiveTaxRate,
  };
}
