import { DEAL_FIELDS, formatInUnit, type DealField, type DealFieldName } from '../deal/deal-inputs.js';
import { dollars } from '../money-format.js';
import { STRATEGY_TERMS, TERM_FIELDS, type StrategyTermName, type TermName, type UnderwritingOverrides } from './overrides.js';

/** A fraction as a percent with at most two decimals, no trailing zeros (0.3 → "30%", 0.0675 → "6.75%"). */
const pct = (fraction: number) => `${Number((fraction * 100).toFixed(2))}%`;

/** The terms a list reads most often, in the words it has always used for them. */
const SHORT: Partial<Record<TermName, (v: number) => string>> = {
  price: (v) => `price ${dollars(v)}`,
  down_payment_rate: (v) => `${pct(v)} down`,
  interest_rate: (v) => `${pct(v)} interest`,
  term_years: (v) => `${v}-year loan`,
  rent_monthly: (v) => `rent ${dollars(v)}/mo`,
};

const MODE_WORDS = { rental: 'a rental hold', brrrr: 'BRRRR', flip: 'a flip' } as const;

/** One deal input in words, as its field shows it: "vacancy 8%", "rehab budget $20,000", "holding period 7 years". */
function fieldText(f: DealField, value: number): string {
  // An acronym (HOA) keeps its capitals.
  const label = /^[A-Z]{2,}\b/.test(f.label) ? f.label : f.label.toLowerCase();
  return `${label} ${formatInUnit(f, f.unit === 'percent' ? Number((value * 100).toFixed(4)) : f.unit === 'dollars' ? Math.round(value) : value)}`;
}

/**
 * The analyst's saved what-if terms in words, in the units the what-if shows (dollars, percent,
 * years), in the what-if's order: "price $290,000, 30% down, 6.75% interest, 25-year loan, rent
 * $2,100/mo, vacancy 8%, holding period 7 years, 3% closing costs, as a flip". Only the terms
 * set are named; an empty set is "" (issue #23: the list says which terms a row's cap rate was
 * computed with).
 */
export function ownTermsText(o: UnderwritingOverrides): string {
  const parts: string[] = [];
  for (const [term, field] of Object.entries(TERM_FIELDS) as [TermName, DealFieldName][]) {
    const value = o[term];
    if (value !== undefined) parts.push(SHORT[term]?.(value) ?? fieldText(DEAL_FIELDS[field], value));
  }
  for (const [term, { mode, field }] of Object.entries(STRATEGY_TERMS) as [StrategyTermName, (typeof STRATEGY_TERMS)[StrategyTermName]][]) {
    const value = o[term];
    if (value !== undefined) parts.push(`${mode === 'brrrr' ? 'BRRRR' : 'flip'} ${fieldText(field, value)}`);
  }
  if (o.closing_cost_rate !== undefined) parts.push(`${pct(o.closing_cost_rate)} closing costs`);
  if (o.mode !== undefined) parts.push(`as ${MODE_WORDS[o.mode]}`);
  return parts.join(', ');
}
