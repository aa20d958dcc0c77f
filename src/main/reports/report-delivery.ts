import { writeFile } from 'node:fs/promises';
import type { MethodOutput, PropertyDetail } from '../../shared/contract.js';
import { buildPropertyReport } from './property-report.js';
import { fetchReportPhotos } from './report-photos.js';

/**
 * Asks the user where to save a file (the desktop app: a save dialog), offering `suggestedName`;
 * answers the chosen path, or null when the user canceled.
 */
export type ReportPathChooser = (suggestedName: string) => Promise<string | null>;

/**
 * The property's report delivered as the shell can: with a `choosePath` (the desktop app), asked
 * where, written there and its path answered (or `canceled`); without one (the HTTP shell, tests),
 * the PDF itself, base64, for the client to save (the browser downloads it). Its photos are
 * fetched first (`fetchReportPhotos`: at most about 5 s, each failure said in the report). `madeAt` is the day
 * the report says it was made. Throws what `fs.writeFile` throws when the chosen place cannot be
 * written (its message names the path).
 */
export async function deliverPropertyReport(detail: PropertyDetail, choosePath: ReportPathChooser | undefined, madeAt: Date): Promise<MethodOutput<'properties.report'>> {
  const { filename, pdf } = await buildPropertyReport(detail, await fetchReportPhotos(detail), madeAt);
  if (!choosePath) return { delivered: 'attached', filename, pdf_base64: pdf.toString('base64') };
  const path = await choosePath(filename);
  if (path === null) return { delivered: 'canceled', filename };
  await writeFile(path, pdf);
  return { delivered: 'saved', filename, path };
}
