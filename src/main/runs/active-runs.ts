import type { Run } from '../../shared/schemas/run.js';

/**
 * Start a run so any shell can cancel it: resolves once the run is recorded, with `done` for
 * its end. `start` gets the signal to honour and the callback to call with the new run.
 */
export async function startTracked(
  active: ActiveRuns,
  start: (signal: AbortSignal, onStart: (run: Run) => void) => Promise<Run>,
  signal?: AbortSignal,
): Promise<{ run: Run; done: Promise<Run> }> {
  const handle = active.begin();
  signal?.addEventListener('abort', () => handle.controller.abort(signal.reason), { once: true });
  let markStarted!: (run: Run) => void;
  const started = new Promise<Run>((resolve) => (markStarted = resolve));
  const done = start(handle.controller.signal, (run) => {
    handle.attach(run._id);
    markStarted(run);
  }).finally(() => handle.end());
  active.track(done);
  const run = await Promise.race([started, done]);
  return { run, done };
}

/**
 * The runs going on in this process, each with the controller that cancels it. A cancel from
 * any shell (CLI Ctrl-C, the console's Cancel button) goes through here.
 */
export class ActiveRuns {
  private readonly controllers = new Map<string, AbortController>();
  private readonly running = new Set<Promise<unknown>>();

  /** Remember a run's end, so a shutdown can wait for its record to be written. */
  track(done: Promise<unknown>): void {
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
  }

  /** Wait for the tracked runs to finish, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(this.running),
      new Promise((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** A controller for a run about to start; `attach` it once the run has an id. */
  begin(): { controller: AbortController; attach(runId: string): void; end(): void } {
    const controller = new AbortController();
    let id: string | undefined;
    return {
      controller,
      attach: (runId) => {
        id = runId;
        this.controllers.set(runId, controller);
      },
      end: () => {
        if (id) this.controllers.delete(id);
      },
    };
  }

  cancel(runId: string): boolean {
    const controller = this.controllers.get(runId);
    if (!controller) return false;
    controller.abort(new Error('cancelled'));
    return true;
  }

  /** Cancel everything (graceful shutdown). */
  cancelAll(): void {
    for (const controller of this.controllers.values()) controller.abort(new Error('shutting down'));
  }
}
