import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { appRoot } from '../../runtime/app-root.js';

export const MLS_FIELDS = [
  'mls_number',
  'address',
  'list_price',
  'status',
  'ucb_or_ccbs',
  'bedrooms',
  'bathrooms',
  'total_bathrooms',
  'half_bathrooms',
  'three_quarter_bathrooms',
  'square_feet',
  'lot_size',
  'lot_acres',
  'lot_text',
  'lot_area',
  'lot_area_units',
  'year_built',
  'garage_spaces',
  'pool',
  'property_type_label',
  'parcel_number',
  'hoa_yn',
  'hoa_fee',
  'hoa_frequency',
  'hoa2_fee',
  'hoa2_frequency',
  'hoa3_fee',
  'hoa3_frequency',
  'land_lease_yn',
  'land_lease_fee',
  'land_lease_frequency',
  'capital_improvement_fee',
  'transfer_fee',
  'total_monthly_fees',
  'taxes',
  'tax_year',
  'description',
  'photo_urls',
  'photo_count',
] as const;
export type MlsField = (typeof MLS_FIELDS)[number];

/**
 * Where each thing is on the MLS site: CSS selectors and, for the `Label: value` lines of a
 * detail page, the labels each field may go by. Data, not code: the default set ships in
 * `assets/phoenix-mls-selectors.json`, and `MLS_SELECTORS` overrides any key.
 */
export const selectorSetSchema = z.strictObject({
  results_count: z.string().min(1),
  results_count_pattern: z.string().min(1),
  result_link: z.string().min(1),
  next_page: z.string().min(1),
  detail_address: z.string().min(1),
  detail_lines: z.string().min(1),
  description: z.string().min(1),
  photos: z.string().min(1),
  photo_count: z.string().min(1),
  labels: z.partialRecord(z.enum(MLS_FIELDS), z.array(z.string().min(1)).min(1)),
  required: z.array(z.enum(MLS_FIELDS)).min(1),
});
export type SelectorSet = z.infer<typeof selectorSetSchema>;

export const DEFAULT_SELECTORS_FILE = 'assets/phoenix-mls-selectors.json';

/** The default set with `overrides` (the MLS_SELECTORS setting) on top; errors say which key. */
export function loadSelectors(overrides: Record<string, unknown> = {}, file = path.join(appRoot(), DEFAULT_SELECTORS_FILE)): SelectorSet {
  const defaults = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const merged = { ...defaults, ...overrides, labels: { ...(defaults.labels as object), ...((overrides.labels as object | undefined) ?? {}) } };
  const parsed = selectorSetSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`MLS selectors: ${issue.path.join('.') || '(set)'}: ${issue.message}`);
  }
  return parsed.data;
}
