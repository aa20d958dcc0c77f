import { useState, type FormEvent } from 'react';
import { zipCodeProblem } from '../../shared/zip-code.js';
import { canResume, type Run } from '../../shared/schemas/run.js';
import { paceText, runPace } from '../../shared/sync-progress.js';
import { fileImportPace, fileImportText } from '../../shared/file-import-progress.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { ExportButton } from '../ui/csv.js';
import { routeHash } from '../ui/router.js';
import { ActionError, QueryState, int, when } from '../ui/state.js';

/**
 * A run's progress: its counters against its total, when it has one; for a county layer sync,
 * its plan (the run's message while it runs) and its pace (rate and time left, shared/sync-progress.ts);
 * for a file import that counts bytes (the county parcel file), the bytes read and its pace
 * (shared/file-import-progress.ts).
 */
export function RunProgress({ run }: { run: Run }) {
  const done = (run.counters.fetched ?? 0) + (run.counters.cached ?? 0) + (run.counters.failed ?? 0) + (run.counters.skipped ?? 0) + (run.counters.completed ?? 0) + (run.counters.review ?? 0) + (run.counters.retry ?? 0);
  const cancel = useContractMutation('runs.cancel', ['runs.list']);
  // A file import counts the file's bytes: its records are not known before it is read.
  const bytesTotal = run.counters.bytes_total;
  return (
    <div className="progress" data-testid={`run-${run._id}`}>
      <label>
        {run.kind}
        {run.source ? ` · ${run.source}` : ''} · {run.status}
        {bytesTotal !== undefined ? (
          <progress max={Math.max(1, bytesTotal)} value={run.counters.bytes_read ?? 0} aria-label={`Progress of run ${run._id}`} />
        ) : (
          <progress max={run.total ?? undefined} value={run.total ? done : undefined} aria-label={`Progress of run ${run._id}`} />
        )}
      </label>
      <span className="muted">
        {run.total ? `${int(done)} of ${int(run.total)}` : `${int(done)} so far`} · {Object.entries(run.counters).map(([k, v]) => `${k} ${v}`).join(', ')}
      </span>
      {bytesTotal !== undefined && run.status === 'running' && (
        <span className="muted small" aria-label={`Pace of run ${run._id}`}>
          {fileImportText(fileImportPace(run), 'parcels')}
        </span>
      )}
      {run.source === 'county_layer' && run.kind === 'sync' && run.status === 'running' && (
        <span className="muted small" aria-label={`Plan and pace of run ${run._id}`}>
          {run.message ? `${run.message} · ` : ''}
          {paceText(runPace(run), 'parcels')}
        </span>
      )}
      {run.status === 'running' && (
        <button type="button" className="secondary" onClick={() => cancel.mutate({ runId: run._id })} disabled={cancel.isPending}>
          Cancel
        </button>
      )}
      <ActionError error={cancel.error} what="Cancel" />
    </div>
  );
}

/** Resume for a sync that was cancelled, failed or interrupted (its owner killed): nothing it stored is fetched again. */
function ResumeButton({ run }: { run: Run }) {
  const resume = useContractMutation('runs.resume', ['runs.list']);
  return (
    <>
      <button type="button" className="secondary" onClick={() => resume.mutate({ runId: run._id })} disabled={resume.isPending || resume.isSuccess} aria-label={`Resume run ${run._id}`}>
        Resume
      </button>
      <ActionError error={resume.error} what="Resume" />
    </>
  );
}

