import { z } from 'zod';
import { counted } from '../plural.js';

/**
 * The inputs of a rental deal, in the units the model computes in: dollars (a month or a year, as
 * each name says), rates as fractions (0.25 = 25%), years as whole numbers. The renderer shows
 * rates in percent: `DEAL_FIELDS` gives each field's label, the unit the user sees and the range
 * an investor would accept, and `dealFieldError` checks one typed value in those units, so the
 * what-if can refuse "down payment 150%" as it is typed.
 */
export interface DealInputs {
  /** Purchase price, dollars. */
  price: number;
  /** Repairs before renting, dollars, paid in cash at purchase. */
  rehabBudget: number;
  /** The buyer's closing costs at purchase, dollars (title, escrow, lender fees other than points). */
  closingCosts: number;
  /** After-repair value, dollars: what the property is worth once repaired; null: the price. The projection appreciates it. */
  afterRepairValue: number | null;
  loanTermYears: number;
  /** Annual interest rate, a fraction (0.07 = 7%). */
  interestRate: number;
  /** Fraction of the price paid in cash (1 = all cash, no loan). */
  downPaymentRate: number;
  /** Loan points, a fraction of the loan amount paid in cash at closing (0.01 = one point). */
  pointsRate: number;
  /** Gross scheduled rent, dollars a month. */
  rentMonthly: number;
  /** Fraction of the gross rent lost to vacancy and credit loss. */
  vacancyRate: number;
  /** Property management, a fraction of the rent collected (effective gross income). */
  managementRate: number;
  /** Repairs and maintenance, a fraction of the gross rent. */
  maintenanceRate: number;
  /** Capital expenditure reserve (roof, HVAC, water heater), a fraction of the gross rent. */
  capexRate: number;
  /** Dollars a year. */
  insuranceAnnual: number;
  /** Dollars a month. */
  hoaMonthly: number;
  /** Dollars a year (see `propertyTaxAt` in `underwriting/property-tax.ts` for its basis). */
  propertyTaxAnnual: number;
  /** Other recurring costs (a land lease, other association fees), dollars a month. */
  otherExpensesMonthly: number;
  /** Yearly growth of the rent, a fraction (0.03 = 3% a year). */
  rentGrowthRate: number;
  /** Yearly growth of the fixed expenses (tax, insurance, HOA, other), a fraction. */
  expenseGrowthRate: number;
  /** Yearly growth of the property's value, a fraction. */
  appreciationRate: number;
  /** Years held before the sale that ends the projection. */
  holdingYears: number;
  /** Selling costs (agents' commissions, the seller's closing costs), a fraction of the sale price. */
  sellingCostRate: number;
}

/** The strategies the deal model computes: a rental hold, BRRRR (refinance at the after-repair value) and a flip. */
export const DEAL_MODES = ['rental', 'brrrr', 'flip'] as const;
export type DealMode = (typeof DEAL_MODES)[number];

/** How a field is shown: dollars, dollars a month or a year, a percent (stored as a fraction), years or months. */
export type DealFieldUnit = 'dollars' | 'dollars_per_month' | 'dollars_per_year' | 'percent' | 'years' | 'months';

/**
 * One field's label, unit and the range an investor would accept, in the unit shown (percent for
 * rates). `minExclusive`: the minimum itself is refused (a price of $0).
 */
export interface DealField {
  label: string;
  unit: DealFieldUnit;
  min: number;
  max: number;
  minExclusive?: boolean;
  integer?: boolean;
}

const MAX_DOLLARS = 1_000_000_000;
/** A field of dollars from $0 (`minExclusive`: more than $0) to $1 billion. */
export const dollarsField = (label: string, unit: DealFieldUnit = 'dollars', minExclusive = false): DealField => ({ label, unit, min: 0, max: MAX_DOLLARS, minExclusive });
/** A rate shown in percent from `min` to `max` percent (stored as a fraction). */
export const percentField = (label: string, min: number, max: number): DealField => ({ label, unit: 'percent', min, max });
/** A whole number of years (or months, unit `months`) from `min` to `max`. */
export const countField = (label: string, unit: 'years' | 'months', min: number, max: number): DealField => ({ label, unit, min, max, integer: true });
const dollars = dollarsField;
const percent = percentField;

/**
 * The fields of `DealInputs` with their ranges. Rates: 0–30% interest (US mortgage rates have
 * not passed 18.6%, Freddie Mac PMMS 1981); 0–100% down; up to 10 points; selling costs up to 20%
 * (Zillow and NAR put typical costs at 6–10% of the price: commissions and the seller's closing
 * costs); growth and appreciation −50% to +50% a year.
 */
export const DEAL_FIELDS = {
  price: dollars('Price', 'dollars', true),
  rehabBudget: dollars('Rehab budget'),
  closingCosts: dollars('Closing costs'),
  afterRepairValue: dollars('After-repair value', 'dollars', true),
  loanTermYears: countField('Loan term', 'years', 1, 40),
  interestRate: percent('Interest rate', 0, 30),
  downPaymentRate: percent('Down payment', 0, 100),
  pointsRate: percent('Points', 0, 10),
  rentMonthly: dollars('Rent', 'dollars_per_month', true),
  vacancyRate: percent('Vacancy', 0, 100),
  managementRate: percent('Management', 0, 50),
  maintenanceRate: percent('Maintenance', 0, 50),
  capexRate: percent('Capital expenditures', 0, 50),
  insuranceAnnual: dollars('Insurance', 'dollars_per_year'),
  hoaMonthly: dollars('HOA', 'dollars_per_month'),
  propertyTaxAnnual: dollars('Property tax', 'dollars_per_year'),
  otherExpensesMonthly: dollars('Other expenses', 'dollars_per_month'),
  rentGrowthRate: percent('Rent growth', -50, 50),
  expenseGrowthRate: percent('Expense growth', -50, 50),
  appreciationRate: percent('Appreciation', -50, 50),
  holdingYears: countField('Holding period', 'years', 1, 50),
  sellingCostRate: percent('Selling costs', 0, 20),
} as const satisfies Record<keyof DealInputs, DealField>;

