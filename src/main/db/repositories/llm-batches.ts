import type { Collection } from 'mongodb';
import type { LlmBatch } from '../../../shared/schemas/llm-batch.js';

/** The Batch API jobs (`llm_batches`), so a job in progress survives a restart. */
export class LlmBatchRepository {
  constructor(private readonly collection: Collection<LlmBatch>) {}

  async insert(batch: LlmBatch): Promise<void> {
    await this.collection.insertOne(batch);
  }

  /** Jobs still to poll, oldest first. */
  async open(): Promise<LlmBatch[]> {
    return this.collection.find({ state: 'open' }).sort({ submitted_at: 1 }).toArray();
  }

  async update(id: string, changes: Partial<Omit<LlmBatch, '_id'>>): Promise<LlmBatch | null> {
    return this.collection.findOneAndUpdate({ _id: id }, { $set: changes }, { returnDocument: 'after' });
  }

  /** The newest jobs first. */
  async list(limit: number): Promise<LlmBatch[]> {
    return this.collection.find({}).sort({ submitted_at: -1 }).limit(limit).toArray();
  }
}
