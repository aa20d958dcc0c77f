import { addressKey, parseAddress, type ParsedAddress } from '../address.js';
import { MIN_MARKET_SALE_PRICE } from '../underwriting/market-sale.js';
import type { DatePrecision, ExcludedSale, MarketSale, PropertyFeatures, SaleCandidate } from './types.js';

/**
 * Sales validation as an assessor's office does it before a ratio study or a model (IAAO Standard
 * on Ratio Studies, 2013, §3.3 "sales screening" and Appendix A "Sales Validation Guidelines"):
 * every recorded transfer is a candidate; the several records of one transaction (the ARMLS close
 * of escrow, the assessor's affidavit month) are one sale; a transfer that is not an arm's-length
 * sale of the whole property is kept in the history with its reason and never used as evidence.
 */

/**
 * Two records of one transaction may differ in price by this fraction of the larger (0.01 = 1%):
 * the MLS's sold price and the affidavit's can round differently (`$215,000` vs `$214,900`).
 */
export const SAME_SALE_PRICE_TOLERANCE = 0.01;

/**
 * Days two day-precise records of one transaction may be apart. In Arizona escrow closes when
 * the deed is recorded (the AAR Residential Resale Real Estate Purchase Contract, §1c: "COE shall
 * occur when the deed is recorded at the appropriate county recorder's office"), so the MLS's
 * close of escrow and the recorder's day agree within a day or two (the real Camelback House
 * unit 371: ARMLS closed 2021-04-06, deed recorded 2021-04-07); a week allows for an agent keying
 * the day late, never for another sale.
 */
export const SAME_SALE_DAY_TOLERANCE = 7;

/**
 * Days after the end of a month-precise sale's month that a day-precise record of the same sale
 * may fall. The assessor's `SaleDate` is the Affidavit of Property Value's "Date of Sale
 * (Month / Year)" (ADOR form 82162, item 11), which sellers often fill with the month the
 * contract was signed; escrow then runs 30 to 45 days. Real assessor answers: sale 10/2018 with
 * its deed recorded 11/02/2018 (501-97-020), sale 04/2021 closed by ARMLS 2021-04-06 (173-35-524).
 */
export const RECORDING_LAG_DAYS = 45;

/**
 * Days within which a second, different-priced transfer of the same home is one transaction
 * recorded twice (a correction, a mistyped price) or a double close (a wholesaler buys and
 * resells the same day), not two market sales. A flip after a renovation, or a bank's resale
 * of a home it took back, takes months: those stay market sales (IAAO 2013, Appendix A, lists
 * resales within a short period among the sales to review, not to discard).
 */
export const RESALE_WINDOW_DAYS = 14;

/**
 * The least price a whole home sells for, dollars per sq ft of living area. In the real ARMLS
 * export of 142 Scottsdale sales (April–October 2025) the cheapest whole home sold for $159.7 a
 * sq ft (a patio home on leased land); the fractional share in it sold for $9.33 ($95,000 for
 * 10,181 sq ft). $20 is an eighth of the cheapest home and below what the shell alone costs to
 * build, so a sale under it is a partial interest or a mistyped area, not a cheap home. Mobile
 * homes are exempt: one in a rented park space is sold without land and can truly sell for less.
 */
export const MIN_PRICE_PER_SQFT = 20;

/**
 * Flags a source records that make a transfer no market sale, with the reason the history shows.
 * Sources: IAAO Standard on Ratio Studies 2013, Appendix A (sales of partial interests; sales
 * between relatives or corporate affiliates; sales of doubtful title such as quitclaims); the
 * Affidavit of Property Value (ADOR 82162: item 3b "Are the Buyer and Seller related?", item 9
 * the type of deed).
 */