export type DealFieldName = keyof typeof DEAL_FIELDS;

/** `value` (in the field's shown unit) as the user reads it: "$1,200", "$100 a month", "150%", "35 years". */
export function formatInUnit(field: DealField, value: number): string {
  const money = `${value < 0 ? '-' : ''}$${Math.abs(value).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  switch (field.unit) {
    case 'dollars':
      return money;
    case 'dollars_per_month':
      return `${money} a month`;
    case 'dollars_per_year':
      return `${money} a year`;
    case 'percent':
      return `${Number(value.toFixed(4))}%`;
    case 'years':
      return counted(value, 'year');
    case 'months':
      return `${value} ${value === 1 ? 'month' : 'months'}`;
  }
}

/** The message for a value outside the field's range, in the unit the user sees. */
function rangeMessage(field: DealField, shown?: number): string {
  const range = field.minExclusive ? `more than ${formatInUnit(field, field.min)}, at most ${formatInUnit(field, field.max)}` : `from ${formatInUnit(field, field.min)} to ${formatInUnit(field, field.max)}`;
  const got = shown === undefined || !Number.isFinite(shown) ? '' : ` (got ${formatInUnit(field, shown)})`;
  return `${field.label} must be ${range}${field.integer ? ', whole' : ''}${got}`;
}

/** The factor from the shown unit to the model's (percent → fraction). */
const scaleOf = (field: DealField) => (field.unit === 'percent' ? 100 : 1);

/**
 * The zod schema of one field in the model's units (fractions for rates), its messages in the
 * units the user sees: "Down payment must be from 0% to 100% (got 150%)".
 */
export function dealFieldSchema(field: DealField): z.ZodNumber {
  const scale = scaleOf(field);
  const message = (issue: { input?: unknown }) => rangeMessage(field, typeof issue.input === 'number' ? issue.input * scale : undefined);
  let schema = z.number({ error: (issue) => (typeof issue.input === 'number' ? message(issue) : `${field.label} must be a number`) });
  schema = field.minExclusive ? schema.gt(field.min / scale, { error: message }) : schema.gte(field.min / scale, { error: message });
  schema = schema.lte(field.max / scale, { error: message });
  return field.integer ? schema.int({ error: message }) : schema;
}

const f = DEAL_FIELDS;
/** `DealInputs` checked against `DEAL_FIELDS` (model units in, messages in the shown units). */
export const dealInputsSchema = z.strictObject({
  price: dealFieldSchema(f.price),
  rehabBudget: dealFieldSchema(f.rehabBudget),
  closingCosts: dealFieldSchema(f.closingCosts),
  afterRepairValue: dealFieldSchema(f.afterRepairValue).nullable(),
  loanTermYears: dealFieldSchema(f.loanTermYears),
  interestRate: dealFieldSchema(f.interestRate),
  downPaymentRate: dealFieldSchema(f.downPaymentRate),
  pointsRate: dealFieldSchema(f.pointsRate),
  rentMonthly: dealFieldSchema(f.rentMonthly),
  vacancyRate: dealFieldSchema(f.vacancyRate),
  managementRate: dealFieldSchema(f.managementRate),
  maintenanceRate: dealFieldSchema(f.maintenanceRate),
  capexRate: dealFieldSchema(f.capexRate),
  insuranceAnnual: dealFieldSchema(f.insuranceAnnual),
  hoaMonthly: dealFieldSchema(f.hoaMonthly),
  propertyTaxAnnual: dealFieldSchema(f.propertyTaxAnnual),
  otherExpensesMonthly: dealFieldSchema(f.otherExpensesMonthly),
  rentGrowthRate: dealFieldSchema(f.rentGrowthRate),
  expenseGrowthRate: dealFieldSchema(f.expenseGrowthRate),
  appreciationRate: dealFieldSchema(f.appreciationRate),
  holdingYears: dealFieldSchema(f.holdingYears),
  sellingCostRate: dealFieldSchema(f.sellingCostRate),
}) satisfies z.ZodType<DealInputs>;

/**
 * The error of one value as the user typed it, in the field's shown unit (percent for rates):
 * null when it is accepted. Text that is not a number is refused with "… must be a number".
 */
export function dealFieldError(name: DealFieldName, typed: string | number): string | null {
  return fieldError(DEAL_FIELDS[name], typed);
}

/** `dealFieldError` for any field (the BRRRR and flip fields too). */
export function fieldError(field: DealField, typed: string | number): string | null {
  const value = typeof typed === 'number' ? typed : typed.trim() === '' ? Number.NaN : Number(typed);
  if (!Number.isFinite(value)) return `${field.label} must be a number`;
  const result = dealFieldSchema(field).safeParse(value / scaleOf(field));
  return result.success ? null : result.error.issues[0]!.message;
}

/** Every field's message for `input` (model units), by field name; empty when all are accepted. */
export function dealInputErrors(input: unknown): Partial<Record<DealFieldName | '(inputs)', string>> {
  const result = dealInputsSchema.safeParse(input);
  if (result.success) return {};
  const errors: Partial<Record<DealFieldName | '(inputs)', string>> = {};
  for (const issue of result.error.issues) {
    const key = (typeof issue.path[0] === 'string' && issue.path[0] in DEAL_FIELDS ? issue.path[0] : '(inputs)') as DealFieldName | '(inputs)';
    errors[key] ??= issue.message;
  }
  return errors;
}
