import type { Clock } from '../../src/main/runtime/clock.js';

/** A clock tests move by hand. */
export function manualClock(start: Date | string = '2026-06-01T12:00:00Z') {
  let now = new Date(start).getTime();
  const clock: Clock = () => new Date(now);
  return {
    clock,
    advance(ms: number) {
      now += ms;
    },
    set(at: Date | string) {
      now = new Date(at).getTime();
    },
  };
}

/** A deterministic random source (mulberry32) for jitter. */
export function seededRandom(seed = 42): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
