// `npm start`: build the renderer and the Electron shell, then launch the desktop app. Where no
// Electron binary can be had (ELECTRON_SKIP_BINARY_DOWNLOAD, no network), say so and run the
// same console headless in the browser instead (`phoenix-re serve`).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = (cmd, args, env = process.env) => spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;

if (run('npm', ['run', 'build']) !== 0) process.exit(1);

function electronBinary() {
  try {
    return require('electron');
  } catch {
    return undefined;
  }
}

let binary = electronBinary();
if (!binary && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  run(process.execPath, [require.resolve('electron/install.js')]);
  binary = electronBinary();
}
if (binary) {
  process.exit(run(binary, ['.']));
}
console.error('No Electron binary is installed here; starting the headless console instead (open the URL below).');
process.exit(run(process.execPath, ['bin/phoenix-re.js', 'serve']));
