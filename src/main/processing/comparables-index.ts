import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';
import { KM_PER_MILE, type CompSale, type NearbySales } from '../../shared/underwriting/comparables.js';

/**
 * Every known sale with coordinates in a static k-d tree (`kdbush`), searched by great-circle
 * distance (`geokdbush.around`: nearest first, stopping at the radius), and every sale by ZIP
 * for the market trend. Built once from the stored records and rebuilt when stale: a k-d tree
 * is static, and building one of 100,000 sales takes tens of milliseconds.
 */
export class ComparablesIndex {
  private readonly tree: KDBush;
  /** The sales placed in the tree, by their tree id. */
  private readonly placed: CompSale[] = [];
  private readonly byZip = new Map<string, CompSale[]>();

  constructor(sales: readonly CompSale[]) {
    for (const s of sales) {
      if (s.lat !== null && s.lon !== null) this.placed.push(s);
      if (s.zip) (this.byZip.get(s.zip) ?? this.byZip.set(s.zip, []).get(s.zip)!).push(s);
    }
    this.tree = new KDBush(Math.max(1, this.placed.length));
    for (const s of this.placed) this.tree.add(s.lon!, s.lat!);
    // kdbush needs as many points as announced: an empty index holds one point nothing accepts.
    if (this.placed.length === 0) this.tree.add(0, 0);
    this.tree.finish();
  }

  /** Sales with coordinates. */
  get size(): number {
    return this.placed.length;
  }

  /** Sales within `radiusMiles` that `accept` takes, nearest first, at most `limit`. */
  readonly nearby: NearbySales = (lat, lon, radiusMiles, accept, limit) => {
    if (this.placed.length === 0) return [];
    const ids = around(this.tree, lon, lat, limit, radiusMiles * KM_PER_MILE, (i) => accept(this.placed[i]!));
    return ids.map((i) => {
      const sale = this.placed[i]!;
      return { sale, distance_miles: distance(lon, lat, sale.lon!, sale.lat!) / KM_PER_MILE };
    });
  };

  /** The sales recorded in a ZIP code, coordinates or not. */
  zipSales(zip: string | null): readonly CompSale[] {
    return zip ? (this.byZip.get(zip) ?? []) : [];
  }
}
