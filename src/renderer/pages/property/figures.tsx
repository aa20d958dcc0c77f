import type { PropertyFilters } from '../../../shared/contract.js';
import { RECOMMENDATIONS } from '../../../shared/underwriting/underwrite.js';
import { STORED_VALUE_BASES, VALUE_BASIS_LABELS, isLegacyBasis, type StoredValueBasis } from '../../../shared/valuation/basis-labels.js';

/** The page's figure formatters are the report's (`src/shared/format/figures.ts`), so the PDF and the page cannot disagree (#23). */
export { dollars, percent } from '../../../shared/format/figures.js';

/** A fraction filter as the form shows it, in percent ("95" for 0.95), or empty. */
const asPercent = (fraction: number | undefined) => (fraction === undefined ? '' : String(Math.round(fraction * 10_000) / 100));

/**
 * The filter fields for value, basis, list ÷ value, cap rate, cash-on-cash and recommendation,
 * filled from the filters in force. List ÷ value is typed in percent of the value: "to 95" keeps
 * the listings asking at most 95% of their value (5% or more under value).
 */
export function FigureFilterFields({ filters }: { filters: PropertyFilters }) {
  return (
    <>
      <label>Value from <input name="minValue" type="number" min={0} step={1000} size={8} defaultValue={filters.minValue ?? ''} /></label>
      <label>to <input name="maxValue" type="number" min={0} step={1000} size={8} defaultValue={filters.maxValue ?? ''} /></label>
      {/* Labelled by its own word only: a label wrapping the select would also be named by every option's text. */}
      <div className="field">
        <label htmlFor="filter-value-basis">Basis</label>
        <select id="filter-value-basis" name="valueBasis" defaultValue={filters.valueBasis ?? ''}>
          <option value="">any</option>
          {STORED_VALUE_BASES.map((b) => (
            <option key={b} value={b}>
              {VALUE_BASIS_LABELS[b]}
              {isLegacyBasis(b) ? ' (before the automated valuation)' : ''}
            </option>
          ))}
        </select>
      </div>
      <label title="the asking price as a percent of the value: 92 = listed 8% under value">
        List ÷ value from % <input name="minListToValue" type="number" min={0} step={1} size={4} defaultValue={asPercent(filters.minListToValue)} />
      </label>
      <label>to % <input name="maxListToValue" type="number" min={0} step={1} size={4} defaultValue={asPercent(filters.maxListToValue)} /></label>
      <label>Cap ≥ % <input name="minCapRate" type="number" step={0.1} size={4} defaultValue={asPercent(filters.minCapRate)} /></label>
      <label>CoC ≥ % <input name="minCashOnCash" type="number" step={0.1} size={4} defaultValue={asPercent(filters.minCashOnCash)} /></label>
      <label>Call <select name="recommendation" defaultValue={filters.recommendation ?? ''}><option value="">any</option>{RECOMMENDATIONS.map((r) => <option key={r}>{r}</option>)}</select></label>
    </>
  );
}

/** The figure filters as typed (percent fields as fractions: 95 → 0.95). */
export function figureFilters(form: FormData): PropertyFilters {
  const text = (k: string) => String(form.get(k) ?? '').trim();
  const num = (k: string) => (text(k) === '' || !Number.isFinite(Number(text(k))) ? undefined : Number(text(k)));
  const f: PropertyFilters = {};
  const minValue = num('minValue');
  const maxValue = num('maxValue');
  if (minValue !== undefined) f.minValue = minValue;
  if (maxValue !== undefined) f.maxValue = maxValue;
  for (const k of ['minListToValue', 'maxListToValue', 'minCapRate', 'minCashOnCash'] as const) {
    const v = num(k);
    if (v !== undefined) f[k] = v / 100;
  }
  if (text('valueBasis')) f.valueBasis = text('valueBasis') as StoredValueBasis;
  if (text('recommendation')) f.recommendation = text('recommendation') as PropertyFilters['recommendation'];
  return f;
}
