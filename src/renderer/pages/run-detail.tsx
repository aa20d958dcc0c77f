import { canResume, type Run } from '../../shared/schemas/run.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { navigate, routeHash } from '../ui/router.js';
import { ActionError, QueryState, dash, int } from '../ui/state.js';

/** A moment to the second, in Phoenix time (a run's events are seconds apart). */
const at = (d: Date | string) => new Date(d).toLocaleString('en-US', { timeZone: 'America/Phoenix', dateStyle: 'medium', timeStyle: 'medium' });

/** What happened in a run, in time order: start, each error, the last progress, the end. */
function timeline(run: Run): { at: Date | string; what: string }[] {
  const events: { at: Date | string; what: string }[] = [{ at: run.started_at, what: `started (${run.trigger})` }];
  for (const e of run.errors) events.push({ at: e.at, what: `error: ${e.message}` });
  if (run.status === 'running') events.push({ at: run.updated_at, what: 'last progress' });
  if (run.finished_at) events.push({ at: run.finished_at, what: `${run.status}${run.message ? `: ${run.message}` : ''}` });
  return events.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
}

/**
 * One run (`#/runs/<id>`): its parameters, counters, errors and timeline, live while it runs;
 * Cancel for a running run, Resume for an assessor sync that was cancelled, failed or interrupted.
 */
export function RunDetailPage({ runId }: { runId: string }) {
  const run = useContractQuery('runs.get', { runId });
  const cancel = useContractMutation('runs.cancel', ['runs.get', 'runs.list']);
  const resume = useContractMutation('runs.resume', ['runs.get', 'runs.list']);
  const r = run.data;
  const resumable = r !== undefined && canResume(r);
  return (
    <>
      <p>
        <a href={routeHash(r?.kind === 'process' ? 'processing' : 'collection')}>← {r?.kind === 'process' ? 'Processing' : 'Collection'}</a>
      </p>
      <h1 tabIndex={-1}>Run {runId.slice(0, 8)}</h1>
      <QueryState query={run}>
        {r && (
          <>
            <p>
              {r.kind}
              {r.source ? ` · ${r.source}` : ''} · <strong className={`status-${r.status}`} data-testid="run-status">{r.status}</strong>
              {r.message && <span className="muted"> · {r.message}</span>}
            </p>
            <div className="actions">
              {r.status === 'running' && (
                <button type="button" className="secondary" onClick={() => cancel.mutate({ runId })} disabled={cancel.isPending}>
                  Cancel
                </button>
              )}
              {resumable && (
                <button type="button" onClick={() => resume.mutate({ runId }, { onSuccess: (res) => navigate(routeHash('runs', res.runId)) })} disabled={resume.isPending}>
                  Resume
                </button>
              )}
              {cancel.data && !cancel.data.cancelled && <span role="status">Not running in this process.</span>}
            </div>
            <ActionError error={cancel.error} what="Cancel" />
            <ActionError error={resume.error} what="Resume" />
            <div className="two-col">
              <section aria-labelledby="run-params">
                <h2 id="run-params">Parameters</h2>
                <dl className="facts" data-testid="run-params">
                  {Object.entries(r.params).map(([k, v]) => (
                    <div key={k} className="fact">
                      <dt>{k}</dt>
                      <dd>{Array.isArray(v) ? v.join(', ') || '—' : dash(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</dd>
                    </div>
                  ))}
                </dl>
              </section>
              <section aria-labelledby="run-counters">
                <h2 id="run-counters">Counters</h2>
                <dl className="facts" data-testid="run-counters">
                  {r.total !== null && (
                    <div className="fact">
                      <dt>total</dt>
                      <dd>{int(r.total)}</dd>
                    </div>
                  )}
                  {Object.entries(r.counters).map(([k, v]) => (
                    <div key={k} className="fact">
                      <dt>{k}</dt>
                      <dd>{int(v)}</dd>
                    </div>
                  ))}
                </dl>
              </section>
            </div>
            <h2>Errors ({int(r.errors_count)})</h2>
            {r.errors.length === 0 ? <p className="muted">No errors.</p> : (
              <ol className="reasons" data-testid="run-errors">
                {r.errors.map((e, i) => <li key={i}>{at(e.at)}: {e.message}</li>)}
              </ol>
            )}
            {r.errors_count > r.errors.length && <p className="muted small">The latest {r.errors.length} of {int(r.errors_count)} are kept.</p>}
            <h2>Timeline</h2>
            <table aria-label="Timeline">
              <thead><tr><th>When</th><th>What</th></tr></thead>
              <tbody>
                {timeline(r).map((e, i) => <tr key={i}><td>{at(e.at)}</td><td>{e.what}</td></tr>)}
              </tbody>
            </table>
          </>
        )}
      </QueryState>
    </>
  );
}
