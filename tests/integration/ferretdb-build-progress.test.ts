import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

// Issue #23: the first `npm start` was silent for minutes while FerretDB built. The real build
// (Go's build cache makes a second one quick) says each step on stderr; stdout stays the path.
it('the FerretDB build says its steps on stderr as it goes, stdout only the binary path', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-ferretdb-build-'));
  dirs.push(dir);
  const out = path.join(dir, 'ferretdb-test');
  const res = spawnSync('bash', ['tools/ferretdb/build.sh', out], { encoding: 'utf8', timeout: 600_000 });
  expect(res.status, res.stderr).toBe(0);
  expect(res.stdout).toBe(`${out}\n`);
  const steps = res.stderr.split('\n').filter((l) => l.startsWith('FerretDB build ('));
  expect(steps.map((l) => l.replace(/^FerretDB build \(\d+ s\): /, ''))).toEqual(
    expect.arrayContaining(['downloading FerretDB from the Go module proxy...', 'applying our patches...', 'compiling with Go (a few minutes the first time; it is cached afterwards)...', `done: ${out}`]),
  );
  expect(fs.existsSync(out)).toBe(true);
}, 600_000);
