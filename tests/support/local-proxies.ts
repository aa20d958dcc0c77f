import net from 'node:net';
import { Server as ProxyServer } from 'proxy-chain';
import type { SimProxy } from './webshare-simulator.js';

export interface LocalProxy extends SimProxy {
  /** Requests this proxy carried. */
  carried: () => number;
  close(): Promise<void>;
}

/**
 * Real HTTP proxies on loopback (proxy-chain), each asking for its own username and password as
 * WebShare's do. One made with `from: '127.0.0.3'` sends its traffic from that address, which
 * the listing simulator can ban. `deadProxy` is a port where nothing listens.
 */
export async function startLocalProxy(id: string, options: { from?: string } = {}): Promise<LocalProxy> {
  const username = `user-${id}`;
  const password = `pass-${id}`;
  let carried = 0;
  const server = new ProxyServer({
    port: 0,
    host: '127.0.0.1',
    verbose: false,
    prepareRequestFunction: ({ username: u, password: p }) => {
      if (u !== username || p !== password) return { requestAuthentication: true, failMsg: 'Bad proxy credentials' };
      carried += 1;
      return options.from ? { localAddress: options.from } : {};
    },
  });
  await server.listen();
  return {
    id,
    host: '127.0.0.1',
    port: server.port,
    username,
    password,
    carried: () => carried,
    close: () => server.close(true),
  };
}

export async function deadProxy(id: string): Promise<SimProxy> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  return { id, host: '127.0.0.1', port, username: `user-${id}`, password: `pass-${id}` };
}
