import type { SearchAlert } from './contract.js';
import { counted } from './plural.js';

/** The alerts of one saved search and one kind (new matches, or price drops), newest first. */
export interface AlertGroup {
  /** `<search id>|<kind>`. */
  key: string;
  search_name: string;
  kind: SearchAlert['kind'];
  alerts: SearchAlert[];
  unseen: number;
  /** The newest alert's time. */
  latest: SearchAlert['at'];
}

/**
 * Alerts grouped by saved search and kind, in the order of their newest alert (the input is
 * newest first, as `searches.alerts` answers), so 400 alerts of one search read as one line with
 * its count (issue #23: they were listed one by one).
 */
export function groupAlerts(alerts: SearchAlert[]): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const a of alerts) {
    const key = `${a.search_id}|${a.kind}`;
    let group = groups.get(key);
    if (!group) {
      group = { key, search_name: a.search_name, kind: a.kind, alerts: [], unseen: 0, latest: a.at };
      groups.set(key, group);
    }
    group.alerts.push(a);
    if (!a.seen) group.unseen += 1;
  }
  return [...groups.values()];
}

/** A group's count in words: `1 new match`, `212 new matches`, `3 price drops`. */
export function alertGroupText(group: Pick<AlertGroup, 'kind' | 'alerts'>): string {
  const n = group.alerts.length;
  const text = (x: number) => x.toLocaleString('en-US');
  return group.kind === 'new_match' ? counted(n, 'new match', 'new matches', text) : counted(n, 'price drop', 'price drops', text);
}
