import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { STALE_TOKEN_MESSAGE, resolveBridge } from './api/http-bridge.js';
import { BridgeProvider } from './api/use-bridge.js';
import { App } from './app.js';
import './styles.css';

const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1 } } });
const root = createRoot(document.getElementById('root')!);

/** The console's place when there is no console to show: why, and what to do. */
function Notice({ message }: { message: string }) {
  return (
    <main className="page">
      <h1>Phoenix RE Console</h1>
      <p role="alert">{message}</p>
    </main>
  );
}

const bridge = resolveBridge(() => {
  queryClient.clear();
  root.render(<Notice message={STALE_TOKEN_MESSAGE} />);
});

root.render(
  <StrictMode>
    {'error' in bridge ? (
      <Notice message={bridge.error} />
    ) : (
      <QueryClientProvider client={queryClient}>
        <BridgeProvider bridge={bridge}>
          <App />
        </BridgeProvider>
      </QueryClientProvider>
    )}
  </StrictMode>,
);
