import { loadSettings } from '../../config/load-settings.js';
import { PageStore } from '../../collectors/phoenix-mls/page-store.js';
import { formatSelectorReport, testSelectors } from '../../collectors/phoenix-mls/selector-tester.js';
import { loadSelectors } from '../../collectors/phoenix-mls/selectors.js';
import type { CliOutput } from '../output.js';

/**
 * `phoenix-re selectors test`: the selector set in force (defaults plus MLS_SELECTORS) against the
 * stored pages of recent MLS syncs; exit 1 when a required field is missing on any page.
 */
export function selectorsTest(opts: { limit: number; json?: boolean }, output: CliOutput): number {
  const { settings, dataDir } = loadSettings();
  const report = testSelectors(loadSelectors(settings.mlsSelectors ?? {}), PageStore.inDataDir(dataDir), opts.limit);
  if (opts.json) output.out(JSON.stringify(report, null, 2));
  else for (const line of formatSelectorReport(report)) output.out(line);
  return report.pages > 0 && report.usable < report.pages ? 1 : 0;
}
