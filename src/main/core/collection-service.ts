import type { Run, RunTrigger } from '../../shared/schemas/run.js';
import { resumeMaricopaSync, runMaricopaSync, type MaricopaSyncDeps, type MaricopaSyncParams } from '../collectors/maricopa/sync.js';
import type { ActiveRuns } from './active-runs.js';

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
    private readonly deps: MaricopaSyncDeps,
    private readonly active: ActiveRuns,
  ) {}

  async startMaricopa(params: MaricopaSyncParams, options: StartSync): Promise<{ run: Run; done: Promise<Run> }> {
    const handle = this.active.begin();
    options.signal?.addEventListener('abort', () => handle.controller.abort(options.signal?.reason), { once: true });
    let markStarted!: (run: Run) => void;
    const started = new Promise<Run>((resolve) => (markStarted = resolve));
    const syncOptions = {
      trigger: options.trigger,
      signal: handle.controller.signal,
      onStart: (run: Run) => {
        handle.attach(run._id);
        markStarted(run);
      },
    };
    const done = (
      options.resumeRunId
        ? resumeMaricopaSync(this.deps, options.resumeRunId, syncOptions)
        : runMaricopaSync(this.deps, params, syncOptions)
    ).finally(() => handle.end());
    this.active.track(done);
    const run = await Promise.race([started, done]);
    return { run, done };
  }
}
