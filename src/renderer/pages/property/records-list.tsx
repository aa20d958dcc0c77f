import type { PropertyRecord } from '../../../shared/contract.js';
import { dollars } from '../../../shared/money-format.js';
import { routeHash, useRoute } from '../../ui/router.js';
import { sourceLabel } from '../../../shared/source-labels.js';
import { when } from '../../ui/state.js';

/**
 * The records a property is made of (one per source: the assessor's parcel, an ARMLS row, an MLS
 * listing), each linking to its own page in the drawer (`#/<page>/<record id>`), with when it was
 * collected and its listing's status, asking price and page. Shown when there is more than one.
 */
export function PropertyRecords({ records, openedId }: { records: readonly PropertyRecord[]; openedId: string }) {
  const { page } = useRoute();
  if (records.length < 2) return null;
  return (
    <>
      <h3>Records</h3>
      <p className="muted small">This property is made of {records.length} records; the figures below are from all of them.</p>
      <ul aria-label="Records of this property" data-testid="records">
        {records.map((r) => (
          <li key={r.id}>
            {r.id === openedId ? (
              <strong aria-current="page">
                {sourceLabel(r.source)} {r.source_id} (this record)
              </strong>
            ) : (
              <a href={routeHash(page || 'properties', r.id)}>
                {sourceLabel(r.source)} {r.source_id}
              </a>
            )}
            <span className="muted small">
              {' '}
              · collected {when(r.collected_at)}
              {r.listing_status && ` · ${r.listing_status}`}
              {r.list_price !== null && ` · asking ${dollars(r.list_price)}`}
            </span>
            {r.listing_url && (
              <>
                {' · '}
                <a href={r.listing_url} target="_blank" rel="noreferrer">
                  Listing
                </a>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
