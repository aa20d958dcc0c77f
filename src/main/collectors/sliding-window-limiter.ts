export interface RateLimit {
  /** Most request starts in any window. */
  max: number;
  windowMs: number;
}

interface Waiter {
  resolve: (waitedMs: number) => void;
  reject: (error: unknown) => void;
  queuedAt: number;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * A rate limit that holds in every sliding window, not just in fixed ones: a start is allowed
 * only when fewer than `max` starts happened in the last `windowMs` plus a margin (2%, at least
 * 50 ms) for the jitter between our start and the server's arrival, and starts are spaced
 * `windowMs ÷ max` apart so they arrive smoothly rather than in bursts. Requests overlap freely,
 * so slow answers don't waste the budget.
 *
 * Written by hand because the libraries don't do this exactly: Bottleneck's reservoir refreshes
 * in fixed windows, and its `minTime` spacing let 11 requests into a 500 ms window of 10 in our
 * test against the simulator.
 */
export class SlidingWindowLimiter {
  private readonly starts: number[] = [];
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly effectiveWindowMs: number;
  private readonly spacingMs: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(limit.max >= 1) || !(limit.windowMs > 0)) throw new Error(`invalid rate limit ${limit.max} per ${limit.windowMs} ms`);
    this.effectiveWindowMs = limit.windowMs + Math.max(50, limit.windowMs * 0.02);
    this.spacingMs = limit.windowMs / limit.max;
  }

  /** Run `task` when the limit allows; `onWait` gets the milliseconds spent waiting. */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal, onWait?: (ms: number) => void): Promise<T> {
    const waited = await this.acquire(signal);
    onWait?.(waited);
    return task();
  }

  /** Reject everyone still waiting. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(new Error('rate limiter stopped'));
    }
  }

  private acquire(signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        queuedAt: this.now(),
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.waiters.length > 0) {
      const now = this.now();
      while (this.starts.length > 0 && now - this.starts[0]! >= this.effectiveWindowMs) this.starts.shift();
      const windowFreeAt = this.starts.length >= this.limit.max ? this.starts[0]! + this.effectiveWindowMs : now;
      const spacedAt = this.starts.length > 0 ? this.starts.at(-1)! + this.spacingMs : now;
      const allowedAt = Math.max(windowFreeAt, spacedAt);
      if (allowedAt > now) {
        this.timer = setTimeout(() => this.pump(), Math.max(1, Math.ceil(allowedAt - now)));
        return;
      }
      const waiter = this.waiters.shift()!;
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.starts.push(now);
      waiter.resolve(now - waiter.queuedAt);
    }
  }
}
