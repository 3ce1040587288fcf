/**
 * The dates Switchboard accepts from outside: nothing before 2006 (X's first post) or more than a day
 * ahead of the clock (time-zone and clock-skew slack). Go's zero time and typos like year 20260 end here.
 */
export const EARLIEST_DATE = new Date('2006-01-01T00:00:00Z');
const AHEAD_MS = 86_400_000;

export function latestDate(now: Date = new Date()): Date {
  return new Date(now.getTime() + AHEAD_MS);
}

/** Why `date` is not acceptable, for a person; undefined when it is. */
export function dateOutOfRange(date: Date, now: Date = new Date()): string | undefined {
  const t = date.getTime();
  if (Number.isNaN(t)) return 'is not a date';
  if (t < EARLIEST_DATE.getTime()) return `must not be before ${EARLIEST_DATE.toISOString()}`;
  const latest = latestDate(now);
  if (t > latest.getTime()) return `must not be after ${latest.toISOString()} (a day from now)`;
  return undefined;
}
