import { randomUUID } from 'node:crypto';
import os from 'node:os';

/** Who holds a lease or a claim, readable in the database: `host:pid:random`. */
export function instanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
