import { debtServiceInYear, monthlyPayment } from './amortization.js';
import type { DealInputs } from './deal-inputs.js';
import { fixedExpensesAnnual, operatingYear, type OperatingYear } from './operating-year.js';
import { purchaseOf, type Purchase } from './purchase.js';

/** A fixed-rate, fully amortising loan: dollars borrowed, annual rate (a fraction), term in years. */
export interface Loan {
  amount: number;
  interestRate: number;
  termYears: number;
}

/**
 * The first year's figures of a rental, dollars unless said (rates are fractions):
 * - cash flow = NOI − debt service (annual; monthly = annual ÷ 12), before income tax;
 * - cap rate = year-1 NOI ÷ purchase price (Appraisal Institute, "The Appraisal of Real Estate",
 *   direct capitalisation; DealCheck's purchase cap rate);
 * - cash-on-cash = annual cash flow ÷ total cash invested (BiggerPockets, DealCheck); null when
 *   no cash is invested (every dollar came back: the return has no bound);
 * - DSCR = NOI ÷ annual debt service (Fannie Mae Multifamily Selling and Servicing Guide's debt
 *   service coverage ratio); null without a loan;
 * - gross rent multiplier (GRM) = price ÷ gross scheduled annual rent ("The Appraisal of Real
 *   Estate");
 * - the 1% rule (BiggerPockets): the monthly rent is at least 1% of the price plus repairs;
 *   `onePercentRatio` = monthly rent ÷ (price + rehab);
 * - break-even rent (dollars a month): the rent at which the cash flow is 0, all else kept:
 *   (fixed expenses + debt service) ÷ (12 × ((1 − vacancy)(1 − management) − maintenance −
 *   capex)); null when no rent breaks even (the rent-based costs take it all);
 * - break-even occupancy: the share of the gross rent that must be collected for a cash flow of 0,
 *   the CCIM break-even ratio (operating expenses + debt service) ÷ gross potential rent with
 *   management following the rent collected: (fixed expenses + (maintenance + capex) × gross +
 *   debt service) ÷ (gross × (1 − management)); above 1 means no occupancy breaks even.
 */
export interface RentalMetrics {
  year1: OperatingYear;
  monthlyPrincipalInterest: number;
  debtServiceAnnual: number;
  cashFlowAnnual: number;
  cashFlowMonthly: number;
  capRate: number;
  cashOnCash: number | null;
  dscr: number | null;
  grossRentMultiplier: number;
  onePercentRatio: number;
  meetsOnePercentRule: boolean;
  breakEvenRentMonthly: number | null;
  breakEvenOccupancy: number | null;
}

/** `RentalMetrics` of `i` financed by `loan` with `cashInvested` dollars of the buyer's own. */
export function rentalMetrics(i: DealInputs, loan: Loan, cashInvested: number): RentalMetrics {
  const year1 = operatingYear(i, 1);
  const monthlyPrincipalInterest = monthlyPayment(loan.amount, loan.interestRate, loan.termYears);
  const debtServiceAnnual = debtServiceInYear(loan.amount, loan.interestRate, loan.termYears, 1);
  const cashFlowAnnual = year1.netOperatingIncome - debtServiceAnnual;
  const fixed = fixedExpensesAnnual(i);
  const rentShare = (1 - i.vacancyRate) * (1 - i.managementRate) - i.maintenanceRate - i.capexRate;
  const gross = year1.grossRent;
  const onePercentRatio = i.rentMonthly / (i.price + i.rehabBudget);
  return {
    year1,
    monthlyPrincipalInterest,
    debtServiceAnnual,
    cashFlowAnnual,
    cashFlowMonthly: cashFlowAnnual / 12,
    capRate: year1.netOperatingIncome / i.price,
    cashOnCash: cashInvested > 0 ? cashFlowAnnual / cashInvested : null,
    dscr: debtServiceAnnual > 0 ? year1.netOperatingIncome / debtServiceAnnual : null,
    grossRentMultiplier: i.price / gross,
    onePercentRatio,
    meetsOnePercentRule: onePercentRatio >= 0.01,
    breakEvenRentMonthly: rentShare > 0 ? (fixed + debtServiceAnnual) / (12 * rentShare) : null,
    breakEvenOccupancy: gross > 0 && i.managementRate < 1 ? (fixed + (i.maintenanceRate + i.capexRate) * gross + debtServiceAnnual) / (gross * (1 - i.managementRate)) : null,
  };
}

/** The purchase (`purchaseOf`) and the first year's `RentalMetrics` of buying `i` on its own loan terms. */
export function dealMetrics(i: DealInputs): RentalMetrics & { purchase: Purchase } {
  const purchase = purchaseOf(i);
  return { purchase, ...rentalMetrics(i, { amount: purchase.loanAmount, interestRate: i.interestRate, termYears: i.loanTermYears }, purchase.cashInvested) };
}
