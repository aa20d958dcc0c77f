import fs from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, contentTypeOf, isServable } from '../http/static-files.js';

/** The renderer's origin: a custom scheme serving the built files, never arbitrary `file://`. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://console`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export const RENDERER_CSP = CONTENT_SECURITY_POLICY;

/** Before `app` is ready: the scheme is standard and secure (origin, fetch, storage like https). */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * Answer `app://console/<path>` with the file under `rootDir`, with the CSP as a header; 404 for
 * anything outside it (`..`, another host) or missing.
 */
export async function rendererResponse(rootDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return notFound();
  const root = path.resolve(rootDir);
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  } catch {
    return new Response('Malformed %-encoding in the path.', { status: 400, headers: { 'content-type': 'text/plain' } });
  }
  const file = path.resolve(root, relative);
  if ((file !== root && !file.startsWith(root + path.sep)) || !isServable(file)) return notFound();
  try {
    const body = await fs.readFile(file);
    return new Response(body, {
      status: 200,
      headers: { 'content-type': contentTypeOf(file), 'content-security-policy': RENDERER_CSP, 'x-content-type-options': 'nosniff' },
    });
  } catch {
    return notFound();
  }
}

export function serveRenderer(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rootDir, request.url));
}
