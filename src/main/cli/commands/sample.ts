import type { Core } from '../../core/create-core.js';
import type { CliOutput } from '../output.js';

/**
 * `phoenix-re sample load`: the sample data through the real pipeline; prints both runs' outcome.
 * Exit code 0 when both succeeded.
 */
export async function sampleLoad(core: Core, output: CliOutput): Promise<number> {
  const { run, processing } = await core.sample.load('cli');
  output.out(`Run ${run._id} ${run.status}: ${run.message ?? ''}`);
  output.out(`Run ${processing._id} ${processing.status}: ${processing.message ?? ''}`);
  for (const e of run.errors) output.err(`  ${e.message}`);
  output.out('Remove it with: phoenix-re sample remove');
  return run.status === 'succeeded' && processing.status === 'succeeded' ? 0 : 1;
}

/** `phoenix-re sample remove`: delete exactly what the sample made; says what went. */
export async function sampleRemove(core: Core, output: CliOutput): Promise<number> {
  const removed = await core.sample.remove();
  output.out(`Removed the sample data: ${removed.records} records, ${removed.processed} processed records, ${removed.queueItems} queue items, ${removed.runs} runs.`);
  return 0;
}
