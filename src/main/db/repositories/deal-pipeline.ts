import type { Collection, Filter } from 'mongodb';
import { DEAL_STATUSES, type AnalystLayer, type DealStatus } from '../../../shared/schemas/analyst-layer.js';
import { daysInStatus, type DealPipeline, type DealPipelineInput, type PipelineCard } from '../../../shared/schemas/deal-pipeline.js';
import type { StoredRawProperty } from '../collections.js';
import { listFilter } from './raw-properties.js';

/** The fields of a row a card reads. */
const CARD_PROJECTION = { source: 1, source_id: 1, summary: 1 } as const;
type CardRow = Pick<StoredRawProperty, '_id' | 'source' | 'source_id' | 'summary'>;

/**
 * The analyst's deals by status (the Pipeline page, `properties.pipeline`), read from the list
 * rows of `raw_properties` (`summary.deal_status`, written from the analyst's layer by
 * `markProperty` and by each processing): one row per property, as the Properties list has it.
 *
 * Each column is one query on `summary.deal_status` (index `summary_deal_status`), its cards the
 * latest moved first, and the counts one `$group` with `$sum`: never every property loaded, and
 * within what MongoDB and FerretDB both serve. A row whose status was set before the row kept
 * since when (`summary.deal_status_at`, until it is processed again) takes it from its
 * analyst layer (`analyst_layer`, found by the row's raw id among the layer's `keys`).
 */
export class DealPipelineRepository {
  constructor(
    private readonly collection: Collection<StoredRawProperty>,
    private readonly layers: Collection<AnalystLayer>,
  ) {}

  /** The Pipeline as of `now`: every status's count and its first `perColumn` cards, only the deals tagged `tag` when given. */
  async board(input: DealPipelineInput, now: Date): Promise<DealPipeline> {
    const tag = input.tag ?? null;
    const [counts, ...cards] = await Promise.all([this.counts(tag), ...DEAL_STATUSES.map((s) => this.cards(s, tag, input.perColumn))]);
    await this.fillStatusSince(cards.flat());
    return {
      as_of: now,
      tag,
      columns: DEAL_STATUSES.map((status, i) => ({ status, count: counts.get(status) ?? 0, cards: cards[i]!.map((row) => cardOf(row, status, now)) })),
    };
  }

  /** How many deals each status holds. */
  private async counts(tag: string | null): Promise<Map<string, number>> {
    const groups = await this.collection
      .aggregate<{ _id: string; count: number }>([{ $match: dealsFilter(tag, { $in: [...DEAL_STATUSES] }) }, { $group: { _id: '$summary.deal_status', count: { $sum: 1 } } }])
      .toArray();
    return new Map(groups.map((g) => [g._id, g.count]));
  }

  /** Since when each row without `deal_status_at` is in its status, from its layer (when the layer's status is the row's). */
  private async fillStatusSince(rows: CardRow[]): Promise<void> {
    const missing = rows.filter((r) => r.summary.deal_status_at == null);
    if (missing.length === 0) return;
    const layers = await this.layers.find({ keys: { $in: missing.map((r) => r._id) } }, { projection: { keys: 1, status: 1 } }).toArray();
    for (const row of missing) {
      const status = layers.find((l) => l.keys.includes(row._id) && l.status?.value === row.summary.deal_status)?.status;
      if (status) row.summary.deal_status_at = status.set_at;
    }
  }

  private async cards(status: DealStatus, tag: string | null, limit: number): Promise<CardRow[]> {
    return this.collection.find(dealsFilter(tag, status), { projection: CARD_PROJECTION }).sort({ 'summary.deal_status_at': -1, _id: 1 }).limit(limit).toArray();
  }
}

/** The listed rows (`listFilter`: one per property) in `status`, tagged `tag` when given. */
function dealsFilter(tag: string | null, status: DealStatus | { $in: DealStatus[] }): Filter<StoredRawProperty> {
  return { $and: [listFilter(tag === null ? {} : { tag }), { 'summary.deal_status': status }] };
}

const orNull = <T>(v: T | null | undefined): T | null => v ?? null;

/** A row as a card of `status`, its days in status counted to `now`. Pure. */
export function cardOf(row: CardRow, status: DealStatus, now: Date): PipelineCard {
  const s = row.summary;
  const since = s.deal_status_at ?? null;
  return {
    id: row._id,
    source: row.source,
    source_id: row.source_id,
    address: s.address,
    zip: s.zip,
    ...(s.sample && { sample: true as const }),
    price: s.price,
    value: orNull(s.value),
    value_basis: orNull(s.value_basis),
    value_date: orNull(s.value_date),
    value_low: orNull(s.value_low),
    value_high: orNull(s.value_high),
    cap_rate: orNull(s.cap_rate),
    rent_detail: orNull(s.rent_detail),
    tags: s.tags ?? [],
    status,
    status_since: since,
    days_in_status: since === null ? null : daysInStatus(since, now),
  };
}
