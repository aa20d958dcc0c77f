import type { RawPropertyData } from '../../shared/schemas/raw-property.js';
import { SalesMarket } from '../../shared/valuation/avm.js';
import { RentMarket } from '../../shared/valuation/rent-model.js';
import { validateSales } from '../../shared/valuation/sales-validation.js';
import type { ExcludedSale, ListingPhase, MarketSale } from '../../shared/valuation/types.js';
import type { RawPropertyRepository } from '../db/repositories/raw-properties.js';
import { loadRentMarket } from './rent-leases.js';
import { saleCandidatesOf, type SaleRecordDoc } from './sale-candidates.js';

/**
 * The market's evidence of value from the database: every stored record's sales
 * (`saleCandidatesOf`), validated as an appraiser would (`validateSales`: one transaction per
 * sale across sources, non-market transfers kept apart with their reason), each sale with the
 * listing that led to it when a record holds one (ARMLS: `list_date`, `original_list_price`,
 * `last_list_price`, `under_contract_date`), and the model built on them.
 */
export interface ValuationMarket {
  /** The model, over the validated sales. */
  model: SalesMarket;
  sales: MarketSale[];
  excluded: ExcludedSale[];
  /** The validated sales of a ZIP code (for its trend). */
  zipSales(zip: string | null): readonly MarketSale[];
  /** The leases the rent comparables come from (`rent-model.ts`). */
  rents: RentMarket;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
const day = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);

/** The listing a record says led to its sale of `saleDate`, or null. */
export function listingPhaseOf(data: RawPropertyData, saleDate: string): ListingPhase | null {
  const listed = day(data.list_date);
  if (listed === null || listed > saleDate || day(data.sale_date) !== saleDate) return null;
  const contract = day(data.under_contract_date);
  return {
    list_date: listed,
    original_list_price: num(data.original_list_price),
    list_price: num(data.last_list_price),
    under_contract_date: contract !== null && contract >= listed && contract <= saleDate ? contract : null,
  };
}

/** The validated sales (with their listings) of some stored records, as of `today`. */
export function marketSalesOf(docs: readonly SaleRecordDoc[], today: string): { sales: MarketSale[]; excluded: ExcludedSale[] } {
  const { sales, excluded } = validateSales(docs.flatMap(saleCandidatesOf), today);
  const byProperty = new Map(docs.map((d) => [d._id, d]));
  for (const sale of sales) {
    const doc = byProperty.get(sale.property_id);
    sale.listing = doc ? listingPhaseOf(doc.data, sale.date) : null;
  }
  return { sales, excluded };
}

/** The market of every record in the database that carries a sale, and of every lease. */
export async function loadValuationMarket(raw: Pick<RawPropertyRepository, 'withSales' | 'withLeases'>, today: string): Promise<ValuationMarket> {
  const [docs, rents] = await Promise.all([raw.withSales(), loadRentMarket(raw)]);
  return valuationMarketOf(docs, today, rents);
}

/** The market of some records (the database's, or a test's), with the leases' market for rent. */
export function valuationMarketOf(docs: readonly SaleRecordDoc[], today: string, rents: RentMarket = new RentMarket([])): ValuationMarket {
  const { sales, excluded } = marketSalesOf(docs, today);
  const byZip = new Map<string, MarketSale[]>();
  for (const s of sales) if (s.zip) (byZip.get(s.zip) ?? byZip.set(s.zip, []).get(s.zip)!).push(s);
  return { model: new SalesMarket(sales), sales, excluded, zipSales: (zip) => (zip ? (byZip.get(zip) ?? []) : []), rents };
}

/** The validated market sales in the database (the accuracy report's population). */
export async function loadMarketSales(raw: Pick<RawPropertyRepository, 'withSales'>, today: string): Promise<MarketSale[]> {
  return marketSalesOf(await raw.withSales(), today).sales;
}
