import fs from 'node:fs';
import path from 'node:path';
import { SettingsError } from './settings-error.js';

/**
 * Kernel file systems (`statfs` magic numbers) that hold no files of ours: procfs, sysfs,
 * devpts, cgroup (v1 and v2), debugfs, tracefs, securityfs, configfs, pstore, bpf.
 */
const VIRTUAL_FILE_SYSTEMS = new Map<number, string>([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
]);

const REASONS: Record<string, string> = {
  EACCES: 'is not writable by this user (permission denied)',
  EPERM: 'is not writable by this user (operation not permitted)',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'is on a full disk',
  EDQUOT: 'is over its disk quota',
  ENOTDIR: 'has a file, not a folder, in its path',
};

/**
 * Make sure the data folder can hold our files before anything is written there: it is a folder
 * (created if missing), on a real file system (not procfs, sysfs and the like) and writable.
 * Throws a SettingsError naming PHOENIX_DATA_DIR, the folder and the problem, so every shell
 * stops at once with a line to act on (no stack trace, no retry loop on a kernel file system).
 */
export function ensureDataFolder(dir: string): void {
  const fail = (problem: string) =>
    new SettingsError(`PHOENIX_DATA_DIR: the data folder ${dir} ${problem}. Point PHOENIX_DATA_DIR at a writable folder on a local disk.`);
  const existing = nearestExisting(dir);
  const kind = VIRTUAL_FILE_SYSTEMS.get(Number(fs.statfsSync(existing).type));
  if (kind) throw fail(`is on ${kind}, a kernel file system that cannot hold files`);
  if (existing === dir && !fs.statSync(dir).isDirectory()) throw fail('is a file, not a folder');
  if (existing !== dir && !fs.statSync(existing).isDirectory()) throw fail(`cannot be created: ${existing} is a file, not a folder`);
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(probe, '');
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw fail(`${REASONS[code] ?? `cannot be written (${(error as Error).message})`}${code ? ` [${code}]` : ''}`);
  }
}

/** `dir` itself when it exists, else its nearest existing ancestor. */
function nearestExisting(dir: string): string {
  let at = path.resolve(dir);
  while (!fs.existsSync(at)) {
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  return at;
}
