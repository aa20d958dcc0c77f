import { parseDollars, type MonthlyFee } from '../listing-fields.js';
import { readAssociationDues, readRecurringFee, type FeePart, type FeeProblem, type RecurringFeeName, type StatedFees } from '../recurring-fees.js';
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

/** The page fields that hold each recurring fee's texts (`RECURRING_FEES`' names; the page has no other fees). */
const PAGE_FIELDS: Partial<Record<RecurringFeeName, Partial<Record<FeePart, MlsField>>>> = {
  hoa: { yesNo: 'hoa_yn', amount: 'hoa_fee', frequency: 'hoa_frequency' },
  hoa2: { amount: 'hoa2_fee', frequency: 'hoa2_frequency' },
  hoa3: { amount: 'hoa3_fee', frequency: 'hoa3_frequency' },
  landLease: { yesNo: 'land_lease_yn', amount: 'land_lease_fee', frequency: 'land_lease_frequency' },
};

/** The fields `readFees` reads, kept as text by the page parser. */
export const FEE_TEXT_FIELDS: readonly MlsField[] = [...Object.values(PAGE_FIELDS).flatMap((f) => Object.values(f)), 'capital_improvement_fee', 'transfer_fee'];

/**
 * The fees of a detail page from its text fields, in ARMLS's vocabulary (its `Association &
 * Fees` fields: `HOA Y/N`, `HOA Fee` + `HOA Paid (Freq)`, `HOA 2 …`, `HOA 3 …`, `Land Lease Fee
 * Y/N`, `Land Lease Fee` + `Land Lease Pd (Freq)`, `Cap Imprv/Impact Fee`, `HOA Transfer Fee`:
 * the labels of ARMLS's flexmls RETS feed and of its CSV exports, shared/fixtures/armls-export),
 * read by the rule every source shares (`../recurring-fees.ts`):
 *
 * - `hoa`: the sum of every association's monthly figure (a master association and a
 *   sub-association are both paid); unknown when any stated association cannot be read, never
 *   a total missing a part; 0 when `HOA Y/N` is N and no fee is stated.
 * - `landLease`: the land-lease fee a month; 0 when `Land Lease Fee Y/N` is N and no fee is
 *   stated; unknown when it is Y with no amount.
 * - `oneTime`: the capital improvement (impact) fee and the transfer fee, paid once at a sale:
 *   never a monthly figure.
 *
 * A Y/N label that carries an amount (`Land Lease: $138/Month`, `Association: $95/Month`) is the fee.
 */
export function readFees(values: Partial<Record<MlsField, unknown>>): PageFees {
  const text = (field: MlsField | undefined) => (field !== undefined && typeof values[field] === 'string' && (values[field] as string).trim() !== '' ? (values[field] as string) : null);
  const stated: StatedFees = (fee, part) => {
    const fields = PAGE_FIELDS[fee];
    const yesNo = text(fields?.yesNo);
    const carriesAmount = yesNo !== null && /\d/.test(yesNo);
    if (part === 'yesNo') return carriesAmount ? null : yesNo;
    if (part === 'amount') return text(fields?.amount) ?? (carriesAmount ? yesNo : null);
    return text(fields?.frequency);
  };
  const unreadable: string[] = [];
  const report = (problem: FeeProblem | null) => {
    if (problem) unreadable.push(`${PAGE_FIELDS[problem.fee]?.[problem.part] ?? problem.fee}: ${problem.reason}`);
  };

  const dues = readAssociationDues(stated);
  dues.problems.forEach(report);
  const lease = readRecurringFee('landLease', stated);
  report(lease.problem);

  const oneTime: OneTimeFee[] = [];
  for (const [field, fee] of [
    ['capital_improvement_fee', 'capital_improvement'],
    ['transfer_fee', 'transfer'],
  ] as const) {
    const t = text(field);
    if (t !== null) oneTime.push({ fee, dollars: parseDollars(t), text: t });
  }
  return { hoa: dues.fee, hoaStated: dues.stated, landLease: lease.fee, oneTime, unreadable };
}
