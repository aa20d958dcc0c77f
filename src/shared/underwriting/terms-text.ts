import { dollars } from '../money-format.js';
import type { UnderwritingOverrides } from './overrides.js';

/** A fraction as a percent with at most two decimals, no trailing zeros (0.3 → "30%", 0.0675 → "6.75%"). */
const pct = (fraction: number) => `${Number((fraction * 100).toFixed(2))}%`;

/**
 * The analyst's saved what-if terms in words, in the units the what-if shows (dollars, percent,
 * years), in the what-if's order: "price $290,000, 30% down, 6.75% interest, 25-year loan, rent
 * $2,100/mo, 3% closing costs". Only the terms set are named; an empty set is "" (issue #23: the
 * list says which terms a row's cap rate was computed with).
 */
export function ownTermsText(o: UnderwritingOverrides): string {
  const parts = [
    o.price !== undefined && `price ${dollars(o.price)}`,
    o.down_payment_rate !== undefined && `${pct(o.down_payment_rate)} down`,
    o.interest_rate !== undefined && `${pct(o.interest_rate)} interest`,
    o.term_years !== undefined && `${o.term_years}-year loan`,
    o.rent_monthly !== undefined && `rent ${dollars(o.rent_monthly)}/mo`,
    o.closing_cost_rate !== undefined && `${pct(o.closing_cost_rate)} closing costs`,
  ];
  return parts.filter((p): p is string => typeof p === 'string').join(', ');
}
