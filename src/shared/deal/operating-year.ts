import type { DealInputs } from './deal-inputs.js';

/**
 * One year's rental income and operating expenses, dollars a year.
 *
 * Standard operating statement (Gallinelli, "What Every Real Estate Investor Needs to Know About
 * Cash Flow", 2nd ed., ch. 7–9; DealCheck's and BiggerPockets' rental calculators):
 * - gross scheduled rent = monthly rent × 12 × (1 + rent growth)^(year − 1);
 * - vacancy loss = gross × vacancy rate; effective gross income (EGI) = gross − vacancy loss;
 * - fixed expenses (property tax, insurance, HOA × 12, other × 12) grow with the expense growth:
 *   × (1 + expense growth)^(year − 1);
 * - expenses set as a share of the rent follow it: maintenance and capital expenditures = rate ×
 *   gross rent, management = rate × EGI (the rent collected);
 * - net operating income (NOI) = EGI − operating expenses (no debt service, no depreciation).
 */
export interface OperatingYear {
  grossRent: number;
  vacancyLoss: number;
  effectiveGrossIncome: number;
  propertyTax: number;
  insurance: number;
  hoa: number;
  otherExpenses: number;
  maintenance: number;
  capex: number;
  management: number;
  /** The sum of the expense lines above. */
  operatingExpenses: number;
  netOperatingIncome: number;
}

/** Operating figures of year `year` (1 = the first year) of `i`, dollars a year. */
export function operatingYear(i: DealInputs, year: number): OperatingYear {
  const rentFactor = (1 + i.rentGrowthRate) ** (year - 1);
  const expenseFactor = (1 + i.expenseGrowthRate) ** (year - 1);
  const grossRent = i.rentMonthly * 12 * rentFactor;
  const vacancyLoss = grossRent * i.vacancyRate;
  const effectiveGrossIncome = grossRent - vacancyLoss;
  const propertyTax = i.propertyTaxAnnual * expenseFactor;
  const insurance = i.insuranceAnnual * expenseFactor;
  const hoa = i.hoaMonthly * 12 * expenseFactor;
  const otherExpenses = i.otherExpensesMonthly * 12 * expenseFactor;
  const maintenance = grossRent * i.maintenanceRate;
  const capex = grossRent * i.capexRate;
  const management = effectiveGrossIncome * i.managementRate;
  const operatingExpenses = propertyTax + insurance + hoa + otherExpenses + maintenance + capex + management;
  return {
    grossRent,
    vacancyLoss,
    effectiveGrossIncome,
    propertyTax,
    insurance,
    hoa,
    otherExpenses,
    maintenance,
    capex,
    management,
    operatingExpenses,
    netOperatingIncome: effectiveGrossIncome - operatingExpenses,
  };
}

/** The first year's expenses that do not follow the rent (tax, insurance, HOA, other), dollars a year. */
export function fixedExpensesAnnual(i: DealInputs): number {
  return i.propertyTaxAnnual + i.insuranceAnnual + (i.hoaMonthly + i.otherExpensesMonthly) * 12;
}
