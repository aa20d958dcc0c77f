import { describe, expect, it } from 'vitest';
import {
  runAccuracyStudy,
  runAccuracyStudyAsync,
  runRentAccuracyStudy,
  type Appraiser,
  type MarketLease,
  type ShownValue,
} from '../../src/shared/valuation/accuracy-study.js';
import type { MarketSale, PropertyFeatures } from '../../src/shared/valuation/types.js';
import { UNKNOWN_DETAILS } from '../support/features.js';

function sale(id: number, price: number, date: string, extra: Partial<MarketSale> = {}): MarketSale {
  const features: PropertyFeatures = {
    property_id: `armls_export:${id}`,
    parcel_number: `173-${String(id).padStart(2, '0')}-001`,
    address: `${id} E Test St`,
    zip: '85251',
    city: 'Scottsdale',
    subdivision: null,
    lat: null,
    lon: null,
    property_type: 'condo',
    dwelling_style: null,
    square_feet: 1000 + id,
    bedrooms: 2,
    bathrooms: 2,
    year_built: 1990,
    ...UNKNOWN_DETAILS,
  };
  return { ...features, sale_id: `${features.parcel_number}|${date}|${price}`, date, date_precision: 'day', price, sources: ['armls_export'], ...extra };
}

/** Known errors by property: the appraiser values each home at its price × (1 + error), range ±10%. */
function knownErrorAppraiser(sales: readonly MarketSale[], errors: Record<string, number>): Appraiser {
  const priceOf = new Map(sales.map((s) => [s.property_id, s.price]));
  return (subject) => {
    const error = errors[subject.property_id];
    if (error === undefined) return { value: null, low: null, high: null, basis: null, confidence: null };
    const value = priceOf.get(subject.property_id)! * (1 + error);
    return { value, low: value * 0.9, high: value * 1.1, basis: 'comparable_sales', confidence: 'high' };
  };
}

// The ratio-study table of tests/unit/ratio-study.test.ts, as sales: COD 8.5128…, PRD 0.98412…
const SALES = [
  sale(1, 100_000, '2025-04-01'),
  sale(2, 150_000, '2025-04-15'),
  sale(3, 200_000, '2025-05-01', { zip: '85250' }),
  sale(4, 250_000, '2025-05-20'),
  sale(5, 300_000, '2025-06-01', { property_type: 'single_family' }),
  sale(6, 400_000, '2025-06-30'),
  sale(7, 500_000, '2025-07-04', { property_type: 'single_family' }),
  sale(8, 600_000, '2025-08-01'),
  sale(9, 800_000, '2025-09-01', { zip: '85250' }),
  sale(10, 1_000_000, '2025-10-01', { property_type: 'single_family' }),
];
const ERRORS = Object.fromEntries(
  [0.1, -0.1, 0.05, -0.05, 0, -0.05, 0.08, -0.15, -0.05, 0.2].map((e, i) => [`armls_export:${i + 1}`, e]),
);

