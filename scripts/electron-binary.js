// Electron's binary, which the `electron` package downloads from GitHub (or ELECTRON_MIRROR) after
// install. `electron` is an optional dependency whose own install script is denied in
// package.json (`allowScripts`): npm never fails on it. `npm ci` runs `postinstall`
// (scripts/install-electron.js) and `npm start` runs `ensureElectronBinary`, which try the download
// once and, where it cannot be had, report why in one line instead of a stack trace.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The path of the installed Electron executable, or undefined when there is none. */
export function installedElectronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** The first line of what a failed download printed (its error), without the stack. */
function firstLine(text) {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  return line ? line.slice(0, 200) : undefined;
}

/**
 * Download Electron's binary unless it is installed: runs the `electron` package's own
 * `install.js` (which honours ELECTRON_MIRROR, ELECTRON_SKIP_BINARY_DOWNLOAD and its cache) with
 * its output captured. Gives `{ binary }` on success, else `{ reason }`: why there is no binary,
 * in a few words for one line. `timeoutMs` bounds a download that hangs on a host without a route.
 */
export function ensureElectronBinary({ timeoutMs }) {
  const installed = installedElectronBinary();
  if (installed) return { binary: installed };
  let installer;
  try {
    installer = require.resolve('electron/install.js');
  } catch {
    return { reason: 'npm left the electron package out, as it does when its download fails' };
  }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return { reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD is set' };
  const result = spawnSync(process.execPath, [installer], { encoding: 'utf8', timeout: timeoutMs });
  const binary = installedElectronBinary();
  if (binary) return { binary };
  if (result.error?.code === 'ETIMEDOUT') return { reason: `its download did not finish within ${Math.round(timeoutMs / 1000)} s` };
  return { reason: `its download failed: ${firstLine(`${result.stderr}\n${result.stdout}`) ?? `exit code ${result.status}`}` };
}
