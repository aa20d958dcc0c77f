import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
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

function call<M extends MethodName>(bridge: PhoenixBridge, method: M, input?: MethodInput<M>): Promise<MethodOutput<M>> {
  return (bridge[method] as (i?: MethodInput<M>) => Promise<MethodOutput<M>>)(input);
}

/** A contract read through React Query, keyed by method and input. */
export function useContractQuery<M extends MethodName>(method: M, input?: MethodInput<M>, options: { refetchInterval?: number; enabled?: boolean; keepPrevious?: boolean; staleTime?: number } = {}) {
  const bridge = useBridge();
  return useQuery<MethodOutput<M>, Error>({
    queryKey: [method, input ?? null] as QueryKey,
    queryFn: () => call(bridge, method, input),
    ...(options.refetchInterval && { refetchInterval: options.refetchInterval }),
    ...(options.enabled !== undefined && { enabled: options.enabled }),
    ...(options.keepPrevious && { placeholderData: keepPreviousData }),
    ...(options.staleTime !== undefined && { staleTime: options.staleTime }),
  });
}

/** A contract call that changes something; the listed reads are refetched after it. */
export function useContractMutation<M extends MethodName>(method: M, invalidates: MethodName[] = []) {
  const bridge = useBridge();
  const client = useQueryClient();
  return useMutation<MethodOutput<M>, Error, MethodInput<M>>({
    mutationFn: (input) => call(bridge, method, input),
    onSettled: () => {
      for (const m of invalidates) void client.invalidateQueries({ queryKey: [m] });
    },
  });
}

/** Keep reads fresh from pushed events: runs and queue changes invalidate what they affect. */
export function useLiveInvalidation(): void {
  const bridge = useBridge();
  const client = useQueryClient();
  useEffect(() => {
    const offRun = bridge.subscribe('run.progress', (run) => {
      client.setQueryData(['run', run._id], run);
      for (const m of ['runs.list', 'runs.get', 'stats.overview', 'schedule.list', 'costs.summary', 'batches.list'] satisfies MethodName[]) void client.invalidateQueries({ queryKey: [m] });
      if (run.status !== 'running') for (const m of ['properties.list', 'properties.get', 'properties.pipeline', 'searches.alerts', 'searches.list'] satisfies MethodName[]) void client.invalidateQueries({ queryKey: [m] });
    });
    const offQueue = bridge.subscribe('queue.changed', (payload) => {
      client.setQueryData(['queue.summary', null], {
        counts: payload.counts,
        total: Object.values(payload.counts).reduce((a, b) => a + b, 0),
      });
      for (const m of ['properties.list', 'properties.get', 'queue.items', 'stats.overview'] satisfies MethodName[]) void client.invalidateQueries({ queryKey: [m] });
    });
    const offAlerts = bridge.subscribe('alerts.raised', () => {
      for (const m of ['searches.alerts', 'searches.list'] satisfies MethodName[]) void client.invalidateQueries({ queryKey: [m] });
    });
    return () => {
      offRun();
      offQueue();
      offAlerts();
    };
  }, [bridge, client]);
}
