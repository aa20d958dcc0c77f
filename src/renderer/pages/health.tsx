import { useContractQuery } from '../api/use-bridge.js';
import { QueryState } from '../ui/state.js';

export function HealthPage() {
  const health = useContractQuery('health.get', undefined, { refetchInterval: 5_000 });
  return (
    <>
      <h1>Health</h1>
      <p className="muted">Checked every 5 seconds.</p>
      <QueryState query={health}>
        <table aria-label="Health checks">
          <tbody>
            {health.data?.checks.map((c) => (
              <tr key={c.name} data-testid={`check-${c.name}`}>
                <td className={c.ok ? 'ok' : 'error'}>{c.ok ? 'ok' : 'failing'}</td>
                <th scope="row">{c.name}</th>
                <td>{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
    </>
  );
}
