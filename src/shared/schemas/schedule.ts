import { z } from 'zod';
import { dateSchema } from './common.js';
import { zipCodeSchema } from '../zip-code.js';
import { runStatusSchema, runTriggerSchema } from './run.js';

/**
 * The sources a scheduled job can sync: those with an upstream to collect from. ARMLS exports
 * are the analyst's own files (`phoenix-re import armls`), which no schedule can fetch: a job
 * naming `armls_export` is refused rather than run as some other source's sync.
 */
export const SYNC_SOURCES = ['maricopa_api', 'phoenix_mls', 'county_layer'] as const;
export const syncSourceSchema = z.enum(SYNC_SOURCES);
export type SyncSource = z.infer<typeof syncSourceSchema>;

/** What a scheduled job does: a sync of one source, or a processing batch. */
export const scheduledWorkSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('sync'),
    source: syncSourceSchema,
    /** ZIP codes to collect; unset: `TARGET_ZIP_CODES`. */
    zips: z.array(zipCodeSchema).min(1).optional(),
    /** Most properties a run collects. */
    limit: z.number().int().positive().optional(),
  }),
  z.strictObject({
    kind: z.literal('process'),
    /** Items a run processes; unset: `PROCESSING_BATCH_SIZE`. */
    batch_size: z.number().int().positive().optional(),
  }),
  /** A full backup of the database into `BACKUP_DIR`, keeping the last `BACKUP_KEEP`. */
  z.strictObject({ kind: z.literal('backup') }),
]);
export type ScheduledWork = z.infer<typeof scheduledWorkSchema>;

/**
 * Five cron fields (minute hour day-of-month month day-of-week), read in America/Phoenix. Each
 * field is checked further in the main process, which says which field is wrong and why.
 */
export const cronExpressionSchema = z
  .string()
  .trim()
  .refine((s) => s.split(/\s+/).length === 5, 'must have five fields: minute hour day-of-month month day-of-week');

export const scheduleDefSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes (at most 40)'),
  cron: cronExpressionSchema,
  enabled: z.boolean().default(true),
  description: z.string().max(200).optional(),
  work: scheduledWorkSchema,
});
export type ScheduleDef = z.infer<typeof scheduleDefSchema>;

/**
 * The seed's daily workflow: the county parcel layer first (every parcel of the ZIP codes, no key,
 * a few requests), then the assessor API for only what the layer lacks (issue #22: a parcel the
 * layer holds fresh costs no call unless it changed), MLS in the afternoon, processing at night;
 * a full backup monthly.
 */
export const DEFAULT_SCHEDULES: ScheduleDef[] = [
  { id: 'county-morning', cron: '30 5 * * *', enabled: true, description: 'County parcel layer sync', work: { kind: 'sync', source: 'county_layer' } },
  { id: 'assessor-morning', cron: '0 6 * * *', enabled: true, description: 'Maricopa assessor sync', work: { kind: 'sync', source: 'maricopa_api' } },
  { id: 'mls-afternoon', cron: '0 14 * * *', enabled: true, description: 'Phoenix MLS sync', work: { kind: 'sync', source: 'phoenix_mls' } },
  { id: 'processing-evening', cron: '0 20 * * *', enabled: true, description: 'LLM processing of the queue', work: { kind: 'process' } },
  { id: 'backup-monthly', cron: '0 3 1 * *', enabled: true, description: 'Full database backup', work: { kind: 'backup' } },
];

export const schedulesSchema = z.array(scheduleDefSchema).superRefine((defs, ctx) => {
  const seen = new Set<string>();
  defs.forEach((d, i) => {
    if (seen.has(d.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${d.id}" is used by two schedules` });
    seen.add(d.id);
  });
});

/** The latest run a schedule started (or skipped, or missed). */
export const scheduleLastRunSchema = z.object({
  run_id: z.string(),
  status: runStatusSchema,
  trigger: runTriggerSchema,
  due_at: dateSchema.nullable(),
  started_at: dateSchema,
  finished_at: dateSchema.nullable(),
  message: z.string().nullable(),
});

/** A schedule as the console lists it. */
export const scheduleViewSchema = z.object({
  id: z.string(),
  cron: z.string(),
  description: z.string().nullable(),
  work: scheduledWorkSchema,
  enabled: z.boolean(),
  /** Whether `enabled` comes from the analyst's switch (stored in the database) or the settings. */
  enabled_by: z.enum(['settings', 'switch']),
  next_run_at: dateSchema.nullable(),
  last_run: scheduleLastRunSchema.nullable(),
  /** Held by a run now (on this or another instance). */
  running: z.object({ owner: z.string(), since: dateSchema }).nullable(),
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;
