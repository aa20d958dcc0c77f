import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Crawlee's key-value store and key for the session pool (see `crawlMls`). */
export const SESSION_STORE_ID = 'phoenix-mls-sessions';
export const SESSION_STATE_KEY = 'SESSION_POOL_STATE';

/** One session as Crawlee's `Session.getState()` writes it. */
const sessionSchema = z.object({
  id: z.string().min(1),
  cookieJar: z.looseObject({ cookies: z.array(z.looseObject({ key: z.string(), value: z.string() })) }),
  userData: z.record(z.string(), z.unknown()).optional(),
  maxErrorScore: z.number(),
  errorScoreDecrement: z.number(),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
  usageCount: z.number(),
  maxUsageCount: z.number(),
  errorScore: z.number(),
});

/** The session pool as Crawlee's `SessionPool.getState()` writes it. */
const sessionPoolStateSchema = z.object({
  usableSessionsCount: z.number().optional(),
  retiredSessionsCount: z.number().optional(),
  sessions: z.array(sessionSchema),
});

/** Where Crawlee keeps the session pool under its storage folder. */
export function sessionStateFile(storageDir: string): string {
  return path.join(storageDir, 'key_value_stores', SESSION_STORE_ID, `${SESSION_STATE_KEY}.json`);
}

/**
 * Check the saved session pool before Crawlee reads it: a file that is not JSON or not of the
 * pool's shape (hand-edited, cut short by a full disk, from another Crawlee version) would fail
 * every MLS sync with an error naming no file. Such a file is renamed `<name>.invalid-<time>`
 * and the crawl starts with fresh sessions. Returns the warning to record, or null when the
 * file is absent or sound.
 */
export function setAsideInvalidSessionState(storageDir: string, now: Date): string | null {
  const file = sessionStateFile(storageDir);
  if (!fs.existsSync(file)) return null;
  let problem: string;
  try {
    const parsed = sessionPoolStateSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return null;
    const issue = parsed.error.issues[0]!;
    problem = `${issue.path.join('.') || '(root)'}: ${issue.message}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problem = code ? `unreadable: ${code}` : `not JSON (${(error as Error).message})`;
  }
  const aside = `${file}.invalid-${now.toISOString().replace(/[:.]/g, '-')}`;
  fs.renameSync(file, aside);
  return `The saved MLS sessions in ${file} were not usable (${problem}); set aside as ${aside}, starting with fresh sessions.`;
}
