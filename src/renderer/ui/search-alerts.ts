import { useEffect } from 'react';
import { counted } from '../../shared/plural.js';
import { useContractQuery } from '../api/use-bridge.js';

const NOTIFIED_KEY = 'phoenix-re:alerts-notified';

/** Today's saved-search alerts and the unseen count (refetched on `alerts.raised` and every minute). */
export function useSearchAlerts() {
  return useContractQuery('searches.alerts', {}, { refetchInterval: 60_000 });
}

/**
 * A desktop notification when new unseen alerts arrive (the web Notification API: native in
 * Electron, asked for in a browser), once per alert; answers the unseen count for the badge.
 */
export function useSearchAlertNotifications(): number {
  const alerts = useSearchAlerts();
  const items = alerts.data?.items;
  useEffect(() => {
    if (!items || typeof Notification === 'undefined') return;
    const notified = new Set<string>(JSON.parse(localStorage.getItem(NOTIFIED_KEY) ?? '[]') as string[]);
    const fresh = items.filter((a) => !a.seen && !notified.has(a.id));
    if (fresh.length === 0) return;
    const show = () => {
      const drops = fresh.filter((a) => a.kind === 'price_drop').length;
      new Notification('Phoenix RE Console', {
        body: `${counted(fresh.length - drops, 'new match', 'new matches')}${drops ? ` and ${counted(drops, 'price drop')}` : ''} for your saved searches: ${[...new Set(fresh.map((a) => a.search_name))].join(', ')}.`,
      });
      localStorage.setItem(NOTIFIED_KEY, JSON.stringify([...notified, ...fresh.map((a) => a.id)].slice(-500)));
    };
    if (Notification.permission === 'granted') show();
    else if (Notification.permission === 'default') void Notification.requestPermission().then((p) => p === 'granted' && show());
  }, [items]);
  return alerts.data?.unseen ?? 0;
}
