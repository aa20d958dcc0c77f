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

  get size(): number {
    return this.controllers.size;
  }
}
