import type { Collection } from 'mongodb';
import type { Clock } from '../../runtime/clock.js';
import type { ProxyHealthDocument } from '../collections.js';
import { upsertRetryingDuplicate } from '../duplicate-key.js';

export interface ProxyHealthSnapshot {
  id: string;
  label: string;
  successes: number;
  failures: number;
  latencyMs: number | null;
  lastError: string | null;
  benchedUntil: Date | null;
}

/** The proxies' health after each MLS run, for the dashboard and the health checks. */
export class ProxyHealthRepository {
  constructor(
    private readonly collection: Collection<ProxyHealthDocument>,
    private readonly clock: Clock,
  ) {}

  async save(snapshot: ProxyHealthSnapshot[]): Promise<void> {
    const now = this.clock();
    for (const p of snapshot) {
      await upsertRetryingDuplicate(() =>
        this.collection.replaceOne(
          { _id: p.id },
          { label: p.label, successes: p.successes, failures: p.failures, latency_ms: p.latencyMs, last_error: p.lastError, benched_until: p.benchedUntil, updated_at: now },
          { upsert: true },
        ),
      );
    }
  }

  async all(): Promise<ProxyHealthDocument[]> {
    return this.collection.find({}).sort({ label: 1 }).toArray();
  }

  /** In use, benched now, and the mean latency of those in use. */
  async summary(): Promise<{ total: number; healthy: number; benched: number; meanLatencyMs: number | null; updatedAt: Date | null }> {
    const docs = await this.all();
    const now = this.clock().getTime();
    const healthy = docs.filter((d) => !d.benched_until || d.benched_until.getTime() <= now);
    const latencies = healthy.map((d) => d.latency_ms).filter((l): l is number => l !== null);
    return {
      total: docs.length,
      healthy: healthy.length,
      benched: docs.length - healthy.length,
      meanLatencyMs: latencies.length ? Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length) : null,
      updatedAt: docs.reduce<Date | null>((latest, d) => (!latest || d.updated_at > latest ? d.updated_at : latest), null),
    };
  }
}
