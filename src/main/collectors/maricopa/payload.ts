import { z } from 'zod';
import { normalizeApn } from './apn.js';
import { quoteValue } from '../import/quote-value.js';

/**
 * The parts of a `/parcel/<apn>` answer we read, validated loosely: the assessor sends numbers
 * as strings (some padded, some `"na"`), a few as numbers, and adds fields freely. Everything
 * else is kept as received in `original`.
 *
 * Three keys are required, because every `/parcel` answer carries them and no other JSON does by
 * chance: `PropertyAddress` (the situs, null when the parcel has none), `Owner` (the owner and
 * last sale, null when none is on record) and `Valuations` (newest first). Source: the twelve
 * real answers in ../shared/fixtures/maricopa-assessor/parcels (SERVICES.md), and the public
 * client TASCer/surpriseaz_rentals, which reads `Owner` and `Valuations[0]` of every answer. A
 * payload without them (`{"foo":1}`, another endpoint's answer, an error object) is not a parcel.
 */
const stringish = z.union([z.string(), z.number()]).nullable().optional();

/** The keys every `/parcel` answer carries (see `parcelPayloadSchema`). */
export const PARCEL_REQUIRED_KEYS = ['PropertyAddress', 'Owner', 'Valuations'] as const;

/** One tax year of `Valuations` (newest first in `/parcel`; `/parcel/<apn>/valuations` answers the array alone). */
const valuationSchema = z.looseObject({
  TaxYear: stringish,
  FullCashValue: stringish,
  LimitedPropertyValue: stringish,
  LegalClassificationCode: stringish,
  LegalClassification: z.string().nullable().optional(),
  AssessmentRatioPercentage: stringish,
  TaxAreaCode: stringish,
});

/** `ResidentialPropertyData` of `/parcel`; `/parcel/<apn>/residential-details` answers the object alone. */
const residentialDataSchema = z.looseObject({
  LivableSpace: stringish,
  ConstructionYear: stringish,
  LotSize: stringish,
  Pool: z.union([z.boolean(), z.string(), z.number()]).nullable().optional(),
  BathFixtures: stringish,
  NumberOfGarages: stringish,
  RoofType: z.string().nullable().optional(),
  ExteriorWalls: z.string().nullable().optional(),
  Cooling: z.string().nullable().optional(),
});

export const parcelPayloadSchema = z.looseObject({
  PropertyAddress: z.string().nullable(),
  LotSize: stringish,
  PropertyUseCode: stringish,
  PEPropUseDesc: z.string().nullable().optional(),
  PropertyType: z.string().nullable().optional(),
  SubdivisionName: z.string().nullable().optional(),
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
    .nullable(),
  Valuations: z.array(valuationSchema).nullable(),
  ResidentialPropertyData: residentialDataSchema.nullable().optional(),
  Geo: z.looseObject({ lat: stringish, long: stringish }).nullable().optional(),
  TaxAreaCode: stringish,
  Sketches: z.unknown().optional(),
});
export type ParcelPayload = z.infer<typeof parcelPayloadSchema>;

/**
 * A `/parcel` answer validated, or an Error saying why it is not one: `not a /parcel answer:
 * missing PropertyAddress, Owner, Valuations` (every missing required key named), or the first
 * field of the wrong type (`Valuations: expected array, received string`); an array, `null` or a
 * scalar is `not a JSON object`.
 */
export function readParcelPayload(body: unknown): ParcelPayload {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new Error(`not a /parcel answer: not a JSON object (${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body})`);
  }
  const missing = PARCEL_REQUIRED_KEYS.filter((key) => !(key in body));
  if (missing.length > 0) throw new Error(`not a /parcel answer: missing ${missing.join(', ')}`);
  const parsed = parcelPayloadSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`not a /parcel answer: ${issue.path.join('.') || '(payload)'}: ${issue.message}`);
  }
  // Every real answer has its address or its valuations: one with neither describes no parcel.
  const address = parsed.data.PropertyAddress;
  const valuations = parsed.data.Valuations;
  if (!(typeof address === 'string' && address.trim() !== '') && !(Array.isArray(valuations) && valuations.length > 0)) {
    throw new Error('not a /parcel answer: no PropertyAddress and no Valuations (nothing of a parcel)');
  }
  return parsed.data;
}

