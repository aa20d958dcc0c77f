import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** A data folder that cannot hold our files stops every shell at once, naming PHOENIX_DATA_DIR and why. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-datadir-'));
fs.chmodSync(scratch, 0o755);
afterAll(() => {
  fs.chmodSync(path.join(scratch, 'read-only'), 0o755);
  fs.rmSync(scratch, { recursive: true, force: true });
});

const aFile = path.join(scratch, 'a-file');
fs.writeFileSync(aFile, 'not a folder');
const readOnly = path.join(scratch, 'read-only');
fs.mkdirSync(readOnly, { mode: 0o555 });
fs.chmodSync(readOnly, 0o555);

/** The CLI as an unprivileged user: root writes through any mode bits, so as root it runs as nobody. */
function cli(dataDir: string, unprivileged: boolean) {
  const asNobody = unprivileged && process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  return spawnSync(process.execPath, [path.resolve('bin/phoenix-re.js'), 'health'], {
    encoding: 'utf8',
    cwd: scratch,
    env: { PATH: process.env.PATH, HOME: scratch, PHOENIX_DATA_DIR: dataDir, MONGODB_URI: 'mongodb://127.0.0.1:9/never_reached' },
    timeout: 60_000,
    killSignal: 'SIGKILL',
    ...asNobody,
  });
}

describe('an unusable data folder', () => {
  it.each([
    ['a file', aFile, 'is a file, not a folder', false],
    ['under a file', path.join(aFile, 'sub'), `cannot be created: ${aFile} is a file, not a folder`, false],
    ['read-only', readOnly, 'is not writable by this user (permission denied) [EACCES]', true],
    ['below a read-only folder', path.join(readOnly, 'data'), 'is not writable by this user (permission denied) [EACCES]', true],
    ['on procfs', '/proc/self/net', 'is on procfs, a kernel file system that cannot hold files', false],
  ])('%s: exits 1 naming PHOENIX_DATA_DIR and the problem, without a stack trace', (_what, dir, problem, unprivileged) => {
    const res = cli(dir, unprivileged);
    expect(res.signal, 'the process had to be killed').toBeNull();
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe(`PHOENIX_DATA_DIR: the data folder ${dir} ${problem}. Point PHOENIX_DATA_DIR at a writable folder on a local disk.`);
    expect(res.stderr).not.toMatch(/^\s+at /m);
  });
});
