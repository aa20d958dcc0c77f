import { ArmlsValueError, readExportNumber } from './values.js';

/**
 * What an ARMLS closed row says of its sale's conditions, as the flags of `data.sales` entries
 * (the vocabulary of `shared/valuation/sales-validation.ts`, NON_MARKET_FLAGS and
 * MARKET_CONDITION_FLAGS). Read from the real export's columns and `Features` triples
 * (../shared/fixtures/armls-export/closed-sales-85251-2025.csv, 142 rows):
 *
 * - `fractional`: `Co-Ownership (Fractional) Agreement YN` `Y` (3 rows: 6818948, the $95,000
 *   share of a 10,181 sq ft Phoenician home, and 6824627, 6694279);
 * - `timeshare`: `Week Avail Timeshare` naming weeks (blank or `0.00` is none: 5 ordinary rows
 *   write `0.00`), or `Ownership` `Timeshare` (6818948);
 * - `short_sale`, `reo`, `probate`, `equitable_interest`, `owner_agent`, `auction`: the
 *   `Special Listing Cond` fields set to `Yes` (the export has `Probate/Estate`, `Equitable
 *   Interest`, and `N/A` on 123 rows), and the `Auction` column `Yes`;
 * - `seller_concession`: `Sold Info|Seller Concession to Buyer` above 0 (48 of the 142; dollars,
 *   or a percent when `Seller Concession $/%` is `%`).
 *
 * `Age Restricted` and `FIRPTA may apply` are listing conditions, not sale conditions: not read.
 */
export function armlsSaleFlags(get: (column: string) => string | null, features: ReadonlyMap<string, string>): string[] {
  const flags = new Set<string>();
  if (/^y/i.test(get('Co-Ownership (Fractional) Agreement YN') ?? '')) flags.add('fractional');
  const weeks = get('Week Avail Timeshare');
  if ((weeks !== null && !isZero(weeks)) || /timeshare/i.test(get('Ownership') ?? '')) flags.add('timeshare');
  if (/^y/i.test(get('Auction') ?? '')) flags.add('auction');
  for (const [key, value] of features) {
    if (!key.startsWith('Special Listing Cond|') || !/^y/i.test(value)) continue;
    const condition = key.slice('Special Listing Cond|'.length);
    for (const [pattern, flag] of SPECIAL_CONDITIONS) if (pattern.test(condition)) flags.add(flag);
  }
  const concession = features.get('Sold Info|Seller Concession to Buyer');
  if (concession !== undefined && !isZero(concession)) flags.add('seller_concession');
  return [...flags];
}

/** `Special Listing Cond` field names (ARMLS's, as the export writes them) and the flag each gives. */
const SPECIAL_CONDITIONS: [RegExp, string][] = [
  [/short sale/i, 'short_sale'],
  [/lender owned|bank owned|reo\b|foreclos/i, 'reo'],
  [/probate|estate/i, 'probate'],
  [/equitable interest/i, 'equitable_interest'],
  [/owner\s*\/?\s*agent|agent\s*\/?\s*owner/i, 'owner_agent'],
  [/auction/i, 'auction'],
];

/** True when the text is a number equal to 0 (`0`, `0.00`); text that is no number is not zero. */
function isZero(text: string): boolean {
  try {
    return readExportNumber(text) === 0;
  } catch (error) {
    if (error instanceof ArmlsValueError) return false;
    throw error;
  }
}
