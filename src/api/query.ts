import { z } from 'zod';
import { dateOutOfRange } from '../domain/dates';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const dateTime = z.iso.datetime({ offset: true });

/**
 * A query's ISO 8601 date (`2026-12-01`: UTC midnight) or date-time with zone, as a Date from 2006 to a day
 * ahead (see src/domain/dates).
 */
export const isoDate = z.string().transform((text, ctx) => {
  const date = DATE_ONLY.test(text) ? new Date(`${text}T00:00:00Z`) : dateTime.safeParse(text).success ? new Date(text) : undefined;
  const problem = date ? dateOutOfRange(date) : 'an ISO 8601 date (2026-12-01, UTC midnight) or date-time with zone (2026-12-01T09:30:00+01:00)';
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return date!;
});

/** `limit`: a page size from 1 to `max`, `fallback` when absent. */
export const limitParam = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
