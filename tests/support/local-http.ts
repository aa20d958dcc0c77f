import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server on a free loopback port, for the simulators: its base URL and how to stop it. */
export async function listenLocal(handler: http.RequestListener): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A simulator serving `handle` on a free loopback port from `start()` until `stop()`. */
export abstract class LocalHttpSimulator {
  baseUrl = '';
  private server: { baseUrl: string; stop(): Promise<void> } | undefined;

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): void;

  async start(): Promise<this> {
    this.server = await listenLocal((req, res) => this.handle(req, res));
    this.baseUrl = this.server.baseUrl;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
