import { parseDollars, readMonthlyFee, type MonthlyFee } from '../listing-fields.js';
import type { MlsField } from './selectors.js';

/** A one-time fee a page states: never part of a monthly figure. */
export interface OneTimeFee {
  fee: 'capital_improvement' | 'transfer';
  /** Dollars, when the text is one amount; ARMLS may state the capital improvement fee as a % of the price. */
  dollars: number | null;
  text: string;
}

/** The fees of one detail page, read. */
export interface PageFees {
  /** Association dues a month (every association summed), with the texts as received; null when unknown. */
  hoa: MonthlyFee | null;
  /** Every stated association's text as received (`95 Monthly + 150`), also when `hoa` is unknown. */
  hoaStated: string | null;
  /** Land-lease rent a month with its text; null when unknown. */
  landLease: MonthlyFee | null;
  oneTime: OneTimeFee[];
  /** Why a stated fee is unknown (`hoa2_fee: "$150" has no frequency (monthly is not assumed)`). */
  unreadable: string[];
}

/** Each association's amount field and frequency field, as ARMLS numbers them (`HOA Fee`, `HOA 2 Fee`, `HOA 3 Fee`). */
const ASSOCIATIONS: [MlsField, MlsField][] = [
  ['hoa_fee', 'hoa_frequency'],
  ['hoa2_fee', 'hoa2_frequency'],
  ['hoa3_fee', 'hoa3_frequency'],
];

/** The fields `readFees` reads, kept as text by the page parser. */
export const FEE_TEXT_FIELDS: readonly MlsField[] = [...ASSOCIATIONS.flat(), 'hoa_yn', 'land_lease_yn', 'land_lease_fee', 'land_lease_frequency', 'capital_improvement_fee', 'transfer_fee'];

const isNo = (text: string | null) => text !== null && /^(n|no)$/i.test(text.trim());
const isYes = (text: string | null) => text !== null && /^(y|yes)$/i.test(text.trim());

/**
 * The fees of a detail page from its text fields, in ARMLS's vocabulary (its `Association &
 * Fees` fields: `HOA Y/N`, `HOA Fee` + `HOA Paid (Freq)`, `HOA 2 …`, `HOA 3 …`, `Land Lease Fee
 * Y/N`, `Land Lease Fee` + `Land Lease Pd (Freq)`, `Cap Imprv/Impact Fee`, `HOA Transfer Fee`:
 * the labels of ARMLS's flexmls RETS feed and of its CSV exports, shared/fixtures/armls-export).
 *
 * - `hoa`: the sum of every association's monthly figure (a master association and a
 *   sub-association are both paid); unknown when any stated association cannot be read, never
 *   a total missing a part; 0 when `HOA Y/N` is N and no fee is stated.
 * - `landLease`: the land-lease fee a month; 0 when `Land Lease Fee Y/N` is N and no fee is
 *   stated; unknown when it is Y with no amount.
 * - `oneTime`: the capital improvement (impact) fee and the transfer fee, paid once at a sale:
 *   never a monthly figure.
 */
export function readFees(values: Partial<Record<MlsField, unknown>>): PageFees {
  // A Y/N label that carries an amount (`Land Lease: $138/Month`, `Association: $95/Month`) is the fee.
  const stated = (field: MlsField) => (typeof values[field] === 'string' ? (values[field] as string) : null);
  const amountIn = (yn: MlsField) => (/\d/.test(stated(yn) ?? '') ? stated(yn) : null);
  const text = (field: MlsField) => stated(field) ?? (field === 'hoa_fee' ? amountIn('hoa_yn') : field === 'land_lease_fee' ? amountIn('land_lease_yn') : null);
  const unreadable: string[] = [];

  const dues: MonthlyFee[] = [];
  const statedDues: string[] = [];
  let duesKnown = true;
  for (const [amountField, frequencyField] of ASSOCIATIONS) {
    const amount = text(amountField);
    if (amount === null) continue;
    statedDues.push([amount, text(frequencyField)].filter(Boolean).join(' '));
    const fee = readMonthlyFee(amount, text(frequencyField));
    if (fee.ok) dues.push(fee.value);
    else {
      duesKnown = false;
      unreadable.push(`${amountField}: ${JSON.stringify(amount)}${text(frequencyField) ? ` (${text(frequencyField)})` : ''} ${fee.reason}`);
    }
  }
  let hoa: MonthlyFee | null = null;
  if (dues.length > 0 && duesKnown) hoa = { monthly: Math.round(dues.reduce((sum, d) => sum + d.monthly, 0) * 100) / 100, text: dues.map((d) => d.text).join(' + ') };
  else if (dues.length === 0 && duesKnown && isNo(text('hoa_yn'))) hoa = { monthly: 0, text: `HOA Y/N: ${text('hoa_yn')}` };
  else if (dues.length === 0 && duesKnown && isYes(text('hoa_yn'))) unreadable.push('hoa_fee: HOA Y/N is Y but no fee is stated');

  let landLease: MonthlyFee | null = null;
  const leaseAmount = text('land_lease_fee');
  if (leaseAmount !== null) {
    const fee = readMonthlyFee(leaseAmount, text('land_lease_frequency'));
    if (fee.ok) landLease = fee.value;
    else unreadable.push(`land_lease_fee: ${JSON.stringify(leaseAmount)} ${fee.reason}`);
  } else if (isNo(text('land_lease_yn'))) landLease = { monthly: 0, text: `Land Lease Fee Y/N: ${text('land_lease_yn')}` };
  else if (isYes(text('land_lease_yn'))) unreadable.push('land_lease_fee: Land Lease Fee Y/N is Y but no fee is stated');

  const oneTime: OneTimeFee[] = [];
  for (const [field, fee] of [
    ['capital_improvement_fee', 'capital_improvement'],
    ['transfer_fee', 'transfer'],
  ] as const) {
    const t = text(field);
    if (t !== null) oneTime.push({ fee, dollars: parseDollars(t), text: t });
  }
  return { hoa, hoaStated: statedDues.length > 0 ? statedDues.join(' + ') : null, landLease, oneTime, unreadable };
}
