// `postinstall`: fetch Electron's binary for the desktop app. Where it cannot be downloaded (no
// route to GitHub, a firewall), say so in one line and succeed: `npm start` then runs the same
// console headless in the browser.
import { ensureElectronBinary } from './electron-binary.js';

const result = ensureElectronBinary({ timeoutMs: 10 * 60_000 });
if (!result.binary) {
  console.warn(`No Electron binary (${result.reason}); the desktop app is unavailable and \`npm start\` will run the console headless in your browser.`);
}
