import type { Collection, Document } from 'mongodb';
import { maskUri } from '../../shared/settings.js';
import { DEFAULT_MONGODB_URI } from './connection.js';

/**
 * MongoDB's code for a write refused for want of disk space (`OutOfDiskSpace`, 14031: WiredTiger's
 * ENOSPC, src/mongo/base/error_codes.yml).
 */
const OUT_OF_DISK_SPACE = 14031;

/**
 * What the servers say when the disk is full: SQLite's SQLITE_FULL (13) as FerretDB passes it on
 * ("database or disk is full (13)", behind Go stack frames, as `InternalError`), the system's
 * ENOSPC ("No space left on device") as mongod and WiredTiger report it.
 */
const DISK_FULL_TEXT = /database or disk is full|SQLITE_FULL|no space left on device|\bENOSPC\b|OutOfDiskSpace/i;

/**
 * A write the database refused because its disk is full: the one error every full-disk answer
 * becomes (isDiskFull), so that a run ends saying so instead of with the server's own text.
 * `message` says what happened, where (`place`, see databasePlace) and what to do; the server's
 * answer is kept as `cause`, for the log only.
 */
export class DiskFullError extends Error {
  constructor(
    /** Where the database keeps its files, as databasePlace words it. */
    readonly place: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The database's disk is full (${place}): nothing more can be stored. ` +
        'Free space on that disk, then run the command again: what was stored is kept, and the re-run stores and queues the rest.',
      options,
    );
    this.name = 'DiskFullError';
  }
}

/**
 * True when `error`, or an error it wraps (`cause`, a bulk write's `errorResponse` and write
 * errors), is a server's refusal for want of disk space: MongoDB's code 14031 or codeName
 * `OutOfDiskSpace`, or the text of SQLite's SQLITE_FULL or the system's ENOSPC (DISK_FULL_TEXT).
 */
export function isDiskFull(error: unknown, depth = 0): boolean {
  if (error instanceof DiskFullError) return true;
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const e = error as { code?: unknown; codeName?: unknown; errmsg?: unknown; message?: unknown; cause?: unknown; errorResponse?: unknown; writeErrors?: unknown };
  if (e.code === OUT_OF_DISK_SPACE || e.codeName === 'OutOfDiskSpace') return true;
  if ([e.message, e.errmsg].some((text) => typeof text === 'string' && DISK_FULL_TEXT.test(text))) return true;
  const inner = [e.cause, e.errorResponse, ...(Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors])];
  return inner.some((i) => i !== undefined && isDiskFull(i, depth + 1));
}

/**
 * Where the database keeps its files, for a full-disk message: the data folder of the local
 * server the console starts (`<data folder>/db`), else the server of the URI (password masked),
 * named as MONGODB_URI when the setting gave it. `database`: the database's name.
 */
export function databasePlace(options: { uri: string; database: string; dataFolder: string; fromSetting: boolean }): string {
  const server = options.uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+).*$/, '$1');
  if (options.fromSetting) return `database ${options.database} at ${maskUri(server)}, set by MONGODB_URI`;
  if (options.uri === DEFAULT_MONGODB_URI) return `database ${options.database} at ${server}`;
  return `database ${options.database} in the data folder ${options.dataFolder}`;
}

/**
 * `collection` with every operation that answers with a promise (writes, counts, index builds)
 * turning a full-disk refusal (isDiskFull) into a DiskFullError naming `place`: the one place
 * where the servers' own full-disk texts are translated. Cursors (find, aggregate) are left as
 * they are: reads take no space.
 */
export function diskFullCollection<T extends Document>(collection: Collection<T>, place: string): Collection<T> {
  return new Proxy(collection, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown;
      if (typeof member !== 'function') return member;
      return (...args: unknown[]) => {
        const result = (member as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.catch((error: unknown) => {
          throw isDiskFull(error) && !(error instanceof DiskFullError) ? new DiskFullError(place, { cause: error }) : error;
        });
      };
    },
  });
}
