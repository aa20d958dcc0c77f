import http from 'node:http';

/**
 * The spellings in which an upstream may quote a credential back (issue #24): as sent, lower- or
 * upper-cased (gateways that normalise what they log), URL-encoded (a "report this error" link
 * carrying the request), HTML-escaped (an error page that escapes what it quotes, as it must),
 * base64 (a request dump in a page comment or a trace header), JSON-escaped (a JSON error body).
 */
export const SPELLINGS = ['plain', 'lower', 'upper', 'url', 'html', 'base64', 'json'] as const;
export type Spelling = (typeof SPELLINGS)[number];

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `text` in one spelling; `json` also escapes `/` (`\/`), as PHP's `json_encode` does. */
export function spelled(text: string, spelling: Spelling): string {
  switch (spelling) {
    case 'plain':
      return text;
    case 'lower':
      return text.toLowerCase();
    case 'upper':
      return text.toUpperCase();
    case 'url':
      return encodeURIComponent(text);
    case 'html':
      return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
    case 'base64':
      return Buffer.from(text, 'utf8').toString('base64');
    case 'json':
      return JSON.stringify(text).slice(1, -1).replace(/\//g, '\\/');
  }
}

/**
 * `quoted` (a request's line and headers, say) inside an error page, in `spelling`: plain, lower-
 * and upper-case in a `<pre>` (what debugging gateways and some nginx pages send); HTML-escaped in
 * the `<pre>`; URL-encoded in a "report" link; base64 in a comment; JSON-escaped in a JSON body.
 * The quote comes first, so that a client quoting the start of the page quotes it.
 * `contentType` is the page's.
 */
export function echoPage(quoted: string, status: number, spelling: Spelling): { body: string; contentType: string } {
  const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
  const text = spelled(quoted, spelling);
  switch (spelling) {
    case 'json':
      return { body: `{"request":"${text}","error":"${title}"}`, contentType: 'application/json' };
    case 'url':
      return { body: `<a href="/cdn-cgi/report?request=${text}">Report this error</a><h1>${title}</h1>`, contentType: 'text/html' };
    case 'base64':
      return { body: `<!-- ${text} --><h1>${title}</h1>`, contentType: 'text/html' };
    default:
      return { body: `<pre>${text}</pre><h1>${title}</h1>`, contentType: 'text/html' };
  }
}

/**
 * An error page quoting the request's headers back, in the order they came, then the status:
 * what debugging gateways, some nginx error pages and Cloudflare's header-echo rules send, and
 * how a request's credentials end up inside an error message. `spelling`: see `echoPage`.
 */
export function echoedHeadersPage(req: http.IncomingMessage, status: number, spelling: Spelling = 'plain'): { body: string; contentType: string } {
  const headers = Object.entries(req.headers).map(([name, value]) => `${name}: ${String(value)}`);
  return echoPage(headers.join('\n'), status, spelling);
}
