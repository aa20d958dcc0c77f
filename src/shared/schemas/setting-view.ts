import { z } from 'zod';

/** One setting as the Settings page shows it: secrets say only whether they are set. */
export const settingViewSchema = z.object({
  key: z.string(),
  env: z.string(),
  kind: z.enum(['string', 'url', 'int', 'number', 'boolean', 'list', 'enum', 'json']),
  description: z.string(),
  secret: z.boolean(),
  /** Edited here and saved (document or encrypted secrets); else only via environment or files. */
  editable: z.boolean(),
  /** Why it is not editable here, when it is not. */
  locked_reason: z.string().nullable(),
  /** The value as it is typed in `.env` (lists comma-separated, JSON as JSON); null for secrets. */
  input: z.string().nullable(),
  /** Whether a value is set (for secrets: the only thing shown). */
  set: z.boolean(),
  /** Where the value in force comes from: `default`, a file path, `the console (saved in the database)`, ... */
  origin: z.string(),
});
export type SettingView = z.infer<typeof settingViewSchema>;

export const settingsUpdateResultSchema = z.object({
  saved: z.boolean(),
  /** Per environment name, why the value was refused (nothing is saved when any is). */
  errors: z.record(z.string(), z.string()),
  /** Some saved values take effect only when the console starts again. */
  restart_required: z.boolean(),
  /** Which (environment names); the others applied at once. */
  restart_for: z.array(z.string()),
  /** Saved, but the environment or `.env` sets these, and wins. */
  overridden: z.array(z.string()),
});

export const CONNECTION_TARGETS = ['mongodb', 'maricopa', 'llm', 'webshare', 'twocaptcha'] as const;
export const connectionTestSchema = z.object({ target: z.enum(CONNECTION_TARGETS), ok: z.boolean(), detail: z.string(), ms: z.number() });
