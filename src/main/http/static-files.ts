import fs from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The content type of a file of the built renderer, by its extension. */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/**
 * Whether a built file may be served: not a source map (`.map`), which would hand out the
 * console's whole source. The build still writes them, for stack traces read on this machine.
 */
export function isServable(file: string): boolean {
  return path.extname(file).toLowerCase() !== '.map';
}

/** The renderer's CSP, sent by both the HTTP shell and the desktop app's `app://` scheme. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Serve the built renderer from `root`: its files by path and `index.html` for `/`; 404 for any
 * other path, and always for one that resolves outside `root` (`/../../etc/passwd`, `/.env`).
 * The console routes by the URL's hash (`#/properties`), so no other path is one of its pages.
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  const resolved = path.resolve(root, `.${decoded}`);
  const inside = resolved === root || resolved.startsWith(root + path.sep);
  if (!isServable(resolved)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('Not found.');
    return;
  }
  const notFound = (text: string) => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  if (!inside) return notFound('Not found.');
  let file = resolved;
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) {
      if (file !== root) return notFound('Not found.');
      file = path.join(file, 'index.html');
    }
  } catch {
    if (file !== root) return notFound('Not found.');
    file = path.join(root, 'index.html');
  }
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    return notFound(file.endsWith('index.html') ? 'The console has not been built: run `npm run build:renderer`, or use the API at /api/<method>.' : 'Not found.');
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(file),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=3600',
  });
  res.end(body);
}
