/**
 * A separate process that loads one database with concurrent writes, for the tests that check
 * updates are atomic across processes (each process has its own driver and connection pool).
 *
 * Usage: `node --import tsx contention-process.ts <uri> inc <collection> <id> <n>` sends `n`
 * concurrent `$inc: {n: 1}` to one document (`upsert` instead of `inc`: the same as upserts);
 * `... claim <collection> <loops> <worker>` runs
 * `loops` concurrent loops that each claim pending items by `findOneAndUpdate` alone until none
 * is left, and prints the claimed ids as JSON. Exits 1 with the error on stderr if any write fails.
 */
import { MongoClient } from 'mongodb';

const [uri, mode, collectionName, arg, countOrWorker] = process.argv.slice(2);
if (!uri || !collectionName || !arg || !countOrWorker || (mode !== 'inc' && mode !== 'upsert' && mode !== 'claim')) {
  throw new Error('usage: contention-process.ts <uri> inc|upsert <collection> <id> <n> | claim <collection> <loops> <worker>');
}
const client = new MongoClient(uri);
try {
  const collection = client.db().collection<{ _id: string; n?: number; status?: string; worker?: string; claims?: number }>(collectionName);
  if (mode !== 'claim') {
    const upsert = mode === 'upsert';
    await Promise.all(Array.from({ length: Number(countOrWorker) }, () => collection.updateOne({ _id: arg }, { $inc: { n: 1 } }, { upsert })));
  } else {
    const claimed: string[] = [];
    await Promise.all(
      Array.from({ length: Number(arg) }, async () => {
        for (;;) {
          const item = await collection.findOneAndUpdate(
            { status: 'pending' },
            { $set: { status: 'claimed', worker: countOrWorker }, $inc: { claims: 1 } },
            { returnDocument: 'after' },
          );
          if (!item) return;
          claimed.push(item._id);
        }
      }),
    );
    process.stdout.write(JSON.stringify(claimed));
  }
} finally {
  await client.close();
}
