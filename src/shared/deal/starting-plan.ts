import type { DealPlan } from './from-underwriting.js';

/**
 * The plan the deal model starts from before the analyst moves anything, and the one the property
 * report projects with: no rehab or points; a 5% capital-expenditure reserve of the rent
 * (BiggerPockets' rental calculator default); rent and expenses growing 3% a year and the value
 * 3% a year (about the US CPI's and the FHFA house price index's long-run averages); a 5-year
 * hold sold at 8% selling costs (Zillow: 6–10% of the price). Starting points, not estimates of
 * the property: the report says so beside its projection.
 */
export const STARTING_PLAN: DealPlan = {
  rehabBudget: 0,
  afterRepairValue: null,
  pointsRate: 0,
  capexRate: 0.05,
  rentGrowthRate: 0.03,
  expenseGrowthRate: 0.03,
  appreciationRate: 0.03,
  holdingYears: 5,
  sellingCostRate: 0.08,
};
