/**
 * Association, land-lease and other fees of an ARMLS export row, from its `Features` column's
 * `Association & Fees` group (`Association & Fees|HOA Fee|145;…|HOA Paid Frequency|Monthly`).
 *
 * Read against 175 real listings (odgsully/Actual, `apps/gs-crm/mcao-upload-temp/*.csv`): ARMLS's
 * own `Ttl Mthly Fee Equiv` equals, on 174 of them, the sum of the recurring fees each turned into
 * dollars a month by its frequency — HOA (`HOA Fee` / `HOA Paid Frequency`), a second HOA (`HOA 2
 * Fee` / `HOA Paid Frequency 2`, when `HOA 2 Y/N` is Y), land lease (`Land Lease Fee` / `Land
 * Lease Pd (Freq)`), recreation centre (`Rec Center Fee` / `Rec Center Pd (Freq)`) and PAD
 * (`PAD Fee` / `PAD Paid (Freq)`): `$3,300` Annually is 275, `$110` Semi-Annually is 18.33. The
 * one-time fees (`Cap Improvement/Impact Fee`, in dollars or, when its `$/%` field says `%`, a
 * percent of the price; `HOA Transfer Fee`; disclosure and prepaid fees) are never in it: they are
 * not monthly dues. The 175th row says `Land Lease Fee Y/N: N` beside `Land Lease Fee: 229`:
 * such a contradiction is reported, never resolved by a guess.
 *
 * The recurring fees (HOA, HOA 2, HOA 3, land lease, recreation centres, PAD, a special assessment)
 * are read by `../recurring-fees.ts`, the MLS page reader's rule too; this module says where a row
 * keeps their texts and reads the one-time fees and what the dues include.
 */
import { readAssociationDues, readRecurringFee, RECURRING_FEES, type FeeProblem, type RecurringFeeName, type StatedFees } from '../recurring-fees.js';
import type { MonthlyFee } from '../listing-fields.js';
import { ArmlsValueError, readExportDate, readExportNumber, type UnreadValue } from './values.js';

/** A fee paid once (at the sale), never a monthly due. */
export interface OneTimeFee {
  /** The field's name: `Cap Improvement/Impact Fee`, `HOA Transfer Fee`. */
  name: string;
  amount: number;
  /** `dollars`, or `percent_of_price` (`0.5` is half of one percent of the price). */
  unit: 'dollars' | 'percent_of_price';
}

/**
 * An association's special assessment paid in instalments (`Special Assessment Amount Owed: 375`,
 * `Special Assessment Frequency: Monthly`, `Payment Start Date` / `Payment End Date`): a cost
 * beside the dues until its end, not in ARMLS's monthly total (real rows 6864846 and 6880389:
 * 375 a month to 2033-12-31 beside dues of 450 and a total of 450; two instalments prepaid, 750).
 */
export interface SpecialAssessment extends MonthlyFee {
  /** `YYYY-MM-DD`, when the export gives it. */
  start: string | null;
  end: string | null;
}

/** The fees of one row, monthly figures in dollars a month with the text as received. */
export interface ArmlsFees {
  /** Every association's dues summed (HOA, HOA 2, HOA 3): `{ monthly: 0 }` when `HOA Y/N` is N. */
  hoa: MonthlyFee | null;
  landLease: MonthlyFee | null;
  /** Recreation centre (both) and PAD fees, dollars a month; 0 when the row says it has none. */
  otherMonthly: number | null;
  /** ARMLS's `Ttl Mthly Fee Equiv`, dollars a month, as exported. */
  totalMonthly: number | null;
  oneTime: OneTimeFee[];
  specialAssessment: SpecialAssessment | null;
  /** What the dues pay for (`Association Fee Incl`: `Water`, `Sewer`, `Roof Replacement`, …). */
  includes: string[];
}

const FEATURES = 'Features';
const GROUP = 'Association & Fees';

/**
 * The fees of a row's `Features` (parsed by `parseFeatures`). A value that cannot be read (an
 * amount that is not one, a frequency not known, a yes/no contradicted by its amount) leaves that
 * fee unknown and is added to `unread`, named `Features (Association & Fees|HOA Fee)`.
 */
export function armlsFees(features: Map<string, string>, unread: UnreadValue[]): ArmlsFees {
  const field = (name: string): string | null => {
    const v = features.get(`${GROUP}|${name}`)?.trim();
    return v === undefined || v === '' ? null : v;
  };
  const stated: StatedFees = (fee, part) => RECURRING_FEES[fee][part].map(field).find((v) => v !== null) ?? null;
  const label = (problem: FeeProblem): string => RECURRING_FEES[problem.fee][problem.part].find((l) => field(l) !== null) ?? RECURRING_FEES[problem.fee][problem.part][0];
  const report = (problems: FeeProblem[]) => {
    for (const p of problems) unread.push({ column: `${FEATURES} (${GROUP}|${label(p)})`, value: p.text, reason: p.reason });
  };
  const recurring = (name: RecurringFeeName): MonthlyFee | null => {
    const reading = readRecurringFee(name, stated);
    report(reading.problem ? [reading.problem] : []);
    return reading.fee;
  };
  const readField = <T>(name: string, read: (text: string) => T): T | null => {
    const text = field(name);
    if (text === null) return null;
    try {
      return read(text);
    } catch (error) {
      if (!(error instanceof ArmlsValueError)) throw error;
      unread.push({ column: `${FEATURES} (${GROUP}|${name})`, value: text, reason: error.message });
      return null;
    }
  };
  const amountOf = (name: string): number | null => readField(name, (t) => readExportNumber(t));

  const dues = readAssociationDues(stated);
  report(dues.problems);

  // A recreation centre or PAD fee the row does not mention is none: ARMLS's total holds no such fee then.
  const others = (['recCenter', 'recCenter2', 'pad'] as const).map((name) => (stated(name, 'yesNo') === null && stated(name, 'amount') === null ? { monthly: 0, text: '' } : recurring(name)));
  const otherMonthly = others.every((f) => f !== null) ? cents(others.reduce((sum, f) => sum + f!.monthly, 0)) : null;

  const oneTime: OneTimeFee[] = [];
  for (const name of ['Cap Improvement/Impact Fee', 'Cap Improvement/Impact Fee 2']) {
    const amount = amountOf(name);
    if (amount !== null && amount > 0) oneTime.push({ name, amount, unit: field(`${name} $/%`) === '%' ? 'percent_of_price' : 'dollars' });
  }
  for (const name of ['HOA Transfer Fee', 'HOA 2 Transfer Fee', 'HOA 3 Transfer Fee']) {
    const amount = amountOf(name);
    if (amount !== null && amount > 0) oneTime.push({ name, amount, unit: 'dollars' });
  }

  const assessment = /^y(es)?$/i.test(stated('specialAssessment', 'yesNo') ?? '') ? recurring('specialAssessment') : null;
  const day = (name: string): string | null => readField(name, readExportDate);
  const specialAssessment = assessment && assessment.monthly > 0 ? { ...assessment, start: day('Payment Start Date'), end: day('Payment End Date') } : null;
  // `No Fees` sits beside a fee in real rows (6836653: HOA Fee 241.83): it is not read as one.
  const includes = [...features].filter(([key, v]) => key.startsWith('Association Fee Incl|') && v === 'Yes' && key !== 'Association Fee Incl|No Fees').map(([key]) => key.slice('Association Fee Incl|'.length));

  return { hoa: dues.fee, landLease: recurring('landLease'), otherMonthly, totalMonthly: amountOf('Ttl Mthly Fee Equiv'), oneTime, specialAssessment, includes };
}

function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
