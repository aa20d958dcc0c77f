import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, METHOD_NAMES } from '../../src/shared/contract.js';

// The Electron binary is not here: the shell's modules are tested against this stand-in.
const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
  on: vi.fn(),
  removeListener: vi.fn(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: { invoke: electron.invoke, on: electron.on, removeListener: electron.removeListener },
}));

describe('the preload', () => {
  let phoenix: Record<string, (...args: unknown[]) => unknown>;
  beforeAll(async () => {
    await import('../../src/main/electron/preload.js');
    phoenix = electron.exposed.get('phoenix') as typeof phoenix;
  });

  it('exposes window.phoenix only: one function per contract method and subscribe, nothing else', () => {
    expect([...electron.exposed.keys()]).toEqual(['phoenix']);
    expect(Object.keys(phoenix).sort()).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    for (const key of Object.keys(phoenix)) expect(typeof phoenix[key]).toBe('function');
    expect(phoenix).not.toHaveProperty('invoke');
    expect(phoenix).not.toHaveProperty('ipcRenderer');
  });

  it('calls each method on its own channel and turns an error answer into a thrown error', async () => {
    expect(await phoenix['queue.summary']!({})).toEqual({ channel: 'contract:queue.summary', input: {} });
    electron.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'NOT_FOUND', message: 'No property with id "x".' } } as never);
    await expect(phoenix['properties.get']!({ id: 'x' })).rejects.toMatchObject({ message: 'No property with id "x".', code: 'NOT_FOUND' });
  });

  it('hands a subscriber the payload only, never the IpcRendererEvent, and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = phoenix.subscribe!('run.progress', (payload: unknown) => seen.push(payload)) as () => void;
    const [channel, handler] = electron.on.mock.calls.at(-1)! as unknown as [string, (event: unknown, payload: unknown) => void];
    expect(channel).toBe('event:run.progress');
    handler({ sender: 'the ipc event', senderId: 1 }, { _id: 'r1' });
    expect(seen).toEqual([{ _id: 'r1' }]);
    off();
    expect(electron.removeListener).toHaveBeenCalledWith('event:run.progress', handler);
    expect(() => phoenix.subscribe!('not.an.event', () => undefined)).toThrow('Unknown event "not.an.event"');
    expect(EVENT_NAMES).toContain('run.progress');
  });
});

describe('the window', () => {
  it('has every web preference of the Electron security checklist', async () => {
    const { secureWindowOptions } = await import('../../src/main/electron/window.js');
    expect(secureWindowOptions('/app/preload.cjs').webPreferences).toEqual({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    });
  });

  it('remembers its size and place, and forgets a place on no display', async () => {
    const { loadWindowState, saveWindowState } = await import('../../src/main/electron/window-state.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-window-'));
    const display = { x: 0, y: 0, width: 1920, height: 1080 };
    expect(loadWindowState(dir, [display])).toBeUndefined();
    saveWindowState(dir, { x: 100, y: 80, width: 1300, height: 850, maximized: false });
    expect(loadWindowState(dir, [display])).toEqual({ x: 100, y: 80, width: 1300, height: 850, maximized: false });
    saveWindowState(dir, { x: 3000, y: 80, width: 1300, height: 850, maximized: false }); // the second monitor is gone
    expect(loadWindowState(dir, [display])).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'window-state.json'), '{"x": "left"}');
    expect(loadWindowState(dir, [display])).toBeUndefined();
  });
});

