import { z } from 'zod';
import { BRRRR_FIELDS } from '../deal/brrrr.js';
import { DEAL_FIELDS, DEAL_MODES, dealFieldSchema, dealInputsSchema, percentField, type DealField, type DealFieldName, type DealInputs, type DealMode } from '../deal/deal-inputs.js';
import { FLIP_FIELDS } from '../deal/flip.js';
import type { UnderwritingInputs } from './underwrite.js';

/**
 * The deal model's input (`DealInputs`) each saved term stands for, every input once. Terms are
 * named in snake_case, as the stored documents name their fields (`underwriting_overrides`,
 * `own_terms`), and keep the names terms were saved under before the deal model had them all.
 */
export const TERM_FIELDS = {
  price: 'price',
  rehab_budget: 'rehabBudget',
  closing_costs: 'closingCosts',
  after_repair_value: 'afterRepairValue',
  down_payment_rate: 'downPaymentRate',
  interest_rate: 'interestRate',
  term_years: 'loanTermYears',
  points_rate: 'pointsRate',
  rent_monthly: 'rentMonthly',
  vacancy_rate: 'vacancyRate',
  management_rate: 'managementRate',
  maintenance_rate: 'maintenanceRate',
  capex_rate: 'capexRate',
  insurance_annual: 'insuranceAnnual',
  hoa_monthly: 'hoaMonthly',
  property_tax_annual: 'propertyTaxAnnual',
  other_expenses_monthly: 'otherExpensesMonthly',
  rent_growth_rate: 'rentGrowthRate',
  expense_growth_rate: 'expenseGrowthRate',
  appreciation_rate: 'appreciationRate',
  holding_years: 'holdingYears',
  selling_cost_rate: 'sellingCostRate',
} as const satisfies Record<string, DealFieldName>;
export type TermName = keyof typeof TERM_FIELDS;
/** Compile-time check that every deal input has its term. */
type Uncovered = Exclude<DealFieldName, (typeof TERM_FIELDS)[TermName]>;
const everyInputHasATerm: Uncovered extends never ? true : Uncovered = true;
void everyInputHasATerm;

const deal = dealInputsSchema.shape;

/**
 * The inputs only one strategy has, each saved as its own term: BRRRR's refinance (`BRRRR_FIELDS`)
 * and the flip's holding period and costs (`FLIP_FIELDS`), with the field that shows and checks it.
 */
export const STRATEGY_TERMS = {
  refinance_ltv: { mode: 'brrrr', name: 'refinanceLtv', field: BRRRR_FIELDS.refinanceLtv },
  refinance_rate: { mode: 'brrrr', name: 'refinanceRate', field: BRRRR_FIELDS.refinanceRate },
  refinance_term_years: { mode: 'brrrr', name: 'refinanceTermYears', field: BRRRR_FIELDS.refinanceTermYears },
  refinance_closing_costs: { mode: 'brrrr', name: 'refinanceClosingCosts', field: BRRRR_FIELDS.refinanceClosingCosts },
  refinance_holding_costs: { mode: 'brrrr', name: 'holdingCosts', field: BRRRR_FIELDS.holdingCosts },
  flip_holding_months: { mode: 'flip', name: 'holdingMonths', field: FLIP_FIELDS.holdingMonths },
  flip_holding_costs_monthly: { mode: 'flip', name: 'holdingCostsMonthly', field: FLIP_FIELDS.holdingCostsMonthly },
} as const satisfies Record<string, { mode: Exclude<DealMode, 'rental'>; name: string; field: DealField }>;
export type StrategyTermName = keyof typeof STRATEGY_TERMS;

