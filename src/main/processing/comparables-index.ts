import KDBush from 'kdbush';
import { distance } from 'geokdbush';
import { KM_PER_MILE, type CompSale, type NearbySales } from '../../shared/underwriting/comparables.js';

/** Kilometres in one degree of latitude (great circle, Earth radius 6,371 km as geokdbush). */
const KM_PER_DEGREE = (6371 * Math.PI) / 180;

/**
 * Every known sale with coordinates in a static k-d tree (`kdbush`), searched within a radius by
 * great-circle distance (`geokdbush.distance`), and every sale by ZIP
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

  /**
   * Sales within `radiusMiles` that `accept` takes, nearest first, at most `limit`: the tree's
   * range query over the circle's bounding box, then the great-circle distance of each accepted
   * sale (`geokdbush.distance`). Cheaper than a best-first search (`geokdbush.around`) at these
   * radii, where the box holds a few thousand sales at most.
   */
  readonly nearby: NearbySales = (lat, lon, radiusMiles, accept, limit) => {
    if (this.placed.length === 0) return [];
    const dLat = (radiusMiles * KM_PER_MILE) / KM_PER_DEGREE;
    const dLon = dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180));
    const found: { sale: CompSale; distance_miles: number }[] = [];
    for (const i of this.tree.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
      const sale = this.placed[i]!;
      if (!accept(sale)) continue;
      const miles = distance(lon, lat, sale.lon!, sale.lat!) / KM_PER_MILE;
      if (miles <= radiusMiles) found.push({ sale, distance_miles: miles });
    }
    return found.sort((a, b) => a.distance_miles - b.distance_miles).slice(0, limit);
  };

  /** The sales recorded in a ZIP code, coordinates or not. */
  zipSales(zip: string | null): readonly CompSale[] {
    return zip ? (this.byZip.get(zip) ?? []) : [];
  }
}
