import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapArmlsRow } from '../../src/main/collectors/armls/mapping.js';
import { collectionsOf } from '../../src/main/db/collections.js';
import { RawPropertyRepository } from '../../src/main/db/repositories/raw-properties.js';
import { financialSettings } from '../../src/main/processing/financials.js';
import { loadRentMarket } from '../../src/main/processing/rent-leases.js';
import { settingsSchema } from '../../src/shared/settings.js';
import { armlsFixture } from '../support/armls.js';
import { manualClock } from '../support/clock.js';
import { openTestDatabase, type TestDatabase } from '../support/database.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await openTestDatabase();
});
afterAll(async () => tdb.close());

describe('rent comparables from stored ARMLS lease rows', () => {
  it('loads the leased rentals (never an active rental nor a sale) and estimates rent from them', async () => {
    const c = collectionsOf(tdb.db);
    const repo = new RawPropertyRepository(c.raw, c.rawOriginals, manualClock('2026-01-10T12:00:00Z').clock, c.propertyKeys);
    // The real ARMLS row (a 702 sq ft one-bedroom condo, Camelback House, 85251) as leased units of its building.
    const { header, row } = armlsFixture();
    const real = Object.fromEntries(header.map((h, i) => [h, row[i]!]));
    const rental = (listNumber: string, changes: Record<string, string>) =>
      mapArmlsRow({ ...real, 'List Number': listNumber, 'Unit #': listNumber.slice(-3), 'Property Type': 'Rental', 'List Price': '1600.00', ...changes });
    await repo.upsertMany([
      rental('7100101', { Status: 'Leased', 'Sold Price': '1550.00', 'Close of Escrow Date': '2025-09-02' }),
      rental('7100102', { Status: 'C', 'Sold Price': '1600.00', 'Close of Escrow Date': '2025-10-15' }),
      rental('7100103', { Status: 'Leased', 'Sold Price': '', 'List Price': '1650.00', 'Close of Escrow Date': '2025-11-20' }),
      rental('7100104', { Status: 'A', 'Sold Price': '', 'Close of Escrow Date': '' }),
      mapArmlsRow(real),
    ]);
    const rents = await loadRentMarket(repo);
    expect(rents.leases.map((l) => [l.property_id, l.date, l.rent]).sort()).toEqual([
      ['armls_export:7100101', '2025-09-02', 1550],
      ['armls_export:7100102', '2025-10-15', 1600],
      ['armls_export:7100103', '2025-11-20', 1650],
    ]);
    const subject = { ...rents.leases[0]!, property_id: 'maricopa_api:173-35-524' };
    const a = rents.estimate(subject, '2026-01-10', financialSettings(settingsSchema.parse({})).rent);
    expect(a).toMatchObject({ basis: 'rent_comparables', date: '2026-01-10' });
    expect(a.comparables).toHaveLength(3);
    expect(a.monthly).toBeGreaterThanOrEqual(1550);
    expect(a.monthly).toBeLessThanOrEqual(1650);
    expect(a.low).toBeLessThan(a.monthly!);
    expect(a.high).toBeGreaterThan(a.monthly!);
  });
});
