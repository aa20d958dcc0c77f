import { describe, expect, it } from 'vitest';
import { SalesMarket } from '../../src/shared/valuation/avm.js';
import { COLUMN, FEATURE_COLUMNS, MIN_COLUMN_SUPPORT, featureRow, imputationOf, unmeasuredColumns } from '../../src/shared/valuation/hedonic-features.js';
import { fitRidge } from '../../src/shared/valuation/ridge.js';
import { subdivisionKey } from '../../src/shared/valuation/subdivision-key.js';
import type { MarketSale } from '../../src/shared/valuation/types.js';
import { normal, seeded, syntheticMarket, TRUE_MARKET } from '../support/synthetic-market.js';

const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** Each sale valued as of the day before it closed, from the sales before it. */
function asOfStudy(sales: readonly MarketSale[]) {
  const market = new SalesMarket(sales);
  return sales.map((s) => ({ s, a: market.appraise(s, dayBefore(s.date), { excludedSaleIds: [s.sale_id] }) }));
}

describe('ridge regression', () => {
  it('recovers known coefficients from a large noisy sample, and shrinks toward the prior when the sample is small', () => {
    const random = seeded(7);
    const truth = [0.9, -0.04, 0.12];
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 2000; i += 1) {
      const row = [Math.log(800 + random() * 2500), Math.round(1 + random() * 4), random() < 0.3 ? 1 : 0];
      rows.push(row);
      y.push(5 + row.reduce((a, v, j) => a + v * truth[j]!, 0) + 0.05 * normal(random));
    }
    const fit = fitRidge(rows, y, [1, 0, 0]);
    fit.coefficients.forEach((b, j) => expect(b).toBeCloseTo(truth[j]!, 2));
    expect(fit.intercept).toBeCloseTo(5, 1);
    expect(fit.r2).toBeGreaterThan(0.9);
    // Five rows: the data cannot say much, so the fit stays near the prior (price ∝ size).
    const small = fitRidge(rows.slice(0, 5), y.slice(0, 5), [1, 0, 0], [100]);
    expect(Math.abs(small.coefficients[0]! - 1)).toBeLessThan(Math.abs(truth[0]! - 1));
    // Leave-one-out residuals are larger than the in-sample ones (each row's own pull removed).
    const inSample = y.reduce((a, v, i) => a + (v - fit.fitted[i]!) ** 2, 0);
    const loo = fit.looResiduals.reduce((a, r) => a + r * r, 0);
    expect(loo).toBeGreaterThan(inSample);
  });

  it('estimates the market model\'s adjustments from sales of known coefficients', () => {
    const sales = syntheticMarket(3000, { noise: 0.05, complexes: 1, months: 24, seed: 3 });
    const imputation = imputationOf(sales);
    const fit = fitRidge(sales.map((s) => featureRow(s, s.date, imputation)), sales.map((s) => Math.log(s.price)), FEATURE_COLUMNS.map((c) => c.prior));
    const b = (name: string) => fit.coefficients[COLUMN[name]!]!;
    // One complex: its homes differ in size only within it, which the within-complex column measures.
    expect(b('log living area within complex')).toBeCloseTo(TRUE_MARKET.logSqft, 1);
    expect(b('bedrooms')).toBeCloseTo(TRUE_MARKET.perBedroom, 1);
    expect(b('private pool')).toBeCloseTo(TRUE_MARKET.pool, 1);
    expect(b('months')).toBeCloseTo(TRUE_MARKET.monthly, 2);
    // Age: the synthetic market is linear in decades; the fit's slope at 30 years old matches.
    expect(b('age (decades)') + 2 * 3 * b('age squared')).toBeCloseTo(TRUE_MARKET.perDecadeOld, 1);
  });
});