export function RunHistory({ runs, name }: { runs: Run[]; name: string }) {
  if (runs.length === 0) return <p className="muted">No runs yet.</p>;
  return (
    <>
      <ExportButton name={name} rows={() => runs.map((r) => ({ id: r._id, kind: r.kind, source: r.source, trigger: r.trigger, status: r.status, started_at: r.started_at, finished_at: r.finished_at, message: r.message, ...r.counters }))} />
      <table aria-label="Run history">
        <thead>
          <tr><th>Started</th><th>Source</th><th>Trigger</th><th>Status</th><th>Message</th><th></th></tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r._id}>
              <td><a href={routeHash('runs', r._id)}>{when(r.started_at)}</a></td>
              <td>{r.source ?? '—'}</td>
              <td>{r.trigger}</td>
              <td className={`status-${r.status}`}>{r.status}</td>
              <td>{r.message ?? ''}</td>
              <td>{canResume(r) && <ResumeButton run={r} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * The sync this card started, as it stands: started while it runs, then how it ended and its
 * message (a failure as an alert, with Resume only when a resume can help: canResume). Issue #23:
 * a failed sync left the card at "Run … started".
 */
function StartedRun({ runId, run }: { runId: string; run: Run | undefined }) {
  const label = `Run ${runId.slice(0, 8)}`;
  if (!run || run.status === 'running') return <p role="status" className="muted">{label} started.</p>;
  const text = `${label} ${run.status}${run.message ? `: ${run.message}` : '.'}`;
  return (
    <div className="started-run">
      {run.status === 'failed' ? <p role="alert" className="error">{text}</p> : <p role="status" className="muted">{text}</p>}
      {canResume(run) && <ResumeButton run={run} />}
    </div>
  );
}

function SyncCard({ source, title, note, defaultZips }: { source: 'maricopa_api' | 'phoenix_mls' | 'county_layer'; title: string; note: string; defaultZips: string }) {
  const runs = useContractQuery('runs.list', { limit: 50, kind: 'sync' });
  const sync = useContractMutation('collect.sync', ['runs.list']);
  const [zipError, setZipError] = useState<string | null>(null);
  // What the user typed wins: the settings' ZIP codes fill the field only until then, however
  // late their answer arrives.
  const [typedZips, setTypedZips] = useState<string | null>(null);
  const running = runs.data?.items.filter((r) => r.status === 'running' && r.source === source) ?? [];
  const onSync = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const zips = String(form.get('zips') ?? '').split(/[\s,]+/).filter(Boolean);
    const problem = zips.map(zipCodeProblem).find((p) => p !== null);
    if (zips.length === 0 || problem) return setZipError(problem ?? 'Give at least one ZIP code.');
    setZipError(null);
    const limit = Number(form.get('limit'));
    sync.mutate({ source, zips, ...(limit > 0 && { limit }) });
  };
  const id = `${source}-title`;
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <p className="muted small">{note}</p>
      <form onSubmit={onSync} className="inline-form" aria-label={`Sync ${title}`}>
        <label>
          ZIP codes <input name="zips" value={typedZips ?? defaultZips} onChange={(e) => setTypedZips(e.target.value)} aria-invalid={zipError !== null} aria-describedby={`${source}-zip-error`} />
        </label>
        <label>
          Limit <input name="limit" type="number" min={1} placeholder="all" size={6} />
        </label>
        <button type="submit" disabled={sync.isPending}>Sync now</button>
      </form>
      {zipError && <p id={`${source}-zip-error`} role="alert" className="error">{zipError}</p>}
      <ActionError error={sync.error} what="Sync" />
      {sync.data && <StartedRun runId={sync.data.runId} run={runs.data?.items.find((r) => r._id === sync.data.runId)} />}
      {running.map((r) => <RunProgress key={r._id} run={r} />)}
    </section>
  );
}

type ImportKind = 'armls' | 'assessor' | 'parcels';

/** An example path for each kind of import. */
const IMPORT_PLACEHOLDERS: Record<ImportKind, string> = {
  armls: '/home/me/Downloads/export.csv',
  assessor: '/home/me/parcels/',
  parcels: '/home/me/Downloads/Parcels.geojson',
};

/**
 * Import the analyst's own files: an ARMLS CSV export, or assessor `/parcel` answers saved as
 * JSON (a file or a folder of them), by their path on this computer; a live progress bar with
 * Cancel, and the bad rows of the last imports with their row numbers.
 */
