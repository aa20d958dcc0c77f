import { z } from 'zod';
import { MARKET_TREND_VALUES, type ComparablesResult, type ZipTrend } from '../underwriting/comparables.js';
import { TAX_BASES } from '../underwriting/property-tax.js';
import { RENT_BASES } from '../underwriting/rent.js';
import { RECOMMENDATIONS, type Underwriting, type UnderwritingInputs } from '../underwriting/underwrite.js';
import { VALUE_BASES, type ValueEstimate } from '../underwriting/value.js';
import { STORED_VALUE_BASES } from '../valuation/basis-labels.js';
import { APPRAISAL_BASES, type Appraisal } from '../valuation/types.js';

/**
 * A stored value's basis: the automated valuation's (`APPRAISAL_BASES`) or, on a document not
 * reprocessed since, a legacy one (`basis-labels.ts` LEGACY_VALUE_BASES).
 */
export const valueBasisSchema = z.enum(STORED_VALUE_BASES);

/** The stored forms of the underwriting module's types (`src/shared/underwriting/`), checked against them. */
export const valueEstimateSchema: z.ZodType<ValueEstimate> = z.object({
  value: z.number().nullable(),
  basis: z.enum(VALUE_BASES).nullable(),
  date: z.string().nullable(),
  estimated: z.boolean(),
  evidence: z.array(z.string()),
});

export const comparablesResultSchema: z.ZodType<ComparablesResult> = z.object({
  step: z.number().int(),
  comparables: z.array(
    z.object({
      address: z.string().nullable(),
      parcel_number: z.string().nullable(),
      distance_miles: z.number(),
      date: z.string(),
      price: z.number(),
      square_feet: z.number(),
      price_per_sqft: z.number(),
      year_built: z.number().nullable(),
      source: z.string(),
    }),
  ),
  estimate: z.number().nullable(),
  median_price_per_sqft: z.number().nullable(),
  date: z.string().nullable(),
});

export const zipTrendSchema: z.ZodType<ZipTrend> = z.object({
  trend: z.enum(MARKET_TREND_VALUES),
  recent_sales: z.number().int(),
  previous_sales: z.number().int(),
  recent_median_ppsf: z.number().nullable(),
  previous_median_ppsf: z.number().nullable(),
  change: z.number().nullable(),
});

/** The stored form of the automated valuation's `Appraisal` (`src/shared/valuation/types.ts`), checked against it. */
export const appraisalSchema: z.ZodType<Appraisal> = z.object({
  value: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  range_level: z.number().min(0).max(1),
  confidence: z.enum(['high', 'medium', 'low']).nullable(),
  basis: z.enum(APPRAISAL_BASES).nullable(),
  date: z.string().nullable(),
  estimated: z.literal(true),
  evidence: z.array(z.string()),
  comparables: z.array(
    z.object({
      sale_id: z.string(),
      kind: z.enum(['sale', 'pending', 'listing']),
      property_id: z.string(),
      parcel_number: z.string().nullable(),
      address: z.string().nullable(),
      subdivision: z.string().nullable(),
      property_type: z.string().nullable(),
      distance_miles: z.number().nullable(),
      date: z.string(),
      price: z.number(),
      square_feet: z.number().nullable(),
      bedrooms: z.number().nullable(),
      bathrooms: z.number().nullable(),
      year_built: z.number().nullable(),
      similarity: z.number().min(0).max(1),
      similarity_factors: z
        .object({
          location: z.number().min(0).max(1),
          type: z.number().min(0).max(1),
          size: z.number().min(0).max(1),
          age: z.number().min(0).max(1),
          recency: z.number().min(0).max(1),
          land_lease: z.number().min(0).max(1),
          evidence: z.number().min(0).max(1),
        })
        .optional(),
      lat: z.number().nullable().optional(),
      lon: z.number().nullable().optional(),
      reasons: z.array(z.string()),
      adjustments: z.array(z.object({ factor: z.string(), amount: z.number() })),
      adjusted_price: z.number(),
      weight: z.number().min(0).max(1),
      included: z.boolean(),
    }),
  ),
  model: z
    .object({
      sales: z.number().int().nonnegative(),
      market: z.string(),
      coefficients: z.array(z.object({ name: z.string(), value: z.number(), meaning: z.string() })),
      r2: z.number().nullable(),
      monthly_trend: z.number(),
    })
    .nullable(),
});

