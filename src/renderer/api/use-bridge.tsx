import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { PhoenixBridge } from '../../shared/bridge.js';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract.js';

const BridgeContext = createContext<PhoenixBridge | null>(null);

export function BridgeProvider({ bridge, children }: { bridge: PhoenixBridge; children: ReactNode }) {
  return <BridgeContext.Provider value={bridge}>{children}</BridgeContext.Provider>;
}

export function useBridge(): PhoenixBridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge outside BridgeProvider');
  return bridge;
}

/** A contract read through React Query, keyed by method and input. */
export function useContractQuery<M extends MethodName>(method: M, input?: MethodInput<M>) {
  const bridge = useBridge();
  return useQuery<MethodOutput<M>, Error>({
    queryKey: [method, input ?? null],
    queryFn: () => (bridge[method] as (i?: MethodInput<M>) => Promise<MethodOutput<M>>)(input),
  });
}

/** Keep reads fresh from pushed events: runs and queue changes invalidate what they affect. */
export function useLiveInvalidation(): void {
  const bridge = useBridge();
  const client = useQueryClient();
  useEffect(() => {
    const offRun = bridge.subscribe('run.progress', () => {
      void client.invalidateQueries({ queryKey: ['runs.list'] });
      void client.invalidateQueries({ queryKey: ['stats.overview'] });
      void client.invalidateQueries({ queryKey: ['properties.list'] });
    });
    const offQueue = bridge.subscribe('queue.changed', (payload) => {
      client.setQueryData(['queue.summary', null], {
        counts: payload.counts,
        total: Object.values(payload.counts).reduce((a, b) => a + b, 0),
      });
      void client.invalidateQueries({ queryKey: ['properties.list'] });
    });
    return () => {
      offRun();
      offQueue();
    };
  }, [bridge, client]);
}
