import type { Collection, Document, Filter, OptionalUnlessRequiredId, WriteError } from 'mongodb';
import { bulkWriteErrorsOf, isDuplicateKeyError } from './duplicate-key.js';

/** The most operations one command carries. */
const MAX_BATCH = 1_000;

/**
 * Sends the operations that arrive while one command is in flight together, as the next
 * command: one round trip (and, on FerretDB, often one transaction) for many callers.
 *
 * Why (issue #22): an item of the processing pipeline made 13 round trips to the database, and
 * on our FerretDB build every command costs about a millisecond of the server's CPU whatever it
 * carries (an `insertMany` of 200 documents: 0.05 ms a document, 200 `insertOne`: 1 ms each),
 * so 32 items in hand kept the server busy with commands rather than documents. With one command
 * in flight per batcher, an idle batcher sends at once (after the current microtask, so calls
 * made together go together) and a busy one gathers what comes meanwhile.
 *
 * `send` gets the operations in arrival order and answers one result or Error per operation
 * (that caller's promise resolves or rejects with it); a throw rejects every caller of the batch.
 * Each caller's promise settles when the command carrying its operation has answered, so a
 * caller that awaits it knows its write landed, as with a command of its own.
 */
export class CommandBatcher<Op, Result = void> {
  private batch: { ops: Op[]; settle: { resolve: (r: Result) => void; reject: (e: unknown) => void }[] } | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly send: (ops: readonly Op[]) => Promise<readonly (Result | Error)[]>) {}

  add(op: Op): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      let batch = this.batch;
      if (!batch || batch.ops.length >= MAX_BATCH) {
        const next: NonNullable<typeof batch> = { ops: [], settle: [] };
        batch = this.batch = next;
        this.tail = this.tail.then(async () => {
          // From here on, new operations go to the next command.
          if (this.batch === next) this.batch = undefined;
          try {
            const results = await this.send(next.ops);
            next.settle.forEach((s, i) => {
              const r = results[i];
              if (r instanceof Error) s.reject(r);
              else s.resolve(r as Result);
            });
          } catch (error) {
            for (const s of next.settle) s.reject(error);
          }
        });
      }
      batch.ops.push(op);
      batch.settle.push({ resolve, reject });
    });
  }
}

/** A bulk write's error for one operation, as the error a command of its own would have thrown (code kept). */
function operationError(e: WriteError): Error {
  return Object.assign(new Error(e.errmsg ?? `write error ${e.code}`), { code: e.code, errmsg: e.errmsg });
}

/** Per operation of an unordered bulk that threw `error`: its write error, or null when it succeeded; rethrows a failure of the whole command. */
function writeErrorsByIndex(error: unknown, count: number): (Error | null)[] {
  const errors = bulkWriteErrorsOf(error);
  if (!errors) throw error;
  const byIndex: (Error | null)[] = Array.from({ length: count }, () => null);
  for (const e of errors) byIndex[e.index] = operationError(e);
  return byIndex;
}

/**
 * Inserts gathered into one unordered `insertMany` per command. Each caller learns `inserted`,
 * `duplicate` (its `_id` exists: what a single insert's E11000 says), or its own write error.
 */
export function insertBatcher<T extends Document>(collection: Collection<T>): CommandBatcher<OptionalUnlessRequiredId<T>, 'inserted' | 'duplicate'> {
  return new CommandBatcher(async (docs) => {
    try {
      await collection.insertMany([...docs], { ordered: false });
      return docs.map(() => 'inserted' as const);
    } catch (error) {
      return writeErrorsByIndex(error, docs.length).map((e) => (e === null ? 'inserted' : isDuplicateKeyError(e) ? 'duplicate' : e));
    }
  });
}

/** One `$set` of fields of the document `_id`. */
export interface SetById {
  _id: string;
  $set: Record<string, unknown>;
}

/**
 * `$set`s by `_id` gathered into one unordered bulk per command. The sets of one document in a
 * batch are merged in arrival order (the later value of a field wins, as two writes in turn would
 * leave it); documents given the same fields and values are written by one `updateMany` by id
 * (one statement, one transaction on our FerretDB build). A missing document is left missing.
 */
