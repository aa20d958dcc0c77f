import type { StoredRawProperty } from '../../db/collections.js';
import type { RawPropertyRepository } from '../../db/repositories/raw-properties.js';
import { mergeNormalized, normalize, type Normalized } from '../normalize.js';
import type { ValuationRecord } from '../valuation-facts.js';

/** One property's records normalised and merged, and the id the processed property takes. */
export interface MergedSources {
  /**
   * The merged fields (`mergeNormalized`'s source preferences), with `property_id` (the first
   * record in `comparePropertyRank`'s order, which names the processed property) and `raw_ids`
   * (every record's id, sorted).
   */
  merged: Normalized & { property_id: string; raw_ids: string[] };
  /** Every record of the property, in `comparePropertyRank`'s order. */
  records: ValuationRecord[];
}

/**
 * Stages 1–2 (normalise, merge sources): the record merged with the other sources' records of
 * the same property (same parcel number, else same canonical address: `findCounterparts`).
 * Reads the counterparts; errors are the repository's.
 */
export async function mergeSources(raw: StoredRawProperty, rawRepo: Pick<RawPropertyRepository, 'findCounterparts'>): Promise<MergedSources> {
  return mergeRecords([raw, ...(await rawRepo.findCounterparts(raw))]);
}

/**
 * Records of one property (at least one) normalised and merged: one processed property per
 * property, named by the first record in `comparePropertyRank`'s order. The records are put in
 * that order first, so whichever record is processed the merge comes out the same.
 */
export function mergeRecords(records: readonly ValuationRecord[]): MergedSources {
  const ordered = [...records].sort((a, b) => comparePropertyRank(a._id, b._id));
  const all = ordered.map((r) => ({ ...normalize({ source: r.source, data: r.data }), source: r.source }));
  const raw_ids = ordered.map((r) => r._id).sort();
  return { merged: { ...(all.length === 1 ? all[0]! : mergeNormalized(all)), property_id: ordered[0]!._id, raw_ids }, records: ordered };
}

/** Sources in the order their record names a merged property: the parcel's records first (the assessor's API, then its parcel layer). */
const PROPERTY_ID_SOURCES = ['maricopa_api', 'county_layer', 'armls_export', 'phoenix_mls'];

/**
 * Raw ids in a property's own order: the assessor's record first (its API's, then its parcel
 * layer's), then the ARMLS export's, then
 * the listing's (raw ids are `<source>:<source id>`), by id within a source. The first names the
 * processed property its records share, whichever record comes (or is processed) first.
 */
function comparePropertyRank(a: string, b: string): number {
  const rank = (id: string) => {
    const at = PROPERTY_ID_SOURCES.indexOf(id.split(':')[0]!);
    return at < 0 ? PROPERTY_ID_SOURCES.length : at;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