export const NON_MARKET_FLAGS: Readonly<Record<string, string>> = {
  fractional: 'a fractional ownership share (ARMLS Co-Ownership (Fractional) Agreement): a partial interest, not the whole home (IAAO Standard on Ratio Studies 2013, Appendix A: sales of partial interests)',
  timeshare: 'a timeshare (ARMLS Week Avail Timeshare or Ownership Timeshare): the use of the home for some weeks a year, a partial interest (IAAO Standard on Ratio Studies 2013, Appendix A)',
  quitclaim: "recorded by a quitclaim deed: it passes whatever interest the grantor has, without warranty, as in gifts, divorces and transfers into a trust (IAAO Standard on Ratio Studies 2013, Appendix A: sales of doubtful title)",
  related_party: "between related parties (Affidavit of Property Value, ADOR 82162 item 3b): not arm's length (IAAO Standard on Ratio Studies 2013, Appendix A)",
  non_sale_deed: 'recorded by a deed that transfers without a sale (an affidavit, a beneficiary deed): no price agreed between a buyer and a seller',
};

/**
 * Flags that describe a market sale's conditions, kept on the candidate for the analyst and never
 * a reason to exclude: bank-owned and short sales are most of some markets' sales and are market
 * sales where they are common (IAAO Standard on Ratio Studies 2013, Appendix A, on sales involving
 * financial institutions); a seller's concession is in the price; a probate or equitable-interest
 * listing was still exposed to the open market on the MLS.
 */
export const MARKET_CONDITION_FLAGS: Readonly<Record<string, string>> = {
  short_sale: 'a short sale (the lender accepted less than the loan)',
  reo: 'a bank-owned (REO) sale',
  seller_concession: 'the seller paid the buyer a concession',
  probate: 'a probate or estate sale',
  equitable_interest: 'the seller held an equitable interest (an assigned contract)',
  owner_agent: 'the seller is, or is related to, the listing agent',
  auction: 'sold at auction',
};

/** Day number (days since 1970-01-01, UTC) of a `YYYY-MM-DD` text. */
function dayNumber(date: string): number {
  return Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000);
}

/** The first and last day numbers a dated record can mean: its day, or its whole month. */
function dayRange(date: string, precision: DatePrecision): [number, number] {
  if (precision === 'day') return [dayNumber(date), dayNumber(date)];
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  return [Math.floor(Date.UTC(year, month - 1, 1) / 86_400_000), Math.floor(Date.UTC(year, month, 0) / 86_400_000)];
}

/**
 * Days between two records' dates as a match reads them: 0 when they can be the same day of one
 * transaction (day and day within SAME_SALE_DAY_TOLERANCE, a day within its month's record plus
 * RECORDING_LAG_DAYS, two records of the same month), else how far apart they are.
 */
export function daysApart(a: { date: string; date_precision: DatePrecision }, b: { date: string; date_precision: DatePrecision }): number {
  if (a.date_precision === 'day' && b.date_precision === 'day') {
    const d = Math.abs(dayNumber(a.date) - dayNumber(b.date));
    return d <= SAME_SALE_DAY_TOLERANCE ? 0 : d;
  }
  if (a.date_precision === 'month' && b.date_precision === 'month') {
    const [a0] = dayRange(a.date, 'month');
    const [b0] = dayRange(b.date, 'month');
    return a.date.slice(0, 7) === b.date.slice(0, 7) ? 0 : Math.abs(a0 - b0);
  }
  const [month, day] = a.date_precision === 'month' ? [a, b] : [b, a];
  const [first, last] = dayRange(month.date, 'month');
  const d = dayNumber(day.date);
  if (d < first) return first - d;
  if (d > last + RECORDING_LAG_DAYS) return d - last - RECORDING_LAG_DAYS;
  return 0;
}

/** Whether two prices (dollars) are one transaction's: within SAME_SALE_PRICE_TOLERANCE of the larger. */
export function samePrice(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_SALE_PRICE_TOLERANCE * Math.max(a, b);
}

/**
 * What identifies the property a candidate sold: its APN (letters and digits only), its record,
 * and, read from its address when first asked (address parsing is most of validation's time),
 * its unit and its address key (shared/address.ts).
 */
