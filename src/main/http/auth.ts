import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random bearer token: 32 bytes, URL-safe. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time check of an `Authorization: Bearer <token>` header. */
export function hasValidBearer(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice('Bearer '.length).trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Only requests addressed to the loopback name we serve are answered, so a web page on another
 * origin cannot reach the console through DNS rebinding.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`].includes(host.toLowerCase());
}

/**
 * Whether the request named exactly one Host. Node keeps the first of several in `headers.host`,
 * while a proxy or cache in front may have routed by another: such a request is refused.
 */
export function hasSingleHost(rawHeaders: readonly string[]): boolean {
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') hosts += 1;
  return hosts === 1;
}
