import { describe, expect, it } from 'vitest';
import { defaultSafmrTable } from '../../src/main/collectors/hud/default-safmr.js';
import { mapArmlsRow } from '../../src/main/collectors/armls/mapping.js';
import { financialSettings } from '../../src/main/processing/financials.js';
import { rentCandidatesOf } from '../../src/main/processing/rent-leases.js';
import { rawPropertyId } from '../../src/shared/schemas/raw-property.js';
import { settingsSchema } from '../../src/shared/settings.js';
import { SAFMR_FLOOR_NOTE } from '../../src/shared/underwriting/rent.js';
import { RentMarket, type RentComparableLease, type RentSubjectFeatures } from '../../src/shared/valuation/rent-model.js';
import type { PropertyFeatures } from '../../src/shared/valuation/types.js';
import { armlsFixture } from '../support/armls.js';
import { UNKNOWN_DETAILS } from '../support/features.js';

/** Deterministic uniform numbers (mulberry32), so the synthetic market is the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
const normal = (u: () => number) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());

const features = (id: string, f: Partial<PropertyFeatures>): PropertyFeatures => ({
  property_id: id,
  parcel_number: null,
  address: null,
  zip: '85251',
  city: 'Scottsdale',
  subdivision: null,
  lat: null,
  lon: null,
  property_type: 'condo',
  dwelling_style: null,
  square_feet: null,
  bedrooms: null,
  bathrooms: null,
  year_built: null,
  ...UNKNOWN_DETAILS,
  ...f,
});

const day = (start: string, days: number) => new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A market of known rents: within 2.5 mi of Old Town Scottsdale, condos at `rates.condo` and
 * houses at `rates.single_family` dollars a month per sq ft^elasticity (elasticity 1: a plain
 * $/sq ft), times lognormal noise of `sigma` (0.10: about ±10%), leased over 2024-01-01 to
 * 2025-12-31 with no trend. Beds and baths follow the size.
 */
function market(n: number, opts: { elasticity: number; sigma: number; seed: number }) {
  const u = random(opts.seed);
  const rates: Record<string, number> = { condo: 1.8, single_family: 1.2 };
  const leases: (RentComparableLease & { expected: number })[] = [];
  for (let i = 0; i < n; i++) {
    const type = u() < 0.5 ? 'condo' : 'single_family';
    const sqft = Math.round(type === 'condo' ? 600 + u() * 1200 : 1200 + u() * 1800);
    const r = 2.5 * Math.sqrt(u());
    const angle = 2 * Math.PI * u();
    const expected = rates[type]! * sqft ** opts.elasticity * 1200 ** (1 - opts.elasticity);
    const id = `armls_export:${700000 + i}`;
    const date = day('2024-01-01', Math.floor(u() * 731));
    leases.push({
      ...features(id, {
        property_type: type,
        square_feet: sqft,
        bedrooms: Math.max(1, Math.round(sqft / 550)),
        bathrooms: Math.max(1, Math.round(sqft / 700)),
        lat: 33.4942 + (r / 69.05) * Math.sin(angle),
        lon: -111.926 + (r / 57.6) * Math.cos(angle),
      }),
      lease_id: `${id}|${date}`,
      date,
      rent: Math.round(expected * Math.exp(opts.sigma * normal(u))),
      source: 'armls_export',
      expected,
    });
  }
  return leases;
}

const settings = financialSettings(settingsSchema.parse({})).rent;

