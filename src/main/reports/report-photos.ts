import type { PropertyDetail } from '../../shared/contract.js';
import { propertyPhotos } from '../../shared/property-records.js';

/** An image format the report can embed: pdfmake (pdfkit) reads JPEG and PNG only. */
export type ReportImageFormat = 'jpeg' | 'png';

/**
 * A photo of the property as the report gets it: its bytes and their format (judged by the bytes'
 * magic numbers, not by the server's content-type), or why it could not be had. `url` is the URL
 * as the report may print it (`shownPhotoUrl`: no credentials, query or fragment).
 */
export type ReportPhoto = { url: string; image: Buffer; format: ReportImageFormat } | { url: string; problem: string };

/** How many photos the report carries: the first six, as the property page shows them. */
export const REPORT_PHOTO_LIMIT = 6;

/** Limits of one photo's fetch. */
export interface PhotoFetchLimits {
  /** Milliseconds from the request to the last byte; 5,000 unless told. */
  timeoutMs: number;
  /** Bytes; 5 MB (5 × 1024 × 1024) unless told. */
  maxBytes: number;
}

const DEFAULT_LIMITS: PhotoFetchLimits = { timeoutMs: 5_000, maxBytes: 5 * 1024 * 1024 };

/**
 * The URL as the report prints it: scheme, host, port and path only. A photo URL may carry a
 * signed query (`?Signature=…&Key-Pair-Id=…`) or `user:password@`; neither ever reaches the PDF.
 * A string that is not a URL is named as such, not printed.
 */
export function shownPhotoUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}

/** The format the bytes are, by their magic numbers (JPEG `FF D8 FF`, PNG `89 50 4E 47 0D 0A 1A 0A`), or null. */
export function imageFormatOf(bytes: Uint8Array): ReportImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'png';
  return null;
}

/** The data URL pdfmake embeds: `data:image/jpeg;base64,…` or `data:image/png;base64,…`. */
export function photoDataUrl(photo: { image: Buffer; format: ReportImageFormat }): string {
  return `data:image/${photo.format};base64,${photo.image.toString('base64')}`;
}

/** A size as the report writes it: "5 MB", "1.5 MB", under a megabyte "32 KB". */
const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${Number((bytes / (1024 * 1024)).toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** The body, at most `maxBytes` of it, or null once it is larger (the rest is not read). */
async function boundedBody(res: Response, maxBytes: number): Promise<Buffer | null> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
}

/** Why a fetch threw, as the report says it: timed out, the host unknown, the connection refused… */
function fetchFailure(error: unknown, limits: PhotoFetchLimits): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `timed out (no whole answer within ${limits.timeoutMs / 1000} s)`;
  const code = error instanceof Error && error.cause && typeof error.cause === 'object' && 'code' in error.cause ? String(error.cause.code) : undefined;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return `connection dropped (${code})`;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `timed out (${code})`;
  return `could not be fetched (${code ?? (error instanceof Error ? error.name : 'unknown error')})`;
}

/**
 * One photo fetched over HTTP(S), directly (not through the MLS collector's proxies: see
 * `fetchReportPhotos`), within `limits`: its bytes when they are a JPEG or PNG, else why not
 * ("HTTP 404", "timed out …", "not an image …", "larger than 5 MB"). Never throws.
 */
export async function fetchReportPhoto(url: string, limits: PhotoFetchLimits = DEFAULT_LIMITS): Promise<ReportPhoto> {
  const shown = shownPhotoUrl(url);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { url: shown, problem: 'not a URL' };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { url: shown, problem: `not an http(s) URL (${target.protocol})` };
  // As Chromium does for an image on a page, credentials in the URL are never sent.
  if (target.username || target.password) return { url: shown, problem: 'its URL carries a user name or password, which the report does not send' };
  try {
    const res = await fetch(target, { signal: AbortSignal.timeout(limits.timeoutMs), headers: { accept: 'image/jpeg, image/png' }, redirect: 'follow' });
    if (!res.ok) {
      await res.body?.cancel();
      return { url: shown, problem: `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
    }
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await res.body?.cancel();
      return { url: shown, problem: `larger than ${sizeText(limits.maxBytes)} (${sizeText(declared)})` };
    }
    const image = await boundedBody(res, limits.maxBytes);
    if (!image) return { url: shown, problem: `larger than ${sizeText(limits.maxBytes)}` };
    const format = imageFormatOf(image);
    if (!format) return { url: shown, problem: `not an image the report can include (neither JPEG nor PNG by its bytes; the server said ${res.headers.get('content-type') ?? 'no content-type'})` };
    return { url: shown, image, format };
  } catch (error) {
    return { url: shown, problem: fetchFailure(error, limits) };
  }
}

/**
 * The property's photos for its report: every record's photo URLs (`propertyPhotos`, as the page
 * lists them), the first `REPORT_PHOTO_LIMIT`, fetched at once, each within `limits`, each
 * either its bytes or why not; the order is the page's.
 *
 * Fetched directly, not through the MLS collector's proxy pool: the photos are on the listing
 * CDN (Spark's `photos.sparkplatform.com`), not behind the MLS site's firewall, the property page
 * loads the same URLs directly in the window, and the pool's residential proxies are paid by the
 * gigabyte and exist only while a crawl runs.
 */
export async function fetchReportPhotos(detail: Pick<PropertyDetail, 'records'>, limits: PhotoFetchLimits = DEFAULT_LIMITS): Promise<ReportPhoto[]> {
  return Promise.all(propertyPhotos(detail.records).slice(0, REPORT_PHOTO_LIMIT).map((url) => fetchReportPhoto(url, limits)));
}
