import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract.js';

/**
 * What the preload exposes as `window.phoenix`: one named function per contract method and a
 * subscription per event, never `ipcRenderer` or a generic invoke. The HTTP transport offers
 * the same shape, so the renderer does not know which shell it runs in.
 */
export type PhoenixBridge = {
  [M in MethodName]: (input?: MethodInput<M>) => Promise<MethodOutput<M>>;
} & {
  /** Listen to a pushed event; returns the function that stops listening. */
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** IPC channel of a method (`contract:<method>`) and of an event (`event:<name>`). */
export const methodChannel = (method: MethodName): string => `contract:${method}`;
export const eventChannel = (event: EventName): string => `event:${event}`;
