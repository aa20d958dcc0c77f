import type { PropertyRow } from './contract.js';

/** A row as the list reads it: the contract's fields, and any figures a later summary adds. */
export type ListRow = PropertyRow & Record<string, unknown>;

/** What the export needs of a column: its key and the value it exports. */
export interface CsvColumn {
  key: string;
  value: (r: ListRow) => unknown;
}

/**
 * A row for the CSV export: every shown figure, plus the ids, the status, which fields are
 * estimates, the records a merged property is made of, how the rent was estimated, and the
 * value's basis and date beside it (a number an analyst acts on never leaves without them).
 */
export function csvRow(r: ListRow, columns: readonly CsvColumn[]): Record<string, unknown> {
  const row: Record<string, unknown> = { id: r.id, source: r.source, source_id: r.source_id };
  for (const c of columns) row[c.key] = c.value(r);
  row.status = r.status;
  row.estimated = Array.isArray(r.estimated) ? r.estimated.join(' ') : '';
  row.records = Array.isArray(r.records) ? r.records.join(' ') : '';
  row.rent_detail = typeof r.rent_detail === 'string' ? r.rent_detail : '';
  row.value_basis = typeof r.value_basis === 'string' ? r.value_basis : '';
  row.value_date = typeof r.value_date === 'string' ? r.value_date : '';
  return row;
}
