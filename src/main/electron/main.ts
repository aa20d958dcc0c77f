import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain } from 'electron';
import { startCore, type StartedCore } from '../core/start-core.js';
import { forwardEvents, registerContractHandlers } from './ipc.js';
import { secureWindowOptions } from './window.js';

/**
 * The desktop shell, kept thin: start the core, open one secure window on the built renderer,
 * serve the contract over IPC, run the scheduler, stop everything on quit (the core's close stops
 * the scheduler and releases its leases).
 */
const here = path.dirname(new URL(import.meta.url).pathname);
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const rendererUrl = pathToFileURL(rendererIndex).href;

if (!app.requestSingleInstanceLock()) app.quit();

let started: StartedCore | undefined;
let window: BrowserWindow | undefined;

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore();
  window?.focus();
});

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(async () => {
  started = await startCore({ env: { PHOENIX_DATA_DIR: app.getPath('userData'), ...process.env } });
  registerContractHandlers(ipcMain, started.core, (event) => event.senderFrame?.url.split('#')[0] === rendererUrl);
  window = new BrowserWindow(secureWindowOptions(path.join(here, 'preload.cjs')));
  const stopForwarding = forwardEvents(started.core, (channel, payload) => window?.webContents.send(channel, payload));
  window.on('closed', () => {
    stopForwarding();
    window = undefined;
  });
  window.once('ready-to-show', () => window?.show());
  await window.loadURL(rendererUrl);
  // The daily workflow runs while the app does (and catches up on what it missed while closed).
  await started.core.scheduler.start();
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
