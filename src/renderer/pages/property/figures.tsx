import type { PropertyFilters, PropertyRow } from '../../../shared/contract.js';
import { VALUE_BASES, VALUE_BASIS_LABELS, type ValueBasis } from '../../../shared/underwriting/value.js';
import { RECOMMENDATIONS } from '../../../shared/underwriting/underwrite.js';
import { int } from '../../ui/state.js';

/** Short words for a value's basis in a list cell (the full label is the cell's title). */
export const BASIS_SHORT: Record<ValueBasis, string> = {
  active_listing: 'listing',
  recent_sale: 'sale',
  comparable_sales: 'comps',
  assessor_full_cash_value: 'FCV',
};

export const percent = (ratio: number | null | undefined, digits = 1) => (ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(digits)}%`);
export const dollars = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n < 0 ? '-' : ''}$${int(Math.round(Math.abs(n)))}`);

/** "$345,000 · FCV 2023-01-01": the value with its basis and date. */
export function valueText(row: Pick<PropertyRow, 'value' | 'value_basis' | 'value_date'>): string {
  if (row.value === null || row.value === undefined) return '—';
  const basis = row.value_basis ? BASIS_SHORT[row.value_basis] : 'basis unknown';
  return `${dollars(row.value)} · ${basis}${row.value_date ? ` ${row.value_date}` : ''}`;
}

/** The list's underwriting columns, sortable on the server. */
export const FIGURE_COLUMNS = [
  { field: 'value', label: 'Value (basis, date)' },
  { field: 'rent', label: 'Rent' },
  { field: 'cap_rate', label: 'Cap' },
  { field: 'cash_on_cash', label: 'CoC' },
  { field: 'recommendation', label: 'Call' },
] as const;

/** The underwriting cells of one list row, in `FIGURE_COLUMNS` order. */
export function FigureCells({ row }: { row: PropertyRow }) {
  return (
    <>
      <span role="cell" title={row.value_basis ? `${VALUE_BASIS_LABELS[row.value_basis]}${row.value_date ? ` of ${row.value_date}` : ''}` : undefined}>{valueText(row)}</span>
      <span role="cell">{row.rent == null ? '—' : `${dollars(row.rent)}/mo`}</span>
      <span role="cell">{percent(row.cap_rate)}</span>
      <span role="cell">{percent(row.cash_on_cash)}</span>
      <span role="cell">{row.recommendation ?? '—'}</span>
    </>
  );
}

/** The filter fields for value, basis, cap rate, cash-on-cash and recommendation. */
export function FigureFilterFields() {
  return (
    <>
      <label>Value from <input name="minValue" type="number" min={0} step={1000} size={8} /></label>
      <label>to <input name="maxValue" type="number" min={0} step={1000} size={8} /></label>
      <label>Basis <select name="valueBasis" defaultValue=""><option value="">any</option>{VALUE_BASES.map((b) => <option key={b} value={b}>{VALUE_BASIS_LABELS[b]}</option>)}</select></label>
      <label>Cap ≥ % <input name="minCapRate" type="number" step={0.1} size={4} /></label>
      <label>CoC ≥ % <input name="minCashOnCash" type="number" step={0.1} size={4} /></label>
      <label>Call <select name="recommendation" defaultValue=""><option value="">any</option>{RECOMMENDATIONS.map((r) => <option key={r}>{r}</option>)}</select></label>
    </>
  );
}

/** The figure filters as typed (percent fields as fractions). */
export function figureFilters(form: FormData): PropertyFilters {
  const text = (k: string) => String(form.get(k) ?? '').trim();
  const num = (k: string) => (text(k) === '' || !Number.isFinite(Number(text(k))) ? undefined : Number(text(k)));
  const f: PropertyFilters = {};
  const minValue = num('minValue');
  const maxValue = num('maxValue');
  const cap = num('minCapRate');
  const coc = num('minCashOnCash');
  if (minValue !== undefined) f.minValue = minValue;
  if (maxValue !== undefined) f.maxValue = maxValue;
  if (cap !== undefined) f.minCapRate = cap / 100;
  if (coc !== undefined) f.minCashOnCash = coc / 100;
  if (text('valueBasis')) f.valueBasis = text('valueBasis') as ValueBasis;
  if (text('recommendation')) f.recommendation = text('recommendation') as PropertyFilters['recommendation'];
  return f;
}