export function setByIdBatcher<T extends Document & { _id: string }>(collection: Collection<T>): CommandBatcher<SetById> {
  return new CommandBatcher<SetById>(async (ops) => {
    const merged = new Map<string, Record<string, unknown>>();
    for (const op of ops) merged.set(op._id, { ...merged.get(op._id), ...op.$set });
    const byUpdate = new Map<string, { $set: Record<string, unknown>; ids: string[] }>();
    for (const [id, $set] of merged) {
      const key = JSON.stringify($set);
      const group = byUpdate.get(key);
      if (group) group.ids.push(id);
      else byUpdate.set(key, { $set, ids: [id] });
    }
    const groups = [...byUpdate.values()];
    const writes = groups.map(({ $set, ids }) =>
      ids.length === 1
        ? { updateOne: { filter: { _id: ids[0] } as Filter<T>, update: { $set } as Document } }
        : { updateMany: { filter: { _id: { $in: ids } } as Filter<T>, update: { $set } as Document } },
    );
    let errors: (Error | null)[] = [];
    try {
      await collection.bulkWrite(writes, { ordered: false });
    } catch (error) {
      errors = writeErrorsByIndex(error, writes.length);
    }
    // A statement's error goes to every caller of its documents; the others' writes landed.
    const failedIds = new Map<string, Error>();
    groups.forEach((g, i) => {
      const e = errors[i];
      if (e) for (const id of g.ids) failedIds.set(id, e);
    });
    return ops.map((op) => failedIds.get(op._id));
  });
}

/**
 * Upserting replacements by `_id` gathered into one unordered bulk per command; each caller
 * learns whether its document was `inserted` or `replaced`. A replacement that lost an insert
 * race for a new `_id` (E11000: another writer inserted it first) is made once more on its own,
 * and replaces the winner's document, as upsertRetryingDuplicate does. Two replacements of one
 * `_id` in a batch: the later is written after the earlier (the later wins).
 */
export function replaceByIdBatcher<T extends Document & { _id: string }>(collection: Collection<T>): CommandBatcher<T, 'inserted' | 'replaced'> {
  const alone = async (doc: T): Promise<'inserted' | 'replaced'> => {
    const res = await collection.replaceOne({ _id: doc._id } as Filter<T>, doc, { upsert: true });
    return res.upsertedCount === 1 ? 'inserted' : 'replaced';
  };
  return new CommandBatcher(async (docs) => {
    const seen = new Set<string>();
    const first: number[] = [];
    const repeats: number[] = [];
    docs.forEach((d, i) => {
      if (seen.has(d._id)) repeats.push(i);
      else {
        first.push(i);
        seen.add(d._id);
      }
    });
    const results: ('inserted' | 'replaced' | Error)[] = [];
    const ops = first.map((i) => ({ replaceOne: { filter: { _id: docs[i]!._id } as Filter<T>, replacement: docs[i]!, upsert: true } }));
    let errors: (Error | null)[];
    // By `_id`, not by the operations' indexes: FerretDB 1.24 numbers every upsert of a bulk 0.
    let upserted = new Set<unknown>();
    try {
      const res = await collection.bulkWrite(ops, { ordered: false });
      upserted = new Set(Object.values(res.upsertedIds));
      errors = ops.map(() => null);
    } catch (error) {
      errors = writeErrorsByIndex(error, ops.length);
      const partial = (error as { result?: { upsertedIds?: Record<string, unknown> } }).result?.upsertedIds;
      if (partial) upserted = new Set(Object.values(partial));
    }
    for (const [n, i] of first.entries()) {
      const e = errors[n];
      results[i] = e === null || e === undefined ? (upserted.has(docs[i]!._id) ? 'inserted' : 'replaced') : isDuplicateKeyError(e) ? await alone(docs[i]!).catch((err: Error) => err) : e;
    }
    for (const i of repeats) results[i] = await alone(docs[i]!).catch((err: Error) => err);
    return results;
  });
}

/**
 * Look-ups by `_id` gathered into one `_id: {$in}` read per command (findByIds's index); each
 * caller gets its document or null. The read starts after every caller of the batch asked, so
 * none gets a document older than its call.
 */
export function findByIdBatcher<T extends Document & { _id: string }>(collection: Collection<T>): CommandBatcher<string, T | null> {
  return new CommandBatcher(async (ids) => {
    const unique = [...new Set(ids)];
    // The limit closes the cursor with its first reply (no getMore round trip to learn it is done).
    const docs = (await collection.find({ _id: { $in: unique } } as Filter<T>, { batchSize: unique.length, limit: unique.length }).toArray()) as T[];
    const byId = new Map(docs.map((d) => [d._id, d]));
    // A caller's document is its own to change: a second caller of one id gets a copy.
    const given = new Set<string>();
    return ids.map((id) => {
      const doc = byId.get(id);
      if (!doc) return null;
      if (given.has(id)) return structuredClone(doc);
      given.add(id);
      return doc;
    });
  });
}