/**
 * How the value was reached: the chosen basis, the comparables searched and the ZIP's sales
 * trend; and the automated valuation's appraisal (value, 80% range, confidence, the adjusted
 * comparables and the fitted model), absent on documents processed before it.
 */
export const valuationSchema = z.object({
  value: valueEstimateSchema,
  appraisal: appraisalSchema.optional(),
  /** Null when the subject has no coordinates or living area (said in `comparables_note`). */
  comparables: comparablesResultSchema.nullable(),
  comparables_note: z.string().nullable(),
  zip_trend: zipTrendSchema,
});
export type Valuation = z.infer<typeof valuationSchema>;

const assumptionsSchema = z.object({
  vacancyRate: z.number(),
  maintenanceRate: z.number(),
  managementRate: z.number(),
  insuranceAnnual: z.number(),
  downPaymentRate: z.number(),
  interestRate: z.number(),
  termYears: z.number(),
  closingCostRate: z.number(),
});

const taxSchema = z.object({ annual: z.number().nullable(), basis: z.enum(TAX_BASES).nullable(), detail: z.string(), rate_of_value: z.number().nullable().optional() });

export const underwritingInputsSchema: z.ZodType<UnderwritingInputs> = z.object({
  price: z.number().nullable(),
  price_basis: z.enum(['asking_price', 'value', 'what_if']).nullable().optional(),
  value: z.number().nullable().optional(),
  rent: z.object({
    monthly: z.number().nullable(),
    /** The 80% range, dollars a month, when the basis measures one; absent on records stored before ranges. */
    low: z.number().nullable().optional(),
    high: z.number().nullable().optional(),
    basis: z.enum(RENT_BASES).nullable(),
    detail: z.string(),
  }),
  tax: taxSchema,
  hoa_monthly: z.number().nullable(),
  land_lease_monthly: z.number().nullable(),
  other_fees_monthly: z.number().nullable().optional(),
  replaced: z.object({ tax: taxSchema, hoa_monthly: z.number().nullable(), land_lease_monthly: z.number().nullable(), other_fees_monthly: z.number().nullable().optional() }).optional(),
  market_trend: z.enum(MARKET_TREND_VALUES),
  assumptions: assumptionsSchema,
});

const n = z.number().nullable();
export const underwritingResultSchema: z.ZodType<Underwriting> = z.object({
  gross_rent_annual: n,
  vacancy_loss: n,
  effective_gross_income: n,
  expenses: z
    .object({ property_tax: z.number(), insurance: z.number(), hoa: z.number(), land_lease: z.number(), other_fees: z.number().optional(), maintenance: z.number(), management: z.number(), total: z.number() })
    .nullable(),
  net_operating_income: n,
  cap_rate: n,
  down_payment: n,
  closing_costs: n,
  loan_amount: n,
  monthly_principal_interest: n,
  annual_debt_service: n,
  cash_flow_annual: n,
  cash_flow_monthly: n,
  cash_invested: n,
  cash_on_cash: n,
  dscr: n,
  gross_rent_multiplier: n,
  one_percent_rule: z.boolean().nullable(),
  recommendation: z.enum(RECOMMENDATIONS),
  reasons: z.array(z.string()),
});

/** The inputs (so the what-if can change them and recompute) and the figures. */
export const underwritingSchema = z.object({ inputs: underwritingInputsSchema, result: underwritingResultSchema });
export type StoredUnderwriting = z.infer<typeof underwritingSchema>;