describe('size within a complex and between complexes', () => {
  // 16 complexes of small and of large homes (sizes scaled by e^(0.4 z)), priced at the size
  // elasticity 1 between complexes and 0.6 within one: a bigger unit of the same building is worth
  // less than proportionally more, while a building of bigger units is priced by its size.
  const sales = syntheticMarket(4000, { noise: 0.05, complexes: 16, months: 24, seed: 5, complexSizeSpread: 0.4, withinLogSqft: 0.6 });

  it('measures each elasticity apart (Mundlak\'s within and between decomposition)', () => {
    const imputation = imputationOf(sales);
    const fit = fitRidge(sales.map((s) => featureRow(s, s.date, imputation)), sales.map((s) => Math.log(s.price)), FEATURE_COLUMNS.map((c) => c.prior));
    const b = (name: string) => fit.coefficients[COLUMN[name]!]!;
    // No sale knows an assessment: each is imputed as the market's per sq ft × its size, so its
    // column moves with log size too, and a 1% larger home is priced by the sum.
    const assessed = b('log assessed value');
    expect(b('log living area within complex') + assessed).toBeCloseTo(0.6, 1);
    expect(Math.abs(b('log living area') + assessed - TRUE_MARKET.logSqft)).toBeLessThan(0.25);
  });

  it('adjusts a comparable of the same complex for size by the within-complex elasticity', () => {
    const market = new SalesMarket(sales);
    const subject = sales[sales.length - 1]!;
    const appraisal = market.appraise(subject, subject.date, { excludedSaleIds: [subject.sale_id] });
    const same = appraisal.comparables.filter((c) => c.subdivision === subject.subdivision && c.kind === 'sale' && Math.abs(Math.log(subject.square_feet! / c.square_feet!)) > 0.2);
    expect(same.length).toBeGreaterThan(0);
    for (const c of same) {
      const area = c.adjustments.find((a) => a.factor === 'living area')!.amount;
      // The size adjustment is the first, on the comparable's price: price × ((s/c)^0.6 − 1), not ^1.
      const elasticity = Math.log(1 + area / c.price) / Math.log(subject.square_feet! / c.square_feet!);
      expect(elasticity).toBeGreaterThan(0.45);
      expect(elasticity).toBeLessThan(0.8);
    }
  });
});

describe('the automated valuation on a synthetic market of known noise', () => {
  const noise = 0.1;
  const sales = syntheticMarket(700, { noise, seed: 11 });
  const study = asOfStudy(sales).slice(100); // the first hundred sales have little to go on
  const valued = study.filter((r) => r.a.value !== null);
  const ratios = valued.map((r) => r.a.value! / r.s.price).sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)]!;

  it('values every sale, without bias, about as well as the noise allows', () => {
    // A home with no sale in its complex or within 3 miles yet (an isolated complex's first
    // sale), and no full cash value, is not valued: the model would be extrapolating.
    expect(valued.length / study.length).toBeGreaterThan(0.98);
    for (const r of study.filter((x) => x.a.value === null)) expect(r.a.evidence.join(' ')).toContain('within 3 miles');
    expect(median).toBeGreaterThan(0.97);
    expect(median).toBeLessThan(1.03);
    // COD of a perfect model with log-normal noise of sd 0.1 is about 8 (0.8 × 10%).
    const cod = (100 * ratios.reduce((a, r) => a + Math.abs(r - median), 0)) / ratios.length / median;
    expect(cod).toBeLessThan(12);
  });

  it('makes its 80% range hold about 80% of the sales', () => {
    const held = valued.filter((r) => r.a.low! <= r.s.price && r.s.price <= r.a.high!).length / valued.length;
    expect(held).toBeGreaterThan(0.72);
    expect(held).toBeLessThan(0.88);
    // And the range is as wide as the noise says: ±1.28 sd ≈ ±13%, not ±40%.
    const half = valued.map((r) => (r.a.high! - r.a.low!) / 2 / r.a.value!).sort((a, b) => a - b)[Math.floor(valued.length / 2)]!;
    expect(half).toBeGreaterThan(0.09);
    expect(half).toBeLessThan(0.2);
  });

  it('adjusts each comparable toward the subject factor by factor, its adjustments adding up to its adjusted price', () => {
    const { a } = study[study.length - 1]!;
    expect(a.basis).toBe('comparable_sales');
    expect(a.comparables.length).toBeGreaterThan(2);
    for (const c of a.comparables) {
      expect(c.price + c.adjustments.reduce((sum, x) => sum + x.amount, 0)).toBeCloseTo(c.adjusted_price, -1);
      expect(c.reasons.length).toBeGreaterThan(0);
    }
    expect(a.comparables.reduce((w, c) => w + c.weight, 0)).toBeLessThanOrEqual(1);
    expect(a.model!.sales).toBeGreaterThan(500);
  });
});

