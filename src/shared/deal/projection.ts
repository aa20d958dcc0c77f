import { debtServiceInYear, loanBalanceAfter } from './amortization.js';
import type { DealInputs } from './deal-inputs.js';
import { irrOf } from './irr.js';
import type { Loan } from './metrics.js';
import { operatingYear } from './operating-year.js';
import { purchaseOf } from './purchase.js';

/**
 * One year of the hold, dollars (a year for flows, at the year's end for stocks):
 * - rent, expenses and NOI: `operatingYear` (rent and fixed expenses grow yearly);
 * - debt service: the year's payments (`debtServiceInYear`); cash flow = NOI − debt service;
 * - loan balance: owed after the year's payments (`loanBalanceAfter`, 12 × year payments);
 * - property value = start value × (1 + appreciation)^year (the start value: the after-repair
 *   value, else the price); equity = value − loan balance;
 * - sale proceeds, if sold at the year's end = value × (1 − selling cost rate) − loan balance;
 * - total return = cumulative cash flow + sale proceeds − cash invested (the profit of selling
 *   then); its rate = total return ÷ cash invested (null when none is invested).
 */
export interface ProjectionYear {
  year: number;
  grossRent: number;
  operatingExpenses: number;
  netOperatingIncome: number;
  debtService: number;
  cashFlow: number;
  loanBalance: number;
  propertyValue: number;
  equity: number;
  cumulativeCashFlow: number;
  saleProceeds: number;
  totalReturn: number;
  totalReturnRate: number | null;
}

/**
 * The sale that ends the holding period, dollars: price = the last year's property value;
 * selling costs = price × selling cost rate; net proceeds = price − selling costs − loan payoff.
 */
export interface Sale {
  year: number;
  price: number;
  sellingCosts: number;
  loanPayoff: number;
  netProceeds: number;
}

/**
 * The year-by-year projection and its IRR. The IRR's cash flows (dollars, yearly): −cash invested
 * at t = 0, each year's cash flow, and the last year's plus the sale's net proceeds (`irr.ts`:
 * a fraction a year; null with `irrUndefined` saying why when the flows never change sign).
 */
export interface Projection {
  cashInvested: number;
  startValue: number;
  years: ProjectionYear[];
  sale: Sale;
  cashFlows: number[];
  irr: number | null;
  irrUndefined: string | null;
}

/** The projection of holding `i` for `i.holdingYears`, financed by `loan`, with `cashInvested` dollars of the buyer's own. */
export function projectHold(i: DealInputs, loan: Loan, cashInvested: number): Projection {
  const startValue = i.afterRepairValue ?? i.price;
  const years: ProjectionYear[] = [];
  let cumulativeCashFlow = 0;
  for (let year = 1; year <= i.holdingYears; year += 1) {
    const op = operatingYear(i, year);
    const debtService = debtServiceInYear(loan.amount, loan.interestRate, loan.termYears, year);
    const cashFlow = op.netOperatingIncome - debtService;
    cumulativeCashFlow += cashFlow;
    const loanBalance = loanBalanceAfter(loan.amount, loan.interestRate, loan.termYears, year * 12);
    const propertyValue = startValue * (1 + i.appreciationRate) ** year;
    const saleProceeds = propertyValue * (1 - i.sellingCostRate) - loanBalance;
    const totalReturn = cumulativeCashFlow + saleProceeds - cashInvested;
    years.push({
      year,
      grossRent: op.grossRent,
      operatingExpenses: op.operatingExpenses,
      netOperatingIncome: op.netOperatingIncome,
      debtService,
      cashFlow,
      loanBalance,
      propertyValue,
      equity: propertyValue - loanBalance,
      cumulativeCashFlow,
      saleProceeds,
      totalReturn,
      totalReturnRate: cashInvested > 0 ? totalReturn / cashInvested : null,
    });
  }
  const last = years.at(-1)!;
  const sale: Sale = {
    year: last.year,
    price: last.propertyValue,
    sellingCosts: last.propertyValue * i.sellingCostRate,
    loanPayoff: last.loanBalance,
    netProceeds: last.saleProceeds,
  };
  const cashFlows = [-cashInvested, ...years.map((y) => y.cashFlow)];
  cashFlows[cashFlows.length - 1]! += sale.netProceeds;
  return { cashInvested, startValue, years, sale, cashFlows, ...irrOf(cashFlows) };
}

/** The projection of buying `i` on its own loan terms (`purchaseOf`) and selling after `i.holdingYears`. */
export function projectDeal(i: DealInputs): Projection {
  const p = purchaseOf(i);
  return projectHold(i, { amount: p.loanAmount, interestRate: i.interestRate, termYears: i.loanTermYears }, p.cashInvested);
}
