import type { Run } from '../../../shared/schemas/run.js';
import type { RunRepository } from '../../db/repositories/runs.js';
import { RUN_STALE_MS } from '../../runs/orphaned-runs.js';

/**
 * Refuse an import while an earlier one of the same file or folder is still running, in this
 * process or another (its run is `running` with a heartbeat younger than RUN_STALE_MS; a run
 * whose owner died does not block). Two imports of one file would store the same rows twice
 * over and each count the other's work. Of two started at once, the later (by start time, then
 * id) gives way, so exactly one goes on.
 *
 * Throws, naming the file and the run to wait for or cancel.
 */
export async function refuseSecondImport(runs: RunRepository, self: Run, param: 'file' | 'path', target: string, now: Date): Promise<void> {
  const earlier = (await runs.running()).find(
    (r) =>
      r._id !== self._id &&
      r.kind === 'import' &&
      r.params[param] === target &&
      now.getTime() - (r.heartbeat_at ?? r.updated_at).getTime() <= RUN_STALE_MS &&
      (r.started_at.getTime() < self.started_at.getTime() || (r.started_at.getTime() === self.started_at.getTime() && r._id < self._id)),
  );
  if (earlier) {
    throw new Error(`${target} is being imported already (run ${earlier._id}, started ${earlier.started_at.toISOString()}): wait for it to end, or cancel it, then import again`);
  }
}
