/** Phoenix, Arizona keeps Mountain Standard Time all year (no daylight saving). */
export const PHOENIX_TIME_ZONE = 'America/Phoenix';

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: PHOENIX_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in Phoenix of an instant, as `YYYY-MM-DD`. */
export function phoenixDay(at: Date): string {
  return dayFormat.format(at);
}

/** The day `offset` days from `day` (negative goes back), as `YYYY-MM-DD`. */
export function addDays(day: string, offset: number): string {
  const t = Date.parse(`${day}T12:00:00Z`) + offset * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The `count` days ending with `lastDay`, oldest first. */
export function dayRange(lastDay: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(lastDay, i - count + 1));
}