describe('runAccuracyStudy', () => {
  it('values each sale as of the day before it closed, never from itself, and scores it', () => {
    const calls: { subject: PropertyFeatures; asOf: string; excludeId: string }[] = [];
    const appraise = knownErrorAppraiser(SALES, ERRORS);
    const report = runAccuracyStudy([...SALES].reverse(), (subject, asOf, excludeId) => {
      calls.push({ subject, asOf, excludeId });
      return appraise(subject, asOf, excludeId);
    });
    expect(calls.map((c) => c.asOf)).toEqual([
      '2025-03-31', '2025-04-14', '2025-04-30', '2025-05-19', '2025-05-31',
      '2025-06-29', '2025-07-03', '2025-07-31', '2025-08-31', '2025-09-30',
    ]);
    expect(calls.map((c) => c.excludeId)).toEqual(SALES.map((s) => s.sale_id));
    // The appraiser sees the home, not the sale.
    expect(Object.keys(calls[0]!.subject)).not.toContain('price');
    expect(Object.keys(calls[0]!.subject)).not.toContain('date');
    const study = report.sales.study;
    expect(study.cod.value).toBeCloseTo(8.512820512820513, 10);
    expect(study.prd.value).toBeCloseTo(0.9841186537364518, 10);
    expect(study.median_ratio.value).toBeCloseTo(0.975, 10);
    expect(study.range_held.value).toBe(0.7); // ±10% ranges hold every sale missed by less than ~10%
    expect(report.first_sale).toBe('2025-04-01');
    expect(report.last_sale).toBe('2025-10-01');
    expect(report.rent).toBeNull();
    expect(report.shown_before_sale).toBeNull();
    const first = report.sales.rows[0]!;
    expect(first).toMatchObject({ id: SALES[0]!.sale_id, date: '2025-04-01', as_of: '2025-03-31', price: 100_000, basis: 'comparable_sales' });
    expect(first.ratio).toBeCloseTo(1.1, 12);
    expect(first.held).toBe(true); // 100,000 in (99,000, 121,000)
  });

  it('breaks the study down by ZIP, type and price quartile', () => {
    const report = runAccuracyStudy(SALES, knownErrorAppraiser(SALES, ERRORS));
    expect(report.sales.by_zip.map((g) => [g.label, g.study.sales])).toEqual([
      ['ZIP 85251', 8],
      ['ZIP 85250', 2],
    ]);
    expect(report.sales.by_type.map((g) => [g.key, g.study.sales])).toEqual([
      ['condo', 7],
      ['single_family', 3],
    ]);
    expect(report.sales.by_price_quartile.map((g) => g.study.sales)).toEqual([3, 2, 2, 3]);
    expect(report.sales.by_basis.map((g) => [g.key, g.study.sales])).toEqual([['comparable_sales', 10]]);
  });

  it('counts a sale it could not value against coverage', () => {
    const errors = { ...ERRORS };
    delete errors['armls_export:10'];
    const report = runAccuracyStudy(SALES, knownErrorAppraiser(SALES, errors));
    expect(report.sales.study.coverage.value).toBe(0.9);
    expect(report.sales.rows.at(-1)).toMatchObject({ value: null, ratio: null, held: null, basis: null });
    expect(report.sales.by_basis.map((g) => [g.key, g.study.sales, g.study.valued])).toEqual([
      ['comparable_sales', 9, 9],
      ['not valued', 1, 0],
    ]);
  });

  it('uses only what was known the day before: a market-median appraiser cannot value the first sale', () => {
    // Values a home at the median $/sq ft of the sales closed on or before asOf × its size.
    const median$PerSqFt: Appraiser = (subject, asOf) => {
      const known = SALES.filter((s) => s.date <= asOf).map((s) => s.price / s.square_feet!);
      if (known.length === 0) return { value: null, low: null, high: null, basis: null, confidence: null };
      known.sort((a, b) => a - b);
      return { value: known[Math.floor(known.length / 2)]! * subject.square_feet!, low: null, high: null, basis: 'area_sales', confidence: 'low' };
    };
    const report = runAccuracyStudy(SALES, median$PerSqFt);
    expect(report.sales.rows[0]!.value).toBeNull();
    // The second sale is valued from the first alone: 100,000 / 1,001 $/sq ft × 1,002 sq ft.
    expect(report.sales.rows[1]!.value).toBeCloseTo((100_000 / 1001) * 1002, 6);
    expect(report.sales.study.coverage.value).toBe(0.9);
    expect(report.sales.study.with_range).toBe(0);
    expect(report.sales.study.range_held.value).toBeNull();
  });

  it('filters by ZIP and type', () => {
    const appraise = knownErrorAppraiser(SALES, ERRORS);
    const zip = runAccuracyStudy(SALES, appraise, { zip: '85250' });
    expect(zip.scope).toEqual({ zip: '85250', type: null });
    expect(zip.sales.rows.map((r) => r.zip)).toEqual(['85250', '85250']);
    const type = runAccuracyStudy(SALES, appraise, { type: 'single_family' });
    expect(type.sales.study.sales).toBe(3);
  });

  it('reports progress and stops when cancelled', () => {
    const many = Array.from({ length: 120 }, (_, i) => sale(100 + i, 300_000 + i * 1000, '2025-06-01'));
    const appraise: Appraiser = () => ({ value: 300_000, low: null, high: null, basis: 'market_model', confidence: 'medium' });
    const seen: [number, number][] = [];
    runAccuracyStudy(many, appraise, { progress: (done, total) => seen.push([done, total]) });
    expect(seen).toEqual([
      [50, 120],
      [100, 120],
      [120, 120],
    ]);
    const controller = new AbortController();
    expect(() =>
      runAccuracyStudy(many, appraise, { signal: controller.signal, progress: (done) => done === 50 && controller.abort(new Error('cancelled by the analyst')) }),
    ).toThrow('cancelled by the analyst');
  });

  it('runs asynchronously to the same report', async () => {
    const appraise = knownErrorAppraiser(SALES, ERRORS);
    const sync = runAccuracyStudy(SALES, appraise, { generatedAt: '2026-12-06T21:00:00.000Z' });
    const async = await runAccuracyStudyAsync(SALES, appraise, { generatedAt: '2026-12-06T21:00:00.000Z' });
    expect(async).toEqual(sync);
    expect(sync.generated_at).toBe('2026-12-06T21:00:00.000Z');
  });

  it('values 10,000 sales well inside a minute with a fast appraiser', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      sale(1000 + i, 200_000 + (i % 500) * 2000, `2025-${String(1 + (i % 12)).padStart(2, '0')}-15`, { zip: i % 3 ? '85251' : '85250' }),
    );
    let k = 0;
    const appraise: Appraiser = () => {
      k = (k * 1103515245 + 12345) % 2147483648;
      const value = 400_000 * (0.8 + (k / 2147483648) * 0.4);
      return { value, low: value * 0.85, high: value * 1.15, basis: 'comparable_sales', confidence: 'medium' };
    };
    const started = performance.now();
    const report = runAccuracyStudy(many, appraise);
    const seconds = (performance.now() - started) / 1000;
    expect(report.sales.study.valued).toBe(10_000);
    expect(seconds).toBeLessThan(20);
  });
});

