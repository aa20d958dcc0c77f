import { useCallback, useEffect, useRef } from 'react';
import { useContractQuery } from '../../api/use-bridge.js';
import { leave, navigate, routeHash, useRoute } from '../../ui/router.js';
import { SampleBadge } from '../../ui/sample-data.js';
import { QueryState } from '../../ui/state.js';
import { PropertyDrawer } from './drawer.js';
import { PropertyOverview } from './overview.js';
import { PropertyDetailContext } from './property-context.js';

/** One property in the drawer, loaded by id (kept fresh by the live invalidation). */
export function PropertyPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const detail = useContractQuery('properties.get', { id });
  const d = detail.data;
  const title = d?.processed?.normalized.address.street ?? (typeof d?.data.address === 'string' ? d.data.address : null) ?? d?.source_id ?? 'Property';
  return (
    <PropertyDrawer id={id} title={<>{title}{d?.data.sample === true && <SampleBadge />}</>} onClose={onClose}>
      <QueryState query={detail}>
        {d && (
          <PropertyDetailContext.Provider value={d}>
            <PropertyOverview d={d} />
          </PropertyDetailContext.Provider>
        )}
      </QueryState>
    </PropertyDrawer>
  );
}

/**
 * The property open on `page` (`#/<page>/<id>`): `open` gives it a history entry, `close` goes
 * Back (or to the page, after a deep link). When it closes, by any means (Close, Escape, Back),
 * focus returns to the element that names it (`[data-open-id]`), else to the page's heading.
 */
export function useOpenProperty(page: string) {
  const route = useRoute();
  const openId = route.page === page ? route.id : null;
  const previous = useRef<string | null>(openId);
  useEffect(() => {
    const closed = previous.current;
    previous.current = openId;
    if (closed === null || openId !== null) return;
    const opener = [...document.querySelectorAll<HTMLElement>('[data-open-id]')].find((el) => el.dataset.openId === closed);
    (opener ?? document.querySelector<HTMLElement>('main h1'))?.focus();
  }, [openId]);
  const open = useCallback((id: string) => navigate(routeHash(page, id)), [page]);
  const close = useCallback(() => leave(routeHash(page)), [page]);
  return { openId, open, close };
}
