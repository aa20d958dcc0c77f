import type { AnyBulkWriteOperation, Collection, Filter, MongoBulkWriteError, Sort } from 'mongodb';
import type { PropertyListInput } from '../../../shared/contract.js';
import {
  MERGED_DETAIL_FIELDS,
  PIPELINE_SUMMARY_FIELDS,
  rawPropertyId,
  type PipelineSummary,
  type PriceHistoryEntry,
  type PropertySummary,
  type RawProperty,
  type RawPropertyData,
  type RawPropertyInput,
} from '../../../shared/schemas/raw-property.js';
import { phoenixDay } from '../../../shared/phoenix-time.js';
import type { Clock } from '../../runtime/clock.js';
import type { CountedFact, DailyStatsRepository } from './daily-stats.js';
import type { ListRow } from '../property-list-index.js';
import type { PropertyKey, RawOriginal, StoredRawProperty } from '../collections.js';
import { addressKey, parseAddress } from '../../../shared/address.js';
import { contentHash } from '../content-hash.js';
import { findByIds, updateByIds } from '../by-ids.js';
import { bulkUpsert, bulkWriteErrorsOf, insertManyOrElse } from '../duplicate-key.js';
import { escapeRegex, listSearch } from '../list-search.js';

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged';

export interface UpsertResult {
  id: string;
  outcome: UpsertOutcome;
  /** The price differs from the last one stored (a new price history entry was written). */
  priceChanged: boolean;
  /**
   * Set on an unchanged record whose stored summary says `pending`: its last change was stored
   * for the queue (`queuedStatus`), and whether the queue got it is not known (a crash or a full
   * disk between the two writes), so the caller queues it again (QueueRepository.requeueAwaiting).
   */
  awaitsQueue?: true;
}

/** How many price changes a raw property keeps. */
export const PRICE_HISTORY_LIMIT = 20;

const SORT_PATHS: Record<PropertyListInput['sort']['field'], string> = {
  collected_at: 'collected_at',
  updated_at: 'updated_at',
  price: 'summary.price',
  zip: 'summary.zip',
  bedrooms: 'summary.bedrooms',
  bathrooms: 'summary.bathrooms',
  square_feet: 'summary.square_feet',
  year_built: 'summary.year_built',
  quality_score: 'summary.quality_score',
  address: 'summary.address',
  price_change: 'summary.price_change',
  value: 'summary.value',
  value_date: 'summary.value_date',
  list_to_value: 'summary.list_to_value',
  rent: 'summary.rent',
  cap_rate: 'summary.cap_rate',
  cash_on_cash: 'summary.cash_on_cash',
  cash_flow_monthly: 'summary.cash_flow_monthly',
  recommendation: 'summary.recommendation',
};

type Existing = Pick<StoredRawProperty, '_id' | 'content_hash' | 'price_history' | 'summary' | 'updated_at' | 'last_fact'>;

/**
 * Raw properties: data as received, one document per (source, source id).
 *
 * A content hash of `data` and `original` tells whether a re-collected record changed; an
 * unchanged one is not written at all. Price changes are kept in a short history.
 */
export interface ListListener {
  upserted(rows: (Omit<ListRow, 'collected_at'> & { collected_at?: Date })[]): void;
  patched(id: string, patch: Partial<PropertySummary>): void;
  removed(ids: readonly string[]): void;
}

/** The fields of a lease record that rent comparables read (`rentCandidatesOf`, the property type's label fields). */
const RENT_LEASE_FIELDS = [
  'listing_status', 'rent_price', 'lease_date', 'parcel_number', 'address', 'zip', 'city', 'subdivision', 'latitude', 'longitude',
  'property_type_label', 'property_use', 'property_type', 'property_use_code', 'dwelling_style', 'square_feet', 'bedrooms', 'bathrooms',
  'year_built', 'lot_size', 'pool', 'garage_spaces', 'hoa_monthly', 'land_lease_monthly', 'interior_levels',
] as const;

