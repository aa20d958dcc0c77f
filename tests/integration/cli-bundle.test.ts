import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

// Issue #23: every command compiled the TypeScript sources through tsx at start (seconds each).
// bin/phoenix-re.js builds a bundle of the CLI once and runs it; a source newer than the bundle
// makes it build again.
it('runs the CLI from a bundle it builds once, and builds it again when a source is newer', () => {
  const bundle = path.resolve('dist/cli/phoenix-re.mjs');
  fs.rmSync(bundle, { force: true });
  const first = spawnSync(process.execPath, ['bin/phoenix-re.js', '--help'], { encoding: 'utf8' });
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toContain('Usage: phoenix-re');
  expect(fs.existsSync(bundle)).toBe(true);
  // Made older than the sources: the next start rebuilds it.
  fs.utimesSync(bundle, new Date(0), new Date(0));
  const again = spawnSync(process.execPath, ['bin/phoenix-re.js', '--help'], { encoding: 'utf8' });
  expect(again.status, again.stderr).toBe(0);
  expect(fs.statSync(bundle).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
}, 120_000);
