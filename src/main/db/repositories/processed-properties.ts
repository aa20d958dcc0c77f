import type { Collection } from 'mongodb';
import type { ReviewEdits } from '../../../shared/contract.js';
import type { ProcessedProperty } from '../../../shared/schemas/processed-property.js';
import { findByIdBatcher, replaceByIdBatcher, type CommandBatcher } from '../command-batcher.js';
import { deleteByIds } from '../by-ids.js';

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
  /** The pipeline's upserts and look-ups of concurrent callers, one command for many (issue #22). */
  private readonly upserts: CommandBatcher<ProcessedProperty, 'inserted' | 'replaced'>;
  private readonly reads: CommandBatcher<string, ProcessedProperty | null>;

  constructor(private readonly collection: Collection<ProcessedProperty>) {
    this.upserts = replaceByIdBatcher(collection);
    this.reads = findByIdBatcher(collection);
  }

  /**
   * `_id` is the raw id too, so every read and write goes by `_id` (fast on every server). A
   * property merged from several records is stored once, under `raw_id`: the documents the
   * other records of `raw_ids` had on their own are removed.
   */
  async upsert(doc: Omit<ProcessedProperty, '_id'>): Promise<'inserted' | 'replaced'> {
    // Two records of one property processed at once upsert one new `_id` together: the loser
    // of that insert race retries and replaces the winner's document.
    // (replaceByIdBatcher retries that, and sends the upserts of concurrent callers together.)
    const res = await this.upserts.add({ ...doc, _id: doc.raw_id });
    const merged = (doc.raw_ids ?? []).filter((id) => id !== doc.raw_id);
    await deleteByIds(this.collection, merged);
    return res;
  }

  /**
   * The analyst's corrections, made when approving a held item: each edited field is replaced
   * and its source becomes `analyst`; the approval is kept with the list of fields edited.
   */
  async applyReview(rawId: string, edits: ReviewEdits, at: Date): Promise<boolean> {
    return this.applyCorrections(rawId, edits, { analyst_review: { approved_at: at, edited: Object.keys(edits) } });
  }

  /**
   * The analyst's corrections written into the stored property (the analyst's layer keeps them for
   * the next processing): each field replaced, its source `analyst`, with `extra` fields set too.
   * False when the property has no processed record.
   */
  async applyCorrections(rawId: string, edits: ReviewEdits, extra: Partial<ProcessedProperty> = {}): Promise<boolean> {
    const $set: Record<string, unknown> = { ...extra };
    for (const [field, value] of Object.entries(edits)) {
      if (value === undefined) continue;
      const path = REVIEW_FIELD_PATHS[field as keyof ReviewEdits];
      $set[path] = value;
      const [group, name] = path.startsWith('normalized.') ? path.slice('normalized.'.length).split('.') : ['llm_enrichment', name_(path)];
      $set[`field_sources.${group}.${name}`] = 'analyst';
      if (field === 'bathrooms') $set['normalized.details.bathrooms_estimated'] = false;
    }
    const id = (await this.getByRawId(rawId))?._id ?? rawId;
    const res = await this.collection.updateOne({ _id: id }, { $set });
    return res.matchedCount === 1;
  }

  /** Store a record recomputed after a correction (processing's `rescore`), in the property the raw record is in. */
  async applyRescore(
    rawId: string,
    r: Partial<Omit<ProcessedProperty, '_id' | 'raw_id' | 'llm_enrichment'>> & {
      investment_analysis: ProcessedProperty['llm_enrichment']['investment_analysis'];
      /** Prose rewritten for the new figures (the rules provider's), when it was. */
      prose?: { description: string; investment_summary: string };
    },
  ): Promise<void> {
    const { investment_analysis, prose, ...rest } = r;
    const id = (await this.getByRawId(rawId))?._id ?? rawId;
    const rewritten = prose ? { 'llm_enrichment.description': prose.description, 'llm_enrichment.investment_summary': prose.investment_summary } : {};
    await this.collection.updateOne({ _id: id }, { $set: { ...rest, ...rewritten, 'llm_enrichment.investment_analysis': investment_analysis } });
  }

  /**
   * The first stored document among these ids, in their order, by point reads of `_id` only: a
   * property's document is stored under one of its records' ids, so the pipeline finds it with
   * the property's ids and never scans `raw_ids` (a scan of the collection per item on FerretDB,
   * whose SQLite backend serves only `_id` from an index).
   */
  async getFirstOf(ids: readonly string[]): Promise<ProcessedProperty | null> {
    for (const id of new Set(ids)) {
      const doc = await this.reads.add(id);
      if (doc) return doc;
    }
    return null;
  }

  /** The processed property a raw record is in: its own document, or the merged one listing it. */
  async getByRawId(rawId: string): Promise<ProcessedProperty | null> {
    return (await this.collection.findOne({ _id: rawId })) ?? this.collection.findOne({ raw_ids: rawId });
  }

  async count(): Promise<number> {
    return this.collection.countDocuments({});
  }
}
