import { Suspense, lazy, useEffect } from 'react';
import { useContractQuery, useLiveInvalidation } from './api/use-bridge.js';
import { AccuracyPage } from './pages/accuracy.js';
import { CollectionPage } from './pages/collection.js';
import { CostsPage } from './pages/costs.js';
import { DashboardPage } from './pages/dashboard.js';
import { HealthPage } from './pages/health.js';
import { PipelinePage } from './pages/pipeline.js';
import { ProcessingPage } from './pages/processing.js';
import { PropertiesPage } from './pages/properties.js';
import { RunDetailPage } from './pages/run-detail.js';
import { SettingsPage } from './pages/settings.js';
import { FiltersProvider } from './ui/filters.js';
import { useRoute } from './ui/router.js';
import { useBudgetNotifications } from './ui/notifications.js';
import { HealthSummary } from './ui/health-summary.js';
import { useSearchAlertNotifications } from './ui/search-alerts.js';
import { SKIP_LINKS_ID } from './ui/skip-link.js';

/** The map (Leaflet) loads on first visit, in its own chunk. */
const MapPage = lazy(() => import('./pages/map.js').then((m) => ({ default: m.MapPage })));

export const PAGES = [
  { id: 'dashboard', label: 'Dashboard', Page: DashboardPage },
  { id: 'properties', label: 'Properties', Page: PropertiesPage },
  { id: 'pipeline', label: 'Pipeline', Page: PipelinePage },
  { id: 'map', label: 'Map', Page: MapPage },
  { id: 'collection', label: 'Collection', Page: CollectionPage },
  { id: 'processing', label: 'Processing', Page: ProcessingPage },
  { id: 'accuracy', label: 'Accuracy', Page: AccuracyPage },
  { id: 'costs', label: 'Costs', Page: CostsPage },
  { id: 'settings', label: 'Settings', Page: SettingsPage },
  { id: 'health', label: 'Health', Page: HealthPage },
] as const;

/** Run detail pages (`#/runs/<id>`) sit under Collection in the navigation. */
const RUNS = { id: 'runs', label: 'Run', nav: 'collection' } as const;

export function App() {
  useLiveInvalidation();
  useBudgetNotifications();
  const route = useRoute();
  const unseen = useSearchAlertNotifications();
  const health = useContractQuery('health.get', undefined, { refetchInterval: 30_000 });
  const runId = route.page === RUNS.id ? route.id : null;
  const active = PAGES.find((p) => p.id === route.page) ?? (runId ? null : PAGES[0]);
  const page = active?.id ?? RUNS.nav;
  const title = active?.label ?? RUNS.label;
  useEffect(() => {
    document.title = `${title} · Phoenix RE Console`;
  }, [title]);
  return (
    <div className="shell">
      <div id={SKIP_LINKS_ID} className="skip-links" />
      <nav aria-label="Pages" className="nav">
        <p className="brand">Phoenix RE</p>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === page ? 'page' : undefined}>
                {p.label}
              </a>
              {p.id === 'dashboard' && unseen > 0 && (
                <span className="badge nav-badge" data-testid="alert-badge">
                  {unseen}
                  <span className="sr-only"> new saved-search alerts</span>
                </span>
              )}
            </li>
          ))}
        </ul>
        <HealthSummary health={health} />
      </nav>
      <main className="page" id="main">
        <FiltersProvider>
          <Suspense fallback={<p className="muted" role="status">Loading…</p>}>{active ? <active.Page /> : <RunDetailPage key={runId} runId={runId!} />}</Suspense>
        </FiltersProvider>
      </main>
    </div>
  );
}
