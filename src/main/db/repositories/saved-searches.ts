import { randomUUID } from 'node:crypto';
import type { Collection } from 'mongodb';
import type { PropertyFilters, SavedSearch, SearchAlert } from '../../../shared/contract.js';
import type { Clock } from '../../runtime/clock.js';

/** A property as a saved search last saw it: its id and price (dollars, or null). */
export interface KnownMatch {
  id: string;
  price: number | null;
}

/**
 * A saved search as stored: the view's fields and the matches of its last check (a list, not
 * an object keyed by id: property ids may hold characters a key cannot).
 */
export interface SavedSearchDocument {
  _id: string;
  name: string;
  filters: PropertyFilters;
  alert: boolean;
  created_at: Date;
  checked_at: Date | null;
  known: KnownMatch[];
}

export type SearchAlertDocument = Omit<SearchAlert, 'id'> & { _id: string };

/** Saved searches and the alerts their checks raised. */
export class SavedSearchRepository {
  constructor(
    private readonly searches: Collection<SavedSearchDocument>,
    private readonly alerts: Collection<SearchAlertDocument>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<SavedSearchDocument[]> {
    return this.searches.find({}).sort({ name: 1 }).toArray();
  }

  /** Save under `name` (replacing a search of that name) with `known` as the baseline. */
  async save(name: string, filters: PropertyFilters, alert: boolean, known: KnownMatch[]): Promise<SavedSearchDocument> {
    const now = this.clock();
    const existing = await this.searches.findOne({ name });
    const doc: SavedSearchDocument = { _id: existing?._id ?? randomUUID(), name, filters, alert, created_at: existing?.created_at ?? now, checked_at: now, known };
    await this.searches.replaceOne({ _id: doc._id }, doc, { upsert: true });
    return doc;
  }

  async delete(id: string): Promise<boolean> {
    const res = await this.searches.deleteOne({ _id: id });
    await this.alerts.deleteMany({ search_id: id });
    return res.deletedCount === 1;
  }

  async setKnown(id: string, known: KnownMatch[], at: Date): Promise<void> {
    await this.searches.updateOne({ _id: id }, { $set: { known, checked_at: at } });
  }

  async addAlerts(alerts: Omit<SearchAlertDocument, '_id'>[]): Promise<void> {
    if (alerts.length > 0) await this.alerts.insertMany(alerts.map((a) => ({ ...a, _id: randomUUID() })));
  }

  /** Alerts of one Phoenix day, newest first. */
  async alertsOn(day: string): Promise<SearchAlertDocument[]> {
    return this.alerts.find({ day }).sort({ at: -1, _id: 1 }).limit(500).toArray();
  }

  async unseenCount(): Promise<number> {
    return this.alerts.countDocuments({ seen: false });
  }

  async markSeen(): Promise<number> {
    const res = await this.alerts.updateMany({ seen: false }, { $set: { seen: true } });
    return res.modifiedCount;
  }
}

/** The view of a stored search. */
export function savedSearchView(d: SavedSearchDocument): SavedSearch {
  return { id: d._id, name: d.name, filters: d.filters, alert: d.alert, created_at: d.created_at, checked_at: d.checked_at, matches: d.known.length };
}
