import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accuracyReportSchema } from '../../src/shared/schemas/accuracy-report.js';
import type { AccuracyReport } from '../../src/shared/valuation/accuracy-study.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * `phoenix-re accuracy` on the real ARMLS export of issue #21 (142 closed sales, Scottsdale
 * 85251/85250, April–October 2025), imported with `phoenix-re import armls`, valued by the real
 * model (`SalesMarket.appraise`), leave-one-out as of the day before each sale.
 */
const BIN = path.resolve('bin/phoenix-re.js');
const EXPORT = path.resolve(import.meta.dirname, '../../../shared/fixtures/armls-export/closed-sales-85251-2025.csv');
let tdb: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  tdb = await openTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-accuracy-'));
  const imported = cli(['import', 'armls', EXPORT]);
  expect(imported.status, imported.stderr).toBe(0);
}, 120_000);
afterAll(async () => {
  await tdb.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: dataDir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir },
    timeout: 120_000,
  });
}

function reportOf(args: string[]): AccuracyReport {
  const res = cli(['accuracy', ...args, '--json']);
  expect(res.status, res.stderr).toBe(0);
  const parsed = accuracyReportSchema.safeParse(JSON.parse(res.stdout));
  expect(parsed.success, parsed.error?.message).toBe(true);
  return parsed.data!;
}

describe('phoenix-re accuracy', () => {
  it('refuses a ZIP that is not five digits, by the console rule', () => {
    const res = cli(['accuracy', '--zip', '8525']);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('"8525" is not a 5-digit ZIP code.');
  }, 120_000);

  it('prints the report of every sale of the export as JSON: structure and coverage', () => {
    const report = reportOf([]);
    const { study } = report.sales;
    expect(report.scope).toEqual({ zip: null, type: null });
    expect(report.estimated).toBe(true);
    expect(study.sales).toBeGreaterThanOrEqual(130); // the export's 142 closed sales, less any validation keeps out
    expect(study.sales).toBeLessThanOrEqual(142);
    expect(report.sales.rows).toHaveLength(study.sales);
    expect(report.sales.rows.every((r) => r.as_of < r.date)).toBe(true);
    expect(report.first_sale! >= '2025-04-01' && report.last_sale! <= '2025-10-31').toBe(true);
    expect(report.sales.by_zip.map((g) => g.key)).toEqual(expect.arrayContaining(['85251']));
    expect(report.sales.by_price_quartile.map((g) => g.key)).toEqual(['Q1', 'Q2', 'Q3', 'Q4']);
    expect(report.sales.by_type.reduce((n, g) => n + g.study.sales, 0)).toBe(study.sales);
    for (const key of ['median_ratio', 'cod', 'prd', 'prb'] as const) {
      expect(study[key].value, key).not.toBeNull();
      expect(study[key].ci, key).not.toBeNull();
      expect(study[key].target, key).not.toBeNull();
    }
    // Nothing was shown before these sales: the console never ran on this database before.
    expect(report.shown_before_sale!.study.valued).toBe(0);
  }, 120_000);

  /**
   * The done-when targets (#21) on the shared export: COD ≤ 15, PRD 0.98–1.03, median
   * ratio 0.95–1.05, at least half within ±10%, at least 95% valued, the 80% range holding 70–90%.
   * The whole window meets every one since values are spread for vertical equity (`equityStretch`),
   * and the as-of study its PRD; the two the as-of study does not meet yet (COD and the share
   * within ±10%) are held to the figures reached (2026-12-07: COD 15.7, 41% within ±10%), so
   * they cannot slip back while #21 stays open on them.
   */
  it('meets the issue #21 targets it reaches, and holds the others to the figures reached so far', () => {
    const report = reportOf([]);
    const asOf = report.sales.study;
    expect(asOf.coverage.value!).toBeGreaterThanOrEqual(0.95);
    expect(asOf.median_ratio.value!).toBeGreaterThanOrEqual(0.95);
    expect(asOf.median_ratio.value!).toBeLessThanOrEqual(1.05);
    expect(asOf.range_held.value!).toBeGreaterThanOrEqual(0.7);
    expect(asOf.range_held.value!).toBeLessThanOrEqual(0.9);
    expect(asOf.prd.value!).toBeGreaterThanOrEqual(0.98);
    expect(asOf.prd.value!).toBeLessThanOrEqual(1.03);
    expect(asOf.cod.value!).toBeLessThanOrEqual(16);
    expect(asOf.within_10.value!).toBeGreaterThanOrEqual(0.4);

    const window = report.window!.study;
    expect(window.coverage.value!).toBeGreaterThanOrEqual(0.95);
    expect(window.cod.value!).toBeLessThanOrEqual(15);
    expect(window.median_ratio.value!).toBeGreaterThanOrEqual(0.95);
    expect(window.median_ratio.value!).toBeLessThanOrEqual(1.05);
    expect(window.range_held.value!).toBeGreaterThanOrEqual(0.7);
    expect(window.range_held.value!).toBeLessThanOrEqual(0.9);
    expect(window.prd.value!).toBeGreaterThanOrEqual(0.98);
    expect(window.prd.value!).toBeLessThanOrEqual(1.03);
    expect(window.within_10.value!).toBeGreaterThanOrEqual(0.5);
  }, 120_000);

  it('prints a table of the measures, their intervals, targets and pass/fail, then the breakdowns; and keeps to a ZIP', () => {
    const res = cli(['accuracy', '--zip', '85251']);
    expect(res.status, res.stderr).toBe(0);
    for (const text of ['ZIP 85251', 'Median ratio (level)', 'COD (uniformity)', 'PRD (vertical equity)', 'PRB (vertical equity)', '95% CI', 'IAAO target', '0.90–1.10', 'By ZIP:', 'By property type:', 'By price quartile:']) {
      expect(res.stdout).toContain(text);
    }
    expect(res.stdout).toMatch(/COD \(uniformity\) +\d+\.\d +\d+\.\d–\d+\.\d +≤ 15\.0/);
    const zip = reportOf(['--zip', '85251']);
    expect(zip.sales.rows.every((r) => r.zip === '85251')).toBe(true);
  }, 120_000);
});
