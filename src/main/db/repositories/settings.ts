import type { Collection } from 'mongodb';
import type { SettingsLayer } from '../../../shared/settings.js';
import type { Clock } from '../../runtime/clock.js';
import type { SettingsDocument } from '../collections.js';
import { upsertRetryingDuplicate } from '../duplicate-key.js';

const DOCUMENT_ID = 'app';

/** The analyst's edited settings, shared by every instance on the same database. No secrets. */
export class SettingsRepository {
  constructor(
    private readonly collection: Collection<SettingsDocument>,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<SettingsLayer> {
    const doc = await this.collection.findOne({ _id: DOCUMENT_ID });
    return doc?.values ?? {};
  }

  async put(values: SettingsLayer): Promise<void> {
    await upsertRetryingDuplicate(() => this.collection.replaceOne({ _id: DOCUMENT_ID }, { values, updated_at: this.clock() }, { upsert: true }));
  }
}
