/**
 * The dates Switchboard accepts from outside: nothing before 2006 (X's first post); a query's dates up to a day
 * ahead of the clock, a message's createdAt up to a few minutes. Go's zero time and typos like year 20260 end here.
 */
export const EARLIEST_DATE = new Date('2006-01-01T00:00:00Z');
const AHEAD_MS = 86_400_000;

export function latestDate(now: Date = new Date()): Date {
  return new Date(now.getTime() + AHEAD_MS);
}

/**
 * How far a message's own `createdAt` may be ahead of our clock: a sender's clock skew, no more. A later one is
 * refused rather than clamped (as Zendesk's and Front's import APIs refuse a future created_at): the sender learns
 * its clock or its field is wrong, and no message sorts to the top of the inbox forever.
 */
export const MESSAGE_CLOCK_SKEW_MS = 5 * 60_000;

/** Why `date` is not acceptable, for a person; undefined when it is. A query's dates may be a day ahead, a message's `aheadMs`. */
export function dateOutOfRange(date: Date, now: Date = new Date(), aheadMs = AHEAD_MS): string | undefined {
  const t = date.getTime();
  if (Number.isNaN(t)) return 'is not a date';
  if (t < EARLIEST_DATE.getTime()) return `must not be before ${EARLIEST_DATE.toISOString()}`;
  const latest = new Date(now.getTime() + aheadMs);
  const slack = aheadMs === AHEAD_MS ? 'a day from now' : `our clock + ${Math.round(aheadMs / 60_000)} minutes; is the sender's clock right?`;
  if (t > latest.getTime()) return `must not be after ${latest.toISOString()} (${slack})`;
  return undefined;
}
