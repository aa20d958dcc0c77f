import type { Collection } from 'mongodb';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';

/** Processed properties, upserted by `raw_id`: reprocessing replaces, never duplicates. */
export class ProcessedPropertyRepository {
  constructor(private readonly collection: Collection<ProcessedProperty>) {}

  async upsert(doc: Omit<ProcessedProperty, '_id'>): Promise<'inserted' | 'replaced'> {
    const { raw_id, ...rest } = doc;
    const res = await this.collection.updateOne(
      { raw_id },
      { $set: rest, $setOnInsert: { _id: raw_id, raw_id } },
      { upsert: true },
    );
    return res.upsertedCount === 1 ? 'inserted' : 'replaced';
  }

  async getByRawId(rawId: string): Promise<ProcessedProperty | null> {
    return this.collection.findOne({ raw_id: rawId });
  }

  async count(): Promise<number> {
    return this.collection.countDocuments({});
  }
}
