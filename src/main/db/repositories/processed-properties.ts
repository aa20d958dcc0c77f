import type { Collection } from 'mongodb';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';

/** Processed properties, upserted by `raw_id`: reprocessing replaces, never duplicates. */
export class ProcessedPropertyRepository {
  constructor(private readonly collection: Collection<ProcessedProperty>) {}

  /** `_id` is the raw id too, so every read and write goes by `_id` (fast on every server). */
  async upsert(doc: Omit<ProcessedProperty, '_id'>): Promise<'inserted' | 'replaced'> {
    const res = await this.collection.replaceOne({ _id: doc.raw_id }, doc, { upsert: true });
    return res.upsertedCount === 1 ? 'inserted' : 'replaced';
  }

  async getByRawId(rawId: string): Promise<ProcessedProperty | null> {
    return this.collection.findOne({ _id: rawId });
  }

  /**
   * Prices per square foot in a ZIP from listings and sales: `recent` dated on or after
   * `recentFrom`, `previous` from `previousFrom` up to it (days as `YYYY-MM-DD`).
   */
  async pricesPerSqft(zip: string, recentFrom: string, previousFrom: string): Promise<{ recent: number[]; previous: number[] }> {
    const docs = await this.collection
      .find(
        { 'normalized.address.zip': zip, 'normalized.pricing.price_date': { $gte: previousFrom }, 'normalized.pricing.price_basis': { $in: ['listing', 'last_sale'] } },
        { projection: { 'normalized.pricing': 1 } },
      )
      .toArray();
    const recent: number[] = [];
    const previous: number[] = [];
    for (const d of docs) {
      const { price_per_sqft: ppsf, price_date: date } = d.normalized.pricing;
      if (typeof ppsf !== 'number' || !date) continue;
      (date >= recentFrom ? recent : previous).push(ppsf);
    }
    return { recent, previous };
  }

  async count(): Promise<number> {
    return this.collection.countDocuments({});
  }
}
