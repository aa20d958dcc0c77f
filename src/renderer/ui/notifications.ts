import { useEffect } from 'react';
import { useContractQuery } from '../api/use-bridge.js';

/** Thresholds of the day's LLM budget that raise a desktop notification, once each per day. */
const THRESHOLDS = [0.8, 1] as const;

/**
 * A desktop notification when today's LLM spend reaches 80% and 100% of `LLM_DAILY_BUDGET_USD`
 * (the web Notification API: native in Electron, asked for in a browser).
 */
export function useBudgetNotifications(): void {
  const overview = useContractQuery('stats.overview', undefined, { refetchInterval: 60_000 });
  useEffect(() => {
    const o = overview.data;
    if (!o || o.llm.dailyBudgetUsd <= 0 || typeof Notification === 'undefined') return;
    const share = o.llm.spentTodayUsd / o.llm.dailyBudgetUsd;
    for (const t of THRESHOLDS) {
      const key = `phoenix-re:budget-notified:${o.day}:${t}`;
      if (share < t || localStorage.getItem(key)) continue;
      const show = () => {
        new Notification('Phoenix RE Console', {
          body: `${Math.round(t * 100)}% of today's LLM budget used ($${o.llm.spentTodayUsd.toFixed(2)} of $${o.llm.dailyBudgetUsd.toFixed(2)})${t >= 1 ? ': processing stops until tomorrow.' : '.'}`,
        });
        localStorage.setItem(key, '1');
      };
      if (Notification.permission === 'granted') show();
      else if (Notification.permission === 'default') void Notification.requestPermission().then((p) => p === 'granted' && show());
    }
  }, [overview.data]);
}