describe('the app:// protocol', () => {
  it('serves the built renderer with its CSP, and nothing outside it', async () => {
    const { rendererResponse, RENDERER_CSP } = await import('../../src/main/electron/protocol.js');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-renderer-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'do not serve');
    const index = await rendererResponse(root, 'app://console/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await index.text()).toContain('<title>console</title>');
    expect((await rendererResponse(root, 'app://console/')).status).toBe(200);
    expect((await rendererResponse(root, 'app://console/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await rendererResponse(root, 'app://console/..%2fsecret.txt')).status).toBe(404);
    expect((await rendererResponse(root, 'app://console/%2e%2e/secret.txt')).status).toBe(404);
    expect((await rendererResponse(root, 'app://elsewhere/index.html')).status).toBe(404);
    expect((await rendererResponse(root, 'app://console/missing.js')).status).toBe(404);
  });
});

describe('links and navigation', () => {
  it('opens allowed https links in the browser and drops everything else', async () => {
    const { guardContents, isAllowedExternal } = await import('../../src/main/electron/external-links.js');
    expect(isAllowedExternal('https://mcassessor.maricopa.gov/parcel/50911455')).toBe(true);
    expect(isAllowedExternal('http://mcassessor.maricopa.gov/')).toBe(false);
    expect(isAllowedExternal('https://evil.example/')).toBe(false);
    expect(isAllowedExternal('https://user:pw@2captcha.com/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);

    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = { on: (name: string, fn: never) => void listeners.set(name, fn), setWindowOpenHandler: (fn: never) => void (openHandler = fn) };
    const opened: string[] = [];
    guardContents(contents as never, { openExternal: async (url: string) => void opened.push(url) });

    expect(openHandler!({ url: 'https://2captcha.com/enterpage' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const prevented: string[] = [];
    const nav = (url: string) => listeners.get('will-navigate')!({ preventDefault: () => prevented.push(url) }, url);
    nav('app://console/index.html#/costs');
    nav('https://evil.example/phish');
    nav('https://www.webshare.io/pricing');
    expect(prevented).toEqual(['https://evil.example/phish', 'https://www.webshare.io/pricing']);
    expect(opened).toEqual(['https://2captcha.com/enterpage', 'https://www.webshare.io/pricing']);
  });
});

describe('secrets in the app', () => {
  it('are encrypted with safeStorage', async () => {
    const { safeStorageCipher } = await import('../../src/main/electron/secret-cipher.js');
    const cipher = safeStorageCipher({
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`enc:${s}`),
      decryptString: (b: Buffer) => b.toString().replace(/^enc:/, ''),
    });
    expect(cipher.isAvailable()).toBe(true);
    expect(cipher.decrypt(cipher.encrypt('sk-abc'))).toBe('sk-abc');
    expect(cipher.encrypt('sk-abc').toString()).toBe('enc:sk-abc');
  });
});

describe('permissions', () => {
  it('deny every request, check and device by default; only notifications for the console itself', async () => {
    const { denyPermissionsByDefault } = await import('../../src/main/electron/permissions.js');
    type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { isMainFrame: boolean; requestingUrl: string }) => void;
    let onRequest: RequestHandler | undefined;
    let onCheck: ((contents: unknown, permission: string, origin: string) => boolean) | undefined;
    let onDevice: (() => boolean) | undefined;
    denyPermissionsByDefault({
      setPermissionRequestHandler: (fn: never) => void (onRequest = fn),
      setPermissionCheckHandler: (fn: never) => void (onCheck = fn),
      setDevicePermissionHandler: (fn: never) => void (onDevice = fn),
    } as never);
    const request = (permission: string, requestingUrl: string, isMainFrame = true) => {
      let answer: boolean | undefined;
      onRequest!({}, permission, (granted) => (answer = granted), { isMainFrame, requestingUrl });
      return answer;
    };
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'midiSysex', 'openExternal', 'fullscreen', 'display-capture', 'unknown']) {
      expect(request(permission, 'app://console/index.html'), permission).toBe(false);
      expect(onCheck!({}, permission, 'app://console'), permission).toBe(false);
    }
    expect(request('notifications', 'app://console/index.html#/costs')).toBe(true);
    expect(onCheck!({}, 'notifications', 'app://console')).toBe(true);
    for (const url of ['https://evil.example/', 'evil://console/', 'app://elsewhere/', 'not a url', '']) {
      expect(request('notifications', url), url).toBe(false);
      expect(onCheck!({}, 'notifications', url), url).toBe(false);
    }
    expect(request('notifications', 'app://console/index.html', false)).toBe(false);
    expect(onDevice!()).toBe(false);
  });
});
