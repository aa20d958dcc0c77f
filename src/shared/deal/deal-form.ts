import { DEAL_FIELDS, fieldError, type DealField, type DealFieldName, type DealInputs } from './deal-inputs.js';

/**
 * The what-if's form: each field's text as the user typed it, in the unit shown (percent for
 * rates, dollars, years). An empty optional field (the after-repair value) means "none".
 */
export type FieldTexts<K extends string> = Record<K, string>;

/** The factor from the model's unit to the shown one (fraction → percent). */
const shownScale = (field: DealField) => (field.unit === 'percent' ? 100 : 1);

/** `value` (model units: fractions for rates) as the field shows it: 0.25 → "25", 1234.5 → "1234.5". */
export function shownText(field: DealField, value: number | null): string {
  if (value === null) return '';
  return String(Number((value * shownScale(field)).toFixed(field.unit === 'percent' ? 4 : 2)));
}

/** The form of `values` (model units) over `fields`. */
export function textsOf<K extends string>(fields: Record<K, DealField>, values: Record<K, number | null>): FieldTexts<K> {
  const out = {} as FieldTexts<K>;
  for (const name of Object.keys(fields) as K[]) out[name] = shownText(fields[name], values[name]);
  return out;
}

/**
 * The result of reading a form: `values` in the model's units (fractions for rates) when every
 * field is accepted, else null, so a what-if never computes on an out-of-range value (a 150% down
 * payment gave a loan of −$170,000); `errors`: each refused field's message in the shown unit
 * (`fieldError`: "Down payment must be from 0% to 100% (got 150%)").
 */
export interface FormReading<K extends string> {
  values: Record<K, number | null> | null;
  errors: Partial<Record<K, string>>;
}

/** Reads `texts` against `fields`; the fields named in `optional` may be empty (read as null). */
export function readFields<K extends string>(fields: Record<K, DealField>, texts: FieldTexts<K>, optional: readonly K[] = []): FormReading<K> {
  const values = {} as Record<K, number | null>;
  const errors: Partial<Record<K, string>> = {};
  for (const name of Object.keys(fields) as K[]) {
    const text = texts[name] ?? '';
    if (text.trim() === '' && optional.includes(name)) {
      values[name] = null;
      continue;
    }
    const error = fieldError(fields[name], text);
    if (error) errors[name] = error;
    else values[name] = Number(text) / shownScale(fields[name]);
  }
  return { values: Object.keys(errors).length === 0 ? values : null, errors };
}

/** The deal's form (`DEAL_FIELDS`) of `inputs`. */
export const dealTextsOf = (inputs: DealInputs): FieldTexts<DealFieldName> => textsOf(DEAL_FIELDS, inputs);

/** Reads the deal's form: `DealInputs` when every field is accepted (the after-repair value may be empty: the price). */
export function readDealTexts(texts: FieldTexts<DealFieldName>): { inputs: DealInputs | null; errors: Partial<Record<DealFieldName, string>> } {
  const { values, errors } = readFields(DEAL_FIELDS, texts, ['afterRepairValue']);
  return { inputs: values as DealInputs | null, errors };
}

/**
 * A slider's range and step for a field, in its shown unit: percent fields over their whole
 * range (`DEAL_FIELDS`); years over theirs; dollars from $0 to twice the starting value (at least
 * $1,000 a month or year for costs, $100,000 for prices), since the $1 billion cap is not a range
 * anyone slides over. The number field beside it still accepts anything in the field's range.
 */
export function sliderRange(field: DealField, start: number | null): { min: number; max: number; step: number } {
  if (field.unit === 'percent') return { min: field.min, max: field.max, step: field.max - field.min > 40 ? 0.5 : 0.125 };
  if (field.unit === 'years' || field.unit === 'months') return { min: field.min, max: field.max, step: 1 };
  const floor = field.unit === 'dollars' ? 100_000 : 1_000;
  const max = Math.max(floor, Math.ceil((2 * (start ?? 0)) / 1000) * 1000);
  return { min: 0, max, step: max >= 100_000 ? 1000 : max >= 10_000 ? 50 : 10 };
}
