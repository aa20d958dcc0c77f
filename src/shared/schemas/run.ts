import { z } from 'zod';
import { dateSchema } from './common.js';

export const RUN_KINDS = ['sync', 'process', 'maintenance', 'import'] as const;
export const RUN_TRIGGERS = ['manual', 'schedule', 'catch-up', 'cli'] as const;
/** `interrupted`: the process running it (its owner) stopped without finishing it (killed, crashed, lost power). */
export const RUN_STATUSES = ['running', 'succeeded', 'failed', 'cancelled', 'skipped', 'missed', 'interrupted'] as const;

export const runKindSchema = z.enum(RUN_KINDS);
export const runTriggerSchema = z.enum(RUN_TRIGGERS);
export const runStatusSchema = z.enum(RUN_STATUSES);
export type RunKind = z.infer<typeof runKindSchema>;
export type RunTrigger = z.infer<typeof runTriggerSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;

/** Counters are open-ended: each kind of run reports its own (pages, fetched, inserted, ...). */
export const runCountersSchema = z.record(z.string(), z.number());

/** Every sync or processing run leaves one of these. */
export const runSchema = z.object({
  _id: z.string(),
  kind: runKindSchema,
  source: z.string().nullable(),
  trigger: runTriggerSchema,
  params: z.record(z.string(), z.unknown()),
  status: runStatusSchema,
  counters: runCountersSchema,
  total: z.number().nullable(),
  errors: z.array(z.object({ at: dateSchema, message: z.string() })),
  errors_count: z.number().int(),
  message: z.string().nullable(),
  started_at: dateSchema,
  updated_at: dateSchema,
  finished_at: dateSchema.nullable(),
  /** The instance running it (`host:pid:random`); null on records from before owners were kept. */
  owner: z.string().nullable().default(null),
  /** Renewed by the owner while the run goes on; a stale one means the owner is gone. */
  heartbeat_at: dateSchema.nullable().default(null),
  /**
   * The settings (by their environment names, `MARICOPA_API_TOKEN`) the run failed for: not set,
   * or refused by the service. Such a run is not resumable (canResume): set the setting and
   * start a new sync. Absent when it failed for anything else (issue #23).
   */
  settings_at_fault: z.array(z.string()).optional(),
});
export type Run = z.infer<typeof runSchema>;

/**
 * Whether a run can be resumed (`runs.resume`, `phoenix-re sync --resume`): an assessor or
 * county parcel-layer sync that did not finish, cancelled, failed or interrupted, except one that
 * failed for a setting (`settings_at_fault`: a missing or refused key), which a resume would only
 * repeat. An assessor sync uses its cached answers; a county sync goes on from the last page it stored.
 */
export function canResume(run: Pick<Run, 'kind' | 'source' | 'status' | 'settings_at_fault'>): boolean {
  if ((run.settings_at_fault?.length ?? 0) > 0) return false;
  return run.kind === 'sync' && (run.source === 'maricopa_api' || run.source === 'county_layer') && (run.status === 'cancelled' || run.status === 'failed' || run.status === 'interrupted');
}
