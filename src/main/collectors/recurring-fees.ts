/**
 * The recurring fees of a listing (association dues, land lease, recreation centre, PAD, a special
 * assessment in instalments) read into dollars a month, one reading for every source that states
 * them: an ARMLS export's `Features` (armls/fees.ts) and an MLS detail page (phoenix-mls/fees.ts).
 * Each source only says where the texts are; what they mean is decided here (issue 24: the export
 * reader ignored `HOA 3` fees that the page reader summed).
 *
 * The vocabulary is ARMLS's `Association & Fees` group: its CSV exports write `HOA Fee` / `HOA Paid
 * Frequency` / `HOA 2 Fee` / `HOA Paid Frequency 2` (shared/fixtures/armls-export), its flexmls
 * RETS feed `HOA 3 Fee` / `HOA 3 Paid (Freq)` / `HOA 3 Y/N` and `Rec Cent 2 Pd (Freq)` (the
 * feed's label list, a public PHRETS demo for `retsgw.flexmls.com`).
 *
 * The rule, for each fee:
 * - an amount and its frequency give dollars a month: amount × payments a year ÷ 12, rounded to
 *   the cent (`listing-fields.ts` `readMonthlyFee`: Monthly 12, Quarterly 4, Semi-Annually 2,
 *   Annually 1, Bi-Monthly 6, …); $3,300 Annually is 275, $110 Semi-Annually is 18.33, as ARMLS's
 *   own `Ttl Mthly Fee Equiv` computes them. An amount without a frequency is unknown (monthly is
 *   never assumed).
 * - its Y/N saying N gives 0, unless an amount above 0 stands beside it: that contradiction is
 *   reported, never resolved by a guess; its Y/N saying Y without an amount is unknown, reported.
 * - the dues are every association's (a master association and a sub-association are both paid),
 *   summed; unknown when any stated association cannot be read, never a total missing a part.
 */
import { quoteValue } from './import/quote-value.js';
import { readMonthlyFee, type MonthlyFee } from './listing-fields.js';

/** One recurring fee's fields as ARMLS names them: each part's labels, the export's first. */
export interface FeeLabels {
  yesNo: readonly string[];
  amount: readonly string[];
  frequency: readonly string[];
}

/** Every recurring fee this reader knows, by name, with ARMLS's labels for its three fields. */
export const RECURRING_FEES = {
  hoa: { yesNo: ['HOA Y/N'], amount: ['HOA Fee'], frequency: ['HOA Paid Frequency', 'HOA Paid (Freq)'] },
  hoa2: { yesNo: ['HOA 2 Y/N'], amount: ['HOA 2 Fee'], frequency: ['HOA Paid Frequency 2', 'HOA 2 Paid (Freq)', 'HOA 2 Paid Frequency'] },
  hoa3: { yesNo: ['HOA 3 Y/N'], amount: ['HOA 3 Fee'], frequency: ['HOA Paid Frequency 3', 'HOA 3 Paid (Freq)', 'HOA 3 Paid Frequency'] },
  landLease: { yesNo: ['Land Lease Fee Y/N'], amount: ['Land Lease Fee'], frequency: ['Land Lease Pd (Freq)', 'Land Lease Paid Frequency'] },
  recCenter: { yesNo: ['Rec Center Fee Y/N'], amount: ['Rec Center Fee'], frequency: ['Rec Center Pd (Freq)'] },
  recCenter2: { yesNo: ['Rec Center Fee 2 Y/N'], amount: ['Rec Center Fee 2'], frequency: ['Rec Cent 2 Pd (Freq)', 'Rec Center Pd (Freq) 2'] },
  pad: { yesNo: ['PAD Fee Y/N'], amount: ['PAD Fee'], frequency: ['PAD Paid (Freq)'] },
  specialAssessment: { yesNo: ['Special Assessment HOA'], amount: ['Special Assessment Amount Owed'], frequency: ['Special Assessment Frequency'] },
} as const satisfies Record<string, FeeLabels>;

/** A fee `RECURRING_FEES` names: `hoa`, `hoa2`, `hoa3`, `landLease`, …. */
export type RecurringFeeName = keyof typeof RECURRING_FEES;

/** The associations whose dues are summed, in ARMLS's order. */
export const ASSOCIATIONS: readonly RecurringFeeName[] = ['hoa', 'hoa2', 'hoa3'];

/** One of a fee's three fields. */
export type FeePart = keyof FeeLabels;

/**
 * Where a source keeps its texts: the text of one field of one fee as received, null when the
 * source does not state it (an empty text is not stated).
 */
