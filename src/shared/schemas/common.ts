import { z } from 'zod';

/**
 * The collectors we know. Each writes raw properties under its own name; `armls_export` is the
 * analyst's own ARMLS CSV exports, brought in by the importer; `county_layer` the county
 * assessor's public parcel layer (ArcGIS), every parcel with its coordinates and last sale.
 */
export const SOURCES = ['maricopa_api', 'phoenix_mls', 'armls_export', 'county_layer'] as const;
export const sourceSchema = z.enum(SOURCES);
export type Source = z.infer<typeof sourceSchema>;

/** A date that survives JSON: Date objects in the main process, ISO strings over HTTP and IPC. */
export const dateSchema = z.coerce.date();

/** A calendar day in America/Phoenix, `YYYY-MM-DD`. */
export const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');
