import type { RawPropertyRepository } from '../../db/repositories/raw-properties.js';
import { phoenixDay } from '../../../shared/phoenix-time.js';
import type { Clock } from '../../runtime/clock.js';
import { loadValuationMarket, type ValuationMarket } from '../market-sales.js';

/** How long the market (every stored sale, validated, and the model on them) is reused before it is rebuilt: 10 minutes. */
const MARKET_CACHE_MS = 10 * 60_000;

/**
 * The market stage 3 values against: every stored sale, validated (`loadValuationMarket`), and
 * the valuation model over them, built on first use and rebuilt when ten minutes old; items in
 * flight share one build. A failed build is forgotten, so the next item tries again (and gets
 * the repository's error meanwhile).
 */
export class MarketIndex {
  private cached: { at: number; market: Promise<ValuationMarket> } | null = null;

  constructor(
    private readonly rawRepo: Pick<RawPropertyRepository, 'withSales' | 'withLeases'>,
    private readonly clock: Clock,
  ) {}

  /** The current market. */
  market(): Promise<ValuationMarket> {
    const now = this.clock().getTime();
    if (!this.cached || now - this.cached.at >= MARKET_CACHE_MS) {
      const market = loadValuationMarket(this.rawRepo, phoenixDay(this.clock()));
      market.catch(() => (this.cached = null));
      this.cached = { at: now, market };
    }
    return this.cached.market;
  }
}
