import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder holding our package.json, found by walking up from this module, so paths to
 * `tools/` and `dist/` hold whether we run from sources (tsx) or from the Electron bundle.
 */
export function appRoot(): string {
  if (cached) return cached;
  cached = findRoot();
  // Packaged: files that must be real files (tools/ferretdb, run by bash) sit in app.asar.unpacked.
  if (cached.endsWith('.asar')) cached = `${cached}.unpacked`;
  return cached;
}

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'phoenix-re-console') return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
