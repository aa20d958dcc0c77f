import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { eventChannel, methodChannel } from '../../shared/bridge.js';
import { EVENT_NAMES, METHOD_NAMES, type EventName, type EventPayload } from '../../shared/contract.js';
import type { Core } from '../core/create-core.js';
import { dispatch, type DispatchResult } from '../core/dispatch.js';

/**
 * Serve the contract over IPC: one `handle()` per method, each checking the sender, validating
 * input with the contract's schema (in `dispatch`) and returning `{ok, value | error}` so errors
 * cross the bridge as data. Electron's `ipcMain` is injected, so this is tested without Electron.
 */
export function registerContractHandlers(
  ipc: Pick<IpcMain, 'handle'>,
  core: Pick<Core, 'api' | 'logger'>,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): void {
  for (const method of METHOD_NAMES) {
    ipc.handle(methodChannel(method), async (event, input: unknown): Promise<DispatchResult> => {
      if (!isTrustedSender(event)) {
        core.logger.warn({ method, url: event.senderFrame?.url }, 'refused IPC from an untrusted sender');
        return { ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted sender.' } };
      }
      return dispatch(core.api, method, input, core.logger);
    });
  }
}

/** Forward every pushed event to a window; returns the function that stops forwarding. */
export function forwardEvents(core: Pick<Core, 'events'>, send: (channel: string, payload: unknown) => void): () => void {
  const offs = EVENT_NAMES.map((name: EventName) => core.events.on(name, (payload: EventPayload<typeof name>) => send(eventChannel(name), payload)));
  return () => offs.forEach((off) => off());
}
