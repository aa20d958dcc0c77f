import type { CompSale } from '../../../shared/underwriting/comparables.js';
import type { RawPropertyRepository } from '../../db/repositories/raw-properties.js';
import type { Clock } from '../../runtime/clock.js';
import { ComparablesIndex } from '../comparables-index.js';
import { compSalesOf } from '../valuation-facts.js';

/** How long the comparables index (every stored sale) is reused before it is rebuilt: 10 minutes. */
const COMPARABLES_CACHE_MS = 10 * 60_000;

/**
 * The market stage 3 values against: every stored sale (`withSales`, as `compSalesOf` reads
 * them, one per transaction: `dedupeSales`) in a k-d tree, built on first use and rebuilt when
 * ten minutes old; items in flight share one build. A failed build is forgotten, so the next
 * item tries again (and gets the repository's error meanwhile).
 */
export class MarketIndex {
  private cached: { at: number; index: Promise<ComparablesIndex> } | null = null;

  constructor(
    private readonly rawRepo: Pick<RawPropertyRepository, 'withSales'>,
    private readonly clock: Clock,
  ) {}

  /** The current index of comparable sales. */
  comparables(): Promise<ComparablesIndex> {
    const now = this.clock().getTime();
    if (!this.cached || now - this.cached.at >= COMPARABLES_CACHE_MS) {
      const index = this.rawRepo.withSales().then((docs) => new ComparablesIndex(dedupeSales(docs.flatMap(compSalesOf))));
      index.catch(() => (this.cached = null));
      this.cached = { at: now, index };
    }
    return this.cached.index;
  }
}

/**
 * One sale recorded by several sources (the assessor and ARMLS) counts once: the first of the
 * sales with the same parcel (else property id), date and price is kept, in the input's order.
 */
export function dedupeSales(sales: CompSale[]): CompSale[] {
  const seen = new Set<string>();
  return sales.filter((s) => {
    const key = `${s.parcel_number ?? s.property_id}|${s.date}|${s.price}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