class Identity {
  readonly apn: string | null;
  readonly record: string;
  private parsed: ParsedAddress | undefined;
  private key: string | null | undefined;

  constructor(private readonly property: PropertyFeatures) {
    this.apn = property.parcel_number?.toUpperCase().replace(/[^0-9A-Z]/g, '') || null;
    this.record = property.property_id;
  }

  /** The unit, upper case: parseAddress writes the street's unit last, as `Unit <id>`. */
  get unit(): string | null {
    return / Unit (\S+)$/.exec(this.read().street ?? '')?.[1]?.toUpperCase() ?? null;
  }

  get address(): string | null {
    if (this.key === undefined) this.key = addressKey(this.read());
    return this.key;
  }

  private read(): ParsedAddress {
    this.parsed ??= parseAddress(this.property.address);
    return this.parsed;
  }
}

/**
 * Whether two candidates are of the same home: the same record; or the same APN with no two
 * different units (new condominium units sell under their lot's APN until the plat splits it:
 * five real Phoenician units 1–5 closed in June 2025 under 172-12-076, two of them the same day
 * at the same $3,100,000); or the same address with no two different APNs.
 */
function sameHome(a: Identity, b: Identity): boolean {
  if (a.record === b.record) return true;
  if (a.apn && b.apn) return a.apn === b.apn && !(a.unit && b.unit && a.unit !== b.unit);
  return a.address !== null && a.address === b.address;
}

/** Candidates of one transaction, with their identities. */
interface Transaction {
  members: { sale: SaleCandidate; id: Identity }[];
}

/** Sources that are MLSs: their sold price is the one the agents reported, dated by close of escrow. */
const MLS_SOURCES = new Set(['armls_export', 'phoenix_mls']);

/** The member whose date and price the transaction takes: day-precise first, an MLS's first, then the earliest. */
function principal(t: Transaction): SaleCandidate {
  if (t.members.length === 1) return t.members[0]!.sale;
  const rank = (s: SaleCandidate) => (s.date_precision === 'day' ? 0 : 2) + (MLS_SOURCES.has(s.source) ? 0 : 1);
  return [...t.members.map((m) => m.sale)].sort((a, b) => rank(a) - rank(b) || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))[0]!;
}

const FEATURE_KEYS = [
  'parcel_number', 'address', 'zip', 'city', 'subdivision', 'lat', 'lon', 'property_type', 'dwelling_style', 'square_feet', 'bedrooms', 'bathrooms',
  'year_built', 'lot_size', 'pool', 'garage_spaces', 'hoa_monthly', 'land_lease_monthly', 'interior_levels', 'full_cash_value', 'fcv_tax_year',
] as const satisfies readonly (keyof PropertyFeatures)[];

const known = (p: PropertyFeatures) => FEATURE_KEYS.filter((k) => p[k] !== null).length;

/**
 * The facts of a transaction: those of an MLS's record if one has it (the listing agent's count
 * of bedrooms and bathrooms, where the assessor only estimates bathrooms from its fixtures), else
 * of the richest record (most facts known); each unknown one filled from the other records in
 * turn (the assessor's full cash value, its subdivision). A new object; a lone record's own, not
 * to be changed. Coordinates go as a pair.
 */
function mergedFeatures(t: Transaction): PropertyFeatures {
  if (t.members.length === 1) return t.members[0]!.sale.property;
  const rank = (s: SaleCandidate) => (MLS_SOURCES.has(s.source) ? 0 : 1);
  const records = t.members.map((m) => m.sale).sort((a, b) => rank(a) - rank(b) || known(b.property) - known(a.property)).map((s) => s.property);
  const out: PropertyFeatures = { ...records[0]! };
  for (const other of records.slice(1)) {
    for (const k of FEATURE_KEYS) {
      if (k === 'lat' || k === 'lon') continue;
      if (out[k] === null && other[k] !== null) (out as unknown as Record<string, unknown>)[k] = other[k];
    }
    if ((out.lat === null || out.lon === null) && other.lat !== null && other.lon !== null) {
      out.lat = other.lat;
      out.lon = other.lon;
    }
  }
  return out;
}

