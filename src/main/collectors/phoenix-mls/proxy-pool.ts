import type { ProxyEndpoint } from './webshare.js';

export interface ProxyHealth {
  id: string;
  label: string;
  successes: number;
  failures: number;
  /** Failures since the last success. */
  failuresInARow: number;
  /** Mean of recent page loads through it, in milliseconds (exponential, 0.3 weight). */
  latencyMs: number | null;
  lastError: string | null;
  /** Benched (not handed out) until then; null when in use. */
  benchedUntil: Date | null;
}

/**
 * Our proxies with their health. A session gets the proxy least recently handed out among the
 * healthy; one that fails `maxFailures` times in a row is benched for `cooldownMs`, then tried
 * again. When every proxy is benched, the one whose bench ends first is used (the run goes on).
 */
export class ProxyPool {
  private readonly health = new Map<string, ProxyHealth>();
  private readonly byId = new Map<string, ProxyEndpoint>();
  private readonly lastUsed = new Map<string, number>();
  private uses = 0;

  constructor(
    proxies: ProxyEndpoint[],
    private readonly options: { maxFailures: number; cooldownMs: number; now?: () => number; onChange?: (h: ProxyHealth) => void },
  ) {
    for (const p of proxies) {
      this.byId.set(p.id, p);
      this.health.set(p.id, { id: p.id, label: p.label, successes: 0, failures: 0, failuresInARow: 0, latencyMs: null, lastError: null, benchedUntil: null });
    }
  }

  get size(): number {
    return this.byId.size;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The next proxy to use, or undefined when there are none at all. */
  next(): ProxyEndpoint | undefined {
    const now = this.now();
    const all = [...this.health.values()];
    for (const h of all) if (h.benchedUntil && h.benchedUntil.getTime() <= now) h.benchedUntil = null;
    const ready = all.filter((h) => !h.benchedUntil);
    const pick = ready.length > 0
      ? ready.sort((a, b) => (this.lastUsed.get(a.id) ?? -1) - (this.lastUsed.get(b.id) ?? -1))[0]
      : all.sort((a, b) => a.benchedUntil!.getTime() - b.benchedUntil!.getTime())[0];
    if (!pick) return undefined;
    this.lastUsed.set(pick.id, this.uses++);
    return this.byId.get(pick.id);
  }

  /** The proxy behind `url` (what the crawler reports back). */
  idOf(url: string): string | undefined {
    for (const [id, p] of this.byId) if (p.url === url) return id;
    return undefined;
  }

  succeeded(id: string, latencyMs: number): void {
    const h = this.health.get(id);
    if (!h) return;
    h.successes += 1;
    h.failuresInARow = 0;
    h.latencyMs = h.latencyMs === null ? latencyMs : h.latencyMs * 0.7 + latencyMs * 0.3;
    this.options.onChange?.(h);
  }

  failed(id: string, error: string): void {
    const h = this.health.get(id);
    if (!h) return;
    h.failures += 1;
    h.failuresInARow += 1;
    h.lastError = error;
    if (h.failuresInARow >= this.options.maxFailures) {
      h.benchedUntil = new Date(this.now() + this.options.cooldownMs);
      h.failuresInARow = 0;
    }
    this.options.onChange?.(h);
  }

  report(): ProxyHealth[] {
    return [...this.health.values()].map((h) => ({ ...h }));
  }
}
