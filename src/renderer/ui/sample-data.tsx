import type { MethodName } from '../../shared/contract.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { counted } from '../../shared/plural.js';
import { ActionError, int } from './state.js';

/** Everything the sample changes: read again after it is loaded or removed. */
const TOUCHED: MethodName[] = ['sample.status', 'properties.list', 'properties.get', 'stats.overview', 'queue.summary', 'queue.items', 'runs.list', 'costs.summary'];

/** The "sample" badge of a record the sample data made. */
export function SampleBadge() {
  return (
    <span className="badge" title="Sample data: phoenix-re sample remove (or Remove sample data) deletes it">
      sample
    </span>
  );
}

/**
 * On an empty database, the offer to load the sample data (12 real assessor parcels and 4 sample
 * listings, processed by the rules provider); while sample records are there, how many and the
 * button that removes them. Nothing otherwise.
 */
export function SampleOffer() {
  const status = useContractQuery('sample.status', undefined, { refetchInterval: 10_000 });
  const load = useContractMutation('sample.load', TOUCHED);
  const remove = useContractMutation('sample.remove', TOUCHED);
  const s = status.data;
  if (!s) return null;
  if (s.total === 0 || load.isPending) {
    return (
      <section className="panel sample-offer" aria-label="Sample data">
        <p>
          The database is empty. Load sample data to see what the console does: the 12 real Maricopa County Assessor parcels and 4 sample listings, stored, queued and
          processed like a sync (rules provider: no keys, no network, no cost). They are marked “sample” and can be removed at any time.
        </p>
        <button type="button" onClick={() => load.mutate({})} disabled={load.isPending}>
          {load.isPending ? 'Loading sample data…' : 'Load sample data'}
        </button>
        <ActionError error={load.error} what="Loading the sample data" />
      </section>
    );
  }
  if (s.records === 0) return null;
  return (
    <p className="sample-offer" role="status">
      {counted(s.properties, 'sample property', 'sample properties', int)} <SampleBadge /> ({counted(s.records, 'record', 'records', int)}: a listing and its parcel make one property) are in the database.{' '}
      <button type="button" className="secondary" onClick={() => remove.mutate({})} disabled={remove.isPending}>
        Remove sample data
      </button>
      <ActionError error={remove.error} what="Removing the sample data" />
    </p>
  );
}
