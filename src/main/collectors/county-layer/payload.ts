import { z } from 'zod';

/**
 * The parcel layer's answers as ArcGIS REST (MapServer layer and `/query`) writes them, from the
 * ArcGIS REST API reference ("Query (Map Service/Layer)") and the shapes public clients of the
 * Maricopa layer record (../shared/SERVICES.md, "parcel layer"). Unknown keys are kept.
 */

/** One field of the layer's `?f=json` field list. */
export const layerFieldSchema = z.looseObject({ name: z.string().min(1), type: z.string() });

/** The layer's description (`<layer>?f=json`): the fields and the most records one page may hold. */
export const layerInfoSchema = z.looseObject({
  name: z.string().optional(),
  /** Records one query answers at most (1,000 on the assessor's MapServer; 2,000 on ArcGIS Online). */
  maxRecordCount: z.number().int().positive(),
  fields: z.array(layerFieldSchema).min(1),
  advancedQueryCapabilities: z.looseObject({ supportsPagination: z.boolean().optional() }).optional(),
});
export type LayerInfo = z.infer<typeof layerInfoSchema>;

/**
 * A value of the layer: ArcGIS writes strings, numbers (dates as epoch milliseconds) and nulls;
 * the ArcGIS Online copy writes money as padded strings (`"     537,200"`).
 */
const attributeValue = z.union([z.string(), z.number(), z.null()]);

/** One parcel's attributes; only `APN` is required, the rest are read by the mapping (mapping.ts). */
export const parcelAttributesSchema = z.record(z.string(), attributeValue).and(z.looseObject({ APN: z.string().min(1) }));
export type ParcelAttributes = z.infer<typeof parcelAttributesSchema>;

/** A geometry as `outSR=4326` writes it: a point (`x` longitude, `y` latitude) or polygon rings. */
export const geometrySchema = z.union([
  z.looseObject({ x: z.number(), y: z.number() }),
  z.looseObject({ rings: z.array(z.array(z.array(z.number()).min(2))) }),
]);
export type Geometry = z.infer<typeof geometrySchema>;

export const featureSchema = z.looseObject({ attributes: parcelAttributesSchema, geometry: geometrySchema.nullable().optional() });
export type ParcelFeature = z.infer<typeof featureSchema>;

/**
 * One page of `/query`: the features and `exceededTransferLimit`, true while more records remain
 * (ArcGIS 10.3.1 and later with `resultOffset`/`resultRecordCount`; absent on older servers and
 * on the last page).
 */
export const queryPageSchema = z.looseObject({
  features: z.array(featureSchema),
  exceededTransferLimit: z.boolean().optional(),
});
export type QueryPage = z.infer<typeof queryPageSchema>;

/** `/query?returnCountOnly=true`: how many records the `where` matches. */
export const countAnswerSchema = z.looseObject({ count: z.number().int().nonnegative() });

/** ArcGIS's error body, sent with HTTP 200: `{"error":{"code":400,"message":"…","details":[…]}}`. */
export const errorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().int(),
    message: z.string().default(''),
    details: z.array(z.string()).nullable().optional(),
  }),
});
