import { useEffect, useState } from 'react';
import { useContractQuery, useLiveInvalidation } from './api/use-bridge.js';
import { CollectionPage } from './pages/collection.js';
import { CostsPage } from './pages/costs.js';
import { DashboardPage } from './pages/dashboard.js';
import { HealthPage } from './pages/health.js';
import { ProcessingPage } from './pages/processing.js';
import { PropertiesPage } from './pages/properties.js';
import { SettingsPage } from './pages/settings.js';
import { useBudgetNotifications } from './ui/notifications.js';
import { HealthSummary } from './ui/health-summary.js';

export const PAGES = [
  { id: 'dashboard', label: 'Dashboard', Page: DashboardPage },
  { id: 'properties', label: 'Properties', Page: PropertiesPage },
  { id: 'collection', label: 'Collection', Page: CollectionPage },
  { id: 'processing', label: 'Processing', Page: ProcessingPage },
  { id: 'costs', label: 'Costs', Page: CostsPage },
  { id: 'settings', label: 'Settings', Page: SettingsPage },
  { id: 'health', label: 'Health', Page: HealthPage },
] as const;
type PageId = (typeof PAGES)[number]['id'];

function currentPage(): PageId {
  const id = window.location.hash.replace(/^#\/?/, '');
  return (PAGES.find((p) => p.id === id)?.id ?? 'dashboard') as PageId;
}

/** The page named in the URL's fragment (`#/properties`), following back and forward. */
function useHashPage(): PageId {
  const [page, setPage] = useState<PageId>(currentPage);
  useEffect(() => {
    const onChange = () => setPage(currentPage());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return page;
}

export function App() {
  useLiveInvalidation();
  useBudgetNotifications();
  const page = useHashPage();
  const health = useContractQuery('health.get', undefined, { refetchInterval: 30_000 });
  const active = PAGES.find((p) => p.id === page)!;
  useEffect(() => {
    document.title = `${active.label} · Phoenix RE Console`;
  }, [active]);
  return (
    <div className="shell">
      <nav aria-label="Pages" className="nav">
        <p className="brand">Phoenix RE</p>
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a href={`#/${p.id}`} aria-current={p.id === page ? 'page' : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
        <HealthSummary health={health} />
      </nav>
      <main className="page" id="main">
        <active.Page />
      </main>
    </div>
  );
}