describe('rent comparables', () => {
  it('recover a market of known $/sq ft, and the 80% range holds 70–90% of held-out leases', () => {
    const leases = market(900, { elasticity: 1, sigma: 0.1, seed: 21 });
    const rents = new RentMarket(leases);
    // Held out: the leases of the last half year, each estimated as of its own day from the others known then.
    const held = leases.filter((l) => l.date >= '2025-07-01');
    expect(held.length).toBeGreaterThan(150);
    const ratios: number[] = [];
    let inside = 0;
    for (const l of held) {
      const a = rents.estimate(l, l.date, settings);
      expect(a.basis).toBe('rent_comparables');
      expect(a.date).toBe(l.date);
      expect(a.comparables.every((c) => c.date <= l.date && c.property_id !== l.property_id)).toBe(true);
      ratios.push(a.monthly! / l.expected);
      if (l.rent >= a.low! && l.rent <= a.high!) inside += 1;
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)]!;
    expect(Math.abs(median - 1)).toBeLessThan(0.02);
    const coverage = inside / held.length;
    expect(coverage).toBeGreaterThanOrEqual(0.7);
    expect(coverage).toBeLessThanOrEqual(0.9);
  });

  it('estimates the size adjustment from the leases (log-log fit of rent on sq ft within the type)', () => {
    const leases = market(600, { elasticity: 0.7, sigma: 0.05, seed: 7 });
    const rents = new RentMarket(leases);
    const subject = features('maricopa_api:173-35-524', { property_type: 'condo', square_feet: 1500, bedrooms: 3, bathrooms: 2, lat: 33.4942, lon: -111.926 });
    const a = rents.estimate(subject, '2026-01-01', settings);
    const elasticity = Number(/sq ft\^(\d\.\d+)/.exec(a.detail)![1]);
    expect(elasticity).toBeGreaterThan(0.62);
    expect(elasticity).toBeLessThan(0.78);
    // 1.8 × 1500^0.7 × 1200^0.3: the known rent of a 1,500 sq ft condo here.
    expect(a.monthly! / (1.8 * 1500 ** 0.7 * 1200 ** 0.3)).toBeCloseTo(1, 1);
    // A smaller comparable is adjusted up, a larger one down, by its own rent × (1500 / its sq ft)^b − its rent.
    for (const c of a.comparables) {
      const size = c.adjustments.find((x) => x.factor === 'living area')?.amount ?? 0;
      expect(Math.sign(size)).toBe(Math.sign(1500 - c.square_feet!));
      expect(size).toBeCloseTo(c.rent * (1500 / c.square_feet!) ** elasticity - c.rent, -1);
    }
    expect(a.comparables.reduce((s, c) => s + c.weight, 0)).toBeCloseTo(1, 9);
    expect(a.low!).toBeLessThan(a.monthly!);
    expect(a.high!).toBeGreaterThan(a.monthly!);
  });

  it('never gives a range of zero width: identical rents are pooled with the fit’s residual spread', () => {
    const twins = Array.from({ length: 8 }, (_, i): RentComparableLease => ({
      ...features(`armls_export:${900 + i}`, { square_feet: 1000, bedrooms: 2, bathrooms: 2, lat: 33.4942, lon: -111.926 }),
      lease_id: `armls_export:${900 + i}|2025-12-01`,
      date: '2025-12-01',
      rent: 2000,
      source: 'armls_export',
    }));
    const rents = new RentMarket([...market(300, { elasticity: 1, sigma: 0.1, seed: 3 }), ...twins]);
    const a = rents.estimate(features('maricopa_api:1', { square_feet: 1000, bedrooms: 2, bathrooms: 2, lat: 33.4942, lon: -111.926 }), '2025-12-15', settings);
    expect(a.comparables.map((c) => c.rent)).toEqual(Array(8).fill(2000));
    expect(a.monthly).toBe(2000);
    // σ ≈ 0.1 in the market: √(2 × 0.1² / 9) ≈ 0.047, × t(7) 1.415 × √(1 + 1/8): about ±7%.
    expect(a.low).toBeGreaterThan(1800);
    expect(a.low).toBeLessThan(1950);
    expect(a.high).toBeGreaterThan(2050);
    expect(a.high).toBeLessThan(2200);
  });

  it('uses only leases on or before the day, and never the subject’s own', () => {
    const subject = features('armls_export:1', { square_feet: 900, bedrooms: 2, bathrooms: 2, lat: 33.4942, lon: -111.926 });
    const lease = (id: number, date: string, rent: number): RentComparableLease => ({
      ...features(`armls_export:${id}`, { square_feet: 900, bedrooms: 2, bathrooms: 2, lat: 33.495, lon: -111.927 }),
      lease_id: `armls_export:${id}|${date}`,
      date,
      rent,
      source: 'armls_export',
    });
    const rents = new RentMarket([lease(1, '2025-01-01', 9000), lease(2, '2025-02-01', 1700), lease(3, '2025-03-01', 1750), lease(4, '2025-04-01', 1800), lease(5, '2025-06-01', 5000)]);
    const a = rents.estimate(subject, '2025-05-01', settings);
    expect(a.basis).toBe('rent_comparables');
    expect(a.comparables.map((c) => c.lease_id).sort()).toEqual(['armls_export:2|2025-02-01', 'armls_export:3|2025-03-01', 'armls_export:4|2025-04-01']);
    expect(a.monthly).toBeGreaterThanOrEqual(1700);
    expect(a.monthly).toBeLessThanOrEqual(1800);
    expect(a.detail).toMatch(/^estimate from 3 rent comparables \(\$1,800, \$1,750, \$1,700\), not adjusted for size/);
    // As of the day before the second lease, one is known: too few, so the SAFMR table decides.
    expect(rents.estimate(subject, '2025-02-28', settings).basis).toBe('safmr');
  });
});

