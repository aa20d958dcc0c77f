import { useEffect, useState } from 'react';

/**
 * The console's place, in the URL's fragment: `#/<page>` or `#/<page>/<id>` (a property open
 * in the drawer over the Properties or Map page, a run on its detail page). Every place has its
 * own history entry, so deep links and Back work in the browser and in the desktop window.
 */
export interface Route {
  page: string;
  /** The property or run named after the page (decoded), or null. */
  id: string | null;
}

const NAVIGATED = 'phoenix-re:navigate';

export function parseRoute(hash: string): Route {
  const [page = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  const id = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  return { page, id: id || null };
}

export function routeHash(page: string, id?: string | null): string {
  return id ? `#/${page}/${encodeURIComponent(id)}` : `#/${page}`;
}

/**
 * Go to a place. `replace` rewrites the current entry (closing a drawer opened by a deep
 * link); else a new entry is pushed, marked as the console's own so that closing can go Back.
 */
export function navigate(hash: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', hash);
  else history.pushState({ inConsole: true }, '', hash);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** Leave a place opened from within the console by going Back; else go to `fallback`. */
export function leave(fallback: string): void {
  if ((history.state as { inConsole?: boolean } | null)?.inConsole) history.back();
  else navigate(fallback, { replace: true });
}

/** The current place, following links, Back and Forward, and `navigate`. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () =>
      setRoute((r) => {
        const next = parseRoute(window.location.hash);
        return next.page === r.page && next.id === r.id ? r : next;
      });
    for (const e of ['hashchange', 'popstate', NAVIGATED]) window.addEventListener(e, onChange);
    return () => {
      for (const e of ['hashchange', 'popstate', NAVIGATED]) window.removeEventListener(e, onChange);
    };
  }, []);
  return route;
}
