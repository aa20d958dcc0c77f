import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accuracyReportSchema } from '../../src/shared/schemas/accuracy-report.js';
import type { Appraiser } from '../../src/shared/valuation/accuracy-study.js';
import type { MarketSale } from '../../src/shared/valuation/types.js';
import { AccuracyRunError, AccuracyService } from '../../src/main/processing/accuracy-service.js';
import { loadMarketSales } from '../../src/main/processing/market-sales.js';
import { phoenixDay } from '../../src/shared/phoenix-time.js';
import { mapArmlsRow } from '../../src/main/collectors/armls/mapping.js';
import { armlsFixture } from '../support/armls.js';
import { openTestCore, type TestCore } from '../support/core.js';

/** The real ARMLS export of issue #21: 142 closed sales in Scottsdale 85251/85250, April–October 2025. */
const EXPORT = path.resolve(import.meta.dirname, '../../../shared/fixtures/armls-export/closed-sales-85251-2025.csv');

let t: TestCore | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function importExport(core: TestCore['core']) {
  const { done } = await core.collection.startArmlsImport({ file: EXPORT }, { trigger: 'manual' });
  const run = await done;
  expect(run.status, run.message ?? '').toBe('succeeded');
}

/**
 * An appraiser of known behaviour for the plumbing (not a model): every sale valued at its own
 * price × (1 + e), e = +5% for even positions in the date order and −5% for odd, range ±8%;
 * every tenth sale (positions 9, 19, …: odd ones) left unvalued. So the 1.05s outnumber the 0.95s,
 * the median is 1.05, COD = 100 × (0.10 × the 0.95s ÷ valued) ÷ 1.05, and every range holds.
 */
function knownErrorAppraiser(sales: readonly MarketSale[]): Appraiser {
  const ordered = [...sales].sort((a, b) => a.date.localeCompare(b.date) || a.sale_id.localeCompare(b.sale_id));
  const position = new Map(ordered.map((s, i) => [s.sale_id, i]));
  const price = new Map(sales.map((s) => [s.sale_id, s.price]));
  return (_subject, _asOf, excludeId) => {
    const i = position.get(excludeId)!;
    if (i % 10 === 9) return { value: null, low: null, high: null, basis: null, confidence: null };
    const value = price.get(excludeId)! * (i % 2 === 0 ? 1.05 : 0.95);
    return { value, low: value * 0.92, high: value * 1.08, basis: 'comparable_sales', confidence: 'high' };
  };
}

function service(core: TestCore['core']): AccuracyService {
  return new AccuracyService({ repos: core.repos, settings: core.settings, events: core.events, logger: core.logger, clock: core.clock }, core.activeRuns, knownErrorAppraiser, null);
}