describe('rent without comparables', () => {
  const subject = (f: Partial<RentSubjectFeatures>) => features('maricopa_api:173-35-524', { zip: '85251', square_feet: 1200, bedrooms: 3, property_type: 'condo', ...f });

  it('is HUD’s FY2026 SAFMR when RENT_BY_ZIP_BEDROOMS is not set, said to be a floor', () => {
    const a = new RentMarket([]).estimate(subject({}), '2026-01-15', settings);
    // assets/rents: 85251, 3 bedrooms, FY2026.
    expect(a).toMatchObject({ monthly: 2930, low: null, high: null, basis: 'safmr', date: '2025-10-01', comparables: [] });
    expect(a.detail).toContain('3-bedroom rent for ZIP 85251 (HUD FY2026 Small Area FMR, Phoenix metro, shipped default)');
    expect(a.detail).toContain(SAFMR_FLOOR_NOTE);
    expect(a.detail).toMatch(/^no ARMLS lease rows imported for rent comparables; /);
    expect(SAFMR_FLOOR_NOTE).toMatch(/40th-percentile gross rent.*tenant-paid utilities.*24 CFR 888\.113/);
    expect(defaultSafmrTable().rents['85251']).toEqual({ '0': 1740, '1': 1890, '2': 2200, '3': 2930, '4': 3250 });
    expect(Object.keys(defaultSafmrTable().rents)).toHaveLength(224);
  });

  it('is the analyst’s table when RENT_BY_ZIP_BEDROOMS is set', () => {
    const own = financialSettings(settingsSchema.parse({ rentByZipBedrooms: { '85251': { '3': 3100 } } })).rent;
    const a = new RentMarket([]).estimate(subject({}), '2026-01-15', own);
    expect(a).toMatchObject({ monthly: 3100, basis: 'zip_bedrooms', date: null });
    // Not called HUD's outright (the analyst may have typed it), but a HUD import is a floor too: said so, hedged.
    expect(a.detail).toContain("RENT_BY_ZIP_BEDROOMS, as imported; if it is HUD's SAFMR");
  });

  it('is $/sq ft by type: measured from the leases when there are some, else the defaults', () => {
    // No bedrooms: the table cannot say; no leases: the default condo and house rates.
    expect(new RentMarket([]).estimate(subject({ bedrooms: null }), '2026-01-15', settings)).toMatchObject({ monthly: 2280, basis: 'rent_per_sqft', low: null, high: null, date: null });
    expect(new RentMarket([]).estimate(subject({ bedrooms: null, property_type: 'single_family' }), '2026-01-15', settings)).toMatchObject({ monthly: 1320, basis: 'rent_per_sqft' });
    // Condo leases in another ZIP, too far to compare: their median $/sq ft and its 10th–90th percentile.
    const far = [1.5, 1.6, 1.7, 1.8, 1.9, 2.0].map((rate, i) => ({
      ...features(`armls_export:${i}`, { zip: '85281', square_feet: 1000, bedrooms: 2, lat: 33.42, lon: -111.94 }),
      lease_id: `armls_export:${i}|2025-11-01`,
      date: '2025-11-01',
      rent: rate * 1000,
      source: 'armls_export',
    }));
    const a = new RentMarket(far).estimate(subject({ bedrooms: null, lat: 33.4942, lon: -111.926 }), '2026-01-15', settings);
    expect(a).toMatchObject({ basis: 'rent_per_sqft', monthly: 2100, date: '2026-01-15' });
    expect(a.detail).toContain('1200 sq ft × $1.75/sq ft (median of 6 condo and townhouse leases of the last two years)');
    expect(a.low).toBe(Math.round((1200 * 1.55) / 5) * 5);
    expect(a.high).toBe(Math.round((1200 * 1.95) / 5) * 5);
  });
});

