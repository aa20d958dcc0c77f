import type { PropertyFilters, PropertyListInput } from '../../shared/contract.js';
import { phoenixDay } from '../../shared/phoenix-time.js';
import type { PropertyListIndex } from '../db/property-list-index.js';
import type { Repositories } from '../db/repositories/index.js';
import type { KnownMatch, SavedSearchDocument, SearchAlertDocument } from '../db/repositories/saved-searches.js';
import type { Clock } from '../runtime/clock.js';
import type { EventBus } from '../runtime/event-bus.js';

const PAGE = 500;

interface Match extends KnownMatch {
  address: string | null;
}

/**
 * Saved searches and their alerts. A check compares what a search matches now with what it
 * matched at its last check: a property not matched before is a new match; a property matched
 * both times at a lower price is a price drop. Each becomes an alert (kept with its Phoenix day,
 * unseen until the analyst marks them seen); the matches become the next baseline. Saving a
 * search takes its current matches as the baseline, so only what comes after alerts. A check
 * that raised any pushes `alerts.raised`.
 */
export class SearchAlerts {
  private checking: Promise<number> | null = null;

  constructor(
    private readonly deps: { repos: Repositories; propertyIndex: PropertyListIndex; clock: Clock; events: EventBus },
  ) {}

  /** Every property matching `filters` (the list's rules, from the in-memory list when ready). */
  async matches(filters: PropertyFilters): Promise<Match[]> {
    const out: Match[] = [];
    for (let page = 1; ; page += 1) {
      const input: PropertyListInput = { page, pageSize: PAGE, sort: { field: 'collected_at', direction: 'desc' }, filters };
      const res = (await this.deps.propertyIndex.list(input)) ?? (await this.deps.repos.raw.list(input));
      for (const r of res.items) out.push({ id: r._id, price: r.summary.price, address: r.summary.address });
      if (res.items.length < PAGE || out.length >= res.total) return out;
    }
  }

  async save(name: string, filters: PropertyFilters, alert: boolean): Promise<SavedSearchDocument> {
    const known = (await this.matches(filters)).map(({ id, price }) => ({ id, price }));
    return this.deps.repos.savedSearches.save(name, filters, alert, known);
  }

  /** Check every alerting search; answers the number of alerts raised. One check at a time. */
  check(): Promise<number> {
    this.checking ??= this.checkAll().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** Resolves when no check is under way (the core waits for it on close). */
  async idle(): Promise<void> {
    await this.checking?.catch(() => undefined);
  }

  private async checkAll(): Promise<number> {
    const { repos, clock } = this.deps;
    let raised = 0;
    for (const search of await repos.savedSearches.list()) {
      if (!search.alert) continue;
      const now = await this.matches(search.filters);
      const before = new Map(search.known.map((k) => [k.id, k.price]));
      const at = clock();
      const alerts: Omit<SearchAlertDocument, '_id'>[] = [];
      const alert = (m: Match, kind: SearchAlertDocument['kind'], previous: number | null) =>
        alerts.push({ search_id: search._id, search_name: search.name, property_id: m.id, address: m.address, kind, price: m.price, previous_price: previous, at, day: phoenixDay(at), seen: false });
      for (const m of now) {
        if (!before.has(m.id)) alert(m, 'new_match', null);
        else {
          const previous = before.get(m.id) ?? null;
          if (previous !== null && m.price !== null && m.price < previous) alert(m, 'price_drop', previous);
        }
      }
      await repos.savedSearches.addAlerts(alerts);
      await repos.savedSearches.setKnown(search._id, now.map(({ id, price }) => ({ id, price })), at);
      raised += alerts.length;
    }
    if (raised > 0) this.deps.events.emit('alerts.raised', { count: raised });
    return raised;
  }
}
