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
 */
import { quoteValue } from '../import/quote-value.js';
import { monthlyFee, type MonthlyFee } from '../listing-fields.js';
import { ArmlsValueError, readExportDate, readExportNumber, type UnreadValue } from './values.js';

/** One recurring fee of the group: its yes/no field, amount field and frequency field. */
interface RecurringFee {
  yesNo: string;
  amount: string;
  frequency: string;
}

const HOA: RecurringFee = { yesNo: 'HOA Y/N', amount: 'HOA Fee', frequency: 'HOA Paid Frequency' };
const HOA_2: RecurringFee = { yesNo: 'HOA 2 Y/N', amount: 'HOA 2 Fee', frequency: 'HOA Paid Frequency 2' };
const LAND_LEASE: RecurringFee = { yesNo: 'Land Lease Fee Y/N', amount: 'Land Lease Fee', frequency: 'Land Lease Pd (Freq)' };
const REC_CENTER: RecurringFee = { yesNo: 'Rec Center Fee Y/N', amount: 'Rec Center Fee', frequency: 'Rec Center Pd (Freq)' };
const PAD: RecurringFee = { yesNo: 'PAD Fee Y/N', amount: 'PAD Fee', frequency: 'PAD Paid (Freq)' };
const SPECIAL_ASSESSMENT: RecurringFee = { yesNo: 'Special Assessment HOA', amount: 'Special Assessment Amount Owed', frequency: 'Special Assessment Frequency' };

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
  /** HOA plus the second HOA: `{ monthly: 0 }` when `HOA Y/N` is N. */
  hoa: MonthlyFee | null;
  landLease: MonthlyFee | null;
  /** Recreation centre and PAD fees, dollars a month; 0 when the row says it has neither. */
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
  const refuse = (name: string, reason: string): null => {
    unread.push({ column: `${FEATURES} (${GROUP}|${name})`, value: field(name) ?? '', reason });
    return null;
  };
  /** A field read by `read`; unknown and reported when it cannot be. */
  /** A yes/no field (`Y`/`N` or `Yes`/`No`) as a boolean; null when absent or neither. */
  const says = (name: string): boolean | null => {
    const v = field(name);
    return v === null ? null : /^y(es)?$/i.test(v) ? true : /^no?$/i.test(v) ? false : null;
  };
  const readField = <T>(name: string, read: (text: string) => T): T | null => {
    const text = field(name);
    if (text === null) return null;
    try {
      return read(text);
    } catch (error) {
      if (error instanceof ArmlsValueError) return refuse(name, error.message);
      throw error;
    }
  };
  const amountOf = (name: string): number | null => readField(name, (t) => readExportNumber(t));
  /** A fee as dollars a month: 0 when its yes/no says none; null when absent or unreadable. */
  const recurring = (fee: RecurringFee): MonthlyFee | null => {
    const amount = amountOf(fee.amount);
    if (says(fee.yesNo) === false) {
      if (amount !== null && amount > 0) return refuse(fee.amount, `${fee.yesNo} is ${field(fee.yesNo)}, yet the fee is ${amount}`);
      return { monthly: 0, text: `${fee.yesNo}: ${field(fee.yesNo)}` };
    }
    if (amount === null) return null;
    const frequency = field(fee.frequency);
    const monthly = monthlyFee(String(amount), frequency);
    if (monthly === null) return refuse(fee.frequency, frequency ? `${quoteValue(frequency)} is not a frequency` : `no frequency for the ${fee.amount} of ${amount}`);
    return { monthly: monthly.monthly, text: `${field(fee.amount)} ${frequency}` };
  };

  const second = says(HOA_2.yesNo) !== true ? undefined : field(HOA_2.amount) === null ? refuse(HOA_2.amount, `${HOA_2.yesNo} is Y, yet there is no ${HOA_2.amount}`) : recurring(HOA_2);
  const hoa = bothAssociations(recurring(HOA), second);

  const others = [REC_CENTER, PAD].map((fee) => (field(fee.yesNo) === null && field(fee.amount) === null ? { monthly: 0, text: '' } : recurring(fee)));
  const otherMonthly = others.every((f) => f !== null) ? cents(others.reduce((sum, f) => sum + f!.monthly, 0)) : null;

  const oneTime: OneTimeFee[] = [];
  for (const name of ['Cap Improvement/Impact Fee', 'Cap Improvement/Impact Fee 2']) {
    const amount = amountOf(name);
    if (amount !== null && amount > 0) oneTime.push({ name, amount, unit: field(`${name} $/%`) === '%' ? 'percent_of_price' : 'dollars' });
  }
  for (const name of ['HOA Transfer Fee', 'HOA 2 Transfer Fee']) {
    const amount = amountOf(name);
    if (amount !== null && amount > 0) oneTime.push({ name, amount, unit: 'dollars' });
  }

  const assessment = says(SPECIAL_ASSESSMENT.yesNo) === true ? recurring(SPECIAL_ASSESSMENT) : null;
  const day = (name: string): string | null => readField(name, readExportDate);
  const specialAssessment = assessment && assessment.monthly > 0 ? { ...assessment, start: day('Payment Start Date'), end: day('Payment End Date') } : null;
  // `No Fees` sits beside a fee in real rows (6836653: HOA Fee 241.83): it is not read as one.
  const includes = [...features].filter(([key, v]) => key.startsWith('Association Fee Incl|') && v === 'Yes' && key !== 'Association Fee Incl|No Fees').map(([key]) => key.slice('Association Fee Incl|'.length));

  return { hoa, landLease: recurring(LAND_LEASE), otherMonthly, totalMonthly: amountOf('Ttl Mthly Fee Equiv'), oneTime, specialAssessment, includes };
}

/** The first HOA's fee plus the second's (`undefined`: there is none; null: it cannot be read). */
function bothAssociations(first: MonthlyFee | null, second: MonthlyFee | null | undefined): MonthlyFee | null {
  if (second === undefined || first === null) return first;
  if (second === null) return null;
  return { monthly: cents(first.monthly + second.monthly), text: `${first.text} + ${second.text} (HOA 2)` };
}

function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
