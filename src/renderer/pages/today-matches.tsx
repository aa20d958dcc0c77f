import { useContractMutation } from '../api/use-bridge.js';
import { dollars } from '../../shared/money-format.js';
import { routeHash } from '../ui/router.js';
import { useSearchAlerts } from '../ui/search-alerts.js';
import { ActionError, QueryState, int, when } from '../ui/state.js';

/** The Dashboard's list of today's new matches and price drops of the saved searches. */
export function TodayMatches() {
  const alerts = useSearchAlerts();
  const seen = useContractMutation('searches.markSeen', ['searches.alerts']);
  const items = alerts.data?.items ?? [];
  return (
    <section aria-labelledby="today-matches">
      <h2 id="today-matches">Today's new matches</h2>
      <QueryState query={alerts} empty={items.length === 0 ? 'No new matches today. Save a search on the Properties page to be alerted.' : false}>
        <div className="actions">
          <span className="muted">{int(alerts.data?.unseen ?? 0)} unseen</span>
          <button type="button" className="secondary" onClick={() => seen.mutate({})} disabled={seen.isPending || alerts.data?.unseen === 0}>
            Mark all seen
          </button>
        </div>
        <ActionError error={seen.error} what="Mark seen" />
        <table aria-label="Today's new matches">
          <thead><tr><th>When</th><th>Search</th><th>Property</th><th>What</th><th>Price</th></tr></thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} className={a.seen ? '' : 'unseen'}>
                <td>{when(a.at)}</td>
                <td>{a.search_name}</td>
                <td><a href={routeHash('properties', a.property_id)}>{a.address ?? a.property_id}</a></td>
                <td>{a.kind === 'new_match' ? 'new match' : 'price drop'}</td>
                <td>
                  {a.price === null ? '—' : dollars(a.price)}
                  {a.previous_price !== null && <span className="muted"> (was {dollars(a.previous_price)})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
    </section>
  );
}
