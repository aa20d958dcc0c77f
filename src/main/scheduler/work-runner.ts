import type { Settings } from '../../shared/settings.js';
import { startTracked, type ActiveRuns } from '../runs/active-runs.js';
import type { CollectionService } from '../collectors/collection-service.js';
import type { ProcessingService } from '../processing/processing-service.js';
import type { BackupService } from '../backup/backup-service.js';
import type { WorkRunner } from './scheduler.js';

/**
 * A job's work as the same service call the console's "Sync now" and "Process now" make, with
 * the job's parameters (ZIP codes default to `TARGET_ZIP_CODES`, the batch to
 * `PROCESSING_BATCH_SIZE`); a backup goes to `BACKUP_DIR` and keeps the last `BACKUP_KEEP`. With
 * `LLM_BATCH_API` a processing job goes through the Batch API.
 */
export function serviceWorkRunner(deps: { settings: Settings; collection: CollectionService; processing: ProcessingService; activeRuns: ActiveRuns; backup: BackupService }): WorkRunner {
  return async (def, { trigger, signal }) => {
    const work = def.work;
    if (work.kind === 'backup') return deps.backup.backup({ trigger, signal });
    if (work.kind === 'process') {
      return startTracked(
        deps.activeRuns,
        (runSignal, onStart) =>
          deps.processing.run({ trigger, batchSize: work.batch_size ?? deps.settings.processingBatchSize, signal: runSignal, onStart, batch: deps.settings.llmBatchApi }),
        signal,
      );
    }
    const zips = work.zips ?? deps.settings.targetZipCodes;
    switch (work.source) {
      case 'phoenix_mls':
        return deps.collection.startMls({ zips, limit: work.limit }, { trigger, signal });
      case 'county_layer':
        return deps.collection.startCounty({ zips, cities: [], limit: work.limit }, { trigger, signal });
      case 'maricopa_api':
        return deps.collection.startMaricopa({ zips, apns: [], queries: [], limit: work.limit, refresh: false }, { trigger, signal });
      default: {
        // A source no schedule can sync never reaches here (syncSourceSchema refuses it); were one
        // added to the schema without a case, its job fails saying so rather than running another's.
        const source: never = work.source;
        throw new Error(`a scheduled sync of ${String(source)} is not supported`);
      }
    }
  };
}
