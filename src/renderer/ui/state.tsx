import type { ReactNode } from 'react';

/** Loading, error and empty states, the same everywhere. */
export function QueryState({ query, empty, children }: { query: { isPending: boolean; error: Error | null; data?: unknown }; empty?: string | false; children?: ReactNode }) {
  if (query.isPending) return <p className="muted" role="status">Loading…</p>;
  if (query.error) {
    return (
      <p role="alert" className="error">
        Could not load: {query.error.message}. Check the Health page; the console retries on its own.
      </p>
    );
  }
  if (empty) return <p className="muted">{empty}</p>;
  return <>{children}</>;
}

/** What a failed action says: what failed and what to do. */
export function ActionError({ error, what }: { error: Error | null; what: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {what} failed: {error.message}
    </p>
  );
}

export { money } from '../../shared/money-format.js';
export const int = (n: number) => n.toLocaleString('en-US');
export const when = (d: Date | string | null | undefined) => (d ? new Date(d).toLocaleString('en-US', { timeZone: 'America/Phoenix', dateStyle: 'medium', timeStyle: 'short' }) : '—');
export const dash = (v: unknown) => (v === null || v === undefined || v === '' ? '—' : String(v));
