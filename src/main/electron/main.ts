import path from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, screen, session, shell } from 'electron';
import { startCore, type StartedCore } from '../core/start-core.js';
import { guardContents } from './external-links.js';
import { denyPermissionsByDefault } from './permissions.js';
import { forwardEvents, registerContractHandlers } from './ipc.js';
import { APP_INDEX_URL, APP_ORIGIN, registerAppScheme, serveRenderer } from './protocol.js';
import { reportSaveDialog } from './report-dialog.js';
import { safeStorageCipher } from './secret-cipher.js';
import { secureWindowOptions } from './window.js';
import { loadWindowState, trackWindowState } from './window-state.js';

/**
 * The desktop shell, kept thin: start the core, serve the built renderer on `app://console`,
 * open one secure window, serve the contract over IPC to that page only, run the scheduler, stop
 * everything on quit (the core's close stops the scheduler and releases its leases).
 */
const here = path.dirname(new URL(import.meta.url).pathname);
const rendererDir = path.join(here, '..', 'renderer');

registerAppScheme(protocol);
if (!app.requestSingleInstanceLock()) app.quit();

let started: StartedCore | undefined;
let window: BrowserWindow | undefined;

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore();
  window?.focus();
});

app.on('web-contents-created', (_event, contents) => guardContents(contents, shell));

app.whenReady().then(async () => {
  denyPermissionsByDefault(session.defaultSession);
  serveRenderer(protocol, rendererDir);
  const userData = app.getPath('userData');
  started = await startCore({
    env: { PHOENIX_DATA_DIR: userData, ...process.env },
    secretCipher: safeStorageCipher(safeStorage),
    // properties.report asks where to save the PDF; the core writes it (issue #23).
    chooseReportPath: reportSaveDialog(() => window, app.getPath('downloads')),
  });
  // Only the console's own top frame may call the contract.
  registerContractHandlers(ipcMain, started.core, (event) => event.senderFrame?.url.split('#')[0] === APP_INDEX_URL && event.senderFrame.parent === null);
  const saved = loadWindowState(userData, screen.getAllDisplays().map((d) => d.workArea));
  window = new BrowserWindow({ ...secureWindowOptions(path.join(here, 'preload.cjs')), ...(saved && { x: saved.x, y: saved.y, width: saved.width, height: saved.height }) });
  if (saved?.maximized) window.maximize();
  trackWindowState(window, userData);
  const stopForwarding = forwardEvents(started.core, (channel, payload) => window?.webContents.send(channel, payload));
  window.on('closed', () => {
    stopForwarding();
    window = undefined;
  });
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(`${APP_ORIGIN}/index.html`);
  void started.core.propertyIndex.warm();
  // The daily workflow runs while the app does (and catches up on what it missed while closed).
  await started.core.scheduler.start();
  started.core.processing.batches.start();
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !started) return;
  event.preventDefault();
  quitting = true;
  void started.close().finally(() => app.quit());
});
