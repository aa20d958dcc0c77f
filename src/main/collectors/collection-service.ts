import type { Run, RunTrigger } from '../../shared/schemas/run.js';
import { resumeMaricopaSync, runMaricopaSync, type MaricopaSyncDeps, type MaricopaSyncOptions, type MaricopaSyncParams } from './maricopa/sync.js';
import { runMlsSync, type MlsSyncDeps, type MlsSyncParams } from './phoenix-mls/sync.js';
import { startTracked, type ActiveRuns } from '../runs/active-runs.js';
import { runArmlsImport, type ArmlsImportParams } from './armls/import.js';
import { runAssessorImport, type AssessorImportParams } from './maricopa/import-files.js';
import { resumeCountySync, runCountySync, type CountySyncOptions, type CountySyncParams } from './county-layer/sync.js';
import { runCountyFileImport, type CountyFileImportParams } from './county-layer/file-import.js';

export interface StartSync {
  trigger: RunTrigger;
  signal?: AbortSignal;
  /** Resume this run instead of starting from `params`. */
  resumeRunId?: string;
}

/**
 * Every sync goes through here, whoever asks (CLI, console, schedule): it registers the run so
 * any shell can cancel it, and resolves as soon as the run is recorded, with `done` for its end.
 */
export class CollectionService {
  constructor(
    private readonly deps: MaricopaSyncDeps & Pick<MlsSyncDeps, 'dataDir' | 'learnSecret'>,
    private readonly active: ActiveRuns,
  ) {}

  startMls(params: MlsSyncParams, options: Omit<StartSync, 'resumeRunId'>): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(this.active, (signal, onStart) => runMlsSync(this.deps, params, { trigger: options.trigger, signal, onStart }), options.signal);
  }

  startMaricopa(params: MaricopaSyncParams, options: StartSync & Pick<MaricopaSyncOptions, 'onPlan'>): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(
      this.active,
      (signal, onStart) => {
        const syncOptions = { trigger: options.trigger, signal, onStart, ...(options.onPlan && { onPlan: options.onPlan }) };
        return options.resumeRunId ? resumeMaricopaSync(this.deps, options.resumeRunId, syncOptions) : runMaricopaSync(this.deps, params, syncOptions);
      },
      options.signal,
    );
  }

  /** The county parcel layer (`phoenix-re sync --source county`, Sync on the Collection page); `onPlan` hears its plan before the first page. */
  startCounty(params: CountySyncParams, options: StartSync & Pick<CountySyncOptions, 'onPlan'>): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(
      this.active,
      (signal, onStart) => {
        const syncOptions = { trigger: options.trigger, signal, onStart, ...(options.onPlan && { onPlan: options.onPlan }) };
        return options.resumeRunId ? resumeCountySync(this.deps, options.resumeRunId, syncOptions) : runCountySync(this.deps, params, syncOptions);
      },
      options.signal,
    );
  }

  /** Import an ARMLS CSV export (`phoenix-re import armls`, Import on the Collection page). */
  startArmlsImport(params: ArmlsImportParams, options: Omit<StartSync, 'resumeRunId'>): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(this.active, (signal, onStart) => runArmlsImport(this.deps, params, { trigger: options.trigger, signal, onStart }), options.signal);
  }

  /** Import the county's parcel file, GeoJSON or CSV (`phoenix-re import parcels`, Import on the Collection page). */
  startCountyFileImport(params: CountyFileImportParams, options: Omit<StartSync, 'resumeRunId'>): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(this.active, (signal, onStart) => runCountyFileImport(this.deps, params, { trigger: options.trigger, signal, onStart }), options.signal);
  }

  /** Import saved `/parcel` payloads (`phoenix-re import assessor`). */
  startAssessorImport(params: AssessorImportParams, options: Omit<StartSync, 'resumeRunId'>): Promise<{ run: Run; done: Promise<Run> }> {
    return startTracked(this.active, (signal, onStart) => runAssessorImport(this.deps, params, { trigger: options.trigger, signal, onStart }), options.signal);
  }
}