/** The stable id of a transaction: `<APN, with its unit as #unit, else the record id>|<date>|<price>`. */
function saleIdOf(t: Transaction, date: string, price: number): string {
  const withApn = t.members.find((m) => m.id.apn && m.id.unit) ?? t.members.find((m) => m.id.apn);
  const parcel = withApn ? `${withApn.sale.property.parcel_number}${withApn.id.unit ? `#${withApn.id.unit}` : ''}` : t.members[0]!.sale.property.property_id;
  return `${parcel}|${date}|${price}`;
}

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

/** Why a transaction is no market sale by itself (its date, price, flags, price per sq ft), or null. */
function exclusionReason(t: Transaction, sale: SaleCandidate, features: PropertyFeatures, today: string): string | null {
  if (sale.date > today && !(sale.date_precision === 'month' && sale.date.slice(0, 7) === today.slice(0, 7))) {
    return `dated ${sale.date_precision === 'month' ? sale.date.slice(0, 7) : sale.date}, after today (${today}): a sale not yet closed, or a mistyped day`;
  }
  if (sale.price < MIN_MARKET_SALE_PRICE) {
    return `a nominal price (${usd(sale.price)}, under ${usd(MIN_MARKET_SALE_PRICE)}): a gift or a transfer "for $10 and other valuable consideration" (IAAO Standard on Ratio Studies 2013, Appendix A: sales with nominal consideration)`;
  }
  const flagged = t.members.flatMap((m) => m.sale.flags.filter((f) => Object.hasOwn(NON_MARKET_FLAGS, f)).map((f) => `${NON_MARKET_FLAGS[f]} (${m.sale.source})`));
  if (flagged.length > 0) return [...new Set(flagged)].join('; ');
  const sqft = features.square_feet;
  if (sqft !== null && sqft > 0 && features.property_type !== 'mobile_home' && sale.price / sqft < MIN_PRICE_PER_SQFT) {
    return `${usd(sale.price)} for ${sqft.toLocaleString('en-US')} sq ft is $${(sale.price / sqft).toFixed(2)} a sq ft, under the $${MIN_PRICE_PER_SQFT} no whole home sells for: a partial interest or a mistyped living area`;
  }
  return null;
}

/**
 * The validated market sales of a set of recorded transfers, and the transfers kept out of
 * evidence with their reasons, as of `today` (`YYYY-MM-DD`).
 *
 * 1. One transaction per sale across sources: candidates of the same home (`sameHome`) whose
 *    prices agree within 1% (`samePrice`) and whose dates can be one day (`daysApart` 0: a
 *    month-precise assessor date matches a close of escrow in that month or up to 45 days after
 *    it) are merged into one MarketSale: every source in `sources`, the most precise date (an
 *    MLS's day first, else the earliest day), that record's price, the facts of an MLS's record
 *    or else the richest, each unknown one filled from the others (`mergedFeatures`), `sale_id` `<APN[#unit] or record id>|<date>|<price>`.
 * 2. Excluded, every record of the transaction with the same reason: a date after `today`; a
 *    nominal price (under MIN_MARKET_SALE_PRICE); a non-market flag from any source
 *    (NON_MARKET_FLAGS); under MIN_PRICE_PER_SQFT; and of two different-priced transactions of
 *    one home within RESALE_WINDOW_DAYS, the one not from an MLS (else the earlier), as one
 *    transaction recorded twice or a double close.
 *
 * Candidates whose price is not a positive number or whose date is not `YYYY-MM-DD` are excluded
 * as unreadable. Sales come out oldest first. Never throws.
 */
