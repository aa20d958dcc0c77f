/**
 * A fully amortising fixed-rate loan: the monthly payment and the balance still owed.
 *
 * Source: the standard annuity (amortization) formula, as in Brealey, Myers & Allen, "Principles
 * of Corporate Finance", ch. 2, and a spreadsheet's PMT and FV: with L the amount borrowed
 * (dollars), r = annual rate ÷ 12 (a fraction a month) and n = term in months,
 * - monthly principal and interest P = L·r ÷ (1 − (1 + r)^−n) (L ÷ n at 0%);
 * - balance after k payments B_k = L·(1 + r)^k − P·((1 + r)^k − 1) ÷ r (L − k·P at 0%), 0 once
 *   k ≥ n.
 */

/** Monthly principal and interest in dollars of `principal` dollars at `annualRate` (a fraction: 0.07 = 7%) over `termYears`; 0 without a loan. */
export function monthlyPayment(principal: number, annualRate: number, termYears: number): number {
  const n = Math.round(termYears * 12);
  if (principal <= 0 || n <= 0) return 0;
  const r = annualRate / 12;
  if (r === 0) return principal / n;
  return (principal * r) / (1 - (1 + r) ** -n);
}

/** The dollars still owed after `monthsPaid` monthly payments of `monthlyPayment(principal, annualRate, termYears)`; 0 once the term is paid. */
export function loanBalanceAfter(principal: number, annualRate: number, termYears: number, monthsPaid: number): number {
  const n = Math.round(termYears * 12);
  if (principal <= 0 || n <= 0 || monthsPaid >= n) return 0;
  if (monthsPaid <= 0) return principal;
  const payment = monthlyPayment(principal, annualRate, termYears);
  const r = annualRate / 12;
  const balance = r === 0 ? principal - monthsPaid * payment : principal * (1 + r) ** monthsPaid - (payment * ((1 + r) ** monthsPaid - 1)) / r;
  return Math.max(0, balance);
}

/** The payments in dollars made in loan year `year` (1-based): 12 payments, fewer in the last year of a term, none after it. */
export function debtServiceInYear(principal: number, annualRate: number, termYears: number, year: number): number {
  const n = Math.round(termYears * 12);
  const months = Math.min(12, Math.max(0, n - (year - 1) * 12));
  return monthlyPayment(principal, annualRate, termYears) * months;
}
