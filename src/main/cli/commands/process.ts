import type { Run } from '../../../shared/schemas/run.js';
import { UnknownPropertiesError } from '../../processing/processing-service.js';
import type { Core } from '../../core/create-core.js';
import type { CliOutput } from '../output.js';
import { stopSignal } from '../stop-signal.js';

function summary(run: Run, output: CliOutput): number {
  output.out(`Run ${run._id} ${run.status}: ${run.message ?? ''}`);
  for (const e of run.errors.slice(0, 10)) output.err(`  ${e.message}`);
  return run.status === 'succeeded' ? 0 : 1;
}

/** `phoenix-re process`: one batch of the queue. */
export async function processCommand(core: Core, opts: { batchSize?: number; concurrency?: number }, output: CliOutput): Promise<number> {
  const stop = stopSignal(output, 'Stopping: finishing the items in hand...');
  try {
    output.err(`Processing with ${core.processing.provider.model}...`);
    return summary(await core.processing.run({ trigger: 'cli', ...opts, signal: stop.signal }), output);
  } finally {
    stop.dispose();
  }
}

/** `phoenix-re worker`: process until stopped; any number of these can share one database. */
export async function workerCommand(core: Core, opts: { concurrency?: number }, output: CliOutput): Promise<number> {
  const stop = stopSignal(output, 'Stopping: finishing the items in hand...');
  try {
    output.err(`Worker running with ${core.processing.provider.model}; Ctrl-C stops it.`);
    const run = await core.processing.run({ trigger: 'cli', forever: true, ...opts, signal: stop.signal });
    output.out(`Run ${run._id} ${run.status}: ${run.message ?? ''}`);
    return run.status === 'failed' ? 1 : 0;
  } finally {
    stop.dispose();
  }
}

/** `phoenix-re reprocess`: queue items again by status or id. */
export async function reprocessCommand(core: Core, opts: { status?: string; id: string[] }, output: CliOutput): Promise<number> {
  const statuses = ['failed', 'review', 'completed', 'all'] as const;
  if (!opts.status && opts.id.length === 0) {
    output.err('Give --status failed|review|completed|all or --id <raw id>.');
    return 1;
  }
  if (opts.status && !(statuses as readonly string[]).includes(opts.status)) {
    output.err(`Unknown status "${opts.status}" (use ${statuses.join(', ')}).`);
    return 1;
  }
  let queued: number;
  try {
    queued = await core.processing.reprocess({
      ...(opts.status && { status: opts.status as (typeof statuses)[number] }),
      ...(opts.id.length > 0 && { ids: opts.id }),
    });
  } catch (error) {
    if (!(error instanceof UnknownPropertiesError)) throw error;
    output.err(error.message);
    return 1;
  }
  output.out(`${queued} items queued for processing.`);
  return 0;
}
