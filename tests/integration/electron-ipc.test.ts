import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerContractHandlers } from '../../src/main/electron/ipc.js';
import { METHOD_NAMES } from '../../src/shared/contract.js';
import { openTestCore, type TestCore } from '../support/core.js';

type Handler = (event: IpcMainInvokeEvent, input: unknown) => Promise<unknown>;

let t: TestCore;
const handlers = new Map<string, Handler>();
const TRUSTED = 'file:///app/dist/renderer/index.html';

beforeAll(async () => {
  t = await openTestCore();
  registerContractHandlers(
    { handle: (channel: string, handler: Handler) => void handlers.set(channel, handler) } as never,
    t.core,
    (event) => event.senderFrame?.url === TRUSTED,
  );
});
afterAll(async () => t.close());

const from = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;

describe('Electron IPC handlers', () => {
  it('registers one channel per contract method and nothing else', () => {
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `contract:${m}`).sort());
  });

  it('answers a trusted sender through the contract', async () => {
    const res = await handlers.get('contract:queue.summary')!(from(TRUSTED), undefined);
    expect(res).toEqual({ ok: true, value: { counts: { pending: 0, processing: 0, completed: 0, failed: 0, review: 0 }, total: 0 } });
  });

  it('refuses a foreign sender', async () => {
    const res = await handlers.get('contract:queue.summary')!(from('https://evil.example/'), undefined);
    expect(res).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Untrusted sender.' } });
  });

  it('rejects malformed input with the field and reason', async () => {
    const res = (await handlers.get('contract:properties.get')!(from(TRUSTED), { id: 42 })) as { ok: boolean; error: { code: string; message: string } };
    expect(res.ok).toBe(false);
    expect(res.error.code).toBe('BAD_REQUEST');
    expect(res.error.message).toMatch(/Invalid input for properties.get: id: .*expected string/);
  });
});
