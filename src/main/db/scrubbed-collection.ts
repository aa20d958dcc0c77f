import type { Collection, Document } from 'mongodb';

/** The argument of each write method that carries what is written (filters are left alone). */
const WRITTEN_ARGUMENT: Record<string, number> = {
  insertOne: 0,
  insertMany: 0,
  bulkWrite: 0,
  updateOne: 1,
  updateMany: 1,
  replaceOne: 1,
  findOneAndUpdate: 1,
  findOneAndReplace: 1,
};

/**
 * `collection` with every write passed through `scrub` first: the one place where what goes
 * into the database loses its secrets (an upstream error page that echoed our request headers,
 * say). Reads and filters are untouched; `scrub` must return a copy, never change its argument.
 */
export function scrubbedCollection<T extends Document>(collection: Collection<T>, scrub: (value: unknown) => unknown): Collection<T> {
  return new Proxy(collection, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== 'string' || typeof member !== 'function') return member;
      const at = WRITTEN_ARGUMENT[property];
      if (at === undefined) return (member as (...args: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const scrubbed = [...args];
        scrubbed[at] = scrub(args[at]);
        return (member as (...a: unknown[]) => unknown).apply(target, scrubbed);
      };
    },
  });
}
