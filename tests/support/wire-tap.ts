import net from 'node:net';
import { BSON, type Document } from 'mongodb';

/** OP_MSG, the only opcode the driver sends to a 4.2+ server (MongoDB wire protocol). */
const OP_MSG = 2013;

/**
 * One command as a client sent it: the OP_MSG body and its document sequences (kind 1 sections,
 * by identifier, such as `documents` of an `insert`).
 */
export interface TappedCommand {
  body: Document;
  sequences: Record<string, Document[]>;
}

/**
 * A TCP proxy in front of a MongoDB-compatible server that can hold one command: the first
 * command `match` accepts is never forwarded (nor anything its connection sends after it), and
 * `held` resolves with it. A test points the process it will kill at `uri`, so the kill lands
 * at a known point of its work (its write sent, not stored), not after a guessed sleep.
 * Answers pass through untouched; every other connection goes on as before.
 *
 * A command forwarded before its client died is still the server's to finish: the tap keeps
 * that connection's upstream side open until the server has answered every command it was sent
 * (as a server finishes a write whose client is gone), and `idle()` waits for that, so a test
 * reads what the killed process left, not a moment while its last writes are still landing.
 */
export class WireTap {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** Commands forwarded and not answered yet, per connection (by its upstream socket). */
  private readonly inFlight = new Map<net.Socket, number>();
  private match: ((command: TappedCommand) => boolean) | undefined;
  private resolveHeld: ((command: TappedCommand) => void) | undefined;
  /** Resolves with the held command once `holdWhen`'s test accepts one. */
  held: Promise<TappedCommand> = new Promise(() => undefined);
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  /** Listen on a free port of 127.0.0.1. */
  async start(): Promise<this> {
    this.server = net.createServer((client) => this.connect(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  /** `uri` (a server URI with a database) pointed at this tap instead. */
  uriFor(uri: string): string {
    return uri.replace(/^mongodb:\/\/[^/]+/, `mongodb://127.0.0.1:${this.port}`);
  }

  /** Hold the first command from now on that `match` accepts. */
  holdWhen(match: (command: TappedCommand) => boolean): void {
    this.match = match;
    this.held = new Promise((resolve) => (this.resolveHeld = resolve));
  }

  /**
   * Resolves once the server has answered every command forwarded on any connection (those of a
   * killed client included). Throws after `timeoutMs` (default 30 s) with the count still out.
   */
  async idle(timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      const out = [...this.inFlight.values()].reduce((a, n) => a + n, 0);
      if (out === 0) return;
      if (Date.now() - started > timeoutMs) throw new Error(`WireTap.idle: ${out} commands still unanswered after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    this.inFlight.set(upstream, 0);
    let clientGone = false;
    const out = () => this.inFlight.get(upstream) ?? 0;
    // A dead client's commands already forwarded are finished by the server before its side closes.
    client.on('close', () => {
      clientGone = true;
      if (out() === 0) upstream.destroy();
    });
    upstream.on('close', () => {
      this.inFlight.delete(upstream);
      client.destroy();
    });
    let replies = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      replies = Buffer.concat([replies, chunk]);
      while (replies.length >= 4 && replies.length >= replies.readInt32LE(0)) {
        replies = replies.subarray(replies.readInt32LE(0));
        this.inFlight.set(upstream, Math.max(0, out() - 1));
      }
      if (!clientGone) client.write(chunk);
      else if (out() === 0) upstream.destroy();
    });
    let pending = Buffer.alloc(0);
    let holding = false;
    client.on('data', (chunk: Buffer) => {
      if (holding) return;
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const length = pending.readInt32LE(0);
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        const command = message.readInt32LE(12) === OP_MSG ? parseMessage(message) : undefined;
        if (command && this.match?.(command)) {
          holding = true;
          this.match = undefined;
          this.resolveHeld?.(command);
          return;
        }
        // A message with moreToCome (flag bit 1) gets no answer.
        if (message.length < 20 || message.readInt32LE(12) !== OP_MSG || (message.readUInt32LE(16) & 2) === 0) this.inFlight.set(upstream, out() + 1);
        upstream.write(message);
      }
    });
  }
}

/** An OP_MSG's body and document sequences (header 16 bytes, flag bits 4, then sections). */
function parseMessage(message: Buffer): TappedCommand {
  const flags = message.readUInt32LE(16);
  // A checksum (flag bit 0) takes the last 4 bytes.
  const end = flags & 1 ? message.length - 4 : message.length;
  let at = 20;
  let body: Document = {};
  const sequences: Record<string, Document[]> = {};
  while (at < end) {
    const kind = message[at]!;
    at += 1;
    if (kind === 0) {
      const size = message.readInt32LE(at);
      body = BSON.deserialize(message.subarray(at, at + size));
      at += size;
    } else {
      const size = message.readInt32LE(at);
      const sectionEnd = at + size;
      const nameEnd = message.indexOf(0, at + 4);
      const name = message.toString('utf8', at + 4, nameEnd);
      const docs: Document[] = [];
      for (let d = nameEnd + 1; d < sectionEnd; ) {
        const docSize = message.readInt32LE(d);
        docs.push(BSON.deserialize(message.subarray(d, d + docSize)));
        d += docSize;
      }
      sequences[name] = docs;
      at = sectionEnd;
    }
  }
  return { body, sequences };
}