export class RawPropertyRepository {
  private listListener: ListListener | undefined;

  constructor(
    private readonly collection: Collection<StoredRawProperty>,
    private readonly originals: Collection<RawOriginal>,
    private readonly clock: Clock,
    private readonly keys?: Collection<PropertyKey>,
    /** Where each new or changed record is counted as collected (the day's rollups); unset: not counted. */
    private readonly dailyStats?: DailyStatsRepository,
  ) {}

  /** One record, as upsertMany stores a batch. */
  async upsert(input: RawPropertyInput, options: { queuedStatus?: PropertySummary['status'] } = {}): Promise<UpsertResult> {
    const [result] = await this.upsertMany([input], options);
    return result!;
  }

  /**
   * Upsert a batch in one read and one bulk write; results come back in input order.
   * `queuedStatus` is the pipeline status a new or changed record's summary is written with, for
   * a caller that queues those records next (which then tells the queue so, and each record is
   * written once instead of twice); the status is then in the same write as the change, so a
   * change whose queueing was cut off is found again (UpsertResult.awaitsQueue). Otherwise a new
   * record starts with no status and a changed one keeps its own.
   */
  async upsertMany(inputs: readonly RawPropertyInput[], options: { queuedStatus?: PropertySummary['status'] } = {}): Promise<UpsertResult[]> {
    if (inputs.length === 0) return [];
    // One write per record per bulk: a record given twice is upserted again after the first.
    const seenIds = new Set<string>();
    const repeats = new Set<number>();
    inputs.forEach((input, i) => {
      const id = rawPropertyId(input.source, input.source_id);
      if (seenIds.has(id)) repeats.add(i);
      seenIds.add(id);
    });
    if (repeats.size > 0) {
      const head = await this.upsertMany(inputs.filter((_, i) => !repeats.has(i)), options);
      const tail = await this.upsertMany(inputs.filter((_, i) => repeats.has(i)), options);
      return inputs.map((_, i) => (repeats.has(i) ? tail.shift()! : head.shift()!));
    }
    const prepared = inputs.map((input) => ({
      input,
      id: rawPropertyId(input.source, input.source_id),
      hash: contentHash({ data: input.data, original: input.original }),
    }));
    const ids = [...new Set(prepared.map((p) => p.id))];
    // The hashes first, and the rest only of the records that changed: a re-collection of
    // unchanged records (a second import of a file) reads a hash and a status per record.
    const hashes = await findByIds(this.collection, ids, { content_hash: 1, 'summary.status': 1 });
    const newHash = new Map(prepared.map((p) => [p.id, p.hash]));
    const unchanged = hashes.filter((d) => d.content_hash === newHash.get(d._id));
    const changedIds = hashes.filter((d) => d.content_hash !== newHash.get(d._id)).map((d) => d._id);
    // A record changed between the two reads is taken as the second read found it (gone: an insert).
    const found = await findByIds(this.collection, changedIds, { content_hash: 1, price_history: 1, summary: 1, updated_at: 1, last_fact: 1 });
    const existing = new Map<string, Existing>([...unchanged, ...found].map((d) => [d._id, d as Existing]));

    const now = this.clock();
    const results: UpsertResult[] = [];
    const ops: AnyBulkWriteOperation<StoredRawProperty>[] = [];
    const written: { index: number; hash: string; kind: 'insert' | 'update'; summary: PropertySummary; fact: CountedFact }[] = [];
    /** A change is counted under the state it replaces, so a re-run of a write a crash cut off counts it once. */
    const factOf = (p: (typeof prepared)[number], before: Existing | undefined): CountedFact => ({
      key: `collected:${p.id}:${before ? before.updated_at.getTime() : 'new'}:${p.hash}`,
      day: phoenixDay(now),
      source: p.input.source,
      item: p.id,
      counts: { collected: 1 },
    });

    for (const [index, p] of prepared.entries()) {
      const before = existing.get(p.id);
      if (before && before.content_hash === p.hash) {
        results.push({ id: p.id, outcome: 'unchanged', priceChanged: false, ...(before.summary?.status === 'pending' && { awaitsQueue: true as const }) });
        continue;
      }
      const price = priceOf(p.input.data);
      const history = before?.price_history ?? [];
      const lastPrice = history.at(-1)?.price ?? null;
      const priceChanged = price !== null && price !== lastPrice;
      const price_history = priceChanged
        ? [...history, { at: now, price, field: priceFieldOf(p.input.data) } satisfies PriceHistoryEntry].slice(-PRICE_HISTORY_LIMIT)
        : history;
      const summary = {
        ...summarize(p.input.data, before?.summary),
        ...priceChangeOf(price_history),
        ...(options.queuedStatus !== undefined && { status: options.queuedStatus }),
      };
      const fact = factOf(p, before);
      if (before) {
        ops.push({
          updateOne: {
            filter: { _id: p.id, content_hash: before.content_hash },
            update: {
              $set: {
                data: p.input.data,
                content_hash: p.hash,
                updated_at: now,
                price_history,
                summary,
                last_fact: fact.key,
              },
            },
          },
        });
        results.push({ id: p.id, outcome: 'updated', priceChanged });
        written.push({ index, hash: p.hash, kind: 'update', summary, fact });
      } else {
        ops.push({
          insertOne: {
            document: {
              _id: p.id,
              source: p.input.source,
              source_id: p.input.source_id,
              collected_at: now,
              updated_at: now,
              content_hash: p.hash,
              data: p.input.data,
              price_history,
              summary,
              last_fact: fact.key,
            },
          },
        });
        results.push({ id: p.id, outcome: 'inserted', priceChanged });
        existing.set(p.id, { _id: p.id, content_hash: p.hash, price_history, summary, updated_at: now, last_fact: fact.key });
        written.push({ index, hash: p.hash, kind: 'insert', summary, fact });
      }
    }

    if (ops.length === 0) {
      await this.indexKeys(prepared);
      return results;
    }
    // Originals first: a crash between the two writes leaves the old hash, so the next sync
    // rewrites both; never a new hash beside an old payload.
    const replaceOriginal = ({ _id, original }: RawOriginal): AnyBulkWriteOperation<RawOriginal> => ({ replaceOne: { filter: { _id }, replacement: { original }, upsert: true } });
    const originals = written.map((w) => ({ kind: w.kind, _id: prepared[w.index]!.id, original: prepared[w.index]!.input.original }));
    await insertManyOrElse(
      this.originals,
      originals.filter((o) => o.kind === 'insert').map(({ _id, original }) => ({ _id, original })),
      replaceOriginal,
    );
    await bulkUpsert(this.originals, originals.filter((o) => o.kind === 'update').map(replaceOriginal));
    // Counted before the write, pending: a crash between the two leaves the record unwritten,
    // its fact uncounted (the record does not carry it), and the re-run's write of it finds the
    // fact stored already. The facts of the states these writes replace are confirmed first,
    // as the records stop carrying them (they landed: the records show them).
    const replaced = written.flatMap((w) => (w.kind === 'update' ? [existing.get(prepared[w.index]!.id)?.last_fact ?? ''] : [])).filter(Boolean);
    await this.dailyStats?.confirm(replaced);
    const counted = new Set((await this.dailyStats?.countOnce(written.map((w) => w.fact), { pending: true })) ?? []);
    let failedOps = new Set<number>();
    let matched: number;
    try {
      matched = (await this.collection.bulkWrite(ops, { ordered: false })).matchedCount;
    } catch (error) {
      // Any other failure (the server gone, its disk full) keeps what was counted: which
      // records landed is unknown, and those that did not are written, under the same facts,
      // by the re-run the failure asks for.
      const writeErrors = bulkWriteErrorsOf(error);
      if (!writeErrors) throw error;
      failedOps = new Set(writeErrors.map((e) => e.index));
      matched = (error as MongoBulkWriteError).result.matchedCount;
    }
    const updates = written.filter((w) => w.kind === 'update').length;
    const landed = failedOps.size > 0 || matched !== updates ? await this.settleConflicts(prepared, written, failedOps, results, counted) : written.map((w) => w.fact.key);
    await this.dailyStats?.confirm(landed);
    // Unchanged records too: a key whose canonical form changed (a new release's address rules)
    // is recorded the next time the record is collected.
    await this.indexKeys(prepared);
    this.listListener?.upserted(
      written.map((w) => {
        const p = prepared[w.index]!;
        const parcel = p.input.data.parcel_number;
        return {
          _id: p.id,
          source: p.input.source,
          source_id: p.input.source_id,
          updated_at: now,
          ...(w.kind === 'insert' && { collected_at: now }),
          summary: w.summary,
          parcel_number: typeof parcel === 'string' ? parcel : null,
        };
      }),
    );
    return results;
  }

