import { z } from 'zod';
import { InputTooLargeError, answerTextWithin } from '../import/bounded-read.js';

/** One proxy of the WebShare list (the fields we use; the rest is kept out). */
const webshareProxySchema = z.looseObject({
  id: z.string(),
  username: z.string(),
  password: z.string(),
  proxy_address: z.string().nullable(),
  port: z.number().int().positive(),
  valid: z.boolean(),
  country_code: z.string().nullable().optional(),
});

const pageSchema = z.object({
  count: z.number().int().nonnegative(),
  next: z.string().nullable(),
  results: z.array(webshareProxySchema),
});

export interface ProxyEndpoint {
  /** WebShare's id: how health is tracked across lists. */
  id: string;
  /** `http://user:password@host:port`: a secret, never logged. */
  url: string;
  /** `host:port`, safe to show. */
  label: string;
  country: string | null;
}

export class WebshareError extends Error {}

/**
 * The WebShare proxy list: `GET /api/v2/proxy/list/?mode=&page=&page_size=` with
 * `Authorization: Token <token>`, following `next` to the end; each page validated. Proxies
 * WebShare marks invalid are left out.
 */
export async function fetchWebshareProxies(options: { baseUrl: string; token: string | undefined; mode: 'direct' | 'backbone'; pageSize?: number; signal?: AbortSignal }): Promise<ProxyEndpoint[]> {
  if (!options.token) throw new WebshareError('WEBSHARE_API_TOKEN is not set: the MLS collector needs proxies.');
  const proxies: ProxyEndpoint[] = [];
  let next: string | null = new URL(`/api/v2/proxy/list/?mode=${options.mode}&page=1&page_size=${options.pageSize ?? 100}`, options.baseUrl).href;
  for (let pages = 0; next && pages < 1000; pages += 1) {
    const res: Response = await fetch(next, { headers: { authorization: `Token ${options.token}` }, signal: options.signal ?? AbortSignal.timeout(30_000) });
    const text = await answerTextWithin(res, 'webshare', new URL(next).pathname).catch((error: Error) => {
      throw error instanceof InputTooLargeError ? new WebshareError(error.message) : error;
    });
    if (res.status === 401 || res.status === 403) throw new WebshareError(`WebShare refused the token (HTTP ${res.status}). Check WEBSHARE_API_TOKEN.`);
    if (!res.ok) throw new WebshareError(`WebShare proxy list answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new WebshareError(`WebShare proxy list answered with something that is not JSON: ${text.slice(0, 200)}`);
    }
    const page = pageSchema.safeParse(body);
    if (!page.success) {
      const issue = page.error.issues[0]!;
      throw new WebshareError(`WebShare proxy list has an unexpected shape at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    for (const p of page.data.results) {
      if (!p.valid || !p.proxy_address) continue;
      const auth = `${encodeURIComponent(p.username)}:${encodeURIComponent(p.password)}`;
      proxies.push({ id: p.id, url: `http://${auth}@${p.proxy_address}:${p.port}`, label: `${p.proxy_address}:${p.port}`, country: p.country_code ?? null });
    }
    next = page.data.next;
  }
  return proxies;
}
