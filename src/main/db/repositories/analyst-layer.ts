import type { Collection, UpdateFilter } from 'mongodb';
import type { AnalystCorrections, AnalystLayer, CorrectableField, DealStatus, ExcludedComparable } from '../../../shared/schemas/analyst-layer.js';
import { withScenario, type DealScenario } from '../../../shared/schemas/deal-scenario.js';
import type { DealInputs } from '../../../shared/deal/deal-inputs.js';
import type { UnderwritingOverrides } from '../../../shared/underwriting/overrides.js';
import { isDuplicateKeyError } from '../duplicate-key.js';
import { CommandBatcher } from '../command-batcher.js';

/**
 * The analyst's layer (`analyst_layer`): corrections, what-if terms, notes, tags, deal status and
 * the last review approval of each property, kept apart from the collected data (which every
 * re-collection and reprocess rewrites) and applied over it by processing.
 *
 * A property is named by its identities (`keys`: `apn:<parcel number>`, `addr:<street|zip>`, the
 * raw ids of its records, as `propertyIdentity` gives them). A layer is found by any of them, and
 * each write adds the identities it was given, so a listing's layer is found again once the
 * listing merges with its parcel (the parcel's `apn:` key joins the listing's `addr:` key).
 */
export class AnalystLayerRepository {
  /**
   * Look-ups of concurrent callers (every processed item makes one) in one read of all their
   * keys; each caller gets the layers that share a key with its own (copies: one layer may be
   * several callers').
   */
  private readonly lookups: CommandBatcher<readonly string[], AnalystLayer[]>;

  constructor(private readonly collection: Collection<AnalystLayer>) {
    this.lookups = new CommandBatcher(async (keySets) => {
      const docs = await this.collection.find({ keys: { $in: [...new Set(keySets.flat())] } }).toArray();
      return keySets.map((keys) => {
        const wanted = new Set(keys);
        return docs.filter((d) => d.keys.some((k) => wanted.has(k))).map((d) => structuredClone(d));
      });
    });
  }

  /**
   * The layer of the property known by `keys`, or null when the analyst has done nothing on it.
   * Two layers may share a property (its listing and its parcel corrected before they merged):
   * they are read as one (`combineLayers`: the newer entry of a field wins), and the next write
   * stores them as one.
   */
  async find(keys: readonly string[]): Promise<AnalystLayer | null> {
    if (keys.length === 0) return null;
    const docs = await this.lookups.add(keys);
    return docs.length === 0 ? null : combineLayers(docs);
  }

