import type { PropertyRecord } from './contract.js';
import { sourceLabel } from './source-labels.js';

// The property page's reading of a property's records (photos, sales, price history), kept here
// (no browser needed) so it is tested as a unit.

/** Every record's photos, the opened record's first, each URL once. */
export function propertyPhotos(records: readonly PropertyRecord[]): string[] {
  return [...new Set(records.flatMap((r) => r.photo_urls))];
}

/** One sale of the property, as one or more of its records recorded it. */
export interface PropertySale {
  /** `YYYY-MM-DD`. */
  date: string;
  /** Dollars. */
  price: number;
  /** The sources that recorded this sale (`ARMLS import`, `assessor`), in the records' order. */
  sources: string[];
}

/**
 * The sales of every record, one row per sale: the same day and price from two sources (the
 * assessor's deed and the ARMLS closing of one sale) is one sale naming both. Newest first.
 */
export function propertySales(records: readonly PropertyRecord[]): PropertySale[] {
  const byKey = new Map<string, PropertySale>();
  for (const r of records) {
    for (const s of r.sales) {
      const key = `${s.date}|${s.price}`;
      const sale = byKey.get(key) ?? { date: s.date, price: s.price, sources: [] };
      const label = sourceLabel(s.source);
      if (!sale.sources.includes(label)) sale.sources.push(label);
      byKey.set(key, sale);
    }
  }
  return [...byKey.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : b.price - a.price));
}

/** A price-history row as the page writes it: `when` is a time (`at`) or a sale's day (`day`). */
export interface HistoryRow {
  key: string;
  when: { at: Date } | { day: string | null };
  what: string;
  price: number | null;
}

/**
 * Each record's price history, named for what it is. A listing's price is dated when it was seen
 * (`list_price first seen`, `list_price changed`). A sale price is not an event of the day it was
 * collected: it is the sale on record at that collection, so its row carries the sale's own day
 * (the record's sale of that price) and says when the record was collected with it.
 */
export function historyRows(records: readonly PropertyRecord[], formatTime: (d: Date) => string): HistoryRow[] {
  return records.flatMap((r) =>
    r.price_history.map((h, i): HistoryRow => {
      const key = `${r.id}:${i}`;
      const source = sourceLabel(r.source);
      if (h.field !== 'sale_price') {
        return { key, when: { at: h.at }, what: `${source}: ${h.field} ${i === 0 ? 'first seen' : 'changed'}`, price: h.price };
      }
      const collected = formatTime(h.at);
      const what =
        i === 0
          ? `${source}: sale price on record when first collected (${collected})`
          : `${source}: sale price on record changed, seen when collected (${collected})`;
      return { key, when: { day: saleDayOf(r, h.price) }, what, price: h.price };
    }),
  );
}

/** The day of the record's sale at this price (the latest, if it sold at that price twice), else null. */
function saleDayOf(r: PropertyRecord, price: number | null): string | null {
  if (price === null) return null;
  const days = r.sales.filter((s) => s.price === price).map((s) => s.date);
  if (r.sale_price === price && r.sale_date) days.push(r.sale_date);
  return days.sort().at(-1) ?? null;
}
