import type { DealInputs } from '../../src/shared/deal/deal-inputs.js';

/**
 * The worked example, computed independently by tests/unit/deal-worked-example.py (standard
 * library decimals, the loan paid down month by month rather than by the closed form, the IRR by
 * bisection checked by Newton's method as a spreadsheet's IRR finds it): $200,000, $10,000 rehab,
 * $6,000 closing, 25% down, 1 point, 6.5% over 30 years, $2,000 a month, 5% vacancy, 8%
 * management, 5% maintenance, 5% capex, $1,200 insurance, $50 HOA, $1,500 tax, rent +3%,
 * expenses +2%, value +3% a year, held 5 years, 7% selling costs.
 */
export const rentalExample: DealInputs = {
  price: 200_000,
  rehabBudget: 10_000,
  closingCosts: 6000,
  afterRepairValue: null,
  loanTermYears: 30,
  interestRate: 0.065,
  downPaymentRate: 0.25,
  pointsRate: 0.01,
  rentMonthly: 2000,
  vacancyRate: 0.05,
  managementRate: 0.08,
  maintenanceRate: 0.05,
  capexRate: 0.05,
  insuranceAnnual: 1200,
  hoaMonthly: 50,
  propertyTaxAnnual: 1500,
  otherExpensesMonthly: 0,
  rentGrowthRate: 0.03,
  expenseGrowthRate: 0.02,
  appreciationRate: 0.03,
  holdingYears: 5,
  sellingCostRate: 0.07,
};
