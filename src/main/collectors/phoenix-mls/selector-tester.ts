import { parseDetailPage } from './parse-pages.js';
import type { PageStore } from './page-store.js';
import { MLS_FIELDS, type MlsField, type SelectorSet } from './selectors.js';

export interface SelectorReport {
  pages: number;
  /** Pages the set parses with every required field. */
  usable: number;
  fields: {
    field: MlsField;
    required: boolean;
    found: number;
    missing: number;
    example: string | null;
    missingOn: string[];
    /** Pages that state the field in a form that cannot be read (counted in `missing` when the value is dropped), and the first reason. */
    unreadable: number;
    reason: string | null;
  }[];
}

/** Run a selector set against the stored pages: field by field, what it extracts and what it misses. */
export function testSelectors(selectors: SelectorSet, store: PageStore, limit = 50): SelectorReport {
  const pages = store.recent(limit);
  const parses = pages.map((p) => ({ url: p.url, parse: parseDetailPage(p.html, p.url, selectors) }));
  const fields = MLS_FIELDS.map((field) => {
    const hits = parses.filter((p) => field in p.parse.found);
    const reasons = parses.flatMap((p) => p.parse.unreadable.filter((u) => u.startsWith(`${field}: `)).slice(0, 1));
    return {
      field,
      required: selectors.required.includes(field),
      found: hits.length,
      missing: parses.length - hits.length,
      example: hits[0]?.parse.found[field] ?? null,
      missingOn: parses.filter((p) => !(field in p.parse.found)).slice(0, 3).map((p) => p.url),
      unreadable: reasons.length,
      reason: reasons[0] ?? null,
    };
  });
  return { pages: parses.length, usable: parses.filter((p) => p.parse.missingRequired.length === 0).length, fields };
}

/** The report as lines for a terminal. */
export function formatSelectorReport(report: SelectorReport): string[] {
  if (report.pages === 0) return ['No stored MLS pages yet: run an MLS sync first (phoenix-re sync --source phoenix_mls --zip 85031).'];
  const lines = [`${report.usable} of ${report.pages} stored pages have every required field.`];
  for (const f of report.fields) {
    const mark = f.missing === 0 ? 'ok  ' : f.required ? 'FAIL' : 'miss';
    lines.push(`${mark} ${f.field.padEnd(20)} ${String(f.found).padStart(4)}/${report.pages}${f.example ? `  e.g. ${JSON.stringify(f.example.slice(0, 60))}` : ''}`);
    if (f.missing > 0 && f.missingOn.length) lines.push(`       missing on ${f.missingOn.join(', ')}`);
    if (f.unreadable > 0) lines.push(`       unreadable on ${f.unreadable}: ${f.reason}`);
  }
  return lines;
}
