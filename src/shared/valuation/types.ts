/**
 * The automated valuation's shapes, shared by the pipeline, the what-if, the accuracy report and
 * the console. Money in whole dollars, areas in square feet, days as `YYYY-MM-DD` (America/Phoenix),
 * fractions as fractions (0.08 = 8%). The model itself is `avm.ts`; sales validation
 * `sales-validation.ts`; the ratio statistics `ratio-study.ts`.
 */

/** What a sold (or subject) property is, as the model compares it. Unknown facts are null. */
export interface PropertyFeatures {
  /** The raw record's id (`armls_export:6858721`); a subject never compares with its own records. */
  property_id: string;
  parcel_number: string | null;
  address: string | null;
  zip: string | null;
  city: string | null;
  /** The subdivision or condominium plat (ARMLS `Subdivision`): "same building or complex". */
  subdivision: string | null;
  /** WGS 84 degrees. */
  lat: number | null;
  lon: number | null;
  /** Our property type (`single_family`, `condo`, `townhouse`, `patio_home`, `mobile_home`, …). */
  property_type: string | null;
  /** ARMLS `Dwelling Styles` (`Attached`, `Detached`), when known. */
  dwelling_style: string | null;
  square_feet: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  year_built: number | null;
  /** Lot, sq ft (a condo's share of common land is not a lot: null). */
  lot_size: number | null;
  pool: boolean | null;
  garage_spaces: number | null;
  /** HOA dues, dollars a month. */
  hoa_monthly: number | null;
  /** Land lease, dollars a month (a home on leased land sells for much less: Scottsdale's SRPMIC leases). */
  land_lease_monthly: number | null;
  /** The home's own floors (`# of Interior Levels`). */
  interior_levels: number | null;
  /** The assessor's full cash value, dollars, and the tax year it is for (valued January 1 of the year before). */
  full_cash_value: number | null;
  fcv_tax_year: number | null;
  /** Property taxes billed a year, dollars (ARMLS `Taxes`), when the source states them. */
  annual_taxes?: number | null;
  /** Latest year the kitchen or baths were updated (MLS `Items Updated`); null: none reported. */
  remodeled_year?: number | null;
  /** A mountain, city-light, golf or water view (MLS features). */
  view?: boolean | null;
  /** Granite or other non-laminate counters (MLS kitchen features). */
  premium_finishes?: boolean | null;
  /** A building with an elevator, concierge or guards (MLS features). */
  amenity_building?: boolean | null;
}

/** How precisely a source dates a sale: the assessor records some sales by month only (`04/01/2021`). */
export type DatePrecision = 'day' | 'month';

/** One recorded transfer of a property, before validation. */
export interface SaleCandidate {
  /** Dollars. */
  price: number;
  /** `YYYY-MM-DD`; with precision `month`, the day is the 1st and means "some day that month". */
  date: string;
  date_precision: DatePrecision;
  /** The source that recorded it (`armls_export`, `maricopa_api`, `phoenix_mls`, `county_parcels`). */
  source: string;
  /**
   * What the source says of the transfer that makes it no market sale, in its own terms, when it
   * says anything: `fractional` (ARMLS `Co-Ownership (Fractional) Agreement YN`), `timeshare`
   * (`Week Avail Timeshare`), `quitclaim` (assessor deed type), `related_party`, …
   */
  flags: string[];
  /** The sold property's facts at the sale. */
  property: PropertyFeatures;
}

/**
 * The listing that led to a sale (or a listing still on the market), as an MLS export records it:
 * asking prices known while it was listed. A listing under contract is evidence of value before its
 * sale closes (its final asking price × the market's measured sale-to-list ratio), as appraisers
 * weigh pending sales (Fannie Mae Selling Guide B4-1.3-08, "contract sales and listings").
 */
export interface ListingPhase {
  /** Day it was listed. */
  list_date: string;
  /** Asking price when listed, dollars. */
  original_list_price: number | null;
  /** Asking price when it went under contract (the last before the sale), dollars. */
  list_price: number | null;
  /** Day it went under contract, when known. */
  under_contract_date: string | null;
}

/** A validated market sale: evidence of value. Several sources' records of one transaction are one. */
export interface MarketSale extends PropertyFeatures {
  /** A stable id of the transaction (`<parcel or property id>|<date>|<price>`). */
  sale_id: string;
  date: string;
  date_precision: DatePrecision;
  price: number;
  /** Every source that recorded it. */
  sources: string[];
  /** The listing before the sale, when a source recorded it (ARMLS exports do). */
  listing?: ListingPhase | null;
}

/** A transfer kept in the history but never used as evidence, with why (IAAO sales validation). */
export interface ExcludedSale {
  sale: SaleCandidate;
  reason: string;
}

/** Where a value comes from. */
/**
 * `comparable_sales` adjusted comparables; `market_model` the market model where comparables are
 * thin; `assessor_fcv_ratio` the full cash value × the ZIP's measured sale-to-FCV ratio;
 * `area_sales` the $/sq ft of the few sales known; `assessor_full_cash_value` the full cash value
 * as published, unadjusted (no sales to measure a ratio).
 */
