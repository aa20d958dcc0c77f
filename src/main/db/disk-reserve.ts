import type { Collection } from 'mongodb';
import { DiskFullError } from './disk-full.js';
import { isDuplicateKeyError } from './duplicate-key.js';

/** The collection of the reserve; not one of COLLECTION_NAMES (no backup carries it). */
export const DISK_RESERVE_COLLECTION = 'disk_reserve';

/**
 * Bytes the reserve holds: room for the writes that record how work ended on a full disk (a
 * run's end, up to a few hundred claims handed back), about 64 SQLite pages of 4 KB.
 */
export const DISK_RESERVE_BYTES = 256 * 1024;

/** The reserve's one document. */
export interface DiskReserveDocument {
  _id: 'reserve';
  /** Filler, DISK_RESERVE_BYTES of it. */
  space: string;
  made_at: Date;
}

/**
 * Space kept in the database for the writes that record how work ended, as a "ballast" file is
 * kept on a server's disk: on a full disk, the write that ends a run or hands a claim back
 * (`roomFor`) deletes the reserve and tries once more in the space that frees (SQLite reuses the
 * freed pages of its file; WiredTiger the freed blocks of its files). The reserve is made again
 * at the next start with room (`keep`). Without it a full disk left the run "running" and its
 * claims held, since even those small writes found no page (#24).
 */
export class DiskReserve {
  constructor(private readonly collection: Collection<DiskReserveDocument>) {}

  /** Make the reserve if it is missing; false when there is no room for it (the disk is full). */
  async keep(now: Date): Promise<boolean> {
    if (await this.collection.findOne({ _id: 'reserve' }, { projection: { _id: 1 } })) return true;
    try {
      await this.collection.insertOne({ _id: 'reserve', space: ' '.repeat(DISK_RESERVE_BYTES), made_at: now });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return true;
      if (error instanceof DiskFullError) return false;
      throw error;
    }
  }

  /**
   * Run `write`; if the disk is full, delete the reserve and run it once more. For writes that
   * record an end (the run's, a claim's), not for the work itself, which would use the room up.
   */
  async roomFor<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof DiskFullError)) throw error;
      await this.collection.deleteOne({ _id: 'reserve' });
      return write();
    }
  }
}
