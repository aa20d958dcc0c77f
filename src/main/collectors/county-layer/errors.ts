import { truncate } from '../maricopa/errors.js';

/** What the parcel layer's errors name: the county's ArcGIS service. */
const SERVICE = "The county's parcel layer";

/**
 * The layer answered with an ArcGIS error body (`{"error":{"code":400,"message":…,"details":[…]}}`),
 * which ArcGIS sends with HTTP 200: the request was refused, and its code, message and details say why.
 */
export class CountyLayerRefusedError extends Error {
  override readonly name = 'CountyLayerRefusedError';
  constructor(
    where: string,
    readonly code: number,
    message: string,
    details: readonly string[],
  ) {
    super(`${SERVICE} refused ${where}: error ${code} "${message}"${details.length > 0 ? ` (${details.map((d) => JSON.stringify(d)).join(', ')})` : ''}`);
  }

  /** Whether the layer may answer the same request next time: its server failed (5xx), not the request. */
  get retryable(): boolean {
    return this.code >= 500;
  }
}

/** HTTP or network failure (a time-out, a refused connection, a 5xx page) left after the retries. */
export class CountyLayerHttpError extends Error {
  override readonly name = 'CountyLayerHttpError';
  constructor(
    where: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(`${SERVICE} ${where}: ${detail}`);
  }
}

/** An answer that is not the JSON the request asks for: names the request, what is wrong and what arrived. */
export class CountyLayerPayloadError extends Error {
  override readonly name = 'CountyLayerPayloadError';
  constructor(where: string, detail: string, body: string) {
    super(`${SERVICE} ${where}: ${detail}; received: ${truncate(body)}`);
  }
}

/**
 * The layer no longer has fields the collector reads (renamed, dropped): nothing is queried,
 * since a record mapped from the rest would silently lose them.
 */
export class CountyLayerChangedError extends Error {
  override readonly name = 'CountyLayerChangedError';
  constructor(
    layerUrl: string,
    readonly missing: readonly string[],
  ) {
    super(
      `${SERVICE} at ${layerUrl} changed: it has no field ${missing.join(', ')} (its ?f=json field list); the county sync reads ${missing.length > 1 ? 'them' : 'it'} and stops rather than store parcels without ${missing.length > 1 ? 'them' : 'it'}. Check the layer's fields and the COUNTY_LAYER_URL setting.`,
    );
  }
}