function ImportCard() {
  const runs = useContractQuery('runs.list', { limit: 20, kind: 'import' });
  const start = useContractMutation('collect.import', ['runs.list']);
  const [kind, setKind] = useState<ImportKind>('armls');
  const imports = runs.data?.items ?? [];
  const running = imports.filter((r) => r.status === 'running');
  const last = imports.find((r) => r.status !== 'running');
  const onImport = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    start.mutate({ kind, path: String(form.get('path') ?? '') });
  };
  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import</h2>
      <p className="muted small">
        Your own files, stored and queued like a sync: an ARMLS CSV export (closed sales become comparables), assessor parcel answers saved as JSON, one parcel a file named by its APN (501-79-632.json), or the county&apos;s parcel file as downloaded from its open-data portal (GeoJSON or CSV in WGS 84; every parcel with its point and last sale, stored as the county layer sync stores it). Importing a file again changes nothing.
      </p>
      <form onSubmit={onImport} className="inline-form" aria-label="Import a file">
        <label>
          Kind{' '}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
            <option value="armls">ARMLS export (.csv)</option>
            <option value="assessor">Assessor parcels (.json file or folder)</option>
            <option value="parcels">County parcel file (.geojson or .csv)</option>
          </select>
        </label>
        <label>
          Path on this computer <input name="path" required size={40} placeholder={IMPORT_PLACEHOLDERS[kind]} />
        </label>
        <button type="submit" disabled={start.isPending}>Import</button>
      </form>
      <ActionError error={start.error} what="Import" />
      {start.data && <p role="status" className="muted">Import {start.data.runId.slice(0, 8)} started.</p>}
      {running.map((r) => <RunProgress key={r._id} run={r} />)}
      {last && (
        <div aria-label="Last import">
          <p className="muted small">
            Last import ({when(last.started_at)}, {last.status}): {last.message ?? ''}
          </p>
          {last.errors.length > 0 && (
            <ul className="small" aria-label="Bad rows of the last import">
              {last.errors.slice(0, 20).map((e, i) => <li key={i}>{e.message}</li>)}
              {last.errors_count > 20 && <li className="muted">and {int(last.errors_count - 20)} more</li>}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

export function CollectionPage() {
  const runs = useContractQuery('runs.list', { limit: 50, kind: 'sync' });
  const settings = useContractQuery('settings.get');
  const schedules = useContractQuery('schedule.list');
  const toggle = useContractMutation('schedule.setEnabled', ['schedule.list']);
  const runNow = useContractMutation('schedule.runNow', ['runs.list', 'schedule.list']);
  const defaultZips = settings.data?.settings.find((s) => s.env === 'TARGET_ZIP_CODES')?.input ?? '';

  return (
    <>
      <h1>Collection</h1>
      <div className="cards-2">
        <SyncCard source="maricopa_api" title="Maricopa County Assessor" note="Parcels from the assessor API, rate-limited, cached for resumes." defaultZips={defaultZips} />
        <SyncCard source="phoenix_mls" title="Phoenix MLS" note="Active listings through a browser, WebShare proxies and 2captcha (see Health for the balance)." defaultZips={defaultZips} />
        <SyncCard
          source="county_layer"
          title="County parcel layer"
          note="Every parcel of the ZIP codes from the county's public parcel layer, 1,000 a page: coordinates, last sale, values. Merged with the assessor's and ARMLS records of the same APN; resumable from the last page stored."
          defaultZips={defaultZips}
        />
      </div>
      <ImportCard />

      <h2>Schedules</h2>
      <QueryState query={schedules} empty={schedules.data?.jobs.length === 0 ? 'No scheduled jobs (SCHEDULES is empty).' : false}>
        <table aria-label="Schedules">
          <thead>
            <tr><th>Job</th><th>Cron (Phoenix)</th><th>On</th><th>Next</th><th>Last</th><th></th></tr>
          </thead>
          <tbody>
            {schedules.data?.jobs.map((j) => (
              <tr key={j.id}>
                <td>{j.description ?? j.id}</td>
                <td><code>{j.cron}</code></td>
                <td>
                  <input type="checkbox" checked={j.enabled} aria-label={`${j.id} on`} onChange={(e) => toggle.mutate({ id: j.id, enabled: e.target.checked })} />
                </td>
                <td>{j.running ? `running since ${when(j.running.since)}` : when(j.next_run_at)}</td>
                <td>{j.last_run ? `${j.last_run.status} (${j.last_run.trigger}), ${when(j.last_run.started_at)}` : 'never'}</td>
                <td><button type="button" className="secondary" onClick={() => runNow.mutate({ id: j.id })}>Run now</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      </QueryState>
      <ActionError error={toggle.error ?? runNow.error} what="The schedule change" />
      {runNow.data?.status === 'skipped' && <p role="status" className="error">{runNow.data.message}</p>}

      <h2>Sync history</h2>
      <QueryState query={runs}>
        <RunHistory runs={runs.data?.items ?? []} name="sync-runs.csv" />
      </QueryState>
    </>
  );
}
