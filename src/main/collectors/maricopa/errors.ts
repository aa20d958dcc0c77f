/** The token was refused (the API answers HTTP 500 with an HTML "Unauthorized access" page). */
export class MaricopaAuthError extends Error {
  constructor() {
    super("Maricopa API rejected the token (HTTP 500 'Unauthorized access'). Check MARICOPA_API_TOKEN.");
    this.name = 'MaricopaAuthError';
  }
}

/** No such parcel (HTTP 404): the parcel is skipped. */
export class MaricopaNotFoundError extends Error {
  constructor(readonly endpoint: string) {
    super(`Maricopa API has no ${endpoint} (HTTP 404)`);
    this.name = 'MaricopaNotFoundError';
  }
}

/** An answer that is not the JSON we expect: names the endpoint and what arrived. */
export class MaricopaPayloadError extends Error {
  constructor(endpoint: string, detail: string, body: string) {
    super(`Maricopa API ${endpoint}: ${detail}; received: ${truncate(body)}`);
    this.name = 'MaricopaPayloadError';
  }
}

/** HTTP or network failure left after the retries. */
export class MaricopaHttpError extends Error {
  constructor(
    endpoint: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(`Maricopa API ${endpoint}: ${detail}`);
    this.name = 'MaricopaHttpError';
  }
}

export function truncate(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${JSON.stringify(flat.slice(0, max))}… (${text.length} bytes)` : JSON.stringify(flat);
}
