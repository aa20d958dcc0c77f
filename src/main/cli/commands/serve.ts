import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../runtime/app-root.js';
import type { StartedCore } from '../../core/start-core.js';
import { startHttpShell, type HttpShell } from '../../http/server.js';
import { persistentToken } from '../../http/token-file.js';
import type { CliOutput } from '../output.js';

/** The built renderer, when `npm run build:renderer` has run. */
export function rendererDir(): string | undefined {
  const dir = path.join(appRoot(), 'dist', 'renderer');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}

/**
 * `phoenix-re serve`: the headless console on loopback; prints its URL and token. The token is
 * PHOENIX_HTTP_TOKEN when set, else the one kept in the data folder (`newToken`: a fresh one).
 */
export async function serve(started: StartedCore, options: { port: number; newToken?: boolean }, output: CliOutput): Promise<HttpShell> {
  const staticDir = rendererDir();
  const { settings, dataDir } = started.core;
  if (settings.httpToken && options.newToken) output.err('--new-token changes nothing: PHOENIX_HTTP_TOKEN sets the token.');
  const shell = await startHttpShell({
    core: started.core,
    port: options.port,
    token: settings.httpToken ?? persistentToken(dataDir, { rotate: options.newToken ?? false }),
    ...(staticDir && { staticDir }),
  });
  output.out(`Phoenix RE Console at ${shell.consoleUrl}`);
  output.out(`API token: ${shell.token}`);
  output.out(`Metrics: http://127.0.0.1:${shell.port}/metrics (Authorization: Bearer <token>)`);
  if (!staticDir) output.err('No console build found (dist/renderer): run `npm run build:renderer` for the web console.');
  return shell;
}
