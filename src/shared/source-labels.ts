/** How the console names each source to the analyst. */
export const SOURCE_LABELS: Record<string, string> = { maricopa_api: 'assessor', phoenix_mls: 'MLS', armls_export: 'ARMLS import', county_layer: 'county parcel layer' };

/** The analyst's name of a source (`maricopa_api` → `assessor`), else the source as stored. */
export const sourceLabel = (source: string) => SOURCE_LABELS[source] ?? source;
