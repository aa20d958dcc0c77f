import { useMemo } from 'react';
import type { ExcludedComparable } from '../../../shared/schemas/analyst-layer.js';
import { VALUE_BASIS_LABELS } from '../../../shared/valuation/basis-labels.js';
import type { AdjustedComparable, Appraisal, SimilarityFactors } from '../../../shared/valuation/types.js';
import { useContractMutation } from '../../api/use-bridge.js';
import { ActionError, when } from '../../ui/state.js';
import { ComparablesMap, type LatLon } from './comparables-map.js';
import { dollars, percent } from './figures.js';
import { signedDollars } from '../../../shared/format/figures.js';
import { usePropertyDetail } from './property-context.js';


/** What the similarity column means: the model's own score (`SimilarityFactors`, avm.ts). */
const SIMILARITY_MEANING =
  'Similarity (0–1) is the score the model ranks and weights comparables by: location (same complex 1, else e^(−miles/0.35)) × type (same 1, condo/townhouse 0.5, else 0.15) × size (e^(−|ln sq ft ratio|/0.6)) × age (e^(−years apart/20)) × recency (e^(−months apart/12)) × land lease (0.4 when only one is on leased land) × evidence (a sale 1, under contract 0.7, listed 0.3).';

const FACTOR_WORDS: [keyof SimilarityFactors, string][] = [
  ['location', 'location'],
  ['type', 'type'],
  ['size', 'size'],
  ['age', 'age'],
  ['recency', 'recency'],
  ['land_lease', 'land lease'],
  ['evidence', 'evidence'],
];

/** "location 1.00 × type 1.00 × size 0.74 × …": what a comparable's similarity is the product of. */
function factorsText(f: SimilarityFactors): string {
  return FACTOR_WORDS.map(([k, word]) => `${word} ${f[k].toFixed(2)}`).join(' × ');
}

/** The subject's coordinates from its record (`latitude`/`longitude`), when both are degrees. */
function subjectPlace(data: Record<string, unknown> | undefined): LatLon | null {
  const lat = data?.latitude;
  const lon = data?.longitude;
  return typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) && !(lat === 0 && lon === 0) ? { lat, lon } : null;
}

/**
 * The comparables as the value used them (issue #23): beds, baths, size, year built, distance,
 * sale date and price, each adjustment in dollars, the adjusted price, its weight in the value,
 * its similarity (the model's own score, its factors on hover) and why it was chosen; on a
 * small map around the home. On the property page each can be excluded from the value, or
 * included again: kept in the analyst's layer, the property revalued at once by processing
 * (the page follows when it is done). An excluded comparable stays listed, marked; one the
 * value no longer lists is named below with a way to include it again. When what is left is too
 * thin for a comparables value, the value's basis says so (the model's own rule).
 */
