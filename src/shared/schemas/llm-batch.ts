import { z } from 'zod';
import { dateSchema } from './common.js';

/** A Batch API job's state at OpenAI (`Batch.status`). */
export const BATCH_REMOTE_STATUSES = ['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled'] as const;

/**
 * One OpenAI Batch API job of the evening processing run, as kept in `llm_batches`: its
 * requests went out as one JSONL file; its items wait in the queue (pending, due when the job
 * must have ended) until its answers are ingested. `state`: `open` while it is polled, `ingested`
 * once every item has its outcome.
 */
export const llmBatchSchema = z.object({
  _id: z.string(),
  state: z.enum(['open', 'ingested']),
  remote_status: z.enum(BATCH_REMOTE_STATUSES),
  model: z.string(),
  /** The processing run that submitted it, and the one that ingested it. */
  run_id: z.string(),
  ingest_run_id: z.string().nullable(),
  submitted_at: dateSchema,
  /** When OpenAI gives up on it (24 hours after submission). */
  expires_at: dateSchema,
  checked_at: dateSchema.nullable(),
  ingested_at: dateSchema.nullable(),
  input_file_id: z.string(),
  output_file_id: z.string().nullable(),
  error_file_id: z.string().nullable(),
  /** The raw ids of the items it holds. */
  items: z.array(z.string()),
  /** OpenAI's counts: requests, answered, failed. */
  request_counts: z.object({ total: z.number().int(), completed: z.number().int(), failed: z.number().int() }),
  /** What ingestion did with the items: completed, review, requeued (no answer), failed. */
  outcomes: z.record(z.string(), z.number().int()),
  message: z.string().nullable(),
});
export type LlmBatch = z.infer<typeof llmBatchSchema>;
