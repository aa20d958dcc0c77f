import { describe, expect, it } from 'vitest';
import { ArmlsRowError, mapArmlsRow, parseFeatures } from '../../src/main/collectors/armls/mapping.js';
import { isActiveListing } from '../../src/main/processing/valuation-facts.js';
import { armlsFixture } from '../support/armls.js';

const { header, row } = armlsFixture();
const fields = (changes: Record<string, string> = {}) => ({ ...Object.fromEntries(header.map((h, i) => [h, row[i]!])), ...changes });

describe('ARMLS rows', () => {
  it('reads the Features triples, values with a bar kept whole', () => {
    const f = parseFeatures('Association & Fees|HOA Fee|145;Association & Fees|HOA Paid Frequency|Monthly;Odd|Only two;Remarks|Note|a|b');
    expect(f.get('Association & Fees|HOA Fee')).toBe('145');
    expect(f.get('Remarks|Note')).toBe('a|b');
    expect(f.size).toBe(3);
  });

  it('keeps a listed row as a listing: list price, no sale', () => {
    const data = mapArmlsRow(fields({ Status: 'A', 'Sold Price': '', 'Close of Escrow Date': '' })).data;
    expect(data).toMatchObject({ listing_status: 'active', list_price: 229000, sale_price: null, sales: [] });
  });

  it('adds Full + ½ × Half when no total is given, and the acres when no sq ft', () => {
    const data = mapArmlsRow(fields({ 'Total Bathrooms': '', 'Full Bathrooms': '2', 'Half Bathrooms': '1', 'Approx Lot SqFt': '', 'Approx Lot Acres': '0.1500' })).data;
    expect(data).toMatchObject({ bathrooms: 2.5, lot_size: 6534 });
  });

  it('takes the APN from book, map and parcel when Assessor Number is blank; another county\'s is not a Maricopa APN', () => {
    expect(mapArmlsRow(fields({ 'Assessor Number': '' })).data.parcel_number).toBe('173-35-524');
    expect(mapArmlsRow(fields({ 'Assessor Number': '1042-0047-0', "Assessor's Book #": '' })).data.parcel_number).toBeNull();
  });

  it('reads MM/DD/YYYY dates and says which column holds a bad one', () => {
    expect(mapArmlsRow(fields({ 'Close of Escrow Date': '4/6/2021' })).data.sale_date).toBe('2021-04-06');
    expect(() => mapArmlsRow(fields({ 'Close of Escrow Date': 'April 6' }))).toThrow(new ArmlsRowError('Close of Escrow Date', '"April 6" is not a date (YYYY-MM-DD or MM/DD/YYYY)'));
    expect(() => mapArmlsRow(fields({ 'Geo Lat': '333.5' }))).toThrow(/^Geo Lat: 333.5 is not a latitude$/);
  });

  it('a row without an HOA has a monthly fee of 0, said so', () => {
    const features = row[header.indexOf('Features')]!.replace('HOA Y/N|Y', 'HOA Y/N|N');
    expect(mapArmlsRow(fields({ Features: features })).data).toMatchObject({ hoa_monthly: 0, hoa_text: 'HOA Y/N: N' });
  });

  it('writes statuses the valuation reads: active and coming soon are for sale, closed is a sale', () => {
    expect(isActiveListing(mapArmlsRow(fields({ Status: 'A' })).data)).toBe(true);
    expect(isActiveListing(mapArmlsRow(fields({ Status: 'Coming Soon' })).data)).toBe(true);
    expect(isActiveListing(mapArmlsRow(fields()).data)).toBe(false);
  });
});
