/**
 * What an ARMLS listing's `Features` triples say of a home's condition and quality, the facts
 * that move price most after size, age and location and that public records lack (IAAO Standard
 * on Mass Appraisal of Real Property, 2017, §5.2: quality and condition among the property
 * characteristics to collect). Read from the `Group|Field` keys of `parseFeatures`, as the real
 * export `../shared/fixtures/armls-export/closed-sales-85251-2025.csv` writes them:
 *
 * - `remodeled_year`: the latest of `Items Updated|Kitchen Yr Updated` and `Items Updated|Bath(s)
 *   Yr Updated` (a four-digit year), null when neither is given (ARMLS leaves the group empty for
 *   a home not updated, so null means "no update reported");
 * - `view`: any of `View|Mountain(s)`, `Property Description|City Light View(s)`, `Property
 *   Description|Golf Course Lot`, `Property Description|Waterfront Lot` is `Yes`;
 * - `premium_finishes`: `Kitchen Features|Granite Counters` or `Kitchen Features|Non-laminate
 *   Counter` is `Yes`;
 * - `amenity_building`: `Interior Features|Elevator`, `Community Features|Concierge`,
 *   `Community Features|Guarded Entry` or `Community Features|On-Site Guard` is `Yes` (the
 *   staffed, lifted buildings of the luxury condominium market).
 *
 * A row without `Features` knows none of them (all null).
 */
export interface QualityFeatures {
  remodeled_year: number | null;
  view: boolean | null;
  premium_finishes: boolean | null;
  amenity_building: boolean | null;
}

const VIEW_KEYS = ['View|Mountain(s)', 'Property Description|City Light View(s)', 'Property Description|Golf Course Lot', 'Property Description|Waterfront Lot'];
const FINISH_KEYS = ['Kitchen Features|Granite Counters', 'Kitchen Features|Non-laminate Counter'];
const AMENITY_KEYS = ['Interior Features|Elevator', 'Community Features|Concierge', 'Community Features|Guarded Entry', 'Community Features|On-Site Guard'];
const UPDATE_KEYS = ['Items Updated|Kitchen Yr Updated', 'Items Updated|Bath(s) Yr Updated'];

/** The quality facts of a row's parsed `Features` (null facts when the row has none). */
export function qualityFeatures(features: ReadonlyMap<string, string>): QualityFeatures {
  if (features.size === 0) return { remodeled_year: null, view: null, premium_finishes: null, amenity_building: null };
  const yes = (keys: readonly string[]) => keys.some((k) => /^y(es)?$/i.test(features.get(k) ?? ''));
  const years = UPDATE_KEYS.map((k) => /^\d{4}$/.exec(features.get(k)?.trim() ?? '')?.[0]).filter((y): y is string => y !== undefined).map(Number);
  return {
    remodeled_year: years.length > 0 ? Math.max(...years) : null,
    view: yes(VIEW_KEYS),
    premium_finishes: yes(FINISH_KEYS),
    amenity_building: yes(AMENITY_KEYS),
  };
}
