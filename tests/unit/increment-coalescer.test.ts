import { describe, expect, it } from 'vitest';
import { IncrementCoalescer } from '../../src/main/db/increment-coalescer.js';

/** A store whose writes take a turn of the event loop, recording what each write carried. */
function slowStore() {
  const writes: { key: string; inc: Record<string, number> }[] = [];
  const totals = new Map<string, Record<string, number>>();
  let active = 0;
  let maxActivePerKey = 0;
  const activeKeys = new Map<string, number>();
  const write = async (key: string, inc: Record<string, number>) => {
    active += 1;
    activeKeys.set(key, (activeKeys.get(key) ?? 0) + 1);
    maxActivePerKey = Math.max(maxActivePerKey, activeKeys.get(key)!);
    await new Promise((r) => setTimeout(r, 5));
    if (inc.fail) {
      activeKeys.set(key, activeKeys.get(key)! - 1);
      active -= 1;
      throw new Error(`write of ${key} failed`);
    }
    writes.push({ key, inc: { ...inc } });
    const t = totals.get(key) ?? {};
    for (const [f, v] of Object.entries(inc)) t[f] = (t[f] ?? 0) + v;
    totals.set(key, t);
    activeKeys.set(key, activeKeys.get(key)! - 1);
    active -= 1;
  };
  return { write, writes, totals, maxActivePerKey: () => maxActivePerKey, active: () => active };
}

describe('IncrementCoalescer', () => {
  it('writes one document at a time, summing what waits into one write, losing nothing', async () => {
    const store = slowStore();
    const c = new IncrementCoalescer<string>(store.write);
    await Promise.all([
      ...Array.from({ length: 40 }, () => c.add('day|a', { n: 1, cost: 0.5 })),
      ...Array.from({ length: 10 }, () => c.add('day|b', { n: 2 })),
    ]);
    expect(store.totals.get('day|a')).toEqual({ n: 40, cost: 20 });
    expect(store.totals.get('day|b')).toEqual({ n: 20 });
    expect(store.maxActivePerKey()).toBe(1);
    // All forty arrive while the first write is queued: one write carries them.
    expect(store.writes.filter((w) => w.key === 'day|a')).toHaveLength(1);
  });

  it('settles each caller only once the write carrying its increment has landed', async () => {
    const store = slowStore();
    const c = new IncrementCoalescer<string>(store.write);
    const first = c.add('k', { n: 1 });
    await new Promise((r) => setTimeout(r, 1)); // the first write is under way
    const second = c.add('k', { n: 2 });
    await first;
    expect(store.totals.get('k')).toEqual({ n: 1 });
    await second;
    expect(store.totals.get('k')).toEqual({ n: 3 });
    expect(store.writes.map((w) => w.inc)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('fails the callers of a failed write only; later increments still land', async () => {
    const store = slowStore();
    const c = new IncrementCoalescer<string>(store.write);
    const failing = c.add('k', { n: 1, fail: 1 });
    await expect(failing).rejects.toThrow('write of k failed');
    await c.add('k', { n: 5 });
    expect(store.totals.get('k')).toEqual({ n: 5 });
    expect(store.active()).toBe(0);
  });
});
