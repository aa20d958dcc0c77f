import http from 'node:http';

/**
 * An error page quoting the request's headers back, in the order they came, then the status:
 * what debugging gateways, some nginx error pages and Cloudflare's header-echo rules send, and
 * how a request's credentials end up inside an error message.
 */
export function echoedHeadersPage(req: http.IncomingMessage, status: number): string {
  const headers = Object.entries(req.headers).map(([name, value]) => `${name}: ${String(value)}`);
  return `<html><body><pre>${headers.join('\n')}</pre><h1>${status} ${http.STATUS_CODES[status] ?? 'Error'}</h1></body></html>`;
}
