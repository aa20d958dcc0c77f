#!/usr/bin/env node
// The `phoenix-re` command. Runs a bundle of the CLI (dist/cli/phoenix-re.mjs, built here with
// esbuild when missing or older than a source file: about 0.3 s, once), because compiling the
// TypeScript sources through tsx on every start cost seconds per command (issue #23). Falls back
// to tsx when the bundle cannot be built, so it works right after `npm ci` with no build step.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'cli', 'phoenix-re.mjs');

/** The newest modification time (ms) of the files under `dir`, 0 when there is none. */
function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
  }
  return latest;
}

/** Whether the bundle is there and newer than every source it is made of. */
function fresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    return built >= Math.max(newest(path.join(root, 'src', 'main')), newest(path.join(root, 'src', 'shared')), fs.statSync(fileURLToPath(import.meta.url)).mtimeMs);
  } catch {
    return false;
  }
}

/** Build the bundle (written beside and renamed, so a concurrent start never reads half of one); false when it cannot be. */
async function build() {
  try {
    const esbuild = await import('esbuild');
    const tmp = `${bundle}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    await esbuild.build({ entryPoints: [path.join(root, 'src', 'main', 'cli', 'main.ts')], outfile: tmp, bundle: true, platform: 'node', format: 'esm', packages: 'external', target: 'node20', logLevel: 'silent' });
    fs.renameSync(tmp, bundle);
    return true;
  } catch {
    return false;
  }
}

let runCli;
if (process.env.PHOENIX_CLI_FROM_SOURCES !== '1' && (fresh() || (await build()))) {
  ({ runCli } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../src/main/cli/main.ts'));
}
await runCli(process.argv);
