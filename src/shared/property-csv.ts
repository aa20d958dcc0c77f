import type { PropertyRow } from './contract.js';
import { ownTermsText } from './underwriting/terms-text.js';

/** A row as the list reads it: the contract's fields, and any figures a later summary adds. */
export type ListRow = PropertyRow & Record<string, unknown>;

/** What the export needs of a column: its key and the value it exports. */
export interface CsvColumn {
  key: string;
  value: (r: ListRow) => unknown;
}

const numberOrBlank = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : '');
const textOrBlank = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * A row for the CSV export: every shown figure, plus the ids, the status, which fields are
 * estimates, the records a merged property is made of, how the rent was estimated, and the
 * value with everything that says what it is (a number an analyst acts on never leaves without
 * them), whether or not its columns are shown: `value` (dollars, an estimate), `value_low` and
 * `value_high` (its 80% range, dollars), `value_confidence` (`high`/`medium`/`low`), `value_basis`,
 * `value_date` (`YYYY-MM-DD`) and `list_to_value` (the asking price ÷ the value, a fraction:
 * 0.92 = listed 8% under value), and `own_terms`, the analyst's saved what-if terms the deal
 * figures were computed with, in words ("price $290,000, 30% down"; blank for none). A figure
 * the record lacks is blank.
 */
export function csvRow(r: ListRow, columns: readonly CsvColumn[]): Record<string, unknown> {
  const row: Record<string, unknown> = { id: r.id, source: r.source, source_id: r.source_id };
  for (const c of columns) row[c.key] = c.value(r);
  row.status = r.status;
  row.estimated = Array.isArray(r.estimated) ? r.estimated.join(' ') : '';
  row.records = Array.isArray(r.records) ? r.records.join(' ') : '';
  row.rent_detail = textOrBlank(r.rent_detail);
  row.value = numberOrBlank(r.value);
  row.value_low = numberOrBlank(r.value_low);
  row.value_high = numberOrBlank(r.value_high);
  row.value_confidence = textOrBlank(r.value_confidence);
  row.value_basis = textOrBlank(r.value_basis);
  row.value_date = textOrBlank(r.value_date);
  row.list_to_value = numberOrBlank(r.list_to_value);
  row.own_terms = r.own_terms ? ownTermsText(r.own_terms) : '';
  return row;
}
