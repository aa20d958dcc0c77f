import os from 'node:os';
import { canResume, type Run } from '../../shared/schemas/run.js';
import type { RunRepository } from '../db/repositories/runs.js';
import type { Clock } from '../runtime/clock.js';

/** How often the owner of a running run renews its heartbeat. */
export const RUN_HEARTBEAT_MS = 15_000;
/** A heartbeat older than this means the owner is gone (six beats missed). */
export const RUN_STALE_MS = 6 * RUN_HEARTBEAT_MS;

export interface OrphanOptions {
  clock: Clock;
  staleMs?: number;
  /** Whether a process of this machine is alive; default: signal 0. */
  pidAlive?: (pid: number) => boolean;
}

/**
 * Mark `interrupted` every run still `running` whose owner is gone: a process of this machine
 * that no longer exists (found at once, after a kill -9 say), or any owner whose heartbeat is
 * older than `staleMs` (another machine's crash). A run of this process is never touched.
 * Returns the runs it marked; each message says why and, where it can be, how to resume.
 */
export async function interruptOrphanedRuns(runs: RunRepository, options: OrphanOptions): Promise<Run[]> {
  const now = options.clock().getTime();
  const staleMs = options.staleMs ?? RUN_STALE_MS;
  const pidAlive = options.pidAlive ?? isPidAlive;
  const marked: Run[] = [];
  for (const run of await runs.running()) {
    if (run.owner !== null && run.owner === runs.owner) continue;
    const reason = goneReason(run, now, staleMs, pidAlive);
    if (!reason) continue;
    const resume = canResume({ ...run, status: 'interrupted' }) ? `; resume with: phoenix-re sync --resume ${run._id} (or Resume in the console)` : '';
    const done = await runs.interrupt(run, `Interrupted: ${reason}${resume}`);
    if (done) marked.push(done);
  }
  return marked;
}

function goneReason(run: Run, now: number, staleMs: number, pidAlive: (pid: number) => boolean): string | null {
  const owner = run.owner ?? 'an earlier version';
  const [host, pid] = (run.owner ?? '').split(':');
  if (host === os.hostname() && pid && /^\d+$/.test(pid) && !pidAlive(Number(pid))) return `its process (${owner}) stopped without finishing it`;
  const beat = (run.heartbeat_at ?? run.updated_at).getTime();
  if (now - beat > staleMs) return `no heartbeat from ${owner} since ${new Date(beat).toISOString()}`;
  return null;
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
