import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestCore, type TestCore } from '../support/core.js';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('stored settings', () => {
  it('settings.update validates a value even when this instance\'s environment overrides it', async () => {
    t = await openTestCore({ env: { PROCESSING_CONCURRENCY: '4', LLM_DAILY_BUDGET_USD: '3' } });
    const bad = await t.core.api['settings.update']({ values: { PROCESSING_CONCURRENCY: '0', LLM_DAILY_BUDGET_USD: 'lots' } });
    expect(bad.saved).toBe(false);
    expect(Object.keys(bad.errors).sort()).toEqual(['LLM_DAILY_BUDGET_USD', 'PROCESSING_CONCURRENCY']);
    expect(await t.tdb.db.collection('settings').countDocuments()).toBe(0);
    const good = await t.core.api['settings.update']({ values: { PROCESSING_CONCURRENCY: '6' } });
    expect(good).toMatchObject({ saved: true, overridden: ['PROCESSING_CONCURRENCY'] });
  });

  it('an invalid stored value never stops start-up: it is skipped and health names it', async () => {
    t = await openTestCore();
    await t.tdb.db.collection('settings').insertOne({
      _id: 'app',
      // openaiTimeoutMs is valid alone, but longer than the (default) queue lease allows.
      values: { processingConcurrency: 0, targetZipCodes: ['85040'], noLongerASetting: 1, openaiApiKey: 'sk-stored-wrongly', openaiTimeoutMs: 200_000 },
      updated_at: new Date(),
    } as never);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-stored-'));
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.resolve('bin/phoenix-re.js'), ...args], {
        encoding: 'utf8',
        cwd: dataDir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: t!.tdb.uri, PHOENIX_DATA_DIR: dataDir },
        timeout: 60_000,
      });
    const health = run(['health', '--json']);
    const schedule = run(['schedule', 'list', '--json']);
    fs.rmSync(dataDir, { recursive: true, force: true });

    expect(health.stderr).not.toContain('Invalid settings');
    const report = JSON.parse(health.stdout) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    const check = report.checks.find((c) => c.name === 'settings')!;
    expect(check.ok).toBe(false);
    expect(check.detail).toContain('PROCESSING_CONCURRENCY');
    expect(check.detail).toMatch(/OPENAI_TIMEOUT_MS: a queue lease of 120000 ms is shorter/);
    expect(check.detail).toContain('noLongerASetting: not a setting');
    expect(check.detail).toContain('OPENAI_API_KEY: cannot be stored in the database');
    expect(check.detail).not.toContain('sk-stored-wrongly');
    expect(health.status).toBe(1);
    expect(schedule.status, schedule.stderr).toBe(0);
  });
});
