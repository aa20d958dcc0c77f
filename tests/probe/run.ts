import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../../src/main/db/connection.js';
import { startLocalServer, type LocalServer } from '../../src/main/db/local-server.js';
import { contractCases } from './contract-cases.js';
import { EXPORT_FIXTURE, fileCases, restoreCases } from './file-cases.js';
import { BIN, PROBE_SECRETS, cli, type ProbeCase, type ProbeContext } from './harness.js';
import { httpCases } from './http-cases.js';

/**
 * The probe (issue #24): a real `phoenix-re serve` on a temporary data folder and database,
 * seeded with a real ARMLS export and backed up, then tried with bad HTTP requests, contract
 * inputs of the wrong type and bad files, as an attacker or an unlucky user would. Prints each
 * case as held or not held and `tried N, held M`; exits 1 unless every case held.
 *
 * `npm run probe` (all cases), `npm run probe -- --quick` (the slow cases left out but a
 * sample), `npm run probe -- --only <text>` (the cases whose group or name contains it).
 * Uses MONGODB_URI's server when set (a fresh database on it), else starts a local one.
 */

export interface ProbeOutcome {
  tried: number;
  held: number;
  /** The cases that did not hold: `group › name: what did not hold`. */
  failures: string[];
}

export interface ProbeOptions {
  /** A MongoDB-compatible server (a fresh database is made on it); default: MONGODB_URI, else a local server. */
  mongoUri?: string;
  quick?: boolean;
  only?: string;
  /** Where each case's line goes; default stdout. */
  print?: (line: string) => void;
}

/** Run the probe: every case (or the quick set), its outcome. */
export async function runProbe(options: ProbeOptions = {}): Promise<ProbeOutcome> {
  const print = options.print ?? ((line: string) => console.log(line));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-probe-'));
  let local: LocalServer | undefined;
  const base = options.mongoUri ?? process.env.MONGODB_URI ?? (local = await startLocalServer({ dataDir: path.join(root, 'db'), dbName: 'probe' })).uri;
  const uri = base.replace(/^(mongodb(?:\+srv)?:\/\/[^/]+)(\/[^?]*)?/, `$1/probe_${randomBytes(4).toString('hex')}`);
  const connection = await connectDatabase(uri);
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    MONGODB_URI: uri,
    PHOENIX_DATA_DIR: dataDir,
    ...PROBE_SECRETS,
    // Upstreams that answer nothing: no case may reach the real services.
    MARICOPA_API_BASE_URL: 'http://127.0.0.1:9',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    WEBSHARE_API_BASE_URL: 'http://127.0.0.1:9',
    TWOCAPTCHA_BASE_URL: 'http://127.0.0.1:9',
  };
  const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: dataDir, env });
  const outcome: ProbeOutcome = { tried: 0, held: 0, failures: [] };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /Phoenix RE Console at (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      serve.once('exit', (code) => reject(new Error(`serve exited with ${code} before answering`)));
    });
    serve.stderr.resume();
    const ctx: ProbeContext = { origin: new URL(url).origin, host: new URL(url).host, token: new URL(url).hash.slice('#token='.length), dataDir, scratch: path.join(root, 'scratch'), db: connection.db, env, serve };
    const seeded = await cli(ctx, ['import', 'armls', EXPORT_FIXTURE]);
    if (seeded.code !== 0) throw new Error(`seeding the probe's data failed: ${seeded.stderr}`);
    const backupDir = path.join(root, 'backup');
    const backedUp = await cli(ctx, ['backup', '--out', backupDir]);
    if (backedUp.code !== 0) throw new Error(`backing up the probe's data failed: ${backedUp.stderr}`);

    const cases: ProbeCase[] = [...httpCases, ...contractCases, ...fileCases, ...restoreCases(backupDir)].filter(
      (c) => (!options.quick || !c.slow) && (!options.only || `${c.group} ${c.name}`.includes(options.only)),
    );
    for (const c of cases) {
      fs.rmSync(ctx.scratch, { recursive: true, force: true });
      fs.mkdirSync(ctx.scratch);
      outcome.tried += 1;
      let wrong: string | null;
      try {
        wrong = await c.run(ctx);
      } catch (error) {
        wrong = `the probe itself failed: ${(error as Error).message}`;
      }
      if (wrong === null) outcome.held += 1;
      else outcome.failures.push(`${c.group} › ${c.name}: ${wrong}`);
      print(`${wrong === null ? 'held    ' : 'NOT HELD'}  ${c.group} › ${c.name}${wrong === null ? '' : `\n          ${wrong}`}`);
    }
    print(`tried ${outcome.tried}, held ${outcome.held}`);
    return outcome;
  } finally {
    if (serve.exitCode === null) {
      serve.kill('SIGTERM');
      await new Promise((r) => serve.once('exit', r));
    }
    await connection.db.dropDatabase().catch(() => undefined);
    await connection.close();
    await local?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const outcome = await runProbe({ quick: args.includes('--quick'), ...(only && { only }) });
  process.exitCode = outcome.held === outcome.tried ? 0 : 1;
}
