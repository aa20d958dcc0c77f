import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = fs.readFileSync('README.md', 'utf8');
const ci = fs.readFileSync('.ci/run', 'utf8');
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

describe('install on any machine', () => {
  it('CI installs with the README\'s own command and no variable that skips the Electron download', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(ci).toMatch(/^npm ci(\s+#.*)?$/m);
    expect(ci).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
  });

  it('Electron cannot fail the install: an optional dependency whose download runs in our tolerant postinstall', () => {
    expect(pkg.optionalDependencies?.electron).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies.electron).toBeUndefined();
    expect(pkg.dependencies.electron).toBeUndefined();
    expect(pkg.allowScripts?.electron).toBe(false);
    expect(pkg.scripts.postinstall).toBe('node scripts/install-electron.js');
  });
});
