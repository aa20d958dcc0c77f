/**
 * Batches of an import stored while the next ones are read: at most `limit` store calls at once
 * (the database works on one while the driver sends the next; on two cores, two in flight keep
 * both busy). `add` waits while `limit` are running; the first failure is thrown by the next
 * `add` or by `drain`. Batches may finish out of order: each one is whole on its own (a record
 * given in two batches at once is settled by the repository's duplicate-key rules).
 */
export class BatchesInFlight<T> {
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | null = null;

  /** `store` is called with each batch; `limit` ≥ 1 is how many may run at once. */
  constructor(
    private readonly store: (batch: T[]) => Promise<void>,
    private readonly limit: number,
  ) {}

  /** Start storing `batch` (nothing for an empty one) once fewer than `limit` are running; throws an earlier batch's failure. */
  async add(batch: T[]): Promise<void> {
    while (this.running.size >= this.limit) await Promise.race(this.running);
    this.throwFailure();
    if (batch.length === 0) return;
    const p: Promise<void> = this.store(batch).then(
      () => void this.running.delete(p),
      (error: unknown) => {
        this.running.delete(p);
        this.failure ??= { error };
      },
    );
    this.running.add(p);
  }

  /** Wait for every batch started; throws the first failure. */
  async drain(): Promise<void> {
    await Promise.all(this.running);
    this.throwFailure();
  }

  /** Wait for every batch started, failed or not (no write is left running). */
  async settle(): Promise<void> {
    await Promise.all(this.running);
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure.error;
  }
}
