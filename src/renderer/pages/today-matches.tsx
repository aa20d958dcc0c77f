import { useContractMutation } from '../api/use-bridge.js';
import { dollars } from '../../shared/money-format.js';
import { alertGroupText, groupAlerts, type AlertGroup } from '../../shared/alert-groups.js';
import { routeHash } from '../ui/router.js';
import { useSearchAlerts } from '../ui/search-alerts.js';
import { ActionError, QueryState, int, when } from '../ui/state.js';

/** One saved search's alerts of one kind: its count, unseen and newest, and the alerts when expanded. */
function AlertGroupRow({ group }: { group: AlertGroup }) {
  const name = `${group.search_name}: ${alertGroupText(group)}`;
  return (
    <li className={group.unseen > 0 ? 'unseen' : ''}>
      <details>
        <summary>
          <strong>{group.search_name}</strong>: {alertGroupText(group)}
          <span className="muted">
            {group.unseen > 0 && ` · ${int(group.unseen)} unseen`} · latest {when(group.latest)}
          </span>
        </summary>
        <table aria-label={`Alerts of ${name}`}>
          <thead><tr><th>When</th><th>Property</th><th>Price</th></tr></thead>
          <tbody>
            {group.alerts.map((a) => (
              <tr key={a.id} className={a.seen ? '' : 'unseen'}>
                <td>{when(a.at)}</td>
                <td><a href={routeHash('properties', a.property_id)}>{a.address ?? a.property_id}</a></td>
                <td>
                  {a.price === null ? '—' : dollars(a.price)}
                  {a.previous_price !== null && <span className="muted"> (was {dollars(a.previous_price)})</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </li>
  );
}

/** The Dashboard's list of today's new matches and price drops, grouped by saved search and kind. */
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
        <ul className="alert-groups" aria-label="Today's new matches">
          {groupAlerts(items).map((g) => <AlertGroupRow key={g.key} group={g} />)}
        </ul>
      </QueryState>
    </section>
  );
}