describe('the accuracy report over the database', () => {
  it('scores every market sale of the real export, as a run, and the values shown before a sale', async () => {
    t = await openTestCore();
    await importExport(t.core);
    const sales = await loadMarketSales(t.core.repos.raw, phoenixDay(t.core.clock()));
    expect(sales.length).toBeGreaterThan(100);

    // What the console showed for the first two sold homes: one the day before, one on the sale day (not "before").
    const [first, second] = [...sales].sort((a, b) => a.date.localeCompare(b.date));
    const recorded = new Date('2025-01-01T17:00:00Z');
    await t.core.repos.valueSnapshots.record({ property_id: first!.property_id, parcel_number: first!.parcel_number, at: recorded, day: '2025-01-01', value: 1, low: null, high: null, basis: 'area_sales' });
    // Same day again: replaces the first snapshot of that day.
    await t.core.repos.valueSnapshots.record({ property_id: first!.property_id, parcel_number: first!.parcel_number, at: recorded, day: '2025-01-01', value: first!.price * 0.9, low: first!.price * 0.85, high: first!.price * 1.05, basis: 'comparable_sales' });
    await t.core.repos.valueSnapshots.record({ property_id: second!.property_id, parcel_number: second!.parcel_number, at: recorded, day: second!.date, value: 1, low: null, high: null, basis: 'comparable_sales' });
    expect(await t.core.db.collection('value_snapshots').countDocuments()).toBe(2);
    expect((await t.core.repos.valueSnapshots.before(first!.parcel_number ?? first!.property_id, first!.date))?.value).toBe(first!.price * 0.9);
    expect(await t.core.repos.valueSnapshots.before(second!.property_id, second!.date)).toBeNull();

    const progress: number[] = [];
    const { run, report } = await service(t.core).report({ trigger: 'cli', onProgress: (done) => progress.push(done) });
    expect(accuracyReportSchema.safeParse(report).success).toBe(true);
    const { study } = report.sales;
    expect(study.sales).toBe(sales.length);
    expect(study.valued).toBe(sales.length - Math.floor(sales.length / 10));
    const high = Math.ceil(sales.length / 2); // even positions, all valued
    const low = study.valued - high;
    expect(study.median_ratio.value).toBeCloseTo(1.05, 12);
    expect(study.cod.value).toBeCloseTo((100 * ((0.1 * low) / study.valued)) / 1.05, 10);
    expect(study.range_held.value).toBe(1);
    expect(study.within_10.value).toBe(1);
    expect(report.sales.by_zip.map((g) => g.key).sort()).toEqual(expect.arrayContaining(['85251']));
    expect(report.sales.by_price_quartile).toHaveLength(4);
    expect(report.sales.rows.every((r) => r.as_of < r.date)).toBe(true);
    expect(progress.at(-1)).toBe(sales.length);

    expect(run).toMatchObject({ kind: 'maintenance', trigger: 'cli', status: 'succeeded', params: { task: 'accuracy_report', zip: null, type: null }, total: sales.length });
    expect(run.counters).toMatchObject({ valued: sales.length, sales: sales.length, with_value: study.valued });
    expect(run.message).toContain(`${study.valued} of ${sales.length} sales`);

    const shown = report.shown_before_sale!;
    expect(shown.study.valued).toBe(1);
    expect(shown.rows.find((r) => r.property_id === first!.property_id && r.date === first!.date)).toMatchObject({ as_of: '2025-01-01', basis: 'comparable_sales', held: true });
    expect(shown.rows.find((r) => r.ratio !== null)!.ratio).toBeCloseTo(0.9, 12);
  });

  it('scores the rent estimate against each stored lease, dollars a month', async () => {
    t = await openTestCore();
    await importExport(t.core);
    // The real ARMLS row (a 702 sq ft one-bedroom condo, Camelback House, 85251) as four leased units of its building.
    const { header, row } = armlsFixture();
    const real = Object.fromEntries(header.map((h, i) => [h, row[i]!]));
    const leased = (listNumber: string, rent: string, day: string) =>
      mapArmlsRow({ ...real, 'List Number': listNumber, 'Unit #': listNumber.slice(-3), 'Property Type': 'Rental', Status: 'Leased', 'List Price': rent, 'Sold Price': rent, 'Close of Escrow Date': day });
    await t.core.repos.raw.upsertMany([
      leased('7100101', '1550.00', '2025-06-02'),
      leased('7100102', '1600.00', '2025-07-15'),
      leased('7100103', '1650.00', '2025-08-20'),
      leased('7100104', '1600.00', '2025-09-10'),
    ]);
    const { report, run } = await service(t.core).report({ trigger: 'manual' });
    const rent = report.rent!;
    expect(rent.basis).toContain('dollars a month');
    expect(rent.rows.map((r) => [r.id, r.as_of, r.price])).toEqual([
      ['armls_export:7100101|2025-06-02', '2025-06-01', 1550],
      ['armls_export:7100102|2025-07-15', '2025-07-14', 1600],
      ['armls_export:7100103|2025-08-20', '2025-08-19', 1650],
      ['armls_export:7100104|2025-09-10', '2025-09-09', 1600],
    ]);
    // Every lease gets an estimate (comparables once three leases precede it, else the SAFMR table or $/sq ft).
    expect(rent.study.valued).toBe(4);
    expect(rent.rows.every((r) => r.basis !== null && r.ratio! > 0)).toBe(true);
    expect(run.counters).toMatchObject({ leases: 4 });
    expect(accuracyReportSchema.safeParse(report).success).toBe(true);
  });

  it('keeps to one ZIP, and records a cancelled run as cancelled', async () => {
    t = await openTestCore();
    await importExport(t.core);
    const { report, run } = await service(t.core).report({ trigger: 'manual', zip: '85250' });
    expect(report.scope).toEqual({ zip: '85250', type: null });
    expect(report.sales.rows.every((r) => r.zip === '85250')).toBe(true);
    expect(run.params).toMatchObject({ zip: '85250' });

    const controller = new AbortController();
    const cancelled = service(t.core).report({ trigger: 'manual', signal: controller.signal, onProgress: () => controller.abort(new Error('cancelled by the analyst')) });
    await expect(cancelled).rejects.toBeInstanceOf(AccuracyRunError);
    const error = (await cancelled.catch((e: unknown) => e)) as AccuracyRunError;
    expect(error.run).toMatchObject({ status: 'cancelled', params: { task: 'accuracy_report' }, message: 'Accuracy report cancelled (cancelled by the analyst)' });
  });
});