  /** Told of every summary this repository writes (the in-memory property list). */
  onListChange(listener: ListListener): void {
    this.listListener = listener;
  }

  /**
   * Another writer raced us: redo one by one each insert that hit a duplicate key and each
   * update whose record no longer carries our hash (each redo reads the winner's state, so
   * outcomes stay truthful: the loser of an insert race of equal content reports `unchanged`).
   * Resolves to the facts of `written` that landed: those the records carry now.
   */
  private async settleConflicts(
    prepared: { input: RawPropertyInput; id: string; hash: string }[],
    written: { index: number; hash: string; kind: 'insert' | 'update'; fact: CountedFact }[],
    failedOps: Set<number>,
    results: UpsertResult[],
    counted: ReadonlySet<string>,
  ): Promise<string[]> {
    const ids = written.map((w) => prepared[w.index]!.id);
    const stored = await findByIds(this.collection, ids, { content_hash: 1, last_fact: 1 });
    const hashes = new Map(stored.map((d) => [d._id, d.content_hash]));
    const carried = new Set(stored.map((d) => d.last_fact));
    for (const [opIndex, w] of written.entries()) {
      const p = prepared[w.index]!;
      const lost = w.kind === 'insert' ? failedOps.has(opIndex) : hashes.get(p.id) !== w.hash;
      if (!lost) continue;
      // Our change did not happen; the winner's is counted under its own fact (the same
      // one when it wrote the same content over the same state: then it stays counted).
      if (counted.has(w.fact.key) && hashes.get(p.id) !== w.hash) await this.dailyStats?.uncount([w.fact.key]);
      results[w.index] = await this.upsert(p.input);
    }
    return written.map((w) => w.fact.key).filter((key) => carried.has(key));
  }

