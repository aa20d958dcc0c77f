import type http from 'node:http';
import { echoedHeadersPage, type Spelling } from './echoed-headers.js';
import { LocalHttpSimulator } from './local-http.js';

export interface SimProxy {
  id: string;
  host: string;
  port: number;
  username: string;
  password: string;
  valid?: boolean;
}

/**
 * WebShare's proxy list API: `GET /api/v2/proxy/list/?mode=&page=&page_size=` with
 * `Authorization: Token <token>`, paginated with `next` links as the real one, 400 without
 * `mode`, 401 with another token, and the fields of each proxy as documented. `echoHeaders`:
 * the next answers are a gateway's 502 page quoting the request headers (the token among them),
 * in `echoSpelling`.
 */
export class WebshareSimulator extends LocalHttpSimulator {
  readonly token: string;
  requests = 0;
  echoHeaders = 0;
  echoSpelling: Spelling = 'plain';

  /** `token`: the one it accepts (default a plain fake one). */
  constructor(
    public proxies: SimProxy[],
    token = 'sim-webshare-token-0001',
  ) {
    super();
    this.token = token;
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests += 1;
    const url = new URL(req.url ?? '/', this.baseUrl);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (this.echoHeaders > 0) {
      this.echoHeaders -= 1;
      const page = echoedHeadersPage(req, 502, this.echoSpelling);
      res.writeHead(502, { 'content-type': page.contentType });
      res.end(page.body);
      return;
    }
    if (url.pathname !== '/api/v2/proxy/list/') return send(404, { detail: 'Not found.' });
    if (req.headers.authorization !== `Token ${this.token}`) return send(401, { detail: 'Invalid token.' });
    const mode = url.searchParams.get('mode');
    if (mode !== 'direct' && mode !== 'backbone') return send(400, { mode: ['This field is required.'] });
    const page = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('page_size') ?? 25);
    const slice = this.proxies.slice((page - 1) * size, page * size);
    const link = (p: number) => `${this.baseUrl}/api/v2/proxy/list/?mode=${mode}&page=${p}&page_size=${size}`;
    send(200, {
      count: this.proxies.length,
      next: page * size < this.proxies.length ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: slice.map((p) => ({
        id: p.id,
        username: p.username,
        password: p.password,
        proxy_address: mode === 'backbone' ? null : p.host,
        port: p.port,
        valid: p.valid ?? true,
        last_verification: '2026-11-27T10:00:00.000000-08:00',
        country_code: 'US',
        city_name: 'Phoenix',
        created_at: '2026-01-02T03:04:05.000000-08:00',
      })),
    });
  }
}
