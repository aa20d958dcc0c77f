import { useMemo } from 'react';
import { recommendationRulesOf, type RecommendationRules } from '../../../shared/underwriting/underwrite.js';
import { useContractQuery } from '../../api/use-bridge.js';

/** The settings that hold the thresholds, by their key in `SETTING_DEFS`. */
const KEYS = ['buyCapRatePercent', 'buyDscr', 'buyCashOnCashPercent', 'watchCapRatePercent', 'watchDscr'] as const;

/**
 * The buy/watch/pass thresholds in force (the settings BUY_CAP_RATE_PERCENT, BUY_DSCR,
 * BUY_CASH_ON_CASH_PERCENT, WATCH_CAP_RATE_PERCENT, WATCH_DSCR, as fractions and ratios), read
 * from `settings.get` so the page calls a deal as the pipeline does, never by constants; null
 * until the settings are read (or when one of them cannot be read as a number).
 */
export function useRecommendationRules(): RecommendationRules | null {
  const settings = useContractQuery('settings.get');
  return useMemo(() => {
    if (!settings.data) return null;
    const values = Object.fromEntries(KEYS.map((k) => [k, Number(settings.data.settings.find((s) => s.key === k)?.input ?? Number.NaN)])) as Record<(typeof KEYS)[number], number>;
    return Object.values(values).every(Number.isFinite) ? recommendationRulesOf(values) : null;
  }, [settings.data]);
}
