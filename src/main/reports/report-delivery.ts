import { writeFile } from 'node:fs/promises';
import type { MethodOutput, PropertyDetail } from '../../shared/contract.js';
import { buildPropertyReport, reportPhotosNotFetched } from './property-report.js';

/**
 * Asks the user where to save a file (the desktop app: a save dialog), offering `suggestedName`;
 * answers the chosen path, or null when the user canceled.
 */
export type ReportPathChooser = (suggestedName: string) => Promise<string | null>;

/**
 * The property's report delivered as the shell can: with a `choosePath` (the desktop app), asked
 * where, written there and its path answered (or `canceled`); without one (the HTTP shell, tests),
 * the PDF itself, base64, for the client to save (the browser downloads it). `madeAt` is the day
 * the report says it was made. Throws what `fs.writeFile` throws when the chosen place cannot be
 * written (its message names the path).
 */
export async function deliverPropertyReport(detail: PropertyDetail, choosePath: ReportPathChooser | undefined, madeAt: Date): Promise<MethodOutput<'properties.report'>> {
  const { filename, pdf } = await buildPropertyReport(detail, reportPhotosNotFetched(detail), madeAt);
  if (!choosePath) return { delivered: 'attached', filename, pdf_base64: pdf.toString('base64') };
  const path = await choosePath(filename);
  if (path === null) return { delivered: 'canceled', filename };
  await writeFile(path, pdf);
  return { delivered: 'saved', filename, path };
}
