import { z } from 'zod';

/**
 * A ZIP code: five digits (USPS ZIP, no ZIP+4). One rule and one message for every input: the
 * console's forms, the contract and the CLI's `--zip`.
 */
export function zipCodeProblem(zip: string): string | null {
  return /^\d{5}$/.test(zip) ? null : `"${zip}" is not a 5-digit ZIP code.`;
}

/** `zipCodeProblem` as a zod schema, its message naming the value given. */
export const zipCodeSchema = z.string().refine((zip) => zipCodeProblem(zip) === null, { error: (issue) => zipCodeProblem(String(issue.input)) ?? 'not a ZIP code' });