describe('ARMLS lease rows', () => {
  const { header, row } = armlsFixture();
  const fields = (changes: Record<string, string>) => ({ ...Object.fromEntries(header.map((h, i) => [h, row[i]!])), ...changes });
  const stored = (changes: Record<string, string>) => {
    const input = mapArmlsRow(fields(changes));
    return { _id: rawPropertyId(input.source, input.source_id), source: input.source, data: input.data };
  };

  it('a leased rental is rent evidence: its price a monthly rent, dated by its close of escrow', () => {
    for (const status of ['Leased', 'C', 'Closed']) {
      const doc = stored({ 'Property Type': 'Rental', Status: status, 'List Price': '2400.00', 'Sold Price': '2350.00', 'Close of Escrow Date': '2025-06-15' });
      expect(doc.data).toMatchObject({ listing_status: 'closed', rent_price: 2350, lease_date: '2025-06-15', sale_price: null, sales: [], list_price: null });
      const [lease] = rentCandidatesOf(doc);
      // The real row: a 702 sq ft, one-bedroom condo (`Apartment`) at 4600 N 68th St #371.
      expect(lease).toMatchObject({ lease_id: `${doc._id}|2025-06-15`, date: '2025-06-15', rent: 2350, property_type: 'condo', square_feet: 702, bedrooms: 1, zip: '85251', parcel_number: '173-35-524' });
    }
    // Without a Sold Price, the list price is the rent.
    expect(stored({ 'Property Type': 'Lease', Status: 'Leased', 'List Price': '1995', 'Sold Price': '', 'Close of Escrow Date': '2025-06-15' }).data).toMatchObject({ rent_price: 1995 });
  });

  it('an active rental asks a rent but is no lease; a lease without its day is reported', () => {
    const active = stored({ 'Property Type': 'Rental', Status: 'A', 'List Price': '2400.00', 'Sold Price': '', 'Close of Escrow Date': '' });
    expect(active.data).toMatchObject({ listing_status: 'active', rent_price: 2400, lease_date: null });
    expect(rentCandidatesOf(active)).toEqual([]);
    const undated = stored({ 'Property Type': 'Rental', Status: 'Leased', 'Sold Price': '2350', 'Close of Escrow Date': '' });
    expect(rentCandidatesOf(undated)).toEqual([]);
    expect(undated.data.unread_values).toContainEqual({ column: 'Close of Escrow Date', value: '', reason: 'a lease without its monthly rent and day is not a rent comparable' });
    // `L` is ARMLS's cancelled, not leased (values.ts, ARMLS_STATUS_CODES).
    expect(stored({ 'Property Type': 'Rental', Status: 'L' }).data.listing_status).toBe('cancelled');
    // A sale's record is never a lease.
    expect(rentCandidatesOf(stored({}))).toEqual([]);
  });
});
