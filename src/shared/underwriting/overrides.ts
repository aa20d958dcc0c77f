import { z } from 'zod';
import type { UnderwritingInputs } from './underwrite.js';

/**
 * The analyst's financing and deal terms for one property, kept across reprocessing: a purchase
 * price other than the value, a rent of their own, and loan terms other than the settings'.
 * Each is optional; rates are fractions (0.065 = 6.5%), dollars are whole numbers.
 */
export const underwritingOverridesSchema = z.strictObject({
  price: z.number().positive().max(1_000_000_000).optional(),
  rent_monthly: z.number().positive().max(1_000_000).optional(),
  interest_rate: z.number().min(0).max(0.3).optional(),
  down_payment_rate: z.number().min(0).max(1).optional(),
  term_years: z.number().int().min(1).max(40).optional(),
  closing_cost_rate: z.number().min(0).max(0.2).optional(),
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
