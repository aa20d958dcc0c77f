import { describe, expect, it } from 'vitest';
import { armlsFees } from '../../src/main/collectors/armls/fees.js';
import { mapArmlsRow, parseFeatures } from '../../src/main/collectors/armls/mapping.js';
import type { UnreadValue } from '../../src/main/collectors/armls/values.js';
import { readFees } from '../../src/main/collectors/phoenix-mls/fees.js';
import { readRecurringFee, type StatedFees } from '../../src/main/collectors/recurring-fees.js';
import { armlsFixture, withFeatures } from '../support/armls.js';

/** The real export row's `Features` with its `Association & Fees` fields changed. */
const { header, row } = armlsFixture();
const realFeatures = row[header.indexOf('Features')]!;
const exportRow = (changes: Record<string, string>) => {
  const record = Object.fromEntries(header.map((h, i) => [h, row[i]!]));
  return mapArmlsRow({ ...record, Features: withFeatures(realFeatures, changes) }).data;
};
const exportFees = (changes: Record<string, string>) => {
  const unread: UnreadValue[] = [];
  return { fees: armlsFees(parseFeatures(withFeatures(realFeatures, changes)), unread), unread: unread.map((u) => `${u.column}: ${u.reason}`) };
};

describe('one fee reader for the ARMLS export and the MLS page (issue 24)', () => {
  it('reads HOA 3 in an export as the page reader reads it: every association summed', () => {
    // A master association, a sub-association and a third (RETS labels `HOA 3 Fee`, `HOA 3 Paid (Freq)`).
    const data = exportRow({ 'HOA Fee': '95', 'HOA 2 Y/N': 'Y', 'HOA 2 Fee': '150', 'HOA Paid Frequency 2': 'Quarterly', 'HOA 3 Y/N': 'Y', 'HOA 3 Fee': '300', 'HOA 3 Paid (Freq)': 'Annually' });
    const page = readFees({ hoa_yn: 'Y', hoa_fee: '95', hoa_frequency: 'Monthly', hoa2_fee: '150', hoa2_frequency: 'Quarterly', hoa3_fee: '300', hoa3_frequency: 'Annually' });
    expect(data).toMatchObject({ hoa_monthly: 170, hoa_text: '95 Monthly + 150 Quarterly + 300 Annually' });
    expect(page.hoa).toEqual({ monthly: 170, text: '95 Monthly + 150 Quarterly + 300 Annually' });
    expect(data.unread_values).toEqual([]);
  });

  it('an HOA 3 that cannot be read leaves the dues unknown in both, each naming its own field', () => {
    const exported = exportFees({ 'HOA 3 Y/N': 'Y', 'HOA 3 Fee': '300' });
    expect(exported.fees.hoa).toBeNull();
    expect(exported.unread).toEqual(['Features (Association & Fees|HOA 3 Fee): "300" has no frequency (monthly is not assumed)']);
    const page = readFees({ hoa_fee: '145', hoa_frequency: 'Monthly', hoa3_fee: '300' });
    expect(page.hoa).toBeNull();
    expect(page.unreadable).toEqual(['hoa3_fee: "300" has no frequency (monthly is not assumed)']);
    // `HOA 3 Y/N: N`, as the real export writes it (closed-sales-85251-2025.csv), adds nothing.
    expect(exportFees({ 'HOA 3 Y/N': 'N' }).fees.hoa).toEqual({ monthly: 145, text: '145 Monthly' });
  });

  it('the same land-lease texts give the same figure and the same contradiction in both', () => {
    expect(exportFees({ 'Land Lease Fee': '1,656', 'Land Lease Pd (Freq)': 'Annually' }).fees.landLease).toEqual(readFees({ land_lease_fee: '1,656', land_lease_frequency: 'Annually' }).landLease);
    expect(exportFees({ 'Land Lease Fee Y/N': 'N', 'Land Lease Fee': '229' }).unread).toEqual(['Features (Association & Fees|Land Lease Fee): Land Lease Fee Y/N is N, yet the fee is 229']);
    expect(readFees({ land_lease_yn: 'N', land_lease_fee: '229' }).unreadable).toEqual(['land_lease_fee: Land Lease Fee Y/N is N, yet the fee is 229']);
  });
});

describe('readRecurringFee: dollars a month by frequency', () => {
  const of = (texts: Partial<Record<'yesNo' | 'amount' | 'frequency', string>>): StatedFees => (fee, part) => (fee === 'hoa' ? (texts[part] ?? null) : null);
  it.each([
    [{ amount: '145', frequency: 'Monthly' }, 145],
    [{ amount: '696', frequency: 'Quarterly' }, 232],
    [{ amount: '110', frequency: 'Semi-Annually' }, 18.33],
    [{ amount: '3,300', frequency: 'Annually' }, 275],
    [{ amount: '$95/Month' }, 95],
    [{ yesNo: 'N' }, 0],
    [{ yesNo: 'N', amount: '0' }, 0],
  ])('%j → %d a month', (texts, monthly) => expect(readRecurringFee('hoa', of(texts)).fee?.monthly).toBe(monthly));

  it.each([
    [{ amount: '145' }, 'amount', '"145" has no frequency (monthly is not assumed)'],
    [{ amount: '145', frequency: 'Weekly-ish' }, 'frequency', '"Weekly-ish" is not a frequency'],
    [{ amount: '-145', frequency: 'Monthly' }, 'amount', '"-145" is negative: a fee is never'],
    [{ amount: '145', frequency: 'One Time' }, 'frequency', '"One Time" is a one-time fee, not a monthly one'],
    [{ yesNo: 'Y' }, 'amount', 'HOA Y/N is Y, yet there is no HOA Fee'],
    [{ yesNo: 'Maybe' }, 'yesNo', '"Maybe" is neither Y nor N'],
    [{ yesNo: 'N', amount: '145' }, 'amount', 'HOA Y/N is N, yet the fee is 145'],
  ])('%j is unknown: its %s, %s', (texts, part, reason) => {
    expect(readRecurringFee('hoa', of(texts))).toEqual({ fee: null, problem: expect.objectContaining({ fee: 'hoa', part, reason }) });
  });

  it('nothing stated is unknown without a problem', () => expect(readRecurringFee('hoa', of({}))).toEqual({ fee: null, problem: null }));
});
