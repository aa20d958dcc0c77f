/**
 * Adds numbers to hot documents with one write at a time per document, summing what arrives
 * while a write is in flight into the next one.
 *
 * Not for exactness: every server we use applies `$inc` atomically (MongoDB, and our FerretDB
 * build since tools/ferretdb/atomic-updates.patch). For speed: on FerretDB each update of a
 * document reads, changes and rewrites it under its collection's lock, so the rollup documents
 * every processed item and every LLM call add to are the hottest spot of the database; under
 * load, summing the waiting increments turns sixteen writes into one. Every caller's promise
 * settles when the write that carries its increment has landed (or failed).
 */
export class IncrementCoalescer<Key extends string> {
  /** Per key: the increments not yet sent, and the write that will send them. */
  private readonly waiting = new Map<Key, { inc: Record<string, number>; written: Promise<void> }>();
  /** Per key: the newest write, which the next one waits for. */
  private readonly tails = new Map<Key, Promise<void>>();

  constructor(private readonly write: (key: Key, inc: Record<string, number>) => Promise<void>) {}

  add(key: Key, inc: Record<string, number>): Promise<void> {
    let batch = this.waiting.get(key);
    if (!batch) {
      const sums: Record<string, number> = {};
      const previous = this.tails.get(key) ?? Promise.resolve();
      const written = previous.then(() => {
        // From here on, new increments go to the next write.
        this.waiting.delete(key);
        return this.write(key, sums);
      });
      batch = { inc: sums, written };
      this.waiting.set(key, batch);
      const tail = written.catch(() => undefined);
      this.tails.set(key, tail);
      void tail.then(() => {
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
    for (const [field, value] of Object.entries(inc)) batch.inc[field] = (batch.inc[field] ?? 0) + value;
    return batch.written;
  }
}