  /**
   * Record each record under its parcel number and address key: the keys are read in one go,
   * new keys inserted, and a known key updated only when it lacks one of these records
   * (re-collecting an unchanged record reads its keys and writes nothing).
   */
  private async indexKeys(records: { id: string; input: RawPropertyInput }[]): Promise<void> {
    if (!this.keys || records.length === 0) return;
    // One operation per key: FerretDB 1.24 can hang on a bulk that upserts one document twice.
    const idsByKey = new Map<string, string[]>();
    for (const { id, input } of records) for (const key of propertyKeysOf(input.data)) idsByKey.set(key, [...new Set([...(idsByKey.get(key) ?? []), id])]);
    const known = new Map((await findByIds(this.keys, [...idsByKey.keys()], { ids: 1 })).map((d) => [d._id, new Set(d.ids)]));
    const addIds = ({ _id, ids }: PropertyKey): AnyBulkWriteOperation<PropertyKey> => ({ updateOne: { filter: { _id }, update: { $addToSet: { ids: { $each: ids } } }, upsert: true } });
    const fresh: PropertyKey[] = [];
    const grown: PropertyKey[] = [];
    for (const [_id, ids] of idsByKey) {
      const have = known.get(_id);
      if (!have) fresh.push({ _id, ids });
      else if (ids.some((id) => !have.has(id))) grown.push({ _id, ids: ids.filter((id) => !have.has(id)) });
    }
    await insertManyOrElse(this.keys, fresh, addIds);
    await bulkUpsert(this.keys, grown.map(addIds));
  }

