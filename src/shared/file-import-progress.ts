import type { Run } from './schemas/run.js';
import { durationText, rateText, recordsDone } from './sync-progress.js';

/** How far an import that reads one file by its bytes (the county parcel file) is: its counters `bytes_read` of `bytes_total`. */
export interface FileImportPace {
  bytesRead: number;
  /** The file's size, null for an import that does not count bytes. */
  bytesTotal: number | null;
  /** Features or rows done (stored, unchanged or bad: recordsDone). */
  records: number;
  /** Records a second since the run started, null before one is done. */
  perSecond: number | null;
  /** Seconds left at the bytes read a second so far, null while unknown: a measured average, not a forecast. */
  secondsLeft: number | null;
}

/**
 * The pace of a file import from its counters and times: records ÷ seconds since it started (to
 * its last update or its end); the time left is the bytes left ÷ the bytes read a second, since
 * the records a file holds are not known before it is read.
 */
export function fileImportPace(run: Pick<Run, 'counters' | 'started_at' | 'updated_at' | 'finished_at'>): FileImportPace {
  const records = recordsDone(run.counters);
  const bytesRead = run.counters.bytes_read ?? 0;
  const bytesTotal = run.counters.bytes_total ?? null;
  const seconds = (new Date(run.finished_at ?? run.updated_at).getTime() - new Date(run.started_at).getTime()) / 1000;
  const perSecond = records > 0 && seconds > 0 ? records / seconds : null;
  const secondsLeft = bytesTotal !== null && bytesRead > 0 && seconds > 0 ? Math.max(0, bytesTotal - bytesRead) / (bytesRead / seconds) : null;
  return { bytesRead, bytesTotal, records, perSecond, secondsLeft };
}

/** Bytes as MB with one decimal (`12.5 MB`): decimal megabytes, as the progress of a download shows them. */
function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
}

/** `12.5 of 250.0 MB read, 48,000 parcels, 2,400 parcels a second, ~2 min left` (what is known of it). */
export function fileImportText(pace: FileImportPace, unit: string): string {
  const read = pace.bytesTotal !== null ? `${megabytes(pace.bytesRead).replace(' MB', '')} of ${megabytes(pace.bytesTotal)} read` : `${megabytes(pace.bytesRead)} read`;
  const left = pace.secondsLeft !== null ? `, ${durationText(pace.secondsLeft)} left` : '';
  return `${read}, ${pace.records.toLocaleString('en-US')} ${unit}, ${rateText(pace.perSecond, unit)}${left}`;
}