  /** Set corrected fields (each with `at`); fields not named stay as they were. */
  async setCorrections(keys: readonly string[], edits: AnalystCorrections, at: Date): Promise<AnalystLayer> {
    const $set: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(edits)) if (value !== undefined) $set[`corrections.${field}`] = { value, set_at: at, by: 'analyst' };
    return this.write(keys, at, { $set });
  }

  /** Clear corrected fields: the collected values return at the next processing. */
  async clearCorrections(keys: readonly string[], fields: readonly CorrectableField[], at: Date): Promise<AnalystLayer> {
    const $unset: Record<string, ''> = Object.fromEntries(fields.map((f) => [`corrections.${f}`, ''] as const));
    return this.write(keys, at, { $unset });
  }

  /** The what-if terms (price, rent, loan): null clears them. */
  async setTerms(keys: readonly string[], terms: UnderwritingOverrides | null, at: Date): Promise<AnalystLayer> {
    return this.write(keys, at, { $set: { terms: terms && { value: terms, set_at: at, by: 'analyst' } } });
  }

  /** The property's notes (free text): null clears them. */
  async setNotes(keys: readonly string[], text: string | null, at: Date): Promise<AnalystLayer> {
    return this.write(keys, at, { $set: { notes: text === null ? null : { text, set_at: at, by: 'analyst' } } });
  }

  /** The property's tags, replacing the ones before (deduplicated, in the order given). */
  async setTags(keys: readonly string[], tags: readonly string[], at: Date): Promise<AnalystLayer> {
    return this.write(keys, at, { $set: { tags: [...new Set(tags)] } });
  }

  /** The deal status, its change kept in `status_history` (a status set again adds no entry). */
  async setStatus(keys: readonly string[], status: DealStatus, at: Date): Promise<AnalystLayer> {
    const current = await this.find(keys);
    if (current?.status?.value === status) return current;
    return this.write(keys, at, { $set: { status: { value: status, set_at: at, by: 'analyst' } }, $push: { status_history: { status, at, by: 'analyst' } } });
  }

  /** An approval from the review list, with the reasons the item was held for. */
  async recordApproval(keys: readonly string[], reasons: readonly string[], at: Date): Promise<AnalystLayer> {
    return this.write(keys, at, { $set: { approval: { at, reasons: [...new Set(reasons)], by: 'analyst' } } });
  }

  /**
   * Exclude a comparable sale from the property's value (`excluded` true: kept with what it was
   * and when; excluded again, its first entry stays) or include it again (false: its entry goes).
   */
  async setComparableExcluded(keys: readonly string[], comparable: Omit<ExcludedComparable, 'set_at' | 'by'>, excluded: boolean, at: Date): Promise<AnalystLayer> {
    const current = (await this.find(keys))?.excluded_comparables ?? [];
    const others = current.filter((c) => c.sale_id !== comparable.sale_id);
    const kept = current.find((c) => c.sale_id === comparable.sale_id);
    const next = excluded ? [...others, kept ?? { ...comparable, set_at: at, by: 'analyst' as const }] : others;
    return this.write(keys, at, { $set: { excluded_comparables: next } });
  }

  /**
   * Save a deal scenario (its full inputs, `at`): replacing the one of its name (or the one named
   * `renameFrom`, renamed), else added last (`withScenario`, which throws `ScenarioError` for a
   * rename of none, a duplicate name or one too many).
   */
  async saveScenario(keys: readonly string[], name: string, inputs: DealInputs, at: Date, renameFrom?: string): Promise<AnalystLayer> {
    const current = (await this.find(keys))?.scenarios ?? [];
    const scenario: DealScenario = { name, inputs, set_at: at, by: 'analyst' };
    return this.write(keys, at, { $set: { scenarios: withScenario(current, scenario, renameFrom) } });
  }

  /** Delete the scenario named `name` (case aside); no scenario of that name: nothing changes but `updated_at`. */
  async deleteScenario(keys: readonly string[], name: string, at: Date): Promise<AnalystLayer> {
    const current = (await this.find(keys))?.scenarios ?? [];
    const lower = name.toLocaleLowerCase('en-US');
    return this.write(keys, at, { $set: { scenarios: current.filter((s) => s.name.toLocaleLowerCase('en-US') !== lower) } });
  }

  /**
   * Add identities to the layer found by `keys` (a record merged into the property since): no
   * write when it knows them all already. Nothing happens when the property has no layer.
   */
  async learnKeys(layer: AnalystLayer, keys: readonly string[]): Promise<void> {
    const known = new Set(layer.keys);
    if (keys.every((k) => known.has(k))) return;
    await this.collection.updateOne({ _id: layer._id }, { $addToSet: { keys: { $each: [...keys] } } });
  }

  /**
   * One change to the property's layer, created first when there is none (under `layerIdOf`),
   * its identities grown by `keys`. Returns the layer as it now reads.
   */
  private async write(keys: readonly string[], at: Date, update: UpdateFilter<AnalystLayer>): Promise<AnalystLayer> {
    if (keys.length === 0) throw new Error('an analyst layer needs at least one identity of its property');
    const existing = await this.collection.find({ keys: { $in: [...keys] } }).toArray();
    const _id = existing.length > 0 ? combineLayers(existing)._id : layerIdOf(keys);
    // Two layers of one property (written before its records merged) become one before the change.
    if (existing.length > 1) {
      await this.collection.replaceOne({ _id }, combineLayers(existing));
      await this.collection.deleteMany({ _id: { $in: existing.map((d) => d._id).filter((id) => id !== _id) } });
    }
    if (existing.length === 0) {
      try {
        await this.collection.insertOne(emptyLayer(_id, keys, at));
      } catch (error) {
        // Another write created it first: ours is an update of that one.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    const { $set, ...rest } = update;
    await this.collection.updateOne({ _id }, { ...rest, $set: { ...$set, updated_at: at }, $addToSet: { keys: { $each: [...keys] } } });
    return (await this.find(keys))!;
  }
}

/** A layer with nothing in it yet, named `_id`, known by `keys`, created `at`. */
export function emptyLayer(_id: string, keys: readonly string[], at: Date): AnalystLayer {
  return { _id, keys: [...new Set(keys)], corrections: {}, terms: null, notes: null, tags: [], status: null, status_history: [], approval: null, excluded_comparables: [], scenarios: [], created_at: at, updated_at: at };
}

/** The `_id` a new layer takes: the parcel number's key, else the address key, else the first identity. */
export function layerIdOf(keys: readonly string[]): string {
  return keys.find((k) => k.startsWith('apn:')) ?? keys.find((k) => k.startsWith('addr:')) ?? keys[0]!;
}

/**
 * Several layers of one property read as one: the oldest names it; for each correction, the
 * terms, the notes, the status and the approval the newest entry wins; tags, identities and
 * excluded comparables are joined (an exclusion once per sale, its earliest entry), scenarios
 * joined (one per name, case aside, the newest saved; in the oldest layer's order, then the
 * others') and the status histories merged in time order. Pure.
 */
export function combineLayers(docs: readonly AnalystLayer[]): AnalystLayer {
  const byAge = [...docs].sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  if (byAge.length === 1) return byAge[0]!;
  const newest = <T extends { set_at?: Date; at?: Date } | null>(values: T[]): T | null =>
    values.filter((v): v is NonNullable<T> => v !== null).sort((a, b) => (b.set_at ?? b.at)!.getTime() - (a.set_at ?? a.at)!.getTime())[0] ?? null;
  const corrections: AnalystLayer['corrections'] = {};
  for (const field of new Set(byAge.flatMap((d) => Object.keys(d.corrections)))) corrections[field] = newest(byAge.map((d) => d.corrections[field] ?? null))!;
  return {
    _id: byAge[0]!._id,
    keys: [...new Set(byAge.flatMap((d) => d.keys))],
    corrections,
    terms: newest(byAge.map((d) => d.terms)),
    notes: newest(byAge.map((d) => d.notes)),
    tags: [...new Set(byAge.flatMap((d) => d.tags))],
    status: newest(byAge.map((d) => d.status)),
    status_history: byAge.flatMap((d) => d.status_history).sort((a, b) => a.at.getTime() - b.at.getTime()),
    approval: newest(byAge.map((d) => d.approval)),
    excluded_comparables: [...new Map(byAge.flatMap((d) => d.excluded_comparables ?? []).sort((a, b) => b.set_at.getTime() - a.set_at.getTime()).map((c) => [c.sale_id, c])).values()],
    scenarios: combineScenarios(byAge.map((d) => d.scenarios ?? [])),
    created_at: byAge[0]!.created_at,
    updated_at: new Date(Math.max(...byAge.map((d) => d.updated_at.getTime()))),
  };
}

/** The scenarios of several layers as one list: one per name (case aside), the newest saved, in first-seen order. */
function combineScenarios(lists: readonly (readonly DealScenario[])[]): DealScenario[] {
  const byName = new Map<string, DealScenario>();
  for (const s of lists.flat()) {
    const key = s.name.toLocaleLowerCase('en-US');
    const kept = byName.get(key);
    if (!kept || s.set_at.getTime() > kept.set_at.getTime()) byName.set(key, s);
  }
  return [...byName.values()];
}
