import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { dump, load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoenixDay } from '../../src/shared/phoenix-time.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';
import { promtoolCheck, promtoolRequired } from '../support/promtool.js';
import { until } from '../support/until.js';

const DEPLOY = path.resolve('deploy/prometheus');
const BIN = path.resolve('bin/phoenix-re.js');
const haveTools = promtoolCheck('') !== null && spawnSync('prometheus', ['--version']).error === undefined;
if (!haveTools && !promtoolRequired) console.warn('prometheus-deploy: promtool/prometheus not installed (apt-get install prometheus); skipped');

function promtool(args: string[]) {
  const res = spawnSync('promtool', args, { encoding: 'utf8', cwd: DEPLOY });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe.skipIf(!haveTools && !promtoolRequired)('deploy/prometheus', () => {
  it('has rules promtool accepts and whose unit tests pass', () => {
    const check = promtool(['check', 'rules', 'phoenix-re.rules.yml']);
    expect(check.output).toContain('SUCCESS: 6 rules found');
    expect(check.status).toBe(0);
    const test = promtool(['test', 'rules', 'phoenix-re.rules.test.yml']);
    expect(test.output).toContain('SUCCESS');
    expect(test.status).toBe(0);
  });

  describe('Debian prometheus scraping a live `phoenix-re serve`', () => {
    const token = 'prometheus-scrape-token-0123456789abcdef0123456789';
    let tdb: TestDatabase;
    let tmp: string;
    let serve: ChildProcess | undefined;
    let prometheus: ChildProcess | undefined;
    let promLog = '';
    let promBase = '';

    beforeAll(async () => {
      tdb = await openTestDatabase();
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-prom-'));
      const day = phoenixDay(new Date());
      // 90 cents spent of a 1-dollar budget: the 80% alert, not the 100% one.
      await tdb.db.collection('llm_usage').insertOne({ at: new Date(), day: day, model: 'gpt-4o-mini', prompt_tokens: 1000, cached_tokens: 0, completion_tokens: 200, reasoning_tokens: 0, cost_usd: 0.9, raw_id: null, source: 'maricopa_api', purpose: 'enrich' });
      const benchedUntil = new Date(Date.now() + 3_600_000);
      await tdb.db.collection('proxy_health').insertMany(
        ['p1', 'p2'].map((id) => ({ _id: id as never, label: `${id}.example:8080`, successes: 0, failures: 3, latency_ms: null, last_error: 'ECONNRESET', benched_until: benchedUntil, updated_at: new Date() })),
      );

      serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-schedule'], {
        cwd: tmp,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: tmp, PHOENIX_HTTP_TOKEN: token, LLM_DAILY_BUDGET_USD: '1' },
      });
      const servePort = await new Promise<number>((resolve, reject) => {
        let out = '';
        serve!.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const match = /Metrics: http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(out);
          if (match) resolve(Number(match[1]));
        });
        serve!.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });

      // The deploy config as shipped, pointed at this serve, with short intervals.
      const tokenFile = path.join(tmp, 'phoenix-re.token');
      fs.writeFileSync(tokenFile, token, { mode: 0o600 });
      const config = load(fs.readFileSync(path.join(DEPLOY, 'prometheus.yml'), 'utf8')) as {
        global: Record<string, string>;
        rule_files: string[];
        scrape_configs: { authorization: { credentials_file: string }; static_configs: { targets: string[] }[] }[];
      };
      config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
      config.rule_files = config.rule_files.map((f) => path.join(DEPLOY, f));
      config.scrape_configs[0]!.authorization.credentials_file = tokenFile;
      config.scrape_configs[0]!.static_configs = [{ targets: [`127.0.0.1:${servePort}`] }];
      const configFile = path.join(tmp, 'prometheus.yml');
      fs.writeFileSync(configFile, dump(config));
      expect(promtool(['check', 'config', configFile]).status).toBe(0);

      const promPort = await freePort();
      prometheus = spawn('prometheus', [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(tmp, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ]);
      prometheus.stderr!.on('data', (d: Buffer) => (promLog += d.toString()));
      promBase = `http://127.0.0.1:${promPort}`;
    }, 60_000);

    afterAll(async () => {
      await stop(prometheus);
      await stop(serve);
      await tdb?.close();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    async function firing(): Promise<Map<string, Record<string, string>>> {
      const res = await fetch(`${promBase}/api/v1/alerts`).catch(() => null);
      if (!res?.ok) return new Map();
      const body = (await res.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
      return new Map(body.data.alerts.filter((a) => a.state === 'firing').map((a) => [a.labels.alertname!, a.labels]));
    }

    it('scrapes with the token and fires the spend and proxy alerts the database calls for', async () => {
      let alerts = new Map<string, Record<string, string>>();
      await until(
        async () => {
          alerts = await firing();
          return alerts.has('PhoenixReLlmSpend80Percent') && alerts.has('PhoenixReNoHealthyProxy');
        },
        45_000,
        `the alerts to fire (prometheus log: ${promLog.slice(-2000)})`,
      );
      expect(alerts.get('PhoenixReLlmSpend80Percent')).toMatchObject({ job: 'phoenix-re', severity: 'warning' });
      expect(alerts.has('PhoenixReLlmSpend100Percent')).toBe(false);
      const targets = (await (await fetch(`${promBase}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string; scrapeUrl: string }[] } };
      expect(targets.data.activeTargets).toEqual([expect.objectContaining({ health: 'up' })]);
    }, 60_000);
  });
});
