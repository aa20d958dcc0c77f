import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveBridge } from './api/http-bridge.js';
import { BridgeProvider } from './api/use-bridge.js';
import { App } from './app.js';
import './styles.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });
const bridge = resolveBridge();
const root = createRoot(document.getElementById('root')!);

root.render(
  <StrictMode>
    {'error' in bridge ? (
      <main className="page">
        <h1>Phoenix RE Console</h1>
        <p role="alert">{bridge.error}</p>
      </main>
    ) : (
      <QueryClientProvider client={queryClient}>
        <BridgeProvider bridge={bridge}>
          <App />
        </BridgeProvider>
      </QueryClientProvider>
    )}
  </StrictMode>,
);