describe('the values shown before a sale', () => {
  it('scores the latest snapshot from before the sale day, by APN, else property id', () => {
    const [a, b, c] = SALES;
    const shown: ShownValue[] = [
      { property_id: 'other:1', parcel_number: a!.parcel_number, day: '2025-03-01', value: 90_000, low: 80_000, high: 100_000, basis: 'comparable_sales' },
      { property_id: 'other:1', parcel_number: a!.parcel_number, day: '2025-03-20', value: 95_000, low: 85_000, high: 105_000, basis: 'comparable_sales' },
      // On the sale day itself: not "before it sold".
      { property_id: a!.property_id, parcel_number: null, day: '2025-04-01', value: 100_000, low: null, high: null, basis: 'comparable_sales' },
      { property_id: b!.property_id, parcel_number: null, day: '2025-04-10', value: 165_000, low: 150_000, high: 180_000, basis: 'assessor_fcv_ratio' },
      // After the sale.
      { property_id: c!.property_id, parcel_number: c!.parcel_number, day: '2025-06-01', value: 1, low: null, high: null, basis: 'comparable_sales' },
    ];
    const report = runAccuracyStudy([a!, b!, c!], knownErrorAppraiser(SALES, ERRORS), { shown });
    const section = report.shown_before_sale!;
    expect(section.rows.map((r) => [r.value, r.as_of, r.basis])).toEqual([
      [95_000, '2025-03-20', 'comparable_sales'],
      [165_000, '2025-04-10', 'assessor_fcv_ratio'],
      [null, '2025-04-30', null],
    ]);
    expect(section.study.coverage.value).toBeCloseTo(2 / 3, 12);
    // Ratios 0.95 and 1.10 → median 1.025; both ranges held.
    expect(section.study.median_ratio.value).toBeCloseTo(1.025, 12);
    expect(section.study.range_held.value).toBe(1);
  });
});

describe('runRentAccuracyStudy', () => {
  it('scores rent estimates against leases, dollars a month', () => {
    const leases: MarketLease[] = SALES.slice(0, 4).map((s, i) => ({ ...s, lease_id: `lease-${i}`, date: s.date, rent: 1500 + i * 500 }));
    const rentOf = new Map(leases.map((l) => [l.property_id, l.rent]));
    const asOfs: string[] = [];
    const section = runRentAccuracyStudy(leases, (subject, asOf) => {
      asOfs.push(asOf);
      const rent = rentOf.get(subject.property_id)! * 1.1;
      return { value: rent, low: rent * 0.95, high: rent * 1.05, basis: 'rent_comparables', confidence: 'medium' };
    });
    expect(asOfs[0]).toBe('2025-03-31');
    expect(section.study.median_ratio.value).toBeCloseTo(1.1, 12);
    expect(section.study.cod.value).toBeCloseTo(0, 12);
    expect(section.study.within_10.value).toBe(1);
    expect(section.study.range_held.value).toBe(0);
    expect(section.basis).toContain('dollars a month');
  });
});