export const APPRAISAL_BASES = ['comparable_sales', 'market_model', 'assessor_fcv_ratio', 'area_sales', 'assessor_full_cash_value'] as const;
export type AppraisalBasis = (typeof APPRAISAL_BASES)[number];

/** One adjustment of a comparable toward the subject: the factor and its dollars (+ when the subject has more). */
export interface Adjustment {
  /** `living area`, `age`, `bedrooms`, `bathrooms`, `pool`, `garage`, `lot`, `land lease`, `HOA`, `time`, `type`, `location`. */
  factor: string;
  /** Dollars added to the comparable's price. */
  amount: number;
}

/**
 * The factors a comparable's similarity is the product of, each 0–1 (`avm.ts`, `similarity`):
 * `location` same complex or parcel 1, else e^(−miles/0.35), same ZIP without coordinates 0.1,
 * else 0.02; `type` same 1, condo and townhouse 0.5, else 0.15; `size` e^(−|ln(sq ft ratio)|/0.6)
 * (0.5 with a size unknown); `age` e^(−|years apart|/20) (0.6 with a year unknown); `recency` e^(−months apart/12); `land_lease` 0.4 when one side
 * only is on leased land, else 1; `evidence` a closed sale 1, a listing under contract 0.7, a
 * listing still on the market 0.3 (asking prices, not sales).
 */
export interface SimilarityFactors {
  location: number;
  type: number;
  size: number;
  age: number;
  recency: number;
  land_lease: number;
  evidence: number;
}

/** A comparable sale as the value used it. */
export interface AdjustedComparable {
  sale_id: string;
  /**
   * `sale` a closed sale; `pending` a listing under contract on the day valued (its asking price ×
   * the measured sale-to-list ratio); `listing` a listing not yet under contract (its first asking
   * price × the measured sale-to-original-list ratio).
   */
  kind: 'sale' | 'pending' | 'listing';
  property_id: string;
  parcel_number: string | null;
  address: string | null;
  subdivision: string | null;
  property_type: string | null;
  distance_miles: number | null;
  date: string;
  price: number;
  square_feet: number | null;
  bedrooms: number | null;
  bathrooms: number | null;
  year_built: number | null;
  /**
   * 0–1: how alike the comparable is to the subject (1 = same building, type, size, age and
   * month): the product of `similarity_factors`, the score the model ranks and weights the
   * comparables by.
   */
  similarity: number;
  /** What the similarity is the product of; absent on values computed before they were kept. */
  similarity_factors?: SimilarityFactors;
  /** WGS 84 degrees of the comparable, when known; absent on values computed before they were kept. */
  lat?: number | null;
  lon?: number | null;
  /** Why it was chosen (`same subdivision`, `0.3 mi`, `condo`, `sold 2 months before`). */
  reasons: string[];
  adjustments: Adjustment[];
  /** Dollars: price + the adjustments. */
  adjusted_price: number;
  /** Its share of the value (weights sum to 1 over the included comparables). */
  weight: number;
  /**
   * False when the analyst excluded it: the value and range are then of the others (the next
   * most similar evidence taking its place), and its `weight` is 0.
   */
  included: boolean;
}

/** The fitted market model the adjustments come from (a regression of log price on the features). */
export interface MarketModel {
  /** The sales it was fitted on. */
  sales: number;
  /** Which market: `ZIP 85251`, `Scottsdale`, `all sales`. */
  market: string;
  /** Each coefficient with what it means (`+0.6% a year newer`). */
  coefficients: { name: string; value: number; meaning: string }[];
  /** Fraction of the variance of log price it explains. */
  r2: number | null;
  /** The market's price trend, a fraction a month (0.004 = +0.4%/month), from its own sales. */
  monthly_trend: number;
}

/**
 * A value: an estimate, never a fact, always with its basis, date and an 80% range (the 10th to
 * 90th percentile of what such a value has missed real sales by).
 */
export interface Appraisal {
  /** Dollars, or null only when nothing can be said. */
  value: number | null;
  /** The 80% range, dollars. */
  low: number | null;
  high: number | null;
  /** The share of real sales the range is made to hold (0.8). */
  range_level: number;
  /**
   * How sure, by the range's forecast standard deviation (FSD = half-width ÷ 1.2816): `high` at
   * most 0.12 (within about ±15%), `medium` at most 0.20 (±25%), else `low` (`avm.ts`).
   */
  confidence: 'high' | 'medium' | 'low' | null;
  basis: AppraisalBasis | null;
  /** The day the value is as of. */
  date: string | null;
  /** Always true: a model's value is an estimate. */
  estimated: true;
  /** One line on how the value was reached, and one on each thing passed over and why. */
  evidence: string[];
  comparables: AdjustedComparable[];
  model: MarketModel | null;
}
