import type { QueueClaim, QueueRepository } from '../db/repositories/queue.js';
import type { QueueItem } from '../../shared/schemas/queue.js';
import type { Clock } from '../runtime/clock.js';

/** What a lease must hold beyond one LLM request: the item's reads before and writes after it. */
export const LEASE_MARGIN_MS = 5_000;

/**
 * Keeps one claim's lease while a worker processes the item, and answers whether the claim
 * still holds it: the fence a worker passes before its model call and before writing results.
 *
 * The lease is renewed every third of `leaseMs`. Each successful renewal (and the claim itself)
 * tells until when no other worker can claim the item (`lease_until`: another worker claims only
 * once it has passed), so `holdsFor` answers from that when enough of the lease is left, and
 * renews (one write) only when it is not. A renewal that finds the claim gone (lapsed and claimed
 * again, by anyone, even this worker) marks it lost for good.
 */
export class LeaseKeeper {
  private heldUntil: number;
  private lost = false;
  private readonly timer: NodeJS.Timeout;

  /** `onError` hears of renewals that failed (the database did not answer); the next one retries. */
  constructor(
    private readonly queue: Pick<QueueRepository, 'renewLease'>,
    private readonly claim: QueueClaim & Pick<QueueItem, 'lease_until'>,
    private readonly leaseMs: number,
    private readonly clock: Clock,
    onError: (err: unknown) => void,
  ) {
    this.heldUntil = claim.lease_until?.getTime() ?? 0;
    this.timer = setInterval(() => this.renew().catch(onError), Math.max(1000, leaseMs / 3));
    this.timer.unref();
  }

  /** Extend the lease now; false once the claim is lost. */
  async renew(): Promise<boolean> {
    if (this.lost) return false;
    const asked = this.clock().getTime();
    if (await this.queue.renewLease(this.claim, this.leaseMs)) {
      this.heldUntil = Math.max(this.heldUntil, asked + this.leaseMs);
      return true;
    }
    this.lost = true;
    return false;
  }

  /**
   * Whether the claim still holds the item: true at once when its lease is known to last `forMs`
   * (milliseconds) more, else the answer of a renewal (which extends it by a whole lease).
   */
  async holdsFor(forMs: number): Promise<boolean> {
    if (this.lost) return false;
    if (this.heldUntil - this.clock().getTime() >= forMs) return true;
    return this.renew();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
