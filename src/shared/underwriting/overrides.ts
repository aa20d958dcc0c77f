import { z } from 'zod';
import { DEAL_FIELDS, dealFieldSchema, percentField } from '../deal/deal-inputs.js';
import type { UnderwritingInputs } from './underwrite.js';

/**
 * The analyst's financing and deal terms for one property, kept across reprocessing: a purchase
 * price other than the value, a rent of their own, and loan terms other than the settings'.
 * Each is optional; rates are fractions (0.065 = 6.5%), dollars are whole numbers. The ranges
 * are the deal model's (`deal/deal-inputs.ts`), refused in the units the what-if shows: "Down
 * payment must be from 0% to 100% (got 150%)", not "<=1".
 */
export const underwritingOverridesSchema = z.strictObject({
  price: dealFieldSchema(DEAL_FIELDS.price).optional(),
  rent_monthly: dealFieldSchema({ ...DEAL_FIELDS.rentMonthly, max: 1_000_000 }).optional(),
  interest_rate: dealFieldSchema(DEAL_FIELDS.interestRate).optional(),
  down_payment_rate: dealFieldSchema(DEAL_FIELDS.downPaymentRate).optional(),
  term_years: dealFieldSchema(DEAL_FIELDS.loanTermYears).optional(),
  closing_cost_rate: dealFieldSchema(percentField('Closing costs', 0, 20)).optional(),
});
export type UnderwritingOverrides = z.infer<typeof underwritingOverridesSchema>;

/** The inputs with the analyst's terms applied (a rent of their own has the basis `what_if`). */
export function applyOverrides(inputs: UnderwritingInputs, o: UnderwritingOverrides | null | undefined): UnderwritingInputs {
  if (!o) return inputs;
  const a = inputs.assumptions;
  return {
    ...inputs,
    price: o.price ?? inputs.price,
    ...(o.price !== undefined && { price_basis: 'what_if' as const }),
    rent: o.rent_monthly === undefined ? inputs.rent : { monthly: o.rent_monthly, basis: 'what_if', detail: 'set by the analyst for this property' },
    assumptions: {
      ...a,
      interestRate: o.interest_rate ?? a.interestRate,
      downPaymentRate: o.down_payment_rate ?? a.downPaymentRate,
      termYears: o.term_years ?? a.termYears,
      closingCostRate: o.closing_cost_rate ?? a.closingCostRate,
    },
  };
}