export function ComparablesSection({ appraisal }: { appraisal: Appraisal }) {
  const d = usePropertyDetail();
  const steer = useContractMutation('properties.setComparableIncluded', ['properties.get', 'properties.list', 'queue.summary']);
  const comparables = appraisal.comparables;
  const excluded = useMemo(() => new Map((d?.analyst?.excluded_comparables ?? []).map((c) => [c.sale_id, c])), [d?.analyst?.excluded_comparables]);
  const subject = useMemo(() => subjectPlace(d?.data), [d?.data]);
  const unlisted: ExcludedComparable[] = [...excluded.values()].filter((c) => !comparables.some((x) => x.sale_id === c.sale_id));
  const revaluing = steer.isSuccess && (d?.queue?.status === 'pending' || d?.queue?.status === 'processing');
  const toggle = (c: { sale_id: string }, included: boolean) => d && steer.mutate({ id: d.id, sale_id: c.sale_id, included });
  const thin = excluded.size > 0 && appraisal.basis !== null && appraisal.basis !== 'comparable_sales';

  return (
    <>
      <h4>Comparable sales</h4>
      {comparables.length === 0 ? (
        <p className="muted">No comparable sales were used.</p>
      ) : (
        <>
          <p className="muted small">Each comparable's price, adjusted toward this home (+ where this home has more), weighted by how alike it is. {SIMILARITY_MEANING}</p>
          <ComparablesMap subject={subject} comparables={comparables} />
          <div className="table-scroll">
            <table data-testid="comparables" aria-label="Comparable sales">
              <thead>
                <tr>
                  <th>Address</th><th>Beds</th><th>Baths</th><th>Sq ft</th><th>Built</th><th>Distance</th><th>Sold</th><th>Price</th>
                  <th>Adjustments</th><th>Adjusted</th><th>Weight</th><th>Similarity</th><th>Why chosen</th>
                </tr>
              </thead>
              <tbody>
                {comparables.map((c) => (
                  <ComparableRow key={c.sale_id} c={c} excludedAt={excluded.get(c.sale_id)?.set_at ?? null} steerable={d !== null} busy={steer.isPending} onToggle={toggle} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {unlisted.length > 0 && (
        <div data-testid="excluded-unlisted">
          <p className="muted small">Excluded by you, and no longer among the comparables the model chose:</p>
          <ul>
            {unlisted.map((c) => (
              <li key={c.sale_id}>
                {c.address ?? c.sale_id} · sold {c.date} for {dollars(c.price)} · excluded {when(c.set_at)}{' '}
                <button type="button" className="secondary" disabled={steer.isPending} onClick={() => toggle(c, true)} aria-label={`Include ${c.address ?? c.sale_id} again`}>
                  Include again
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {thin && (
        <p data-testid="comparables-thin">
          With {excluded.size === 1 ? 'one comparable' : `${excluded.size} comparables`} excluded, what is left is too thin for a value from comparable sales: the value is the {VALUE_BASIS_LABELS[appraisal.basis!]}, as the model values any home with thin comparables.
        </p>
      )}
      {steer.isPending && <p role="status">Saving…</p>}
      {revaluing && <p role="status" data-testid="revaluing">Revaluing: the value, range and comparables follow when processing is done.</p>}
      <ActionError error={steer.error} what="Changing the comparables" />
    </>
  );
}

/** One comparable's row: its facts (and, on the property page, its include/exclude button under the address), sale, adjustments, weight, similarity, why chosen. */
function ComparableRow({ c, excludedAt, steerable, busy, onToggle }: { c: AdjustedComparable; excludedAt: Date | null; steerable: boolean; busy: boolean; onToggle: (c: AdjustedComparable, included: boolean) => void }) {
  const name = c.address ?? c.parcel_number ?? c.property_id;
  return (
    <tr className={c.included ? undefined : 'muted'} data-sale-id={c.sale_id} data-included={c.included}>
      <td style={{ minWidth: '10em' }}>
        {name}
        {c.subdivision && <span className="muted small"> · {c.subdivision}</span>}
        {steerable && (
          <div>
            <button type="button" className="secondary" disabled={busy} onClick={() => onToggle(c, !c.included)} aria-label={`${c.included ? 'Exclude' : 'Include'} ${name}${c.included ? ' from the value' : ' again'}`}>
              {c.included ? 'Exclude' : 'Include again'}
            </button>
          </div>
        )}
      </td>
      <td>{c.bedrooms ?? '—'}</td>
      <td>{c.bathrooms ?? '—'}</td>
      <td>{c.square_feet === null ? '—' : c.square_feet.toLocaleString('en-US')}</td>
      <td>{c.year_built ?? '—'}</td>
      <td>{c.distance_miles === null ? '—' : `${c.distance_miles.toFixed(2)} mi`}</td>
      <td style={{ whiteSpace: 'nowrap' }}>{c.date}{c.kind !== 'sale' && <span className="muted small"> ({c.kind === 'pending' ? 'under contract' : 'listed'})</span>}</td>
      <td style={{ whiteSpace: 'nowrap' }}>{dollars(c.price)}</td>
      <td style={{ minWidth: '11em' }}>
        {c.adjustments.length === 0 ? 'none' : <ul className="reasons">{c.adjustments.map((x, i) => <li key={`${x.factor}|${i}`}>{x.factor} {signedDollars(x.amount)}</li>)}</ul>}
      </td>
      <td><strong>{dollars(c.adjusted_price)}</strong></td>
      <td>{c.included ? percent(c.weight, 0) : <span data-testid="comparable-excluded">excluded{excludedAt && <span className="small"> by you {when(excludedAt)}</span>}</span>}</td>
      <td>{c.similarity_factors ? <abbr title={factorsText(c.similarity_factors)}>{c.similarity.toFixed(2)}</abbr> : c.similarity.toFixed(2)}</td>
      <td style={{ minWidth: '16em' }}>{c.reasons.join('; ')}</td>
    </tr>
  );
}