export type StatedFees = (fee: RecurringFeeName, part: FeePart) => string | null;

/** Why a stated fee is unknown: the fee, the field at fault, its text, and a sentence for the user. */
export interface FeeProblem {
  fee: RecurringFeeName;
  part: FeePart;
  text: string;
  /** `"Weekly-ish" is not a frequency`, `HOA 2 Y/N is Y, yet there is no HOA 2 Fee`. */
  reason: string;
}

/** One fee read: dollars a month with its text, or null (not stated, or unknown with a problem). */
export interface FeeReading {
  fee: MonthlyFee | null;
  problem: FeeProblem | null;
}

const YES = /^y(es)?$/i;
const NO = /^no?$/i;

/** One recurring fee as dollars a month, by the rule in this module's header. */
export function readRecurringFee(name: RecurringFeeName, stated: StatedFees): FeeReading {
  const labels = RECURRING_FEES[name];
  const yesNo = stated(name, 'yesNo')?.trim() || null;
  const amount = stated(name, 'amount')?.trim() || null;
  const frequency = stated(name, 'frequency')?.trim() || null;
  const problem = (part: FeePart, text: string, reason: string): FeeReading => ({ fee: null, problem: { fee: name, part, text, reason } });

  if (yesNo !== null && NO.test(yesNo)) {
    const zero = amount === null || isZero(amount);
    return zero ? { fee: { monthly: 0, text: `${labels.yesNo[0]}: ${yesNo}` }, problem: null } : problem('amount', amount!, `${labels.yesNo[0]} is ${yesNo}, yet the fee is ${amount}`);
  }
  if (amount === null) {
    if (yesNo !== null && YES.test(yesNo)) return problem('amount', '', `${labels.yesNo[0]} is ${yesNo}, yet there is no ${labels.amount[0]}`);
    if (yesNo !== null) return problem('yesNo', yesNo, `${quoteValue(yesNo)} is neither Y nor N`);
    return { fee: null, problem: null };
  }
  const fee = readMonthlyFee(amount, frequency);
  if (fee.ok) return { fee: fee.value, problem: null };
  // The amount reads with a frequency it could have: the frequency is at fault.
  if (frequency !== null && readMonthlyFee(amount, 'Monthly').ok) {
    const reason = fee.reason.startsWith('has a frequency that is not one') ? 'is not a frequency' : fee.reason;
    return problem('frequency', frequency, `${quoteValue(frequency)} ${reason}`);
  }
  return problem('amount', amount, `${quoteValue(amount)} ${fee.reason}`);
}

/** Whether an amount says nothing is owed (`0`, `0.00`, `$0`, `None`). */
function isZero(amount: string): boolean {
  const fee = readMonthlyFee(amount, 'Monthly');
  return fee.ok && fee.value.monthly === 0;
}

/** The association dues of a listing (`hoa` + `hoa2` + `hoa3`), read by the rule above. */
export interface AssociationDues {
  /** Dollars a month, every association summed (texts joined by ` + `); null when unknown or not stated. */
  fee: MonthlyFee | null;
  /** Every stated association's amount and frequency as received (`95 Monthly + 150`), also when `fee` is unknown. */
  stated: string | null;
  problems: FeeProblem[];
}

/** The dues of every association a source states, summed; see `AssociationDues`. */
export function readAssociationDues(stated: StatedFees): AssociationDues {
  const readings = ASSOCIATIONS.map((name) => ({ name, ...readRecurringFee(name, stated) }));
  const problems = readings.flatMap((r) => (r.problem ? [r.problem] : []));
  const statedTexts = ASSOCIATIONS.map((name) => [stated(name, 'amount')?.trim(), stated(name, 'frequency')?.trim()].filter(Boolean).join(' ')).filter(Boolean);
  // The associations with an amount; one whose Y/N says N adds nothing, and only the first's says there are no dues.
  const owed = readings.filter((r) => r.fee !== null && stated(r.name, 'amount')?.trim()).map((r) => r.fee!);
  let fee: MonthlyFee | null = null;
  if (problems.length === 0 && owed.length > 0) fee = { monthly: cents(owed.reduce((sum, f) => sum + f.monthly, 0)), text: owed.map((f) => f.text).join(' + ') };
  else if (problems.length === 0) fee = readings[0]!.fee;
  return { fee, stated: statedTexts.length > 0 ? statedTexts.join(' + ') : null, problems };
}

function cents(n: number): number {
  return Math.round(n * 100) / 100;
}