/**
 * Where a `/parcel` answer names its own parcel, with how to read each (the twelve real answers):
 * `TreasurersTransitionUrl` ends in `?Parcel=50179677` (every answer), a registered rental's
 * `RentalInformation.ParcelNumber` is `50179677`, and each sketch page has `APN: "50179677"`.
 * `APN` / `Apn` / `ParcelNumber` at the top are read too (payloads saved by other tools).
 */
function parcelNumbersIn(payload: Record<string, unknown>): { where: string; value: string }[] {
  const found: { where: string; value: string }[] = [];
  const add = (where: string, value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') found.push({ where, value: value.trim() });
  };
  for (const key of ['APN', 'Apn', 'ParcelNumber']) add(key, payload[key]);
  const treasurer = payload.TreasurersTransitionUrl;
  if (typeof treasurer === 'string') add('TreasurersTransitionUrl', /[?&]Parcel=([^&#]*)/i.exec(treasurer)?.[1]);
  const rental = payload.RentalInformation as Record<string, unknown> | null | undefined;
  if (rental && typeof rental === 'object') add('RentalInformation.ParcelNumber', rental.ParcelNumber);
  const pages = (payload.Sketches as { Pages?: unknown } | null | undefined)?.Pages;
  if (Array.isArray(pages)) pages.forEach((page, i) => add(`Sketches.Pages[${i}].APN`, (page as Record<string, unknown> | null)?.APN));
  return found;
}

/**
 * The parcel a `/parcel` answer names itself (`501-79-677`), or null when it carries no parcel
 * number. Throws when the payload names a value that is not a Maricopa APN, or two different
 * parcels, saying where (`the payload names two parcels: 501-79-677 in TreasurersTransitionUrl,
 * 501-79-632 in RentalInformation.ParcelNumber`).
 */
export function apnInPayload(payload: Record<string, unknown>): string | null {
  const named = parcelNumbersIn(payload).map(({ where, value }) => {
    try {
      return { where, apn: normalizeApn(value) };
    } catch {
      throw new Error(`the payload's ${where} ${quoteValue(value)} is not a Maricopa APN`);
    }
  });
  const first = named[0];
  if (!first) return null;
  const other = named.find((n) => n.apn !== first.apn);
  if (other) throw new Error(`the payload names two parcels: ${first.apn} in ${first.where}, ${other.apn} in ${other.where}`);
  return first.apn;
}

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

/** The fields of `ResidentialPropertyData` a dwelling's answer carries; an object with none of them is no residential-details answer. */
const RESIDENTIAL_KEYS = ['LivableSpace', 'ConstructionYear', 'BathFixtures', 'Pool', 'NumberOfGarages'] as const;

/**
 * A `/parcel/<apn>/residential-details` answer: the `ResidentialPropertyData` object of `/parcel`
 * on its own (as a public client of the API reads it). Throws saying why it is not one: not an
 * object, none of the keys a dwelling's answer carries (RESIDENTIAL_KEYS), a field of the wrong type.
 */
export function readResidentialDetails(body: unknown): NonNullable<ParcelPayload['ResidentialPropertyData']> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not a residential-details answer: not a JSON object');
  if (!RESIDENTIAL_KEYS.some((key) => key in body)) throw new Error(`not a residential-details answer: none of ${RESIDENTIAL_KEYS.join(', ')}`);
  return parsedOrThrow(residentialDataSchema, body, 'residential-details');
}

/**
 * A `/parcel/<apn>/valuations` answer: the `Valuations` array of `/parcel` on its own (the past
 * five tax years, newest first). Throws saying why it is not one: not an array, an item of the
 * wrong shape, or an item without `TaxYear`.
 */
export function readValuations(body: unknown): NonNullable<ParcelPayload['Valuations']> {
  if (!Array.isArray(body)) throw new Error(`not a valuations answer: not a JSON array (${body === null ? 'null' : typeof body})`);
  const valuations = parsedOrThrow(z.array(valuationSchema), body, 'valuations');
  const undated = valuations.findIndex((v) => v.TaxYear === undefined || v.TaxYear === null);
  if (undated >= 0) throw new Error(`not a valuations answer: [${undated}] has no TaxYear`);
  return valuations;
}

function parsedOrThrow<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`not a ${what} answer: ${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.') || '(payload)'}: ${issue.message}`);
}