describe('a coefficient too few sales measure', () => {
  it('is not measured below MIN_COLUMN_SUPPORT differing sales, and is from there on', () => {
    const sales = syntheticMarket(120, { noise: 0.1, seed: 9 });
    const withPools = (n: number) => sales.map((s, i) => ({ ...s, pool: i < n }));
    const pool = COLUMN['private pool']!;
    const rowsOf = (list: readonly MarketSale[]) => list.map((s) => featureRow(s, s.date, imputationOf(list)));
    expect(unmeasuredColumns(rowsOf(withPools(MIN_COLUMN_SUPPORT - 1)))[pool]).toBe(true);
    expect(unmeasuredColumns(rowsOf(withPools(MIN_COLUMN_SUPPORT)))[pool]).toBe(false);
    // The minority counts either way: nine homes without a pool among 111 with one.
    expect(unmeasuredColumns(rowsOf(sales.map((s, i) => ({ ...s, pool: i >= MIN_COLUMN_SUPPORT - 1 }))))[pool]).toBe(true);
    // Living area varies in every sale: always measured. The trend has its own prior instead.
    expect(unmeasuredColumns(rowsOf(sales))[COLUMN['log living area']!]).toBe(false);
    expect(unmeasuredColumns(rowsOf(sales))[COLUMN['months']!]).toBe(false);
  });

  it("does not price a house's lot from two houses among condos (7318 E Palo Verde Dr #7: sold $840,000, valued $141,000)", () => {
    // Condos (no lot of their own) and two houses whose whole difference in price would fall on
    // their lots: 4,590 sq ft at $950,000 and 5,290 at $3,650,000, as in the shared export.
    const condos = syntheticMarket(60, { noise: 0.1, seed: 13, months: 2 }).map((s) => ({ ...s, property_type: 'condo', dwelling_style: 'Attached' }));
    const house = (i: number, lot: number, price: number, date: string): MarketSale => ({
      ...condos[i]!,
      sale_id: `house-${i}|${date}|${price}`,
      property_id: `synthetic:house-${i}`,
      parcel_number: `200-00-00${i}`,
      property_type: 'single_family',
      dwelling_style: 'Detached',
      square_feet: 2400,
      lot_size: lot,
      date,
      price,
    });
    const sales = [...condos, house(0, 4590, 950_000, '2024-01-20'), house(1, 5290, 3_650_000, '2024-01-25')];
    const subject = { ...house(2, 3086, 0, '2024-03-01'), square_feet: 1510 };
    const a = new SalesMarket(sales).appraise(subject, '2024-02-28');
    const lot = a.model!.coefficients.find((c) => c.name === 'log lot')!;
    expect(lot.value).toBe(0);
    expect(lot.meaning).toMatch(/^not measured: fewer than 10 of these sales differ in it/);
    // Neither house's lot moves its adjusted price toward the subject.
    for (const c of a.comparables) expect(c.adjustments.find((x) => x.factor === 'lot')?.amount ?? 0).toBe(0);
    expect(a.value).not.toBeNull();
  });
});