/**
 * The analyst's what-if terms for one property, kept across re-collection and reprocessing
 * (`properties.setTerms`): any of the deal model's inputs (`TERM_FIELDS`), each checked by the
 * very schema a saved scenario is (`dealInputsSchema`, so refused in the units the what-if shows:
 * "Down payment must be from 0% to 100% (got 150%)", not "<=1"), and the strategy (`mode`).
 * and BRRRR's and the flip's own inputs (`STRATEGY_TERMS`, checked by their fields' schemas).
 * Each is optional; rates are fractions (0.065 = 6.5%), dollars as typed. `closing_cost_rate`
 * (closing costs as a fraction of the price) is what terms saved before `closing_costs` (dollars)
 * carry; a rent is at most $1,000,000 a month.
 */
export const underwritingOverridesSchema = z.strictObject({
  price: deal.price.optional(),
  rehab_budget: deal.rehabBudget.optional(),
  closing_costs: deal.closingCosts.optional(),
  after_repair_value: deal.afterRepairValue.unwrap().optional(),
  down_payment_rate: deal.downPaymentRate.optional(),
  interest_rate: deal.interestRate.optional(),
  term_years: deal.loanTermYears.optional(),
  points_rate: deal.pointsRate.optional(),
  rent_monthly: dealFieldSchema({ ...DEAL_FIELDS.rentMonthly, max: 1_000_000 }).optional(),
  vacancy_rate: deal.vacancyRate.optional(),
  management_rate: deal.managementRate.optional(),
  maintenance_rate: deal.maintenanceRate.optional(),
  capex_rate: deal.capexRate.optional(),
  insurance_annual: deal.insuranceAnnual.optional(),
  hoa_monthly: deal.hoaMonthly.optional(),
  property_tax_annual: deal.propertyTaxAnnual.optional(),
  other_expenses_monthly: deal.otherExpensesMonthly.optional(),
  rent_growth_rate: deal.rentGrowthRate.optional(),
  expense_growth_rate: deal.expenseGrowthRate.optional(),
  appreciation_rate: deal.appreciationRate.optional(),
  holding_years: deal.holdingYears.optional(),
  selling_cost_rate: deal.sellingCostRate.optional(),
  refinance_ltv: dealFieldSchema(STRATEGY_TERMS.refinance_ltv.field).optional(),
  refinance_rate: dealFieldSchema(STRATEGY_TERMS.refinance_rate.field).optional(),
  refinance_term_years: dealFieldSchema(STRATEGY_TERMS.refinance_term_years.field).optional(),
  refinance_closing_costs: dealFieldSchema(STRATEGY_TERMS.refinance_closing_costs.field).optional(),
  refinance_holding_costs: dealFieldSchema(STRATEGY_TERMS.refinance_holding_costs.field).optional(),
  flip_holding_months: dealFieldSchema(STRATEGY_TERMS.flip_holding_months.field).optional(),
  flip_holding_costs_monthly: dealFieldSchema(STRATEGY_TERMS.flip_holding_costs_monthly.field).optional(),
  closing_cost_rate: dealFieldSchema(percentField('Closing costs', 0, 20)).optional(),
  mode: z.enum(DEAL_MODES, { error: `the strategy is one of ${DEAL_MODES.join(', ')}` }).optional(),
});
export type UnderwritingOverrides = z.infer<typeof underwritingOverridesSchema>;

/**
 * The inputs with the analyst's terms applied, as far as the underwriting has them: price, rent
 * (basis `what_if`), loan terms, closing costs (dollars over the price, else the saved rate),
 * vacancy, management, maintenance, insurance, HOA, the property tax (basis `what_if`) and the
 * other expenses (the land lease first, the rest as other fees). Rehab, after-repair value,
 * points, capex, growth, the hold and its sale are the deal model's alone (`dealStartOf`).
 * Inputs that had terms applied before are first put back as collected (`collectedInputs`), and
 * the collected tax and fees a term replaces are kept in `replaced`, so terms changed or cleared
 * later apply to what was collected, never to an earlier what-if.
 */
