import type { Collection } from 'mongodb';
import type { ReviewEdits } from '../../../shared/contract.js';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';

/** Where each editable field lives in the processed document. */
const REVIEW_FIELD_PATHS: Record<keyof ReviewEdits, string> = {
  description: 'llm_enrichment.description',
  bedrooms: 'normalized.details.bedrooms',
  bathrooms: 'normalized.details.bathrooms',
  square_feet: 'normalized.details.square_feet',
  year_built: 'normalized.details.year_built',
  list_price: 'normalized.pricing.list_price',
};

const name_ = (path: string) => path.split('.').at(-1)!;

/** Processed properties, upserted by `raw_id`: reprocessing replaces, never duplicates. */
export class ProcessedPropertyRepository {
  constructor(private readonly collection: Collection<ProcessedProperty>) {}

  /** `_id` is the raw id too, so every read and write goes by `_id` (fast on every server). */
  async upsert(doc: Omit<ProcessedProperty, '_id'>): Promise<'inserted' | 'replaced'> {
    const res = await this.collection.replaceOne({ _id: doc.raw_id }, doc, { upsert: true });
    return res.upsertedCount === 1 ? 'inserted' : 'replaced';
  }

  /**
   * The analyst's corrections, made when approving a held item: each edited field is replaced
   * and its source becomes `analyst`; the approval is kept with the list of fields edited.
   * `rescored` (the quality score and reasons of the corrected record) and `pricePerSqft`
   * (recomputed when price or size changed) are written with them.
   */
  async applyReview(rawId: string, edits: ReviewEdits, at: Date, rescored?: { score: number; reasons: string[]; pricePerSqft: number | null }): Promise<boolean> {
    const $set: Record<string, unknown> = {};
    if (rescored) {
      $set.quality_score = rescored.score;
      $set.quality_reasons = rescored.reasons;
      $set['normalized.pricing.price_per_sqft'] = rescored.pricePerSqft;
    }
    for (const [field, value] of Object.entries(edits)) {
      if (value === undefined) continue;
      const path = REVIEW_FIELD_PATHS[field as keyof ReviewEdits];
      $set[path] = value;
      const [group, name] = path.startsWith('normalized.') ? path.slice('normalized.'.length).split('.') : ['llm_enrichment', name_(path)];
      $set[`field_sources.${group}.${name}`] = 'analyst';
    }
    $set.analyst_review = { approved_at: at, edited: Object.keys(edits) };
    const res = await this.collection.updateOne({ _id: rawId }, { $set });
    return res.matchedCount === 1;
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