  /** The whole record, its original payload included. */
  async get(id: string): Promise<RawProperty | null> {
    const [doc, original] = await Promise.all([this.collection.findOne({ _id: id }), this.originals.findOne({ _id: id })]);
    return doc ? { ...doc, original: original?.original ?? null } : null;
  }

  /** Of `ids`, the ones no raw property has. */
  async missing(ids: readonly string[]): Promise<string[]> {
    const found = new Set((await this.collection.find({ _id: { $in: [...ids] } }, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    return ids.filter((id) => !found.has(id));
  }

  /** The record without its original payload (what the pipeline reads). */
  async getData(id: string): Promise<StoredRawProperty | null> {
    return this.collection.findOne({ _id: id });
  }

  /** Copy pipeline state (queue status, quality, value and figures) into the summary the property list filters on. */
  async setPipelineState(id: string, state: PipelineSummary): Promise<void> {
    const $set: Record<string, unknown> = {};
    for (const field of [...PIPELINE_SUMMARY_FIELDS, ...MERGED_DETAIL_FIELDS]) if (state[field] !== undefined) $set[`summary.${field}`] = state[field];
    if (Object.keys($set).length > 0) {
      await this.collection.updateOne({ _id: id }, { $set });
      this.listListener?.patched(id, state);
    }
  }

  /** `setPipelineState` for many records entering one status together (an import's batch). */
  async setPipelineStatusMany(ids: readonly string[], status: PropertySummary['status']): Promise<void> {
    if (ids.length === 0) return;
    await updateByIds(this.collection, ids, {}, { $set: { 'summary.status': status } });
    for (const id of ids) this.listListener?.patched(id, { status });
  }

  /**
   * The analyst's corrections in the summary the property list shows, filters and sorts on
   * (bedrooms, bathrooms, size, year, price, quality score), written and told to the list at once.
   */
  async correctSummary(id: string, patch: Partial<Omit<PropertySummary, 'address' | 'zip' | 'status'>>): Promise<void> {
    const $set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined).map(([k, v]) => [`summary.${k}`, v]));
    if (Object.keys($set).length === 0) return;
    await this.collection.updateOne({ _id: id }, { $set });
    this.listListener?.patched(id, patch);
  }

  /** One page of properties, filtered and sorted on the server. */
  async list(input: PropertyListInput): Promise<{ items: StoredRawProperty[]; total: number }> {
    const filter = listFilter(input.filters);
    const sort: Sort = { [SORT_PATHS[input.sort.field]]: input.sort.direction === 'asc' ? 1 : -1, _id: 1 };
    const [items, total] = await Promise.all([
      this.collection
        .find(filter, { projection: { data: 0, price_history: 0 } })
        .sort(sort)
        .skip((input.page - 1) * input.pageSize)
        .limit(input.pageSize)
        .toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items, total };
  }

  /**
   * Every record that carries a sale (with a living area or not), with the fields comparables, trends and
   * sales validation read (`processing/sale-candidates.ts`: the sales and the sold home's
   * features), in one pass over the collection; the pipeline keeps what it builds for minutes.
   */
  async withSales(): Promise<Pick<StoredRawProperty, '_id' | 'source' | 'data' | 'summary'>[]> {
    const fields = [
      ...['sales', 'sale_price', 'sale_date', 'latitude', 'longitude', 'square_feet', 'year_built', 'parcel_number', 'address', 'zip', 'city', 'subdivision'],
      ...['property_type_label', 'property_use', 'property_type', 'property_use_code', 'dwelling_style', 'bedrooms', 'bathrooms', 'lot_size', 'pool'],
      ...['garage_spaces', 'garages', 'hoa_monthly', 'land_lease_monthly', 'interior_levels', 'full_cash_value', 'valuation_year'],
      ...['annual_taxes', 'remodeled_year', 'view', 'premium_finishes', 'amenity_building'],
      ...['list_date', 'original_list_price', 'last_list_price', 'under_contract_date'],
    ];
    const projection = Object.fromEntries([['source', 1], ['summary', 1], ...fields.map((f) => [`data.${f}`, 1])]);
    // Every record with a sale, living area or not: the model cannot price one without it, but
    // the accuracy report counts it as a sale not valued.
    const docs = await this.collection.find({ $or: [{ 'data.sales': { $exists: true } }, { 'data.sale_price': { $exists: true } }] }, { projection }).toArray();
    return docs.filter((d) => Array.isArray(d.data.sales) ? d.data.sales.length > 0 : typeof d.data.sale_price === 'number');
  }

  /**
   * Every record that is an executed lease (an ARMLS rental row leased: `listing_status` closed
   * with a `rent_price`, dollars a month), with the fields rent comparables read (rent-leases.ts).
   */
  async withLeases(): Promise<Pick<StoredRawProperty, '_id' | 'source' | 'data'>[]> {
    const projection = Object.fromEntries([['source', 1], ...RENT_LEASE_FIELDS.map((f) => [`data.${f}`, 1])]);
    return this.collection.find({ 'data.listing_status': 'closed', 'data.rent_price': { $gt: 0 } }, { projection }).toArray();
  }

  /**
   * The records of `apns` (canonical `509-11-455`) with the fields that decide where the assessor
   * API's budget goes first (`collectors/maricopa/detail-priority.ts`): source, collected_at,
   * listing status and sales; and those that decide what it still needs of the API beside the
   * county layer's record (`collectors/maricopa/detail-needs.ts`): updated_at, living area, year
   * built, valuation year, ZIP, city, point. One indexed query (`parcel_number`) a thousand APNs.
   */
  async ofParcels(apns: readonly string[]): Promise<Pick<StoredRawProperty, '_id' | 'source' | 'collected_at' | 'updated_at' | 'data'>[]> {
    const fields = ['parcel_number', 'listing_status', 'sale_date', 'sales', 'square_feet', 'year_built', 'valuation_year', 'zip', 'city', 'latitude', 'longitude'];
    const projection = { _id: 1, source: 1, collected_at: 1, updated_at: 1, ...Object.fromEntries(fields.map((f) => [`data.${f}`, 1])) };
    const out: Pick<StoredRawProperty, '_id' | 'source' | 'collected_at' | 'updated_at' | 'data'>[] = [];
    for (let i = 0; i < apns.length; i += 1000) out.push(...(await this.collection.find({ 'data.parcel_number': { $in: apns.slice(i, i + 1000) } }, { projection }).toArray()));
    return out;
  }

  /**
   * Records of the same property from other sources: same parcel number or same address key.
   * Sample records (`data.sample`, invented listings among them) and collected ones never
   * merge: the sample must not change a real property's figures, and removing it leaves the
   * real records as they were.
   */
  async findCounterparts(raw: Pick<RawProperty, '_id' | 'source' | 'data'>): Promise<StoredRawProperty[]> {
    if (!this.keys) return [];
    const keys = propertyKeysOf(raw.data);
    if (keys.length === 0) return [];
    const docs = await Promise.all(keys.map((key) => this.keys!.findOne({ _id: key })));
    const ids = [...new Set(docs.flatMap((d) => d?.ids ?? []))].filter((id) => id !== raw._id && !id.startsWith(`${raw.source}:`));
    const found = await Promise.all(ids.slice(0, 5).map((id) => this.collection.findOne({ _id: id })));
    const sample = raw.data.sample === true;
    return found.filter((d): d is StoredRawProperty => d !== null && (d.data.sample === true) === sample);
  }

  async count(): Promise<number> {
    return this.collection.countDocuments({});
  }

  /**
   * Delete these records, their original payloads and their entries under their parcel number
   * and address key (a key left with no record goes too); the property list is told. Gives how
   * many records were deleted.
   */
  async removeMany(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const docs = await this.collection.find({ _id: { $in: [...ids] } }, { projection: { data: 1 } }).toArray();
    const deleted = await this.collection.deleteMany({ _id: { $in: [...ids] } });
    await this.originals.deleteMany({ _id: { $in: [...ids] } });
    if (this.keys) {
      const keys = [...new Set(docs.flatMap((d) => propertyKeysOf(d.data)))];
      // One operation per key, as in `indexKeys`.
      for (const key of keys) await this.keys.updateOne({ _id: key }, { $pullAll: { ids: [...ids] } });
      if (keys.length > 0) await this.keys.deleteMany({ _id: { $in: keys }, ids: { $size: 0 } });
    }
    this.listListener?.removed(ids);
    return deleted.deletedCount;
  }
}

export function listFilter(filters: PropertyListInput['filters']): Filter<StoredRawProperty> {
  // One row per property: a record merged into another's property is listed under that one.
  const and: Filter<StoredRawProperty>[] = [{ 'summary.merged_into': null }];
  if (filters.zip?.length) and.push({ 'summary.zip': { $in: filters.zip } });
  if (filters.source) and.push({ $or: [{ source: filters.source }, { 'summary.records': { $regex: `^${escapeRegex(filters.source)}:` } }] });
  if (filters.status) and.push({ 'summary.status': filters.status });
  if (filters.minPrice !== undefined) and.push({ 'summary.price': { $gte: filters.minPrice } });
  if (filters.maxPrice !== undefined) and.push({ 'summary.price': { $lte: filters.maxPrice } });
  if (filters.minBeds !== undefined) and.push({ 'summary.bedrooms': { $gte: filters.minBeds } });
  if (filters.minQuality !== undefined) and.push({ 'summary.quality_score': { $gte: filters.minQuality } });
  if (filters.maxQuality !== undefined) and.push({ 'summary.quality_score': { $lte: filters.maxQuality } });
  if (filters.priceDropped) and.push({ 'summary.price_change': { $lt: 0 } });
  if (filters.minValue !== undefined) and.push({ 'summary.value': { $gte: filters.minValue } });
  if (filters.maxValue !== undefined) and.push({ 'summary.value': { $lte: filters.maxValue } });
  if (filters.valueBasis) and.push({ 'summary.value_basis': filters.valueBasis });
  if (filters.minListToValue !== undefined) and.push({ 'summary.list_to_value': { $gte: filters.minListToValue } });
  if (filters.maxListToValue !== undefined) and.push({ 'summary.list_to_value': { $lte: filters.maxListToValue } });
  if (filters.minCapRate !== undefined) and.push({ 'summary.cap_rate': { $gte: filters.minCapRate } });
  if (filters.minCashOnCash !== undefined) and.push({ 'summary.cash_on_cash': { $gte: filters.minCashOnCash } });
  if (filters.recommendation) and.push({ 'summary.recommendation': filters.recommendation });
  if (filters.tag) and.push({ 'summary.tags': filters.tag });
  if (filters.dealStatus) and.push({ 'summary.deal_status': filters.dealStatus });
  if (filters.search) {
    const s = listSearch(filters.search);
    and.push({
      $or: [
        { 'summary.address': { $regex: s.address, $options: 'i' } },
        { source_id: { $regex: s.sourceId, $options: 'i' } },
        { 'summary.records': { $regex: s.recordId, $options: 'i' } },
        ...(s.parcel === null ? [] : [{ 'data.parcel_number': { $regex: s.parcel, $options: 'i' } }]),
        ...(s.addressKey === null ? [] : [{ 'summary.address_key': { $regex: s.addressKey, $options: 'i' } }]),
      ],
    });
  }
  return and.length === 1 ? and[0]! : { $and: and };
}


/** The keys a record is found by: `apn:<parcel number>` and `addr:<street|zip>`. */
export function propertyKeysOf(data: RawPropertyData): string[] {
  const keys: string[] = [];
  if (typeof data.parcel_number === 'string' && data.parcel_number) keys.push(`apn:${data.parcel_number}`);
  const key = addressKey(parseAddress(data.address ?? null));
  if (key) keys.push(`addr:${key}`);
  return keys;
}

/** The price a record carries: a listing price first, else the last sale. */
export function priceOf(data: RawPropertyData): number | null {
  return data.list_price ?? data.sale_price ?? null;
}

function priceFieldOf(data: RawPropertyData): string {
  return data.list_price != null ? 'list_price' : 'sale_price';
}

/**
 * The list's copy of a record's key fields; pipeline state (status, quality, value and figures)
 * carries over from `previous` until the record is processed again. `price` is the listing
 * price only: a sale is never shown as a price.
 */
export function summarize(data: RawPropertyData, previous?: PropertySummary): PropertySummary {
  const address = data.address ?? null;
  const parsed = parseAddress(address);
  const zipField = typeof data.zip === 'string' ? data.zip : null;
  const carried: PipelineSummary = {};
  for (const field of PIPELINE_SUMMARY_FIELDS) if (previous?.[field] !== undefined) Object.assign(carried, { [field]: previous[field] });
  const analyst = analystSummaryOf(previous);
  const corrected = new Set(previous?.analyst_fields ?? []);
  const estimated = data.bathrooms_estimated === true && data.bathrooms != null && !corrected.has('bathrooms');
  return {
    address,
    address_key: addressKey(parsed),
    zip: zipField ?? parsed.zip,
    price: data.list_price ?? null,
    bedrooms: data.bedrooms ?? null,
    bathrooms: data.bathrooms ?? null,
    square_feet: data.square_feet ?? null,
    year_built: data.year_built ?? null,
    ...carried,
    status: previous?.status ?? null,
    quality_score: previous?.quality_score ?? null,
    ...(data.sample === true && { sample: true }),
    ...(estimated && { estimated: ['bathrooms'] }),
    ...coordinatesOf(data),
    ...analyst,
  };
}

/** The summary fields the analyst corrected, with their values, and the tags and deal status (with since when): what a re-collection keeps of a row. */
const ANALYST_CARRIED = ['price', 'bedrooms', 'bathrooms', 'square_feet', 'year_built'] as const;

function analystSummaryOf(previous: PropertySummary | undefined): Partial<PropertySummary> {
  if (!previous) return {};
  const out: Partial<PropertySummary> = {};
  for (const field of ANALYST_CARRIED) if (previous.analyst_fields?.includes(field)) out[field] = previous[field];
  if (previous.analyst_fields !== undefined) out.analyst_fields = previous.analyst_fields;
  if (previous.tags !== undefined) out.tags = previous.tags;
  if (previous.deal_status !== undefined) out.deal_status = previous.deal_status;
  if (previous.deal_status_at !== undefined) out.deal_status_at = previous.deal_status_at;
  return out;
}

/** The last price change in dollars (latest minus the one before), when there are two prices. */
export function priceChangeOf(history: readonly PriceHistoryEntry[]): { price_change: number } | Record<string, never> {
  const [previous, latest] = history.slice(-2).map((h) => h.price);
  return history.length >= 2 && typeof previous === 'number' && typeof latest === 'number' ? { price_change: latest - previous } : {};
}

/** `latitude`/`longitude` of the raw data as the map's `lat`/`lon`, when both are real degrees. */
function coordinatesOf(data: RawPropertyData): { lat: number; lon: number } | Record<string, never> {
  const lat = data.latitude;
  const lon = data.longitude;
  if (typeof lat !== 'number' || typeof lon !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lon)) return {};
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return {};
  return { lat, lon };
}

