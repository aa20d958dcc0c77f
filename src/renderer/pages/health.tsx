import { useContractQuery } from '../api/use-bridge.js';
import { QueryState } from '../ui/state.js';

const LEVEL_TEXT = { ok: 'ok', warn: 'warning', fail: 'failing' } as const;
const LEVEL_CLASS = { ok: 'ok', warn: 'warn', fail: 'error' } as const;

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
                <td className={LEVEL_CLASS[c.level]}>{LEVEL_TEXT[c.level]}</td>
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
