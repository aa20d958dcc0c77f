// `npm start`: build the renderer and the Electron shell, then launch the desktop app. Where no
// Electron binary can be had (no route to its download host, ELECTRON_SKIP_BINARY_DOWNLOAD), say
// so in one line and run the same console headless in the browser instead (`phoenix-re serve`,
// with any arguments given after `npm start --`).
import { spawnSync } from 'node:child_process';
import { ensureElectronBinary } from './electron-binary.js';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;

if (run('npm', ['run', 'build']) !== 0) process.exit(1);

const electron = ensureElectronBinary({ timeoutMs: 60_000 });
if (electron.binary) process.exit(run(electron.binary, ['.']));
console.error(`No Electron binary (${electron.reason}): the console runs headless instead; open the URL below.`);
process.exit(run(process.execPath, ['bin/phoenix-re.js', 'serve', ...process.argv.slice(2)]));
