import type { Db } from 'mongodb';
import { collectionsOf } from '../../src/main/db/collections.js';
import { QueueRepository, DEFAULT_QUEUE_POLICY } from '../../src/main/db/repositories/queue.js';

const ITEMS = 400;
const RUNS = 3;

/** Claims a second with 1 and with 8 concurrent workers; 8 ÷ 1 shows how claiming scales. */
export async function benchQueueClaims(db: Db): Promise<void> {
  const { queue } = collectionsOf(db);
  const rate = async (workers: number): Promise<number> => {
    await queue.deleteMany({});
    const repo = new QueueRepository(queue, () => new Date(), DEFAULT_QUEUE_POLICY);
    for (let i = 0; i < ITEMS; i += 1) await repo.enqueue(`bench-${i}`);
    const started = performance.now();
    let claimed = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        while (await repo.claimNext(`w${w}`, 600_000)) claimed += 1;
      }),
    );
    if (claimed !== ITEMS) throw new Error(`claimed ${claimed} of ${ITEMS}`);
    return ITEMS / ((performance.now() - started) / 1000);
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const one: number[] = [];
  const eight: number[] = [];
  for (let r = 0; r < RUNS; r += 1) {
    one.push(await rate(1));
    eight.push(await rate(8));
  }
  console.log(`queue claims (${ITEMS} items, median of ${RUNS}):`);
  console.log(`  1 worker : ${median(one).toFixed(0)} claims/s`);
  console.log(`  8 workers: ${median(eight).toFixed(0)} claims/s  (ratio to 1 worker: ${(median(eight) / median(one)).toFixed(2)})`);
}
