import { z } from 'zod';
import { dateSchema } from './common.js';

export const QUEUE_STATUSES = ['pending', 'processing', 'completed', 'failed', 'review'] as const;
export const queueStatusSchema = z.enum(QUEUE_STATUSES);
export type QueueStatus = z.infer<typeof queueStatusSchema>;

export const queueErrorSchema = z.object({
  at: dateSchema,
  attempt: z.number().int(),
  message: z.string(),
});

/** One raw property waiting for, in, or done with processing. `_id` is the raw property's id. */
export const queueItemSchema = z.object({
  _id: z.string(),
  status: queueStatusSchema,
  attempts: z.number().int().nonnegative(),
  available_at: dateSchema,
  lease_until: dateSchema.nullable(),
  worker_id: z.string().nullable(),
  rerun: z.boolean(),
  /** How many times the item was claimed: the generation of the current claim, which guards its transitions. */
  claim_seq: z.number().int().nonnegative(),
  /**
   * How many times the item was queued again (a changed record, a reprocess, a re-run after the
   * current one): with the id, names one processing of it, counted once in the day's rollups
   * however often a crash makes it run. Items queued before it was kept: unset (0).
   */
  round: z.number().int().nonnegative().optional(),
  /**
   * The daily fact (`processed:` or `failed:` key) of the write that settled the item last, set
   * in that write: how a fact counted just before it is known to have landed. Unset: none yet.
   */
  last_fact: z.string().optional(),
  errors: z.array(queueErrorSchema),
  last_error: z.string().nullable(),
  review_reasons: z.array(z.string()),
  enqueued_at: dateSchema,
  updated_at: dateSchema,
  completed_at: dateSchema.nullable(),
});
export type QueueItem = z.infer<typeof queueItemSchema>;

export const queueCountsSchema = z.object(
  Object.fromEntries(QUEUE_STATUSES.map((s) => [s, z.number().int().nonnegative()])) as Record<
    QueueStatus,
    z.ZodNumber
  >,
);
export type QueueCounts = Record<QueueStatus, number>;
