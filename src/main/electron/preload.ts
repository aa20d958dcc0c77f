import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { eventChannel, methodChannel, type PhoenixBridge } from '../../shared/bridge.js';
import { EVENT_NAMES, METHOD_NAMES, type EventName } from '../../shared/contract.js';

type Result = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

/**
 * `window.phoenix`: one named function per contract method and one subscription per event.
 * The renderer never sees `ipcRenderer` or an `IpcRendererEvent`.
 */
const bridge: Record<string, unknown> = {};
for (const method of METHOD_NAMES) {
  bridge[method] = async (input?: unknown) => {
    const result = (await ipcRenderer.invoke(methodChannel(method), input)) as Result;
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  };
}
bridge.subscribe = (event: EventName, listener: (payload: unknown) => void) => {
  if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event "${String(event)}"`);
  const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(eventChannel(event), handler);
  return () => {
    ipcRenderer.removeListener(eventChannel(event), handler);
  };
};

contextBridge.exposeInMainWorld('phoenix', bridge as PhoenixBridge);