describe('what the model may know', () => {
  const sales = syntheticMarket(200, { noise: 0.1, seed: 5 });

  it('never uses a sale recorded after the day valued, nor the subject\'s own', () => {
    const market = new SalesMarket(sales);
    const subject = sales[150]!;
    const asOf = dayBefore(subject.date);
    const a = market.appraise(subject, asOf, { excludedSaleIds: [subject.sale_id] });
    for (const c of a.comparables) {
      expect(c.date <= asOf).toBe(true);
      expect(c.sale_id).not.toBe(subject.sale_id);
    }
    expect(a.model!.sales).toBe(sales.filter((s) => s.date <= asOf).length);
  });

  it('says nothing without a sale or a full cash value, and values by the assessor with a wide range when that is all there is', () => {
    const market = new SalesMarket([]);
    const subject = sales[0]!;
    expect(market.appraise(subject, '2026-01-01')).toMatchObject({ value: null, basis: null });
    const fcv = market.appraise({ ...subject, full_cash_value: 400_000, fcv_tax_year: 2026 }, '2026-01-01');
    expect(fcv).toMatchObject({ value: 400_000, basis: 'assessor_full_cash_value', confidence: 'low' });
    expect(fcv.high! / fcv.low!).toBeGreaterThan(2);
  });

  it('never extrapolates its market to a home 30 miles away: the full cash value, said so, or nothing', () => {
    const market = new SalesMarket(sales);
    const far = { ...sales[199]!, property_id: 'far', sale_id: 'far', parcel_number: '999-99-999', subdivision: 'ELSEWHERE', zip: '85390', lat: 33.9, lon: -112.7 };
    expect(market.appraise(far, '2026-06-01')).toMatchObject({ value: null, basis: null });
    const withFcv = market.appraise({ ...far, full_cash_value: 300_000, fcv_tax_year: 2026 }, '2026-06-01');
    expect(withFcv).toMatchObject({ value: 300_000, basis: 'assessor_full_cash_value' });
    expect(withFcv.evidence[0]).toContain('is not this home');
  });

  it('gives a sale the same value whatever was valued before it (the fits do not depend on the order)', () => {
    const subjects = sales.slice(120, 160);
    const forward = new SalesMarket(sales);
    const a = subjects.map((s) => forward.appraise(s, dayBefore(s.date), { excludedSaleIds: [s.sale_id] }).value);
    const backward = new SalesMarket(sales);
    const b = [...subjects].reverse().map((s) => backward.appraise(s, dayBefore(s.date), { excludedSaleIds: [s.sale_id] }).value).reverse();
    expect(b).toEqual(a);
  });

  it('leaves out what the analyst excluded', () => {
    const market = new SalesMarket(sales);
    const subject = { ...sales[199]!, property_id: 'subject', sale_id: 'subject' };
    const first = market.appraise(subject, '2026-06-01');
    const dropped = first.comparables[0]!.sale_id;
    const again = market.appraise(subject, '2026-06-01', { excludedSaleIds: [dropped] });
    expect(again.comparables.map((c) => c.sale_id)).not.toContain(dropped);
    expect(again.value).not.toBe(first.value);
  });
});

describe('subdivision keys', () => {
  it.each([
    ['OPTIMA CAMELVIEW VILLAGE CONDOMINIUM 2ND AMD', 'OPTIMA CAMELVIEW VILLAGE'],
    ['OPTIMA CAMELVIEW VILLAGE', 'OPTIMA CAMELVIEW VILLAGE'],
    ['VILLA MONTEREY UNIT 3-A', 'VILLA MONTEREY'],
    ['Villa Monterey 2', 'VILLA MONTEREY'],
    ['INDIAN TERRACE CONDOMINIUM 1STAMD', 'INDIAN TERRACE'],
    ['SCOTTSDALE HOUSE PLAT 2 AMD REPLAT', 'SCOTTSDALE HOUSE'],
    ['Ascent at the Phoenician', 'ASCENT PHOENICIAN'],
    ['PHOENICIAN 2 2ND AMD', 'PHOENICIAN'],
    ['123', null],
  ])('%s is the complex %s', (name, key) => expect(subdivisionKey(name)).toBe(key));
});