export function validateSales(candidates: readonly SaleCandidate[], today: string): { sales: MarketSale[]; excluded: ExcludedSale[] } {
  const excluded: ExcludedSale[] = [];
  const transactions: Transaction[] = [];
  const byKey = new Map<string, Transaction[]>();
  // An address joins two records only when one of them has no APN (two APNs decide by themselves).
  const addresses = candidates.some((c) => !new Identity(c.property).apn);
  const keysOf = (id: Identity) => [`r:${id.record}`, ...(id.apn ? [`p:${id.apn}`] : []), ...(addresses && id.address ? [`a:${id.address}`] : [])];
  const file = (key: string, t: Transaction) => {
    const list = byKey.get(key);
    if (!list) byKey.set(key, [t]);
    else if (!list.includes(t)) list.push(t);
  };

  // Day-precise records first, so a month-precise one joins the transaction its day names.
  const ordered = [...candidates].sort((a, b) => (a.date_precision === b.date_precision ? 0 : a.date_precision === 'day' ? -1 : 1));
  for (const sale of ordered) {
    if (!(Number.isFinite(sale.price) && sale.price > 0) || !/^\d{4}-\d{2}-\d{2}$/.test(sale.date)) {
      excluded.push({ sale, reason: 'no readable price or day' });
      continue;
    }
    const id = new Identity(sale.property);
    const keys = keysOf(id);
    const near = keys.flatMap((k) => byKey.get(k) ?? []);
    const joined = near.find((t) => t.members.every((m) => sameHome(m.id, id) && samePrice(m.sale.price, sale.price) && daysApart(m.sale, sale) === 0));
    const t = joined ?? { members: [] };
    if (!joined) transactions.push(t);
    t.members.push({ sale, id });
    for (const k of keys) file(k, t);
  }

  const survivors: { t: Transaction; sale: MarketSale }[] = [];
  const exclude = (t: Transaction, reason: string) => {
    for (const m of t.members) excluded.push({ sale: m.sale, reason });
  };
  for (const t of transactions) {
    const first = principal(t);
    const features = mergedFeatures(t);
    const reason = exclusionReason(t, first, features, today);
    if (reason) {
      exclude(t, reason);
      continue;
    }
    survivors.push({
      t,
      sale: { ...features, sale_id: saleIdOf(t, first.date, first.price), date: first.date, date_precision: first.date_precision, price: first.price, sources: [...new Set(t.members.map((m) => m.sale.source))] },
    });
  }

  // Of two different-priced transactions of one home within days, one is no second sale: compared
  // only within the transactions filed under one key (an APN, address or record), never all pairs.
  const dropped = new Set<MarketSale>();
  const survivorOf = new Map(survivors.map((s) => [s.t, s]));
  const mls = (s: { t: Transaction }) => s.t.members.some((m) => MLS_SOURCES.has(m.sale.source));
  for (const filed of byKey.values()) {
    if (filed.length < 2) continue;
    const bucket = filed.flatMap((t) => survivorOf.get(t) ?? []);
    for (let i = 0; i < bucket.length; i += 1) {
      for (let j = i + 1; j < bucket.length; j += 1) {
        const [a, b] = [bucket[i]!, bucket[j]!];
        if (dropped.has(a.sale) || dropped.has(b.sale)) continue;
        const home = a.t.members.some((m) => b.t.members.some((n) => sameHome(m.id, n.id)));
        const apart = daysApart(a.sale, b.sale);
        if (!home || apart > RESALE_WINDOW_DAYS) continue;
        const [kept, lost] = mls(a) !== mls(b) ? (mls(a) ? [a, b] : [b, a]) : a.sale.date >= b.sale.date ? [a, b] : [b, a];
        dropped.add(lost.sale);
        exclude(
          lost.t,
          `the same home's ${kept.sale.sources.join(' and ')} record of ${usd(kept.sale.price)} on ${kept.sale.date} is ${apart === 0 ? 'within days of it' : `${apart} days from it`}: one transaction recorded twice, or a transfer on the way to that sale (a double close), not a second market sale`,
        );
      }
    }
  }
  const order = survivors.filter((s) => !dropped.has(s.sale)).map((s) => ({ key: `${s.sale.date}|${s.sale.sale_id}`, sale: s.sale }));
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { sales: order.map((o) => o.sale), excluded };
}
