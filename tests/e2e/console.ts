import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** `phoenix-re serve` on a free port with a fresh database and data folder; its printed URL. */
export interface ServedConsole {
  url: string;
  dataDir: string;
  uri: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Where a console runs when it is to be restarted: its database (unset: a fresh one), its data
 * folder (made by the caller, kept on stop), its port, more arguments.
 */
export interface RestartOf {
  uri?: string;
  dataDir: string;
  port?: number;
  args?: string[];
}

export async function serveConsole(env: Record<string, string>, restart?: RestartOf): Promise<ServedConsole> {
  const base = process.env.MONGODB_URI ?? process.env.PHOENIX_E2E_MONGODB_URI;
  if (!base) throw new Error('no database: the global setup starts one, or set MONGODB_URI');
  const uri = restart?.uri ?? base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+)(\/[^?]*)?/, `$1/e2e_${randomBytes(5).toString('hex')}`);
  const dataDir = restart?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-e2e-'));
  const args = ['serve', '--port', String(restart?.port ?? 0), '--no-schedule', ...(restart?.args ?? [])];
  const child: ChildProcess = spawn(process.execPath, [path.resolve('bin/phoenix-re.js'), ...args], {
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: uri, PHOENIX_DATA_DIR: dataDir, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 60_000);
    child.stdout!.on('data', () => {
      const match = /Phoenix RE Console at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
  return {
    url,
    dataDir,
    uri,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!restart) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
