import { describe, expect, it } from 'vitest';
import type { PropertyRecord } from '../../src/shared/contract.js';
import { historyRows, propertyPhotos, propertySales } from '../../src/shared/property-records.js';

const collected = new Date('2026-11-29T20:15:00Z');

/** The condo of C01 as `properties.get` gives its records (tests/integration/import.test.ts builds it from real payloads). */
const condo: PropertyRecord[] = [
  {
    id: 'maricopa_api:173-35-524',
    source: 'maricopa_api',
    source_id: '173-35-524',
    collected_at: collected,
    photo_urls: [],
    sales: [{ date: '2021-04-06', price: 215000, source: 'maricopa_api' }],
    sale_price: 215000,
    sale_date: '2021-04-06',
    listing_url: null,
    listing_status: null,
    list_price: null,
    price_history: [{ at: collected, price: 215000, field: 'sale_price' }],
  },
  {
    id: 'armls_export:6181273',
    source: 'armls_export',
    source_id: '6181273',
    collected_at: collected,
    photo_urls: ['http://cdn.photos.sparkplatform.com/az/20210115062540930001000000-o.jpg'],
    sales: [{ date: '2021-04-06', price: 215000, source: 'armls_export' }, { date: '2015-02-01', price: 153000, source: 'armls_export' }],
    sale_price: 215000,
    sale_date: '2021-04-06',
    listing_url: null,
    listing_status: 'closed',
    list_price: null,
    price_history: [{ at: collected, price: 215000, field: 'sale_price' }],
  },
  {
    id: 'phoenix_mls:6999001',
    source: 'phoenix_mls',
    source_id: '6999001',
    collected_at: collected,
    photo_urls: ['https://photos.example/1.jpg', 'http://cdn.photos.sparkplatform.com/az/20210115062540930001000000-o.jpg'],
    sales: [],
    sale_price: null,
    sale_date: null,
    listing_url: 'https://www.phoenixmlssearch.com/listing/6999001',
    listing_status: 'active',
    list_price: 239000,
    price_history: [{ at: collected, price: 249000, field: 'list_price' }, { at: new Date('2026-11-30T20:15:00Z'), price: 239000, field: 'list_price' }],
  },
];

describe('the property page over all its records', () => {
  it('shows the photos of every record, each once', () => {
    expect(propertyPhotos(condo)).toEqual(['http://cdn.photos.sparkplatform.com/az/20210115062540930001000000-o.jpg', 'https://photos.example/1.jpg']);
  });

  it('lists one sale per day and price, naming every source that recorded it, newest first', () => {
    expect(propertySales(condo)).toEqual([
      { date: '2021-04-06', price: 215000, sources: ['assessor', 'ARMLS import'] },
      { date: '2015-02-01', price: 153000, sources: ['ARMLS import'] },
    ]);
  });

  it("dates a sale price in the history by the sale's day, never as a sale on the day it was collected", () => {
    const rows = historyRows(condo, () => 'Nov 29, 2026');
    expect(rows.map(({ when, what, price }) => ({ when, what, price }))).toEqual([
      { when: { day: '2021-04-06' }, what: 'assessor: sale price on record when first collected (Nov 29, 2026)', price: 215000 },
      { when: { day: '2021-04-06' }, what: 'ARMLS import: sale price on record when first collected (Nov 29, 2026)', price: 215000 },
      { when: { at: collected }, what: 'MLS: list_price first seen', price: 249000 },
      { when: { at: new Date('2026-11-30T20:15:00Z') }, what: 'MLS: list_price changed', price: 239000 },
    ]);
  });

  it('says so when the sale of a recorded sale price has no day on record', () => {
    const [row] = historyRows([{ ...condo[0]!, sales: [], sale_date: null }], () => 'Nov 29, 2026');
    expect(row).toMatchObject({ when: { day: null }, what: 'assessor: sale price on record when first collected (Nov 29, 2026)' });
  });
});
