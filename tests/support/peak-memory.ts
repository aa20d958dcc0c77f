import { spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * Peak resident memory of a live process, in MB (VmHWM of /proc/<pid>/status). Throws once it has
 * exited: its status file is gone, or (a zombie not yet reaped) has no VmHWM line, which read as
 * NaN would turn the whole watch's peak into NaN.
 */
export function peakRssMb(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`process ${pid} has exited: no VmHWM in its status`);
  return Number(kb) / 1024;
}

/** What a watched process did: its exit code, its output and its peak resident memory (MB). */
export interface WatchedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  peakMb: number;
}

/**
 * Runs `node <args>` (a CLI entry point first) in `cwd` with exactly `env`, reading its peak
 * resident memory every `everyMs` until it exits: how the bounded-input tests show a refused
 * input cost bounded memory.
 */
export async function runWatchingMemory(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; everyMs?: number }): Promise<WatchedRun> {
  const child = spawn(process.execPath, [...args], { cwd: options.cwd, env: options.env });
  let stdout = '';
  let stderr = '';
  let peakMb = 0;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const watch = setInterval(() => {
    try {
      peakMb = Math.max(peakMb, peakRssMb(child.pid!));
    } catch {
      // The process has just exited.
    }
  }, options.everyMs ?? 50);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearInterval(watch);
  return { code, stdout, stderr, peakMb };
}
