import { z } from 'zod';

/**
 * The parts of a `/parcel/<apn>` answer we read, validated loosely: the assessor sends numbers
 * as strings (some padded, some `"na"`), a few as numbers, and adds fields freely. Everything
 * else is kept as received in `original`.
 */
const stringish = z.union([z.string(), z.number()]).nullable().optional();

export const parcelPayloadSchema = z.looseObject({
  PropertyAddress: z.string().nullable().optional(),
  LotSize: stringish,
  PropertyUseCode: stringish,
  PEPropUseDesc: z.string().nullable().optional(),
  PropertyType: z.string().nullable().optional(),
  IsRental: z.boolean().nullable().optional(),
  IsResidential: z.boolean().nullable().optional(),
  RentalInformation: z.looseObject({}).nullable().optional(),
  Owner: z
    .looseObject({
      Ownership: z.string().nullable().optional(),
      Redacted: z.boolean().nullable().optional(),
      SalePrice: stringish,
      SaleDate: z.string().nullable().optional(),
      DeedDate: z.string().nullable().optional(),
      DeedType: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  Valuations: z
    .array(
      z.looseObject({
        TaxYear: stringish,
        FullCashValue: stringish,
        LimitedPropertyValue: stringish,
        LegalClassificationCode: stringish,
        LegalClassification: z.string().nullable().optional(),
        AssessmentRatioPercentage: stringish,
        TaxAreaCode: stringish,
      }),
    )
    .nullable()
    .optional(),
  ResidentialPropertyData: z
    .looseObject({
      LivableSpace: stringish,
      ConstructionYear: stringish,
      LotSize: stringish,
      Pool: z.union([z.boolean(), z.string(), z.number()]).nullable().optional(),
      BathFixtures: stringish,
      NumberOfGarages: stringish,
      RoofType: z.string().nullable().optional(),
      ExteriorWalls: z.string().nullable().optional(),
      Cooling: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
  Geo: z.looseObject({ lat: stringish, long: stringish }).nullable().optional(),
  TaxAreaCode: stringish,
  Sketches: z.unknown().optional(),
});
export type ParcelPayload = z.infer<typeof parcelPayloadSchema>;

/** One search hit: the APN and the situs address, under either spelling seen in the wild. */
const searchItemSchema = z
  .looseObject({ APN: z.string().optional(), Apn: z.string().optional(), SitusAddress: z.string().nullable().optional() })
  .refine((item) => typeof (item.APN ?? item.Apn) === 'string', { message: 'a result without APN/Apn' });

export interface SearchHit {
  apn: string;
  address: string | null;
}

/**
 * Read a `/search/property/` answer defensively (its shape is not publicly confirmed): an object
 * with a `Results`, `results` or `RealPropertyResults` array of items carrying `APN`/`Apn`.
 * Anything else throws, naming what was found.
 */
export function parseSearchResults(body: unknown): SearchHit[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`expected a JSON object with a results array, got ${Array.isArray(body) ? 'an array' : typeof body}`);
  }
  const record = body as Record<string, unknown>;
  const key = ['RealPropertyResults', 'Results', 'results'].find((k) => Array.isArray(record[k]));
  if (!key) throw new Error(`no Results/results/RealPropertyResults array; keys found: ${Object.keys(record).slice(0, 10).join(', ') || '(none)'}`);
  const items = z.array(searchItemSchema).safeParse(record[key]);
  if (!items.success) {
    const issue = items.error.issues[0]!;
    throw new Error(`${key}[${issue.path.join('.')}]: ${issue.message}`);
  }
  return items.data.map((item) => ({ apn: (item.APN ?? item.Apn)!, address: item.SitusAddress ?? null }));
}
