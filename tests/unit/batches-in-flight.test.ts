import { describe, expect, it } from 'vitest';
import { BatchesInFlight } from '../../src/main/collectors/import/batches-in-flight.js';

/** A store call that finishes when told to, recording how many run at once. */
function gatedStore() {
  const gates: (() => void)[] = [];
  const stored: number[][] = [];
  let running = 0;
  let most = 0;
  const store = async (batch: number[]) => {
    running += 1;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running -= 1;
    if (batch.includes(-1)) throw new Error(`batch ${batch.join(',')} failed`);
    stored.push(batch);
  };
  return { store, gates, stored, most: () => most };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchesInFlight', () => {
  it('runs at most `limit` batches at once and drains every one', async () => {
    const s = gatedStore();
    const inFlight = new BatchesInFlight(s.store, 2);
    await inFlight.add([1]);
    await inFlight.add([2]);
    let thirdStarted = false;
    const third = inFlight.add([3]).then(() => (thirdStarted = true));
    await tick();
    expect(thirdStarted).toBe(false);
    s.gates.shift()!();
    await third;
    expect(thirdStarted).toBe(true);
    const drained = inFlight.drain();
    while (s.gates.length > 0 || s.stored.length < 3) {
      s.gates.shift()?.();
      await tick();
    }
    await drained;
    expect(s.stored.map((b) => b[0]).sort()).toEqual([1, 2, 3]);
    expect(s.most()).toBe(2);
  });

  it('throws the first failure from the next add or from drain, after the others end', async () => {
    const s = gatedStore();
    const inFlight = new BatchesInFlight(s.store, 2);
    await inFlight.add([-1]);
    await inFlight.add([2]);
    s.gates.shift()!();
    s.gates.shift()!();
    await expect(inFlight.drain()).rejects.toThrow('batch -1 failed');
    expect(s.stored).toEqual([[2]]);
    await expect(inFlight.add([3])).rejects.toThrow('batch -1 failed');
    await inFlight.settle();
  });
});
