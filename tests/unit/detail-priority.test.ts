import { describe, expect, it } from 'vitest';
import { detailOrder, rollingTtlMs, standingsOf, type ParcelRecord } from '../../src/main/collectors/maricopa/detail-priority.js';

const record = (id: string, source: string, apn: string, data: Omit<ParcelRecord['data'], 'parcel_number'>, collected = '2026-11-01T13:00:00Z'): ParcelRecord => ({ _id: id, source, collected_at: new Date(collected), data: { parcel_number: apn, ...data } });

describe('where the assessor API budget goes first', () => {
  const records: ParcelRecord[] = [
    record('maricopa_api:100-00-001', 'maricopa_api', '100-00-001', {}, '2026-11-20T13:00:00Z'),
    record('maricopa_api:100-00-002', 'maricopa_api', '100-00-002', {}, '2026-10-01T13:00:00Z'),
    record('phoenix_mls:L1', 'phoenix_mls', '100-00-003', { listing_status: 'active' }),
    record('armls_export:C1', 'armls_export', '100-00-004', { listing_status: 'closed', sale_date: '2026-03-10' }),
    record('armls_export:C2', 'armls_export', '100-00-005', { listing_status: 'closed', sale_date: '2025-11-30' }),
    record('county_layer:100-00-006', 'county_layer', '100-00-006', { sales: [{ date: '2019-01-01' }, { date: '2026-06-01' }] }),
    record('maricopa_api:100-00-007', 'maricopa_api', '100-00-007', {}),
    record('armls_export:P1', 'armls_export', '100-00-008', { listing_status: 'pending' }),
  ];
  const apns = ['100-00-001', '100-00-002', '100-00-003', '100-00-004', '100-00-005', '100-00-006', '100-00-007', '100-00-008', '100-00-009', '100-00-010'];

  it('watched (listed for sale now, or a saved search match), then sold in 12 months, then never fetched, then the oldest fetched', () => {
    const order = detailOrder(apns, standingsOf(records, new Set(['maricopa_api:100-00-007'])), '2026-12-07');
    expect(order).toEqual([
      { apn: '100-00-003', tier: 'watched' },
      { apn: '100-00-007', tier: 'watched' },
      { apn: '100-00-008', tier: 'watched' },
      { apn: '100-00-004', tier: 'recently_sold' },
      { apn: '100-00-006', tier: 'recently_sold' },
      // Sold 2025-11-30: more than 12 months before 2026-12-07.
      { apn: '100-00-005', tier: 'oldest_data' },
      { apn: '100-00-009', tier: 'oldest_data' },
      { apn: '100-00-010', tier: 'oldest_data' },
      { apn: '100-00-002', tier: 'oldest_data' },
      { apn: '100-00-001', tier: 'oldest_data' },
    ]);
  });

  it('a closed, expired or withdrawn listing is not watched', () => {
    const s = standingsOf([record('a', 'phoenix_mls', '100-00-001', { listing_status: 'expired' }), record('b', 'armls_export', '100-00-001', { listing_status: 'withdrawn' })], new Set());
    expect(s.get('100-00-001')).toMatchObject({ listed: false, savedSearchMatch: false, lastSaleDate: null, assessorCollectedAt: null });
  });

  it('spreads a morning of parcels over the second half of the cache lifetime, each parcel on the same day every time', () => {
    const week = 7 * 86_400_000;
    const ttls = Array.from({ length: 5000 }, (_, i) => rollingTtlMs(`1${String(i).padStart(2, '0').slice(0, 2)}-${String(i % 100).padStart(2, '0')}-${String(i).padStart(3, '0')}`, week));
    for (const t of ttls) {
      expect(t).toBeGreaterThanOrEqual(week / 2);
      expect(t).toBeLessThanOrEqual(week);
    }
    // Each half-day of the 3.5-day spread gets about a seventh of the parcels: no one-morning expiry.
    const byHalfDay = new Array(7).fill(0);
    for (const t of ttls) byHalfDay[Math.min(6, Math.floor((t - week / 2) / (week / 14)))] += 1;
    for (const n of byHalfDay) expect(n).toBeGreaterThan(5000 / 7 * 0.8);
    expect(rollingTtlMs('509-11-455', week)).toBe(rollingTtlMs('509-11-455', week));
  });
});
