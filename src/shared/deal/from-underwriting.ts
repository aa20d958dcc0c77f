import { propertyTaxAt } from '../underwriting/property-tax.js';
import type { UnderwritingInputs } from '../underwriting/underwrite.js';
import type { DealInputs } from './deal-inputs.js';

/** What a stored underwriting does not say, for the deal model: rehab, capex, growth, the hold and its sale (dollars and fractions as in `DealInputs`). */
export type DealPlan = Pick<DealInputs, 'rehabBudget' | 'afterRepairValue' | 'pointsRate' | 'capexRate' | 'rentGrowthRate' | 'expenseGrowthRate' | 'appreciationRate' | 'holdingYears' | 'sellingCostRate'>;

/** A plan of buying as the underwriting does and holding one year: no rehab, points, capex reserve, growth or selling costs. */
export const UNDERWRITING_PLAN: DealPlan = {
  rehabBudget: 0,
  afterRepairValue: null,
  pointsRate: 0,
  capexRate: 0,
  rentGrowthRate: 0,
  expenseGrowthRate: 0,
  appreciationRate: 0,
  holdingYears: 1,
  sellingCostRate: 0,
};

/**
 * The deal inputs of an underwriting's inputs (a stored one, or the what-if's) and a `plan`: its
 * price, rent, the property tax at that price (`propertyTaxAt`), insurance, HOA, land lease and
 * other fees (as other expenses), closing costs (price × closing cost rate) and loan terms. Null
 * when the price, the rent or the tax is not known: the deal model is never run on a made-up 0.
 */
export function dealInputsOf(u: UnderwritingInputs, plan: DealPlan): DealInputs | null {
  const price = u.price;
  const rent = u.rent.monthly;
  if (price === null || price <= 0 || rent === null) return null;
  const propertyTaxAnnual = propertyTaxAt(u.tax, price);
  if (propertyTaxAnnual === null) return null;
  const a = u.assumptions;
  return {
    ...plan,
    price,
    closingCosts: price * a.closingCostRate,
    loanTermYears: a.termYears,
    interestRate: a.interestRate,
    downPaymentRate: a.downPaymentRate,
    rentMonthly: rent,
    vacancyRate: a.vacancyRate,
    managementRate: a.managementRate,
    maintenanceRate: a.maintenanceRate,
    insuranceAnnual: a.insuranceAnnual,
    hoaMonthly: u.hoa_monthly ?? 0,
    propertyTaxAnnual,
    otherExpensesMonthly: (u.land_lease_monthly ?? 0) + (u.other_fees_monthly ?? 0),
  };
}
