import { EVENT_NAMES, METHOD_NAMES, contractErrorSchema, type EventName, type MethodName } from '../../shared/contract.js';
import type { PhoenixBridge } from '../../shared/bridge.js';

/** An error the console shows as is: what failed and, from the server, why. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The bridge over the HTTP shell, for a plain browser: `POST /api/<method>` with the bearer
 * token that `phoenix-re serve` put in the URL's fragment, and events from `/api/events`.
 * `onUnauthorized` is called when the server refuses the token (a stale tab after
 * `serve --new-token`, or another console on this port); the event stream then stops.
 */
export function createHttpBridge(token: string, base = '', onUnauthorized: () => void = () => undefined): PhoenixBridge {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const bridge: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    bridge[method] = async (input?: unknown) => {
      const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(input ?? {}) });
      const body: unknown = await res.json().catch(() => null);
      if (res.status === 401) onUnauthorized();
      if (!res.ok) {
        const parsed = contractErrorSchema.safeParse(body);
        throw parsed.success ? new ApiError(parsed.data.error.code, parsed.data.error.message) : new ApiError('INTERNAL', `HTTP ${res.status} from ${method}`);
      }
      return body;
    };
  }
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let stream: AbortController | undefined;
  const connect = () => {
    stream = new AbortController();
    void readEvents(`${base}/api/events`, token, stream.signal, onUnauthorized, (event, payload) => {
      if ((EVENT_NAMES as string[]).includes(event)) for (const l of listeners.get(event as EventName) ?? []) l(payload);
    });
  };
  bridge.subscribe = (event: EventName, listener: (payload: unknown) => void) => {
    if (!stream) connect();
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  return bridge as PhoenixBridge;
}

async function readEvents(url: string, token: string, signal: AbortSignal, onUnauthorized: () => void, emit: (event: string, payload: unknown) => void): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal });
      if (res.status === 401) return onUnauthorized();
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) emit(event, JSON.parse(data));
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

const TOKEN_KEY = 'phoenix-re:token';

/** What a tab whose token the server refuses says, once, instead of the console. */
export const STALE_TOKEN_MESSAGE =
  'This tab\'s access token is no longer accepted: the console was restarted with a new token (serve --new-token), or another console now answers at this address. Open the URL that `phoenix-re serve` printed (run it again to see it).';

/**
 * The bridge for this page: the preload's in Electron, else HTTP with the token that came in
 * the URL's fragment (`#token=...`). The token is then kept for this tab only (sessionStorage)
 * and the fragment is given back to page navigation, so it shows in no later URL. When the
 * server refuses the token, it is forgotten and `onStale` is called once.
 */
export function resolveBridge(onStale: () => void = () => undefined): PhoenixBridge | { error: string } {
  const fromPreload = (window as unknown as { phoenix?: PhoenixBridge }).phoenix;
  if (fromPreload) return fromPreload;
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/dashboard`);
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY);
  if (!token) return { error: 'Open the console with the URL that `phoenix-re serve` printed (it carries the access token).' };
  let stale = false;
  return createHttpBridge(token, '', () => {
    if (stale) return;
    stale = true;
    sessionStorage.removeItem(TOKEN_KEY);
    onStale();
  });
}

export type { MethodName };
