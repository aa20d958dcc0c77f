import { randomInt } from 'node:crypto';
import { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import pLimit from 'p-limit';
import type { LlmBatch } from '../../../shared/schemas/llm-batch.js';
import type { Run, RunTrigger } from '../../../shared/schemas/run.js';
import type { EventBus } from '../../runtime/event-bus.js';
import { instanceId } from '../../runtime/instance-id.js';
import { RunRecorder } from '../../runs/run-recorder.js';
import { DailyBudget } from '../budget.js';
import { configurationErrorOf } from '../enrich/llm-errors.js';
import type { OpenAiProvider } from '../enrich/openai-provider.js';
import { BATCH_PRICE_FACTOR } from '../pricing.js';
import { ProcessingWorker, type WorkerDeps } from '../worker.js';
import { BatchAnswerProvider, BatchSubmitProvider, type BatchLine } from './batch-providers.js';
import { answerTextWithin } from '../../collectors/import/bounded-read.js';

/** How long a submission holds its items before the job exists (a crash in between frees them then). */
const SUBMIT_HOLD_MS = 3_600_000;
/** Items stay held this long past the job's 24-hour window, for the last poll to see it end. */
const EXPIRY_MARGIN_MS = 3_600_000;
const TERMINAL = new Set<Batch['status']>(['completed', 'expired', 'failed', 'cancelled']);

export interface BatchSubmitOptions {
  trigger: RunTrigger;
  batchSize: number;
  concurrency: number;
  signal?: AbortSignal;
  onStart?: (run: Run) => void;
}

/**
 * The evening run through OpenAI's Batch API (Files + Batches, half price, answers within 24
 * hours; https://platform.openai.com/docs/guides/batch). `submit` prepares each claimed item as
 * online (normalise, figures, cached enrichment reused), writes its request as one JSONL line,
 * uploads the file, creates the job and records it in `llm_batches`; the items wait in the queue,
 * pending but not due until the job must have ended, so nothing else takes them and quitting
 * loses nothing. `poll` (every `LLM_BATCH_POLL_MS` and at start) follows each open job; when one
 * ends it downloads the answers and finishes each item through the normal pipeline (judgement,
 * one online repair, validation, review), billed at the batch price. Items without an answer (an
 * expired or failed job) are requeued, due at once, their attempts untouched.
 */
export class BatchService {
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  /** Aborted by `stop`: an ingestion under way finishes the items in hand and leaves the rest for the next start. */
  private stopping = new AbortController();

  constructor(
    private readonly deps: Omit<WorkerDeps, 'provider' | 'budget'> & { events: EventBus },
    private readonly online: OpenAiProvider | null,
    private readonly budget: DailyBudget,
    /** What one online call is expected to cost, in US dollars (the pre-submission estimate). */
    private readonly callEstimateUsd: number,
  ) {}

  /** Claim up to `batchSize` items and send their requests as one Batch API job. */
  async submit(options: BatchSubmitOptions): Promise<Run> {
    const { repos, clock, logger } = this.deps;
    const recorder = await RunRecorder.start(repos.runs, this.deps.events, {
      kind: 'process',
      trigger: options.trigger,
      params: { batch_size: options.batchSize, concurrency: options.concurrency, model: this.online?.model ?? null, batch_api: true },
    });
    options.onStart?.(recorder.run);
    const fail = async (message: string) => {
      await recorder.error(message);
      return (await recorder.finish('failed', message))!;
    };
    if (!this.online) return fail('the Batch API needs an LLM server (OPENAI_API_KEY is not set)');

    // The budget is checked before submission, on the estimate at the batch price.
    const left = this.budget.limitUsd - (await this.budget.spentToday());
    const estimate = this.callEstimateUsd * BATCH_PRICE_FACTOR;
    const limit = estimate > 0 ? Math.min(options.batchSize, Math.max(0, Math.floor(left / estimate))) : options.batchSize;
    if (limit === 0) return (await recorder.finish('succeeded', 'daily LLM budget reached: nothing submitted'))!;

    // A hold time of its own (to the millisecond) marks the items this submission handed back.
    const holdUntil = new Date(clock().getTime() + SUBMIT_HOLD_MS + randomInt(60_000));
    const provider = new BatchSubmitProvider(this.online, holdUntil);
    const worker = new ProcessingWorker({ ...this.deps, provider, budget: this.budget }, instanceId(), options.concurrency);
    await worker.run({
      limit,
      untilEmpty: true,
      ...(options.signal && { signal: options.signal }),
      onItem: (outcome) => {
        recorder.count({ [outcome]: 1 }).catch((err: unknown) => logger.warn({ err }, 'could not save run progress'));
      },
    });
    const ids = await repos.queue.heldUntil(holdUntil);
    if (options.signal?.aborted) {
      await repos.queue.hold(ids, clock());
      return (await recorder.finish('cancelled', `stopped before submission; ${ids.length} items requeued`))!;
    }
    const c = recorder.snapshot();
    if (ids.length === 0) return (await recorder.finish('succeeded', `${c.completed ?? 0} processed from cached enrichments; nothing to submit`))!;

    const jsonl = [...provider.lines].map(([custom_id, body]) => JSON.stringify({ custom_id, method: 'POST', url: '/v1/chat/completions', body })).join('\n');
    let batch: Batch;
    try {
      const file = await this.online.api.files.create({ file: await toFile(Buffer.from(`${jsonl}\n`), `phoenix-re-${recorder.id}.jsonl`), purpose: 'batch' });
      batch = await this.online.api.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { run_id: recorder.id } });
    } catch (error) {
      await repos.queue.hold(ids, clock());
      return fail(`Batch API submission failed, ${ids.length} items requeued: ${configurationErrorOf(error)?.message ?? (error as Error).message}`);
    }
    const submittedAt = clock();
    const expiresAt = new Date(batch.expires_at ? batch.expires_at * 1000 : submittedAt.getTime() + 86_400_000);
    await repos.llmBatches.insert({
      _id: batch.id,
      state: 'open',
      remote_status: batch.status,
      model: this.online.model,
      run_id: recorder.id,
      ingest_run_id: null,
      submitted_at: submittedAt,
      expires_at: expiresAt,
      checked_at: null,
      ingested_at: null,
      input_file_id: batch.input_file_id,
      output_file_id: null,
      error_file_id: null,
      items: ids,
      request_counts: { total: provider.lines.size, completed: 0, failed: 0 },
      outcomes: {},
      message: null,
    });
    await repos.queue.hold(ids, new Date(expiresAt.getTime() + EXPIRY_MARGIN_MS));
    const message = `${ids.length} items in Batch API job ${batch.id} (${provider.lines.size} requests), answers by ${expiresAt.toISOString()}; ${c.completed ?? 0} processed from cached enrichments`;
    return (await recorder.finish('succeeded', message))!;
  }

  /** Check every open job once; ingest those that ended. One poll at a time. */
  poll(): Promise<void> {
    this.polling ??= (async () => {
      try {
        for (const batch of await this.deps.repos.llmBatches.open()) await this.check(batch);
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }

  /** Poll now and every `LLM_BATCH_POLL_MS` (an app or daemon that stays up). */
  start(): void {
    if (!this.online || this.timer) return;
    this.stopping = new AbortController();
    const tick = () => void this.poll().catch((err: unknown) => this.deps.logger.warn({ err }, 'Batch API poll failed'));
    tick();
    this.timer = setInterval(tick, this.deps.settings.llmBatchPollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await this.polling?.catch(() => undefined);
  }

  private async check(doc: LlmBatch): Promise<void> {
    if (!this.online) return;
    const { repos, clock, logger } = this.deps;
    let remote: Batch;
    try {
      remote = await this.online.api.batches.retrieve(doc._id);
    } catch (error) {
      const message = configurationErrorOf(error)?.message ?? (error as Error).message;
      logger.warn({ batch: doc._id, message }, 'Batch API job could not be checked');
      await repos.llmBatches.update(doc._id, { checked_at: clock(), message });
      return;
    }
    const seen = await repos.llmBatches.update(doc._id, {
      remote_status: remote.status,
      checked_at: clock(),
      output_file_id: remote.output_file_id ?? null,
      error_file_id: remote.error_file_id ?? null,
      request_counts: remote.request_counts ?? doc.request_counts,
    });
    if (seen && TERMINAL.has(remote.status)) await this.ingest(seen, remote);
  }

  /** Finish every item of an ended job from its answers; requeue those without one. */
  private async ingest(doc: LlmBatch, remote: Batch): Promise<void> {
    const online = this.online!;
    const { repos, settings, clock, logger } = this.deps;
    const recorder = await RunRecorder.start(repos.runs, this.deps.events, {
      kind: 'process',
      trigger: 'schedule',
      params: { batch_id: doc._id, batch_api: true, model: doc.model, remote_status: remote.status },
    });
    const answers = new Map<string, BatchLine>();
    for (const fileId of [remote.output_file_id, remote.error_file_id]) if (fileId) for (const [id, line] of await this.lines(fileId)) answers.set(id, line);
    const provider = new BatchAnswerProvider(online, answers, clock);
    // Answers are paid for already: no budget stops their ingestion.
    const paid = new DailyBudget(repos.dailyStats, Infinity, clock, 0);
    const workerId = instanceId();
    const worker = new ProcessingWorker({ ...this.deps, provider, budget: paid }, workerId, settings.processingConcurrency);
    const limit = pLimit(settings.processingConcurrency);
    let gone = 0;
    const signal = this.stopping.signal;
    try {
      await Promise.all(
        doc.items.map((id) =>
          limit(async () => {
            if (signal.aborted) return;
            const item = await repos.queue.claimHeld(id, workerId, settings.queueLeaseMs);
            if (!item) return void (gone += 1);
            const outcome = await worker.process(item);
            const counted = outcome === 'batched' || outcome === 'config' || outcome === 'stopping' ? 'requeued' : outcome;
            await recorder.count({ [counted]: 1 });
          }),
        ),
      );
    } finally {
      await repos.queue.releaseAll(workerId);
    }
    if (signal.aborted) {
      const message = `stopped while ingesting Batch API job ${doc._id}: the items not yet done are ingested at the next start`;
      await recorder.finish('cancelled', message);
      return;
    }
    const outcomes: Record<string, number> = { ...recorder.snapshot(), ...(gone > 0 && { already_processed: gone }) };
    const remoteProblem = remote.status === 'failed' ? `the job failed: ${remote.errors?.data?.[0]?.message ?? 'no reason given'}` : remote.status === 'expired' ? 'the job expired before every request was answered' : null;
    const message =
      `${outcomes.completed ?? 0} processed, ${outcomes.review ?? 0} to review, ${outcomes.requeued ?? 0} requeued, ${outcomes.failed ?? 0} failed from Batch API job ${doc._id} (${remote.status})` +
      [remoteProblem, worker.configError].filter(Boolean).map((m) => `; ${m}`).join('');
    await repos.llmBatches.update(doc._id, { state: 'ingested', ingested_at: clock(), ingest_run_id: recorder.id, outcomes, message });
    if (worker.configError) await recorder.error(worker.configError);
    await recorder.finish(worker.configError || remote.status === 'failed' ? 'failed' : 'succeeded', message);
    logger.info({ batch: doc._id, outcomes }, 'Batch API job ingested');
  }

  /** The lines of a result file by `custom_id`. */
  private async lines(fileId: string): Promise<Map<string, BatchLine>> {
    const text = await answerTextWithin(await this.online!.api.files.content(fileId), 'llm_batch_file', `/files/${fileId}/content`);
    const lines = new Map<string, BatchLine>();
    for (const raw of text.split('\n')) {
      if (raw.trim() === '') continue;
      const line = JSON.parse(raw) as { custom_id: string; response: { status_code: number; body: unknown } | null; error: { code: string; message: string } | null };
      if (!line.response) continue; // not run (expired, cancelled): no entry, the item is requeued
      if (line.response.status_code === 200) lines.set(line.custom_id, { kind: 'answer', completion: line.response.body as never });
      else {
        const error = (line.response.body as { error?: { message?: string; code?: string | null; param?: string | null } } | null)?.error;
        lines.set(line.custom_id, { kind: 'refused', status: line.response.status_code, message: error?.message ?? `HTTP ${line.response.status_code}`, code: error?.code ?? null, param: error?.param ?? null });
      }
    }
    return lines;
  }
}