export function applyOverrides(given: UnderwritingInputs, o: UnderwritingOverrides | null | undefined): UnderwritingInputs {
  const inputs = collectedInputs(given);
  if (!o) return inputs;
  const a = inputs.assumptions;
  const price = o.price ?? inputs.price;
  const landLease = inputs.land_lease_monthly ?? 0;
  const other = o.other_expenses_monthly;
  return {
    ...inputs,
    price,
    ...(o.price !== undefined && { price_basis: 'what_if' as const }),
    rent: o.rent_monthly === undefined ? inputs.rent : { monthly: o.rent_monthly, basis: 'what_if', detail: 'set by the analyst for this property' },
    ...(o.hoa_monthly !== undefined && { hoa_monthly: o.hoa_monthly }),
    ...(o.property_tax_annual !== undefined && { tax: { annual: o.property_tax_annual, basis: 'what_if' as const, detail: 'set by the analyst for this property', rate_of_value: null } }),
    ...(other !== undefined && { land_lease_monthly: Math.min(landLease, other), other_fees_monthly: Math.max(0, other - landLease) }),
    ...((o.hoa_monthly ?? o.property_tax_annual ?? other) !== undefined && { replaced: { tax: inputs.tax, hoa_monthly: inputs.hoa_monthly, land_lease_monthly: inputs.land_lease_monthly, ...(inputs.other_fees_monthly !== undefined && { other_fees_monthly: inputs.other_fees_monthly }) } }),
    assumptions: {
      ...a,
      interestRate: o.interest_rate ?? a.interestRate,
      downPaymentRate: o.down_payment_rate ?? a.downPaymentRate,
      termYears: o.term_years ?? a.termYears,
      closingCostRate: o.closing_costs !== undefined && price !== null && price > 0 ? o.closing_costs / price : (o.closing_cost_rate ?? a.closingCostRate),
      vacancyRate: o.vacancy_rate ?? a.vacancyRate,
      managementRate: o.management_rate ?? a.managementRate,
      maintenanceRate: o.maintenance_rate ?? a.maintenanceRate,
      insuranceAnnual: o.insurance_annual ?? a.insuranceAnnual,
    },
  };
}

/** The inputs with the collected tax and fees back in place of any the analyst's terms had replaced. */
export function collectedInputs(inputs: UnderwritingInputs): UnderwritingInputs {
  const { replaced, ...rest } = inputs;
  return replaced ? { ...rest, ...replaced } : inputs;
}

/** `start` (the deal model's inputs of the stored underwriting) with every saved term in place of its input. */
export function dealStartOf(start: DealInputs, o: UnderwritingOverrides | null | undefined): DealInputs {
  const out = { ...start };
  for (const [term, field] of Object.entries(TERM_FIELDS) as [TermName, DealFieldName][]) {
    const value = o?.[term];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/** The deal inputs by their terms' names (`TERM_FIELDS`), for `termsOf`. */
export function termValuesOf(inputs: DealInputs): Record<TermName, number | null> {
  const out = {} as Record<TermName, number | null>;
  for (const [term, field] of Object.entries(TERM_FIELDS) as [TermName, DealFieldName][]) out[term] = inputs[field];
  return out;
}

/**
 * The terms to save from the deal model's form: of `values` (by term name, model units), each the
 * analyst changed from where it started (`edited`) or that was saved before, at its current
 * value (an empty after-repair value, "the price", is never saved); the strategy when it is not
 * the rental hold or was saved before; a `closing_cost_rate` saved before, unless closing costs
 * are now saved in dollars.
 */
export function termsOf(values: Partial<Record<TermName | StrategyTermName, number | null>>, edited: ReadonlySet<string>, mode: DealMode, saved: UnderwritingOverrides | null | undefined): UnderwritingOverrides {
  const terms: Record<string, number | string> = {};
  for (const [term, value] of Object.entries(values) as [TermName | StrategyTermName, number | null][]) {
    if (value !== null && (edited.has(term) || saved?.[term] !== undefined)) terms[term] = value;
  }
  if (saved?.closing_cost_rate !== undefined && terms.closing_costs === undefined) terms.closing_cost_rate = saved.closing_cost_rate;
  if (mode !== 'rental' || saved?.mode !== undefined) terms.mode = mode;
  return terms as UnderwritingOverrides;
}
