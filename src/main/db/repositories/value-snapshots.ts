import type { Collection } from 'mongodb';
import type { ShownValue } from '../../../shared/valuation/accuracy-study.js';
import { replaceByIdBatcher, type CommandBatcher } from '../command-batcher.js';

/**
 * The value the console showed for one property on one America/Phoenix day: kept so that, once
 * the home sells, the accuracy report can score what the analyst saw before the sale (issue #21).
 * `_id` is `<property id>|<day>`: one per property per day, the day's last write wins.
 */
export interface ValueSnapshotDocument {
  _id: string;
  property_id: string;
  parcel_number: string | null;
  /** When it was recorded. */
  at: Date;
  /** Its America/Phoenix day, `YYYY-MM-DD`. */
  day: string;
  /** The estimate and its 80% range, dollars; null when there was no value. */
  value: number | null;
  low: number | null;
  high: number | null;
  /** Where the value came from (`comparable_sales`, `assessor_fcv_ratio`, …). */
  basis: string | null;
}

/** What `record` takes: a snapshot without its id. */
export type ValueSnapshot = Omit<ValueSnapshotDocument, '_id'>;

/** The values shown for properties, day by day. */
export class ValueSnapshotRepository {
  /** The snapshots of concurrent callers (one a processed item), written together. */
  private readonly upserts: CommandBatcher<ValueSnapshotDocument, 'inserted' | 'replaced'>;

  constructor(private readonly collection: Collection<ValueSnapshotDocument>) {
    this.upserts = replaceByIdBatcher(collection);
  }

  /** Keep the day's value of a property (replacing an earlier one of the same day). */
  async record(snapshot: ValueSnapshot): Promise<void> {
    await this.upserts.add({ _id: `${snapshot.property_id}|${snapshot.day}`, ...snapshot });
  }

  /**
   * The latest snapshot of a property from a day strictly before `day` (`YYYY-MM-DD`), found by
   * parcel number (APN) first, else by property id (`armls_export:6858721`); null when none.
   */
  async before(parcelOrProperty: string, day: string): Promise<ValueSnapshotDocument | null> {
    return (await this.latestBefore('parcel_number', parcelOrProperty, day)) ?? (await this.latestBefore('property_id', parcelOrProperty, day));
  }

  private async latestBefore(field: 'parcel_number' | 'property_id', key: string, day: string): Promise<ValueSnapshotDocument | null> {
    const [latest] = await this.collection.find({ [field]: key, day: { $lt: day } }).sort({ day: -1 }).limit(1).toArray();
    return latest ?? null;
  }

  /**
   * For each sale, its property's latest snapshot before the sale day (by APN, else property id),
   * as the accuracy report reads them; sales with none are left out. A few look-ups at a time.
   */
  async shownBefore(sales: readonly { property_id: string; parcel_number: string | null; date: string }[]): Promise<ShownValue[]> {
    const found: ShownValue[] = [];
    const concurrency = 8;
    for (let i = 0; i < sales.length; i += concurrency) {
      const batch = await Promise.all(
        sales
          .slice(i, i + concurrency)
          .map(async (sale) => (sale.parcel_number ? await this.latestBefore('parcel_number', sale.parcel_number, sale.date) : null) ?? (await this.latestBefore('property_id', sale.property_id, sale.date))),
      );
      for (const doc of batch) {
        if (doc) found.push({ property_id: doc.property_id, parcel_number: doc.parcel_number, day: doc.day, value: doc.value, low: doc.low, high: doc.high, basis: doc.basis });
      }
    }
    return found;
  }
}
